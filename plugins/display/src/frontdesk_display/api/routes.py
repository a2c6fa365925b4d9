"""The JSON API for integrators' own front ends, described by ``/api/v1/openapi.json``.

Public operations (centres, screens, a ticket's place, check-in and kiosk
sessions) hold no personal data. Staff operations need a bearer token from
``POST /token`` (or a signed-in browser session with its CSRF token).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from frontdesk_core.api import (
    Absence,
    Booking,
    CapacityError,
    FrontdeskError,
    InvalidStateError,
    NotFoundError,
    Ticket,
    text_in,
)
from frontdesk_display.api import models as m
from frontdesk_display.api.common import ApiError, moment
from frontdesk_display.api.openapi import Operation, Param, openapi
from frontdesk_display.auth import Authenticator, AuthError, Staff, check_csrf
from frontdesk_display.booking import api as booking_api
from frontdesk_display.common.errors import error_text
from frontdesk_display.common.jsonable import jsonable
from frontdesk_display.hub import Hub
from frontdesk_display.i18n import Words, catalog_languages
from frontdesk_display.kiosk import api as kiosk_api
from frontdesk_display.live.snapshot import screen_payload

PREFIX = "/api/v1"
ID = re.compile(r"^[a-z][a-z0-9_-]*$")
log = logging.getLogger("frontdesk.display.api")


@dataclass
class Call:
    """One API request: the hub, the path parameters, the parsed body and the user."""

    request: Request
    hub: Hub
    params: dict[str, str]
    body: Any
    user: Staff | None

    def centre_ok(self, centre_id: str) -> None:
        """Refuse a centre the user does not work at (404 for one that does not exist)."""
        if centre_id not in self.hub.centre_ids():
            raise NotFoundError(f"no centre '{centre_id}'")
        if self.user is not None and not self.user.works_at(centre_id):
            raise AuthError(403, f"you do not work at centre '{centre_id}'")


def problem(status: int, error: str, detail: Any = None, **said: Any) -> JSONResponse:
    """An error response (``said``: the code, parameters and words of a core error)."""
    body = m.Problem(error=error, detail=detail, **said)
    return JSONResponse(body.model_dump(mode="json", exclude_none=True), status)


def accepted_language(request: Request, fallback: str) -> str:
    """The first language of ``Accept-Language`` that has a catalog, else ``fallback``."""
    offered = catalog_languages()
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        tag = part.split(";")[0].strip().lower()
        for candidate in (tag, tag.split("-")[0]):
            if candidate in offered:
                return candidate
    return fallback


def core_problem(request: Request, exc: FrontdeskError) -> JSONResponse:
    """A core error with its code, parameters and words for a person."""
    fd = request.app.state.fd
    words = Words(accepted_language(request, fd.config.site.languages[0]), fd.tz)
    code = getattr(exc, "code", None)
    params = jsonable(getattr(exc, "params", {})) if code is not None else None
    message = error_text(exc, words)
    return problem(_status_of(exc), str(exc), code=code, params=params, message=message)


def _status_of(exc: FrontdeskError) -> int:
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, InvalidStateError | CapacityError):
        return 409
    return 422


async def _body(request: Request, model: type[BaseModel]) -> BaseModel:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise ApiError(415, "send the body as application/json")
    raw = await request.body()
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "the body is not valid JSON") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        details = [
            {"loc": [str(p) for p in e["loc"]], "msg": e["msg"]}
            for e in exc.errors(include_url=False)
        ]
        raise ApiError(422, "invalid input", details) from None


def endpoint(op: Operation) -> Callable[[Request], Any]:
    """The Starlette endpoint running ``op``."""

    async def run(request: Request) -> Response:
        hub: Hub = request.app.state.hub
        auth: Authenticator = request.app.state.auth
        params: dict[str, str] = dict(request.path_params)
        try:
            for param in op.params:
                pattern = param.schema.get("pattern")
                value = params.get(param.name, "")
                allowed = param.schema.get("enum")
                if (pattern and not re.fullmatch(pattern, value)) or (
                    allowed and value not in allowed
                ):
                    raise ApiError(404, f"no such {param.name.replace('_', ' ')}: {value!r}")
            user = auth.current(request)
            if op.role is not None:
                if user is None:
                    raise AuthError(401, "sign in: send 'Authorization: Bearer <token>'")
                if not user.may(op.role):
                    raise AuthError(403, f"this needs the {op.role} role")
                if not user.via_token:
                    await check_csrf(request)
            body = await _body(request, op.body) if op.body is not None else None
            result = await op.handler(Call(request, hub, params, body, user))
        except ApiError as exc:
            return problem(exc.status, exc.message, exc.detail)
        except AuthError as exc:
            return problem(exc.status, exc.message)
        except FrontdeskError as exc:
            return core_problem(request, exc)
        if op.response is None:
            return Response(status_code=op.status)
        if op.response_list:
            payload = [item.model_dump(mode="json") for item in result]
        else:
            payload = result.model_dump(mode="json")
        return JSONResponse(payload, op.status, headers={"Cache-Control": "no-store"})

    return run


# --- handlers -------------------------------------------------------------------------


def _lang(hub: Hub) -> str:
    return hub.fd.config.site.languages[0]


async def list_centres(call: Call) -> list[m.CentreOut]:
    """Every centre with its queues, counters and kiosks."""
    lang = _lang(call.hub)
    return [
        m.CentreOut(
            id=c.id,
            name=text_in(c.name, lang),
            queues=[
                m.QueueInfo(id=q.id, name=text_in(q.name, lang), prefix=q.prefix) for q in c.queues
            ],
            counters=[
                m.CounterInfo(id=k.id, name=text_in(k.name, lang), queues=list(k.queues))
                for k in c.counters
            ],
            kiosks=[m.NamedId(id=k.id, name=k.name) for k in c.kiosks],
        )
        for c in call.hub.fd.config.centres
    ]


async def get_screen(call: Call) -> m.ScreenOut:
    """What the info screens of a centre show."""
    centre_id = call.params["centre_id"]
    call.centre_ok(centre_id)
    hub = call.hub
    payload = await hub.core.run(screen_payload, hub.fd, hub.state, centre_id)
    return m.ScreenOut.model_validate(payload)


async def get_ticket(call: Call) -> m.PublicTicket:
    """A ticket's number, state and place in its queue."""
    hub = call.hub

    def read() -> m.PublicTicket:
        ticket = hub.fd.queues.ticket(call.params["ticket_id"])
        ahead, minutes = None, None
        if ticket.state == "waiting":
            estimate = hub.fd.queues.estimate(ticket.id)
            ahead, minutes = estimate.people_ahead, estimate.minutes
        return m.PublicTicket(
            id=ticket.id,
            number=ticket.number,
            queue_id=ticket.queue_id,
            state=str(ticket.state),
            people_ahead=ahead,
            expected_wait_minutes=minutes,
            counter_id=ticket.counter_id,
        )

    return await hub.core.run(read)


