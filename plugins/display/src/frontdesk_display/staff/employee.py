"""Signing in and out, and the employee dashboard at a counter."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from frontdesk_core.api import (
    BookingState,
    Centre,
    Counter,
    Frontdesk,
    FrontdeskError,
    NotFoundError,
    text_in,
)
from frontdesk_display.auth import (
    Authenticator,
    AuthError,
    Staff,
    check_csrf,
    require,
    still_signed_in,
)
from frontdesk_display.common.pages import (
    LANGUAGE_KEY,
    denied,
    flash_error,
    flash_text,
    not_found,
    redirect,
    render,
    words_of,
)
from frontdesk_display.common.views import counter_view, ticket_view
from frontdesk_display.guesses import client_address
from frontdesk_display.hub import Hub, staff_topic
from frontdesk_display.i18n import N_, Words
from frontdesk_display.live.broadcast import Message
from frontdesk_display.live.sse import event_stream

COUNTER_KEY = "counter"
ACTIONS = ("call_next", "recall", "start", "finish", "no_show", "put_back", "pause", "resume")


def find_counter(hub: Hub, counter_id: str) -> tuple[Centre, Counter] | None:
    """The centre and counter with this id."""
    for centre in hub.fd.config.centres:
        for counter in centre.counters:
            if counter.id == counter_id:
                return centre, counter
    return None


def _safe_next(value: Any) -> str:
    """Only local paths: never send a signed-in user to another site."""
    if isinstance(value, str) and value.startswith("/") and not value.startswith("//"):
        return value
    return "/staff"


async def login_page(request: Request) -> Response:
    """The sign-in form."""
    return render(request, "login.html", {"next": _safe_next(request.query_params.get("next"))})


async def login(request: Request) -> Response:
    """Check the password and start a session."""
    auth: Authenticator = request.app.state.auth
    try:
        await check_csrf(request)
    except AuthError as exc:
        flash_text(request, exc.message)
        return RedirectResponse(request.url_for("login"), status_code=303)
    form = await request.form()
    username, password = form.get("username"), form.get("password")
    target = _safe_next(form.get("next"))
    hub: Hub = request.app.state.hub
    user = None
    address = client_address(request)
    try:
        if isinstance(username, str) and isinstance(password, str):
            user = await hub.core.run(auth.check_password, username.strip(), password, address)
    except AuthError as exc:
        flash_text(request, exc.message)
        return render(request, "login.html", {"next": target}, status_code=exc.status)
    if user is None:
        flash_text(request, N_("Wrong username or password."))
        return render(request, "login.html", {"next": target}, status_code=401)
    chosen = request.session.get(LANGUAGE_KEY)
    session_id = await hub.core.run(auth.sessions.start, user.ref or user.username)
    auth.sign_in(request, user, session_id)
    if chosen is not None:  # a language chosen on the sign-in page stays chosen
        request.session[LANGUAGE_KEY] = chosen
    if user.role == "manager" and target == "/staff":
        target = "/manager"
    return RedirectResponse(target, status_code=303)


async def logout(request: Request) -> Response:
    """End the session (and leave the counter)."""
    try:
        await check_csrf(request)
    except AuthError as exc:
        return denied(request, exc)
    counter_id = request.session.get(COUNTER_KEY)
    session_id = request.session.get("sid")
    hub: Hub = request.app.state.hub
    auth: Authenticator = request.app.state.auth
    if isinstance(counter_id, str):
        # Already signed out or closed: leaving is what was wanted.
        with contextlib.suppress(FrontdeskError):
            await hub.core.run(hub.fd.queues.sign_out, counter_id)
    if isinstance(session_id, str):
        # Ended in the log, so a copy of the cookie opens nothing (on any server).
        await hub.core.run(auth.sessions.end, session_id)
    request.session.clear()
    return redirect(request, "login")


@require("employee", on_denied=denied)
async def dashboard(request: Request, user: Staff) -> Response:
    """Choose a counter, or work at the chosen one."""
    hub: Hub = request.app.state.hub
    counter_id = request.session.get(COUNTER_KEY)
    found = find_counter(hub, counter_id) if isinstance(counter_id, str) else None
    if found is None:
        centres = [c for c in hub.fd.config.centres if user.works_at(c.id) and c.counters]
        return render(request, "choose_counter.html", {"centres": centres})
    centre, counter = found
    words = words_of(request)
    language = words.language

    def read() -> dict[str, Any]:
        serving = hub.fd.queues.serving(counter.id)
        return {
            "serving": ticket_view(hub.fd, serving, language) if serving else None,
            "status": hub.staff_status(centre.id),
            "phone": phone_meetings(hub.fd, centre.id, counter.id, language),
        }

    data = await hub.core.run(read)
    if data["serving"] and data["serving"].get("appointment_at"):
        booked = datetime.fromisoformat(data["serving"]["appointment_at"])
        data["serving"]["appointment_time"] = words.time(booked)
    mine: dict[str, Any] = next(
        (c for c in data["status"]["counters"] if c["id"] == counter.id), {}
    )
    queues = [{"id": q.id, "name": text_in(q.name, language, "da")} for q in centre.queues]
    return render(
        request,
        "employee.html",
        {
            "centre": centre,
            "counter": counter_view(counter, language),
            "serving": data["serving"],
            "status": data["status"],
            "queues": queues,
            "mine": {"ticket_id": mine.get("ticket_id"), "status": mine.get("status")},
            "phone_due": data["phone"]["due"],
            "phone_next_in": data["phone"]["next_in"],
            "tz": str(hub.fd.tz),
        },
    )


def phone_meetings(fd: Frontdesk, centre_id: str, counter_id: str, language: str) -> dict[str, Any]:
    """The phone meetings of a counter whose time has come (with the number to call: this
    page is the employee's own), and the seconds until the next one comes due."""
    now = fd.clock.now()
    due = [
        {
            "code": m.booking.code,
            "time": Words(language, fd.tz).time(m.booking.start),
            "service": text_in(fd.config.service(m.booking.service_id).name, language, language),
            "phone": m.phone,
            "name": m.name,
        }
        for m in fd.booking.phone_meetings_due(now, counter_id=counter_id)
    ]
    later = [
        b.start
        for b in fd.booking.bookings_on(now.astimezone(fd.tz).date(), centre_id=centre_id)
        if b.channel == "phone"
        and b.counter_id == counter_id
        and b.state == BookingState.BOOKED
        and b.start > now
    ]
    next_in = (min(later) - now).total_seconds() if later else None
    return {"due": due, "next_in": next_in}


@require("employee", on_denied=denied)
async def phone_done(request: Request, user: Staff) -> Response:
    """The employee ended a phone meeting: reached (done) or no answer (a no-show)."""
    hub: Hub = request.app.state.hub
    counter_id = request.session.get(COUNTER_KEY)
    form = await request.form()
    code, outcome = form.get("code"), form.get("outcome")
    if (
        not isinstance(counter_id, str)
        or not isinstance(code, str)
        or outcome
        not in (
            "reached",
            "no_answer",
        )
    ):
        flash_text(request, N_("Choose a phone meeting of your counter."))
        return redirect(request, "staff")

    def finish() -> None:
        mine = {m.booking.code for m in hub.fd.booking.phone_meetings_due(counter_id=counter_id)}
        if code not in mine:
            raise NotFoundError(
                "that phone meeting is not one of this counter's", code="phone_meeting.not_yours"
            )
        hub.fd.booking.finish_phone_meeting(code, reached=outcome == "reached")

    try:
        await hub.core.run(finish)
    except FrontdeskError as exc:
        flash_error(request, exc)
    return redirect(request, "staff")


@require("employee", on_denied=denied)
async def choose_counter(request: Request, user: Staff) -> Response:
    """Sign in at a counter."""
    hub: Hub = request.app.state.hub
    form = await request.form()
    counter_id = form.get("counter")
    found = find_counter(hub, counter_id) if isinstance(counter_id, str) else None
    if found is None or not user.works_at(found[0].id):
        flash_text(request, N_("Choose one of the counters listed."))
        return redirect(request, "staff")
    try:
        await hub.core.run(hub.fd.queues.sign_in, found[1].id, user.ref)
    except FrontdeskError as exc:
        flash_error(request, exc)
        return redirect(request, "staff")
    request.session[COUNTER_KEY] = found[1].id
    return redirect(request, "staff")


@require("employee", on_denied=denied)
async def leave_counter(request: Request, user: Staff) -> Response:
    """Sign out of the counter (the session stays)."""
    hub: Hub = request.app.state.hub
    counter_id = request.session.pop(COUNTER_KEY, None)
    if isinstance(counter_id, str):
        try:
            await hub.core.run(hub.fd.queues.sign_out, counter_id)
        except FrontdeskError as exc:
            flash_error(request, exc)
    return redirect(request, "staff")


@require("employee", on_denied=denied)
async def counter_action(request: Request, user: Staff) -> Response:
    """Call next, recall, start, finish, no-show, put back, pause, resume or transfer."""
    hub: Hub = request.app.state.hub
    action = request.path_params["action"]
    counter_id = request.session.get(COUNTER_KEY)
    if not isinstance(counter_id, str):
        flash_text(request, N_("Sign in at a counter first."))
        return redirect(request, "staff")
    queues = hub.fd.queues
    try:
        if action in ACTIONS:
            result = await hub.core.run(getattr(queues, action), counter_id)
            if action == "call_next" and result is None:
                flash_text(request, N_("Nobody is waiting for this counter."), "info")
        elif action == "transfer":
            form = await request.form()
            queue_id = form.get("queue")
            serving = await hub.core.run(queues.serving, counter_id)
            if serving is None or not isinstance(queue_id, str):
                flash_text(request, N_("There is no citizen at the counter to transfer."))
            else:
                await hub.core.run(queues.transfer, serving.id, queue_id)
        else:
            flash_text(request, N_("Unknown action."))
    except FrontdeskError as exc:
        flash_error(request, exc)
    return redirect(request, "staff")


@require("employee", on_denied=denied)
async def staff_events(request: Request, user: Staff) -> Response:
    """The live stream of a centre's dashboards: status, check-ins and faults."""
    hub: Hub = request.app.state.hub
    centre_id = request.path_params["centre_id"]
    if centre_id not in hub.centre_ids() or not user.works_at(centre_id):
        return not_found(request, N_("There is no such centre."))

    async def initial() -> list[Message]:
        payload = await hub.core.run(hub.staff_status, centre_id)
        return [Message.of("status", payload)]

    return event_stream(
        hub.broadcaster, staff_topic(centre_id), initial, allowed=still_signed_in(request)
    )


def routes() -> list[BaseRoute]:
    """The routes of this module."""
    return [
        Route("/login", login_page, name="login", methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, name="logout", methods=["POST"]),
        Route("/staff", dashboard, name="staff", methods=["GET"]),
        Route("/staff/counter", choose_counter, name="choose_counter", methods=["POST"]),
        Route("/staff/leave", leave_counter, name="leave_counter", methods=["POST"]),
        Route("/staff/do/{action}", counter_action, name="counter_action", methods=["POST"]),
        Route("/staff/phone", phone_done, name="phone_done", methods=["POST"]),
        Route("/events/staff/{centre_id}", staff_events, name="staff_events"),
    ]
