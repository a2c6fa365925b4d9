"""The manager dashboard: live status and figures, counters, absences, faults and the
info pane."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from frontdesk_core.api import (
    AbsenceReason,
    AbsenceResult,
    Centre,
    FrontdeskError,
    forecaster,
    text_in,
)
from frontdesk_display.auth import Authenticator, Staff, require
from frontdesk_display.common.pages import (
    denied,
    flash,
    flash_error,
    flash_text,
    not_found,
    redirect,
    render,
    words_of,
)
from frontdesk_display.common.views import counter_view
from frontdesk_display.hub import Hub
from frontdesk_display.i18n import N_, Words, translations
from frontdesk_display.i18n.labels import COUNTER_STATES, FAULT_KINDS
from frontdesk_display.settings import User
from frontdesk_display.staff.why import why_texts


def _centre(request: Request, user: Staff, centre_id: str | None) -> Centre | None:
    hub: Hub = request.app.state.hub
    allowed = [c for c in hub.fd.config.centres if user.works_at(c.id)]
    if centre_id is None:
        return allowed[0] if allowed else None
    return next((c for c in allowed if c.id == centre_id), None)


def _back(request: Request, centre: Centre) -> Response:
    response = redirect(request, "manager")
    response.headers["location"] += f"?centre={centre.id}"
    return response


@require("manager", on_denied=denied)
async def dashboard(request: Request, user: Staff) -> Response:
    """Queues, counters, figures, faults and the info pane of one centre."""
    hub: Hub = request.app.state.hub
    centre = _centre(request, user, request.query_params.get("centre"))
    if centre is None:
        return not_found(request, N_("There is no such centre."))
    words = words_of(request)
    language = words.language
    status = await hub.core.run(hub.staff_status, centre.id)
    faults = [{**f, "at_time": datetime.fromisoformat(f["at"])} for f in status["faults"]]
    status = {**status, "faults": faults}
    info = await hub.core.run(hub.state.info, centre.id)
    now = hub.fd.clock.now()
    absences = [
        a
        for a in await hub.core.run(hub.fd.booking.absences)
        if a.centre_id == centre.id and a.end > now
    ]
    return render(
        request,
        "manager.html",
        {
            "centre": centre,
            "centres": [c for c in hub.fd.config.centres if user.works_at(c.id)],
            "status": status,
            "info": info,
            "counters": [counter_view(c, language) for c in centre.counters],
            "queues": [{"id": q.id, "name": text_in(q.name, language)} for q in centre.queues],
            "absences": absences,
            "reasons": [r.value for r in AbsenceReason],
            "counter_names": {c.id: text_in(c.name, language) for c in centre.counters},
            "states": {k: words.gettext(v) for k, v in COUNTER_STATES.items()},
            "faults": {k: words.gettext(v) for k, v in FAULT_KINDS.items()},
            **advice_view(hub, centre, language),
            "staff_users": _users_at(hub, centre.id),
        },
    )


ADVICE_TEXTS = {
    "title": N_("Staffing for the rest of the day"),
    "none": N_("No advice yet: it needs site.forecast.method: simulation and a little time."),
    "made": N_("Worked out at"),
}
"""The staffing advice's headings (the sentences come from the core, in da or en)."""


def advice_view(hub: Hub, centre: Centre, language: str) -> dict[str, Any]:
    """The latest staffing advice for ``centre`` in words, in ``language`` (da or en)."""
    language = language if language in ("da", "en") else "da"
    said = translations(language).gettext
    words = {name: said(message) for name, message in ADVICE_TEXTS.items()}
    advice = forecaster(hub.fd).advice()
    own = {q.id for q in centre.queues}
    sentences: list[str] = []
    made = None
    if advice is not None and own & set(advice.baseline):
        sentences = advice.sentences(hub.fd.config, language)
        made = f"{advice.made_at.astimezone(hub.fd.tz):%H.%M}"
    return {
        "why_title": why_texts(language)["title"],
        "advice": sentences,
        "advice_made": made,
        "advice_texts": words,
        "advice_language": language,
    }


def _users_at(hub: Hub, centre_id: str) -> list[User]:
    """The staff users who work at a centre (every centre, when not limited)."""
    return [u for u in hub.settings.users if u.centres is None or centre_id in u.centres]


@require("manager", on_denied=denied)
async def sign_out_everywhere(request: Request, user: Staff) -> Response:
    """End every session of a user at once: their browsers and their API tokens."""
    hub: Hub = request.app.state.hub
    auth: Authenticator = request.app.state.auth
    centre = _centre(request, user, request.path_params["centre_id"])
    if centre is None:
        return not_found(request, "There is no such centre.")
    form = await request.form()
    chosen = next((u for u in _users_at(hub, centre.id) if u.username == form.get("user")), None)
    if chosen is None:
        flash_text(request, N_("Choose one of the users listed."))
    else:
        await hub.core.run(auth.sessions.end_all, chosen.ref or chosen.username, by=user.ref)
        words = words_of(request)
        said = words.gettext(
            N_("%(name)s is signed out everywhere."), name=chosen.name or chosen.username
        )
        flash(request, said, "info")
    return _back(request, centre)


async def _command(request: Request, user: Staff, run: Any, *args: Any) -> Response:
    hub: Hub = request.app.state.hub
    centre = _centre(request, user, request.path_params["centre_id"])
    if centre is None:
        return not_found(request, N_("There is no such centre."))
    try:
        await hub.core.run(run, *args)
    except FrontdeskError as exc:
        flash_error(request, exc)
    hub.changed(centre.id)
    return _back(request, centre)


