"""Booking from home: choose a service and a free time, get a code and a calendar file;
find, move and cancel it (cancelling asks first).

Forms that work without JavaScript and with a screen reader, in the kiosk's design
and the site's languages. The phone number (for the SMS confirmation and reminders)
and the name go to the booking engine, which keeps them until retention; the pages
never show them again, except in the form a citizen is still filling in after a
mistake. Wrong booking codes are counted per address, as in the JSON API.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from frontdesk_core.api import Booking, Centre, Contact, FrontdeskError, Service, text_in
from frontdesk_display.auth import AuthError, check_csrf
from frontdesk_display.booking.api import CodeTries
from frontdesk_display.booking.ics import calendar_file
from frontdesk_display.common.errors import error_text
from frontdesk_display.common.pages import flash, not_found, render, words_of
from frontdesk_display.common.texts import LANGUAGE_NAMES
from frontdesk_display.hub import Hub
from frontdesk_display.i18n import N_
from frontdesk_display.i18n.labels import BOOKING_STATES, label

LOOK_AHEAD = 45
"""How many days ahead the first free day is looked for."""
DONE_KEY = "booked"
"""Where the session keeps the code of the booking just made, for the confirmation page."""
MOVING_KEY = "moving"
"""Where the session keeps the code of a booking being moved to another time."""
CHANNEL_NAMES = {
    "in_person": N_("Meet at the citizen service centre"),
    "phone": N_("Phone meeting (we call you)"),
}


def _hub(request: Request) -> Hub:
    hub: Hub = request.app.state.hub
    return hub


def _language(request: Request) -> str:
    languages = _hub(request).fd.config.site.languages
    wanted = request.query_params.get("lang", "")
    return wanted if wanted in languages else languages[0]


def _centre(request: Request) -> Centre | None:
    centre_id = request.path_params.get("centre_id")
    return next((c for c in _hub(request).fd.config.centres if c.id == centre_id), None)


def _bookable(request: Request, centre: Centre) -> list[Service]:
    queues = {q.id for q in centre.queues}
    return [
        s
        for s in _hub(request).fd.config.services
        if s.queue in queues and s.booking is not None and "in_person" in s.booking.channels
    ]


def _context(request: Request, language: str, **extra: Any) -> dict[str, Any]:
    config = _hub(request).fd.config
    languages = config.site.languages
    first = config.centres[0].id if config.centres else ""
    centre = extra.get("centre")
    home = centre["id"] if isinstance(centre, dict) else first
    return {
        "lang": language,
        "languages": [(code, LANGUAGE_NAMES.get(code, code)) for code in languages],
        "home_url": f"/book/{home}?lang={language}",
        "channel_names": CHANNEL_NAMES,
        "kept": {"start": "", "phone": "", "name": ""},
        **extra,
    }


def _service_view(request: Request, service: Service, language: str) -> dict[str, Any]:
    config = _hub(request).fd.config
    duration = service.booking.duration if service.booking is not None else timedelta(0)
    return {
        "id": service.id,
        "name": text_in(service.name, language, "da"),
        "minutes": int(duration.total_seconds() // 60),
        "bring": [text_in(config.document(d).name, language, "da") for d in service.documents],
    }


async def services(request: Request) -> Response:
    """The bookable services of a centre."""
    centre = _centre(request)
    if centre is None:
        return not_found(request, N_("There is no such centre."))
    language = _language(request)
    return render(
        request,
        "book_services.html",
        _context(
            request,
            language,
            centre={"id": centre.id, "name": text_in(centre.name, language, "da")},
            services=[_service_view(request, s, language) for s in _bookable(request, centre)],
        ),
    )


def _first_free_day(hub: Hub, service_id: str, start: date) -> date:
    for offset in range(LOOK_AHEAD):
        day = start + timedelta(days=offset)
        if hub.fd.booking.free_slots(service_id, day, day):
            return day
    return start


async def times(request: Request) -> Response:
    """The free times of a service on one day, and the form to book one."""
    return await _times(request)


async def _times(
    request: Request,
    *,
    day: date | None = None,
    channel: str | None = None,
    kept: dict[str, str] | None = None,
    error: str | None = None,
) -> Response:
    """The times page; after a mistake (``error``) with what the citizen had filled in."""
    centre = _centre(request)
    hub = _hub(request)
    wanted = request.path_params["service_id"]
    service = (
        next((s for s in _bookable(request, centre) if s.id == wanted), None) if centre else None
    )
    if centre is None or service is None:
        return not_found(request, N_("There is no such service to book here."))
    language = _language(request)
    channels = service.booking.channels if service.booking is not None else ["in_person"]
    channel = channel or request.query_params.get("channel", "in_person")
    if channel not in channels:
        channel = "in_person"
    today = hub.fd.clock.now().astimezone(hub.fd.tz).date()
    if day is None:
        try:
            day = date.fromisoformat(request.query_params["day"])
        except (KeyError, ValueError):
            day = await hub.core.run(_first_free_day, hub, service.id, today)
    shown, chosen = day, channel
    slots = await hub.core.run(
        lambda: hub.fd.booking.free_slots(service.id, shown, shown, channel=chosen)
    )
    words = words_of(request, language)
    if error is not None:
        flashes = [{"kind": "error", "text": error}]
    else:
        flashes = request.session.pop("flash", [])
    return render(
        request,
        "book_times.html",
        _context(
            request,
            language,
            centre={"id": centre.id, "name": text_in(centre.name, language, "da")},
            service=_service_view(request, service, language),
            day=day,
            earlier=(day - timedelta(days=1)) if day > today else None,
            later=day + timedelta(days=1),
            slots=[{"start": s.start.isoformat(), "label": words.time(s.start)} for s in slots],
            channel=channel,
            channels=channels,
            moving=_moving(request, service.id),
            kept=kept or {"start": "", "phone": "", "name": ""},
            flashes=flashes,
        ),
        status_code=422 if error is not None else 200,
    )


def _moving(request: Request, service_id: str) -> str | None:
    """The code of the booking this browser is moving, if it is of ``service_id``."""
    moving = request.session.get(MOVING_KEY)
    if isinstance(moving, list) and len(moving) == 2 and moving[1] == service_id:
        return str(moving[0])
    return None


async def book(request: Request) -> Response:
    """Book the chosen time; the confirmation page shows the code."""
    centre = _centre(request)
    if centre is None:
        return not_found(request, N_("There is no such centre."))
    hub = _hub(request)
    language = _language(request)
    service_id = request.path_params["service_id"]
    back = f"{request.url.path}?lang={language}"
    try:
        await check_csrf(request)
    except AuthError as exc:
        flash(request, exc.message)
        return RedirectResponse(back, status_code=303)
    form = await request.form()
    start, phone, name = form.get("start"), form.get("phone"), form.get("name")
    channel = str(form.get("channel")) if form.get("channel") in ("in_person", "phone") else ""
    kept = {
        "start": start if isinstance(start, str) else "",
        "phone": phone[:20] if isinstance(phone, str) else "",
        "name": name[:100] if isinstance(name, str) else "",
    }
    words = words_of(request, language)
    moving = _moving(request, service_id)
    try:
        when = datetime.fromisoformat(kept["start"])
    except ValueError:
        return await _times(
            request, channel=channel, kept=kept, error=words.gettext(N_("Choose a time."))
        )
    try:
        if moving is not None:
            booking = await hub.core.run(hub.fd.booking.reschedule, moving, when)
            request.session.pop(MOVING_KEY, None)
            request.session[DONE_KEY] = booking.code
            return RedirectResponse(f"/booking/done?lang={language}", status_code=303)
        booking = await hub.core.run(
            hub.fd.booking.book,
            service_id,
            when,
            contact=Contact(
                phone=phone.strip() if isinstance(phone, str) and phone.strip() else None,
                name=name.strip()[:100] if isinstance(name, str) and name.strip() else None,
            ),
            channel=channel or "in_person",
            language=language,
        )
    except FrontdeskError as exc:
        # The form is shown again with what was typed: nothing accepted is lost.
        day = when.astimezone(hub.fd.tz).date()
        return await _times(
            request, day=day, channel=channel, kept=kept, error=error_text(exc, words)
        )
    request.session[DONE_KEY] = booking.code
    return RedirectResponse(f"/booking/done?lang={language}", status_code=303)


def _booking_view(request: Request, booking: Booking, language: str) -> dict[str, Any]:
    config = _hub(request).fd.config
    service = config.service(booking.service_id)
    words = words_of(request, language)
    return {
        "code": booking.code,
        "service": text_in(service.name, language, "da"),
        "when": words.when(booking.start),
        "by_phone": booking.channel == "phone",
        "state": words.gettext(label(BOOKING_STATES, booking.state.value)),
        "state_value": booking.state.value,
        "open": booking.state.value == "booked",
        "bring": [text_in(config.document(d).name, language, "da") for d in service.documents],
        "centre": text_in(config.centre(booking.centre_id).name, language, "da"),
        "address": config.centre(booking.centre_id).address,
    }


async def done(request: Request) -> Response:
    """The booking just made, with its code."""
    hub = _hub(request)
    language = _language(request)
    code = request.session.get(DONE_KEY)
    if not isinstance(code, str):
        return RedirectResponse(f"/booking?lang={language}", status_code=303)
    booking = await hub.core.run(hub.fd.booking.find, code)
    return render(
        request,
        "book_done.html",
        _context(request, language, booking=_booking_view(request, booking, language)),
    )


async def calendar(request: Request) -> Response:
    """The booking as an ``.ics`` file for the citizen's calendar (by its code, which the
    citizen has; unknown codes count towards the pause as on the other pages)."""
    hub = _hub(request)
    language = _language(request)
    tries = CodeTries(request, signed_in=False)
    if not tries.allowed():
        return not_found(request, N_("Too many unknown codes. Wait a minute and try again."))
    try:
        booking = await hub.core.run(tries.find, hub.fd, request.path_params["code"])
    except FrontdeskError:
        return not_found(
            request, N_("No booking has that code. Check the code in your confirmation.")
        )
    words = words_of(request, language)
    body = calendar_file(hub.fd, booking, words)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="booking-{booking.code}.ics"',
            "Cache-Control": "no-store",
        },
    )


async def manage(request: Request) -> Response:
    """Find a booking by its code; cancel it (after asking), or choose another time."""
    hub = _hub(request)
    language = _language(request)
    words = words_of(request, language)
    found = None
    confirm_cancel = False
    if request.method == "POST":
        try:
            await check_csrf(request)
        except AuthError as exc:
            flash(request, exc.message)
            return RedirectResponse(f"/booking?lang={language}", status_code=303)
        form = await request.form()
        code = form.get("code")
        tries = CodeTries(request, signed_in=False)
        if not tries.allowed():
            flash(
                request, words.gettext(N_("Too many unknown codes. Wait a minute and try again."))
            )
        elif isinstance(code, str) and code.strip():
            try:
                booking = await hub.core.run(tries.find, hub.fd, code.strip())
                if form.get("do") == "ask_cancel":
                    confirm_cancel = booking.state.value == "booked"
                elif form.get("do") == "cancel":
                    booking = await hub.core.run(hub.fd.booking.cancel, booking.code)
                    flash(request, words.gettext(N_("The time is cancelled.")), "info")
                elif form.get("do") == "move" and booking.state.value == "booked":
                    request.session[MOVING_KEY] = [booking.code, booking.service_id]
                    target = f"/book/{booking.centre_id}/{booking.service_id}"
                    return RedirectResponse(
                        f"{target}?lang={language}&channel={booking.channel}", status_code=303
                    )
                found = _booking_view(request, booking, language)
            except FrontdeskError as exc:
                flash(request, error_text(exc, words))
        if found is None:
            return RedirectResponse(f"/booking?lang={language}", status_code=303)
    context = _context(request, language, booking=found, confirm_cancel=confirm_cancel)
    return render(request, "book_manage.html", context)


def routes() -> list[BaseRoute]:
    """The routes of this module."""
    return [
        # Finding and confirming live under /booking, apart from /book/<centre>/<service>,
        # so no centre or service id can ever shadow them.
        Route("/booking", manage, name="book_manage", methods=["GET", "POST"]),
        Route("/booking/done", done, methods=["GET"]),
        Route("/booking/{code}.ics", calendar, name="booking_ics", methods=["GET"]),
        Route("/book/{centre_id}", services, name="book", methods=["GET"]),
        Route("/book/{centre_id}/{service_id}", times, methods=["GET"]),
        Route("/book/{centre_id}/{service_id}", book, methods=["POST"]),
    ]
