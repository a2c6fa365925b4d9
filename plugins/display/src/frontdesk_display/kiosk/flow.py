"""A kiosk session's steps and outcome, as plain data for the kiosk page and the API.

Every function here runs on the core's thread, except :func:`finish`, which
prints a ticket on a thread of its own.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import asdict
from datetime import datetime
from typing import Any

from frontdesk_core.api import (
    NO_PRINTER,
    BookTime,
    CommandError,
    Contact,
    Frontdesk,
    KioskResult,
    Referred,
    SentHome,
    text_in,
)
from frontdesk_display.common.jsonable import jsonable


def start(fd: Frontdesk, centre_id: str, language: str) -> Any:
    """A new referral session at a centre."""
    if language not in fd.config.site.languages:
        raise CommandError(
            f"language '{language}' is not one of {', '.join(fd.config.site.languages)}"
        )
    return fd.referral.start(centre_id, language)


def step_of(session: Any) -> dict[str, Any]:
    """The session's current step as JSON-ready data."""
    step = session.step
    data: dict[str, Any] = jsonable(step.as_dict() if hasattr(step, "as_dict") else asdict(step))
    return data


def answer(session: Any, option: str | None, have: list[str] | None) -> None:
    """Answer the current step: an option, or (a checklist) the documents the citizen has."""
    step = session.step
    if step.kind == "checklist":
        session.check(list(have or []))
        return
    if option is None:
        raise CommandError("choose one of the options", code="kiosk.choose_option")
    session.answer(option)


def leave(session: Any, timed_out: bool) -> None:
    """The citizen started again or walked away: record it unless the walk was over."""
    if session.state != "active":
        return
    if timed_out:
        session.timeout()
    else:
        session.abandon()


def needs_code(session: Any) -> bool:
    """Whether the session ended at a check-in, which needs the citizen's code first."""
    outcome = session.outcome
    return outcome is not None and outcome.kind == "check_in"


_PHONE_SEPARATORS = re.compile(r"[\s\-().]")


def looks_like_phone(typed: str) -> bool:
    """Whether what the citizen typed is a mobile number rather than a booking code.

    A code is six letters and digits; a number has at least eight digits, or starts
    with ``+`` or ``00``.
    """
    text = _PHONE_SEPARATORS.sub("", typed)
    if text.startswith("+"):
        text = text[1:]
    return text.isdigit() and (len(text) >= 8 or typed.strip().startswith(("+", "00")))


def complete(fd: Frontdesk, session: Any, kiosk_id: str | None) -> KioskResult:
    """Carry out the outcome (on the core's thread); the ticket is printed by :func:`finish`."""
    return fd.referral.complete(session, kiosk_id=kiosk_id, print_later=True)


def check_in(fd: Frontdesk, session: Any, kiosk_id: str | None, typed: str) -> KioskResult:
    """Check in with what the citizen typed: the code from the confirmation, or the mobile
    number the booking was made with (today's booking, else the next one, which is
    answered with its day and time and changes nothing).

    This is the one place a kiosk looks a booking up by what a citizen typed; an unknown
    code or number raises :class:`NotFoundError`, so a guessing limiter wraps this call.
    """
    typed = typed.strip()
    if not typed or len(typed) > 20:
        raise CommandError(
            "type the code from your confirmation or your mobile number", code="kiosk.code_needed"
        )
    if looks_like_phone(typed):
        return fd.referral.complete(session, kiosk_id=kiosk_id, phone=typed, print_later=True)
    return fd.referral.complete(session, kiosk_id=kiosk_id, booking_code=typed, print_later=True)


async def finish(fd: Frontdesk, result: KioskResult) -> dict[str, Any]:
    """Print the ticket off the core's thread, then what the citizen is shown.

    A printer that is slow or gone (up to its timeout) holds up only this
    citizen's kiosk, not the other kiosks, screens and dashboards.
    """
    if result.print_job is not None:
        result = await asyncio.to_thread(fd.referral.print_ticket, result)
    return result_view(fd, result)