async def issue_token(call: Call) -> m.TokenOut:
    """Exchange a username and password for a bearer token."""
    body: m.TokenRequest = call.body
    auth: Authenticator = call.request.app.state.auth
    address = call.request.client.host if call.request.client else ""
    user = await call.hub.core.run(auth.check_password, body.username, body.password, address)
    if user is None:
        raise AuthError(401, "wrong username or password")
    return m.TokenOut(token=auth.issue_token(user), expires_in=auth.max_age)


def ticket_out(ticket: Ticket) -> m.TicketOut:
    """A ticket for staff."""
    data = jsonable(ticket)
    return m.TicketOut.model_validate({k: data.get(k) for k in m.TicketOut.model_fields})


def _counter_out(hub: Hub, counter_id: str) -> m.CounterOut:
    state = hub.fd.queues.counter(counter_id)
    data = jsonable(state)
    counter = m.CounterStateOut.model_validate(
        {k: data.get(k) for k in m.CounterStateOut.model_fields}
    )
    serving = hub.fd.queues.serving(counter_id)
    return m.CounterOut(counter=counter, ticket=ticket_out(serving) if serving else None)


def _counter_centre(call: Call) -> str:
    counter_id = call.params["counter_id"]
    try:
        centre = call.hub.fd.config.centre_of_counter(counter_id)
    except KeyError:
        raise NotFoundError(f"no counter '{counter_id}'") from None
    call.centre_ok(centre.id)
    return centre.id


