"""A kiosk session's steps and outcome, as plain data for the kiosk page and the API.

Every function here runs on the core's thread.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from frontdesk_core.app import Frontdesk
from frontdesk_core.errors import CommandError
from frontdesk_display.jsonable import jsonable


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
        raise CommandError("choose one of the options")
    session.answer(option)


def needs_code(session: Any) -> bool:
    """Whether the session ended at a check-in, which needs the citizen's code first."""
    outcome = session.outcome
    return outcome is not None and outcome.kind == "check_in"


def complete(fd: Frontdesk, session: Any, kiosk_id: str | None) -> dict[str, Any]:
    """Carry out the outcome; what the citizen is shown (no personal data)."""
    result = fd.referral.complete(session, kiosk_id=kiosk_id)
    data: dict[str, Any] = jsonable(result)
    ticket = getattr(result, "ticket", None)
    if ticket is not None:
        data["number"] = ticket.number
    return data


def check_in(fd: Frontdesk, code: str) -> dict[str, Any]:
    """Check in a booked citizen by code; what the kiosk shows."""
    code = code.strip()
    if not code or len(code) > 16:
        raise CommandError("type the code from your confirmation")
    result = fd.booking.check_in(code)
    local = result.booking.start.astimezone(fd.tz)
    return {
        "kind": "checked_in",
        "action": str(result.action),
        "number": result.ticket.number if result.ticket is not None else None,
        "where": result.where,
        "time": f"{local:%H:%M}",
    }