def result_view(fd: Frontdesk, result: KioskResult) -> dict[str, Any]:
    """A kiosk result as the kiosk page and the API show it."""
    outcome = result.outcome
    view: dict[str, Any] = {
        "kind": result.kind,
        "text": result.message,
        "where": result.where,
        "number": None,
        "printed": result.printed,
        "show_number": result.show_number_on_screen,
        # The fault message only when a configured printer failed; no printer: "take your number".
        "printer_failed": result.print_result is not None
        and not result.print_result.ok
        and result.print_result.fault != NO_PRINTER,
    }
    if result.ticket is not None:
        view["number"] = result.ticket.number
        view["queue_name"] = text_in(
            fd.config.queue(result.ticket.queue_id).name, outcome.language, "da"
        )
        if result.kind == "queue" and fd.hooks.sms_available():
            # A walk-in may ask for an SMS when their turn is near (a booked citizen's
            # number is on the booking already).
            view["turn_soon"] = "offered"
            view["ticket_id"] = result.ticket.id
    if result.wait is not None:
        view["people_ahead"] = result.wait.people_ahead
        view["expected_wait_minutes"] = result.wait.minutes
    if result.forecast is not None and result.forecast.minutes is not None:
        view["expected_wait_text"] = result.forecast.text(outcome.language)
    if isinstance(outcome, SentHome):
        view["bring"] = list(outcome.bring)
        view["url"] = outcome.url
    if isinstance(outcome, Referred):
        for key in ("name", "address", "opening_hours", "phone", "url"):
            view[key] = getattr(outcome, key)
    if result.check_in is not None:
        view["action"] = str(result.check_in.action)
        start = result.check_in.booking.start.astimezone(fd.tz)
        today = fd.clock.now().astimezone(fd.tz).date()
        view["time"] = f"{start:%H:%M}"
        view["start"] = start.isoformat()
        view["days_ahead"] = (start.date() - today).days
    if isinstance(outcome, BookTime):
        view["service_id"] = outcome.service_id
        view["service_name"] = outcome.service_name
        view["slots"] = [
            {"start": slot.start.isoformat(), "label": f"{slot.start.astimezone(fd.tz):%H:%M}"}
            for slot in result.slots
        ]
        view["url"] = fd.config.site.booking.url
    return jsonable(view)  # type: ignore[no-any-return]


def turn_soon(fd: Frontdesk, result: dict[str, Any], typed: str, language: str) -> dict[str, Any]:
    """Hand the mobile number a citizen typed under their ticket to the SMS plugin, for one
    "your turn soon" message; the result then says it is asked for.

    The number is not kept here, not in the result and not in an error: only the SMS
    plugin keeps it, with its outgoing messages.
    """
    ticket_id = result.get("ticket_id")
    if result.get("turn_soon") != "offered" or not isinstance(ticket_id, str):
        raise CommandError("no ticket here to send an SMS about", code="kiosk.turn_soon_closed")
    typed = typed.strip()
    if len(typed) > 20 or not looks_like_phone(typed):
        raise CommandError("that is not a mobile number", code="phone.invalid")
    receipt = fd.hooks.turn_soon_requested(fd.queues.ticket(ticket_id), typed, language)
    if not receipt.accepted:
        raise CommandError("the SMS cannot be sent to that number", code="kiosk.turn_soon_refused")
    return {**result, "turn_soon": "asked"}


def book(fd: Frontdesk, result: dict[str, Any], start: str, language: str) -> dict[str, Any]:
    """Book one of the times a 'book' result offered; no personal data is asked for.

    Only a time the result listed is accepted, so the kiosk cannot be used to
    book anything else. The citizen gets the booking code to check in with.
    """
    offered = {slot["start"] for slot in result.get("slots", [])}
    if result.get("kind") != "book" or start not in offered:
        raise CommandError("choose one of the times shown", code="kiosk.choose_time")
    booking = fd.booking.book(
        str(result["service_id"]),
        datetime.fromisoformat(start),
        contact=Contact(),
        channel="in_person",
        language=language,
    )
    return {
        "kind": "booked",
        "service_name": result.get("service_name"),
        "time": f"{booking.start.astimezone(fd.tz):%H:%M}",
        "start": booking.start.isoformat(),
        "code": booking.code,
        "number": None,
        "show_number": False,
    }