async def get_counter(call: Call) -> m.CounterOut:
    """A counter and the ticket at it."""
    _counter_centre(call)
    return await call.hub.core.run(_counter_out, call.hub, call.params["counter_id"])


COUNTER_ACTIONS = {
    "sign-in": "sign_in",
    "sign-out": "sign_out",
    "pause": "pause",
    "resume": "resume",
    "call-next": "call_next",
    "recall": "recall",
    "start": "start",
    "finish": "finish",
    "no-show": "no_show",
    "put-back": "put_back",
}


async def counter_action(call: Call) -> m.CounterOut:
    """Sign in or out, pause, resume, or act on the ticket at the counter."""
    _counter_centre(call)
    hub, counter_id = call.hub, call.params["counter_id"]
    method = COUNTER_ACTIONS[call.params["action"]]
    assert call.user is not None  # the role check ran before
    username = call.user.ref

    def run() -> m.CounterOut:
        command = getattr(hub.fd.queues, method)
        if method == "sign_in":
            command(counter_id, username)
        else:
            command(counter_id)
        return _counter_out(hub, counter_id)

    return await hub.core.run(run)


async def call_ticket(call: Call) -> m.CounterOut:
    """Call a particular waiting ticket (a booked citizen, say) to the counter."""
    _counter_centre(call)
    hub, counter_id = call.hub, call.params["counter_id"]
    body: m.CallRequest = call.body

    def run() -> m.CounterOut:
        hub.fd.queues.call(counter_id, body.ticket_id)
        return _counter_out(hub, counter_id)

    return await hub.core.run(run)


async def list_waiting(call: Call) -> list[m.TicketOut]:
    """The tickets waiting in a queue."""
    queue_id = call.params["queue_id"]
    _queue_centre(call, queue_id)
    tickets = await call.hub.core.run(call.hub.fd.queues.waiting, queue_id)
    return [ticket_out(t) for t in tickets]


async def cancel_ticket(call: Call) -> m.TicketOut:
    """Cancel an open ticket of a centre the user works at."""
    hub, ticket_id = call.hub, call.params["ticket_id"]

    def run() -> m.TicketOut:
        ticket = hub.fd.queues.ticket(ticket_id)
        call.centre_ok(ticket.centre_id)
        return ticket_out(hub.fd.queues.cancel(ticket_id))

    return await hub.core.run(run)


async def set_counter_open(call: Call) -> m.CounterOut:
    """Open or close a counter (managers)."""
    _counter_centre(call)
    hub, counter_id = call.hub, call.params["counter_id"]
    body: m.OpenRequest = call.body

    def run() -> m.CounterOut:
        if body.open:
            hub.fd.queues.open_counter(counter_id)
        else:
            hub.fd.queues.close_counter(counter_id)
        return _counter_out(hub, counter_id)

    return await hub.core.run(run)


async def assign_queues(call: Call) -> m.CounterOut:
    """Move a counter to other queues (managers)."""
    _counter_centre(call)
    hub, counter_id = call.hub, call.params["counter_id"]
    body: m.AssignQueues = call.body

    def run() -> m.CounterOut:
        hub.fd.queues.assign_queues(counter_id, body.queue_ids)
        return _counter_out(hub, counter_id)

    return await hub.core.run(run)