@require("manager", on_denied=denied)
async def open_counter(request: Request, user: Staff) -> Response:
    """Open a counter."""
    hub: Hub = request.app.state.hub
    return await _command(
        request, user, hub.fd.queues.open_counter, request.path_params["counter_id"]
    )


@require("manager", on_denied=denied)
async def close_counter(request: Request, user: Staff) -> Response:
    """Close a counter."""
    hub: Hub = request.app.state.hub
    return await _command(
        request, user, hub.fd.queues.close_counter, request.path_params["counter_id"]
    )


@require("manager", on_denied=denied)
async def assign_queues(request: Request, user: Staff) -> Response:
    """Move a counter to other queues."""
    hub: Hub = request.app.state.hub
    form = await request.form()
    queue_ids = [q for q in form.getlist("queue") if isinstance(q, str)]
    if not queue_ids:
        flash_text(request, N_("A counter serves at least one queue."))
        centre = _centre(request, user, request.path_params["centre_id"])
        return _back(request, centre) if centre else not_found(request, N_("No such centre."))
    return await _command(
        request, user, hub.fd.queues.assign_queues, request.path_params["counter_id"], queue_ids
    )


@require("manager", on_denied=denied)
async def set_info(request: Request, user: Staff) -> Response:
    """Change the info pane's text."""
    hub: Hub = request.app.state.hub
    form = await request.form()
    text = form.get("text")
    if not isinstance(text, str):
        text = ""
    return await _command(
        request, user, _set_info, hub, request.path_params["centre_id"], text, user.ref
    )


def _set_info(hub: Hub, centre_id: str, text: str, by: str) -> None:
    hub.state.set_info(centre_id, text, by=by)


@require("manager", on_denied=denied)
async def clear_fault(request: Request, user: Staff) -> Response:
    """A fault has been dealt with."""
    hub: Hub = request.app.state.hub
    return await _command(
        request, user, _clear_fault, hub, request.path_params["fault_id"], user.ref
    )


def _clear_fault(hub: Hub, fault_id: str, by: str) -> None:
    hub.state.clear_fault(fault_id, by=by)


def _local(hub: Hub, value: object) -> datetime | None:
    """A ``datetime-local`` form value in the site's timezone (``None`` if it is not one)."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=hub.fd.tz)


def absence_summary(hub: Hub, result: AbsenceResult, words: Words) -> str:
    """What recording an absence did, in a few lines for the manager, in ``words``'s
    language."""
    moved = len(result.moved)
    text = words.ngettext(
        "Absence recorded. %(num)s booking moved to another counter at the same time.",
        "Absence recorded. %(num)s bookings moved to another counter at the same time.",
        moved,
    )
    if result.unplaced:
        listed = ", ".join(
            words.gettext(
                "%(code)s %(when)s (%(service)s)",
                code=b.code,
                when=words.when(b.start),
                service=text_in(hub.fd.config.service(b.service_id).name, words.language, "da"),
            )
            for b in result.unplaced
        )
        if result.cancelled:
            text += " " + words.gettext("Cancelled, and the citizens told: %(list)s.", list=listed)
        else:
            text += " " + words.gettext(
                "No other counter is free for: %(list)s. Contact these citizens.", list=listed
            )
    return text


@require("manager", on_denied=denied)
async def add_absence(request: Request, user: Staff) -> Response:
    """Record that a counter takes no bookings for a while."""
    hub: Hub = request.app.state.hub
    centre = _centre(request, user, request.path_params["centre_id"])
    if centre is None:
        return not_found(request, N_("There is no such centre."))
    form = await request.form()
    counter_id = form.get("counter")
    start, end = _local(hub, form.get("start")), _local(hub, form.get("end"))
    if not isinstance(counter_id, str) or counter_id not in {c.id for c in centre.counters}:
        flash_text(request, N_("Choose one of this centre's counters."))
    elif start is None or end is None:
        flash_text(request, N_("Give the absence's start and end, date and time."))
    else:
        try:
            result = await hub.core.run(
                hub.fd.booking.add_absence,
                counter_id,
                start,
                end,
                reason=str(form.get("reason") or "other"),
                cancel_unplaced=form.get("cancel_unplaced") == "yes",
            )
        except FrontdeskError as exc:
            flash_error(request, exc)
        else:
            flash(request, absence_summary(hub, result, words_of(request)), "info")
    return _back(request, centre)


@require("manager", on_denied=denied)
async def withdraw_absence(request: Request, user: Staff) -> Response:
    """The employee is back: the counter takes bookings again."""
    hub: Hub = request.app.state.hub
    return await _command(
        request, user, hub.fd.booking.withdraw_absence, request.path_params["absence_id"]
    )


def routes() -> list[BaseRoute]:
    """The routes of this module."""
    base = "/manager/{centre_id}"
    return [
        Route("/manager", dashboard, name="manager", methods=["GET"]),
        Route(base + "/counters/{counter_id}/open", open_counter, methods=["POST"]),
        Route(base + "/counters/{counter_id}/close", close_counter, methods=["POST"]),
        Route(base + "/counters/{counter_id}/queues", assign_queues, methods=["POST"]),
        Route(base + "/info", set_info, methods=["POST"]),
        Route(base + "/sign-out-everywhere", sign_out_everywhere, methods=["POST"]),
        Route(base + "/faults/{fault_id}/clear", clear_fault, methods=["POST"]),
        Route(base + "/absences", add_absence, methods=["POST"]),
        Route(base + "/absences/{absence_id}/withdraw", withdraw_absence, methods=["POST"]),
    ]
