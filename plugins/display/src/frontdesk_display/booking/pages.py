"""Booking from home: choose a service and a free time, get a code; find and cancel it.

Plain forms that work without JavaScript and with a screen reader, in the site's
languages. The phone number (for the SMS confirmation and reminders) and the name
go to the booking engine, which keeps them until retention; the pages never show
them again. Wrong booking codes are counted per address, as in the JSON API.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from frontdesk_core.api import Booking, Centre, Contact, FrontdeskError, Service, text_in
from frontdesk_display.auth import AuthError, check_csrf
from frontdesk_display.common.pages import flash, not_found, render
from frontdesk_display.common.texts import LANGUAGE_NAMES, booking_texts_for
from frontdesk_display.guesses import CodeTries, TooManyGuesses
from frontdesk_display.hub import Hub

LOOK_AHEAD = 45
"""How many days ahead the first free day is looked for."""
DONE_KEY = "booked"
"""Where the session keeps the code of the booking just made, for the confirmation page."""
MOVING_KEY = "moving"
"""Where the session keeps the code of a booking being moved to another time."""


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
    languages = _hub(request).fd.config.site.languages
    return {
        "lang": language,
        "w": booking_texts_for(language),
        "languages": [(code, LANGUAGE_NAMES.get(code, code)) for code in languages],
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
        return not_found(request, "There is no such centre.")
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
    centre = _centre(request)
    hub = _hub(request)
    wanted = request.path_params["service_id"]
    service = (
        next((s for s in _bookable(request, centre) if s.id == wanted), None) if centre else None
    )
    if centre is None or service is None:
        return not_found(request, "There is no such service to book here.")
    language = _language(request)
    channels = service.booking.channels if service.booking is not None else ["in_person"]
    channel = request.query_params.get("channel", "in_person")
    if channel not in channels:
        channel = "in_person"
    today = hub.fd.clock.now().astimezone(hub.fd.tz).date()
    try:
        day = date.fromisoformat(request.query_params["day"])
    except (KeyError, ValueError):
        day = await hub.core.run(_first_free_day, hub, service.id, today)
    slots = await hub.core.run(
        lambda: hub.fd.booking.free_slots(service.id, day, day, channel=channel)
    )
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
            slots=[{"start": s.start.isoformat(), "label": f"{s.start:%H:%M}"} for s in slots],
            channel=channel,
            channels=channels,
            moving=_moving(request, service.id),
        ),
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
        return not_found(request, "There is no such centre.")
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
    channel = form.get("channel") if form.get("channel") in ("in_person", "phone") else "in_person"
    if not isinstance(start, str) or not start:
        flash(request, booking_texts_for(language)["choose_time"])
        return RedirectResponse(back, status_code=303)
    moving = _moving(request, service_id)
    try:
        when = datetime.fromisoformat(start)
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
            channel=str(channel),
            language=language,
        )
    except ValueError:
        flash(request, booking_texts_for(language)["choose_time"])
        return RedirectResponse(back, status_code=303)
    except FrontdeskError as exc:
        flash(request, str(exc))
        return RedirectResponse(f"{back}&day={start[:10]}", status_code=303)
    request.session[DONE_KEY] = booking.code
    return RedirectResponse(f"/booking/done?lang={language}", status_code=303)


def _booking_view(request: Request, booking: Booking, language: str) -> dict[str, Any]:
    config = _hub(request).fd.config
    service = config.service(booking.service_id)
    w = booking_texts_for(language)
    return {
        "code": booking.code,
        "service": text_in(service.name, language, "da"),
        "when": f"{booking.start:%d-%m-%Y %H:%M}",
        "by_phone": booking.channel == "phone",
        "state": w.get(f"state_{booking.state.value}", booking.state.value),
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


async def manage(request: Request) -> Response:
    """Find a booking by its code; cancel it, or choose another time for it."""
    hub = _hub(request)
    language = _language(request)
    found = None
    if request.method == "POST":
        try:
            await check_csrf(request)
        except AuthError as exc:
            flash(request, exc.message)
            return RedirectResponse(f"/booking?lang={language}", status_code=303)
        form = await request.form()
        code = form.get("code")
        tries = CodeTries.of(request)
        if isinstance(code, str) and code.strip():
            try:
                tries.check()
                typed = code.strip()
                booking = await hub.core.run(tries.attempt, lambda: hub.fd.booking.find(typed))
                if form.get("do") == "cancel":
                    booking = await hub.core.run(hub.fd.booking.cancel, booking.code)
                    flash(request, booking_texts_for(language)["cancelled"], "info")
                elif form.get("do") == "move" and booking.state.value == "booked":
                    request.session[MOVING_KEY] = [booking.code, booking.service_id]
                    target = f"/book/{booking.centre_id}/{booking.service_id}"
                    return RedirectResponse(
                        f"{target}?lang={language}&channel={booking.channel}", status_code=303
                    )
                found = _booking_view(request, booking, language)
            except TooManyGuesses as exc:
                flash(request, booking_texts_for(language)["too_many"])
                response = render(
                    request,
                    "book_manage.html",
                    _context(request, language, booking=None),
                    status_code=429,
                )
                response.headers["Retry-After"] = str(exc.retry_after)
                return response
            except FrontdeskError as exc:
                flash(request, str(exc))
        if found is None:
            return RedirectResponse(f"/booking?lang={language}", status_code=303)
    return render(request, "book_manage.html", _context(request, language, booking=found))


def routes() -> list[BaseRoute]:
    """The routes of this module."""
    return [
        # Finding and confirming live under /booking, apart from /book/<centre>/<service>,
        # so no centre or service id can ever shadow them.
        Route("/booking", manage, name="book_manage", methods=["GET", "POST"]),
        Route("/booking/done", done, methods=["GET"]),
        Route("/book/{centre_id}", services, name="book", methods=["GET"]),
        Route("/book/{centre_id}/{service_id}", times, methods=["GET"]),
        Route("/book/{centre_id}/{service_id}", book, methods=["POST"]),
    ]