def _queue_centre(call: Call, queue_id: str) -> str:
    try:
        centre = call.hub.fd.config.centre_of_queue(queue_id)
    except KeyError:
        raise NotFoundError(f"no queue '{queue_id}'") from None
    call.centre_ok(centre.id)
    return centre.id


async def issue_ticket(call: Call) -> m.TicketOut:
    """Issue a ticket at the desk."""
    queue_id = call.params["queue_id"]
    _queue_centre(call, queue_id)
    body: m.IssueRequest = call.body
    ticket = await call.hub.core.run(
        call.hub.fd.queues.issue,
        queue_id,
        service_id=body.service_id,
        priority=body.priority,
        note=body.note,
        language=body.language,
    )
    return ticket_out(ticket)


async def transfer_ticket(call: Call) -> m.TicketOut:
    """Move a ticket to another queue."""
    body: m.TransferRequest = call.body
    _queue_centre(call, body.queue_id)
    hub, ticket_id = call.hub, call.params["ticket_id"]

    def run() -> m.TicketOut:
        call.centre_ok(hub.fd.queues.ticket(ticket_id).centre_id)
        return ticket_out(hub.fd.queues.transfer(ticket_id, body.queue_id))

    return await hub.core.run(run)


async def get_status(call: Call) -> m.StatusOut:
    """Queues, counters, today's figures and open device faults of a centre."""
    centre_id = call.params["centre_id"]
    call.centre_ok(centre_id)
    hub = call.hub
    payload = await hub.core.run(hub.staff_status, centre_id)
    payload["faults"] = [{k: str(v) for k, v in f.items()} for f in payload["faults"]]
    payload["counters"] = [
        {k: c.get(k) for k in m.CounterStateOut.model_fields} for c in payload["counters"]
    ]
    return m.StatusOut.model_validate(payload)


async def set_info(call: Call) -> m.InfoOut:
    """Change the info pane's text (managers)."""
    centre_id = call.params["centre_id"]
    call.centre_ok(centre_id)
    body: m.InfoRequest = call.body
    hub = call.hub
    assert call.user is not None  # the role check ran before
    text = await hub.core.run(hub.state.set_info, centre_id, body.text, by=call.user.ref)
    hub.changed(centre_id)
    return m.InfoOut(centre_id=centre_id, text=text)


def _absence_out(absence: Absence) -> m.AbsenceOut:
    return m.AbsenceOut(
        id=absence.id,
        counter_id=absence.counter_id,
        centre_id=absence.centre_id,
        start=absence.start.isoformat(),
        end=absence.end.isoformat(),
        reason=absence.reason.value,
    )


def _booking_ref(booking: Booking) -> m.BookingRefOut:
    return m.BookingRefOut(
        code=booking.code,
        service_id=booking.service_id,
        start=booking.start.isoformat(),
        counter_id=booking.counter_id,
    )


async def add_absence(call: Call) -> m.AbsenceResultOut:
    """Record that a counter takes no bookings for a while (managers)."""
    _counter_centre(call)
    body: m.AbsenceRequest = call.body
    start, end = moment(body.start, "start"), moment(body.end, "end")
    result = await call.hub.core.run(
        call.hub.fd.booking.add_absence,
        call.params["counter_id"],
        start,
        end,
        reason=body.reason,
        cancel_unplaced=body.cancel_unplaced,
    )
    return m.AbsenceResultOut(
        absence=_absence_out(result.absence),
        moved=[_booking_ref(b) for b in result.moved],
        unplaced=[_booking_ref(b) for b in result.unplaced],
        cancelled=result.cancelled,
    )


async def list_absences(call: Call) -> list[m.AbsenceOut]:
    """The absences recorded for a centre's counters (managers)."""
    centre_id = call.params["centre_id"]
    call.centre_ok(centre_id)
    found = await call.hub.core.run(call.hub.fd.booking.absences)
    return [_absence_out(a) for a in found if a.centre_id == centre_id]


async def withdraw_absence(call: Call) -> m.AbsenceOut:
    """The employee is back: the counter takes bookings again (managers)."""
    hub, absence_id = call.hub, call.params["absence_id"]

    def run() -> m.AbsenceOut:
        known = {a.id: a for a in hub.fd.booking.absences()}
        if absence_id not in known:
            raise NotFoundError(f"no absence '{absence_id}' is recorded")
        call.centre_ok(known[absence_id].centre_id)
        return _absence_out(hub.fd.booking.withdraw_absence(absence_id))

    return await hub.core.run(run)


async def check_in(call: Call) -> m.CheckInOut:
    """Check in a booked citizen by the code in their confirmation."""
    body: m.CheckInRequest = call.body
    result = await call.hub.core.run(call.hub.fd.booking.check_in, body.code)
    return m.CheckInOut(
        action=str(result.action),
        number=result.ticket.number if result.ticket else None,
        where=result.where,
        appointment=result.booking.start.isoformat(),
    )


CENTRE = Param("centre_id")
COUNTER = Param("counter_id")
QUEUE = Param("queue_id")
TICKET = Param("ticket_id", {"type": "string", "pattern": "^[A-Za-z0-9_.:-]{1,80}$"})
ACTION = Param("action", {"type": "string", "enum": list(COUNTER_ACTIONS)})
ABSENCE = Param("absence_id", {"type": "string", "pattern": "^ab-[0-9a-f]{12}$"})

OPERATIONS: list[Operation] = [
    Operation(
        "GET",
        "/centres",
        "listCentres",
        "Centres, queues, counters and kiosks",
        list_centres,
        m.CentreOut,
        response_list=True,
    ),
    Operation(
        "GET",
        "/centres/{centre_id}/screen",
        "getScreen",
        "What the info screens show",
        get_screen,
        m.ScreenOut,
        params=[CENTRE],
    ),
    Operation(
        "GET",
        "/tickets/{ticket_id}",
        "getTicket",
        "A ticket's place in its queue",
        get_ticket,
        m.PublicTicket,
        params=[TICKET],
    ),
    Operation(
        "POST",
        "/check-in",
        "checkIn",
        "Check in a booked citizen",
        check_in,
        m.CheckInOut,
        body=m.CheckInRequest,
        errors=[404, 409],
    ),
    Operation(
        "POST",
        "/token",
        "issueToken",
        "A bearer token for staff",
        issue_token,
        m.TokenOut,
        body=m.TokenRequest,
        errors=[401, 429],
    ),
    Operation(
        "GET",
        "/centres/{centre_id}/status",
        "getStatus",
        "Live status and figures",
        get_status,
        m.StatusOut,
        role="employee",
        params=[CENTRE],
    ),
    Operation(
        "PUT",
        "/centres/{centre_id}/info",
        "setInfo",
        "Change the info pane's text",
        set_info,
        m.InfoOut,
        body=m.InfoRequest,
        role="manager",
        params=[CENTRE],
    ),
    Operation(
        "GET",
        "/counters/{counter_id}",
        "getCounter",
        "A counter and its ticket",
        get_counter,
        m.CounterOut,
        role="employee",
        params=[COUNTER],
    ),
    # Before the templated action below: a literal path segment wins.
    Operation(
        "POST",
        "/counters/{counter_id}/call",
        "callTicket",
        "Call a particular waiting ticket to the counter",
        call_ticket,
        m.CounterOut,
        body=m.CallRequest,
        role="employee",
        params=[COUNTER],
        errors=[409],
    ),
    Operation(
        "GET",
        "/queues/{queue_id}/waiting",
        "listWaiting",
        "The tickets waiting in a queue, in the order they joined it",
        list_waiting,
        m.TicketOut,
        response_list=True,
        role="employee",
        params=[QUEUE],
    ),
    Operation(
        "POST",
        "/tickets/{ticket_id}/cancel",
        "cancelTicket",
        "Cancel an open ticket (the citizen left)",
        cancel_ticket,
        m.TicketOut,
        role="employee",
        params=[TICKET],
        errors=[409],
    ),
    # Before "/counters/{counter_id}/{action}": routes are matched in this order.
    Operation(
        "POST",
        "/counters/{counter_id}/absences",
        "addAbsence",
        "Record that a counter takes no bookings for a while; its bookings move",
        add_absence,
        m.AbsenceResultOut,
        body=m.AbsenceRequest,
        role="manager",
        params=[COUNTER],
        errors=[409],
        status=201,
    ),
    Operation(
        "GET",
        "/centres/{centre_id}/absences",
        "listAbsences",
        "The absences recorded for a centre's counters",
        list_absences,
        m.AbsenceOut,
        response_list=True,
        role="manager",
        params=[CENTRE],
    ),
    Operation(
        "DELETE",
        "/absences/{absence_id}",
        "withdrawAbsence",
        "Withdraw an absence: the counter takes bookings again",
        withdraw_absence,
        m.AbsenceOut,
        role="manager",
        params=[ABSENCE],
    ),
    Operation(
        "POST",
        "/counters/{counter_id}/{action}",
        "counterAction",
        "Sign in/out, pause, resume, call next, recall, start, finish, no-show, put back",
        counter_action,
        m.CounterOut,
        role="employee",
        params=[COUNTER, ACTION],
        errors=[409, 422],
    ),
    Operation(
        "PUT",
        "/counters/{counter_id}/open",
        "setCounterOpen",
        "Open or close a counter",
        set_counter_open,
        m.CounterOut,
        body=m.OpenRequest,
        role="manager",
        params=[COUNTER],
        errors=[409],
    ),
    Operation(
        "PUT",
        "/counters/{counter_id}/queues",
        "assignQueues",
        "Move a counter to other queues",
        assign_queues,
        m.CounterOut,
        body=m.AssignQueues,
        role="manager",
        params=[COUNTER],
        errors=[409],
    ),
    Operation(
        "POST",
        "/queues/{queue_id}/tickets",
        "issueTicket",
        "Issue a ticket at the desk",
        issue_ticket,
        m.TicketOut,
        body=m.IssueRequest,
        role="employee",
        params=[QUEUE],
        errors=[409],
        status=201,
    ),
    Operation(
        "POST",
        "/tickets/{ticket_id}/transfer",
        "transferTicket",
        "Move a ticket to another queue",
        transfer_ticket,
        m.TicketOut,
        body=m.TransferRequest,
        role="employee",
        params=[TICKET],
        errors=[409],
    ),
    *kiosk_api.OPERATIONS,
    *booking_api.OPERATIONS,
]


async def openapi_json(request: Request) -> Response:
    """The OpenAPI description of this API."""
    document = openapi(OPERATIONS, title="frontdesk", version="1", prefix=PREFIX)
    return JSONResponse(document)


def routes() -> list[BaseRoute]:
    """The API's routes (mounted under ``/api/v1``)."""
    out: list[BaseRoute] = [Route("/openapi.json", openapi_json, methods=["GET"])]
    by_path: dict[str, list[Operation]] = {}
    for op in OPERATIONS:
        by_path.setdefault(op.path, []).append(op)
    for path, ops in by_path.items():
        handlers = {op.method: endpoint(op) for op in ops}

        async def dispatch(request: Request, handlers: dict[str, Any] = handlers) -> Response:
            method = "GET" if request.method == "HEAD" else request.method
            handler = handlers.get(method)
            if handler is None:
                return problem(405, "method not allowed")
            response: Response = await handler(request)
            return response

        out.append(Route(path, dispatch, methods=list(handlers)))

    return out
