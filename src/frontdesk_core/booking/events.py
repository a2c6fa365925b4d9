"""The booking event kinds, and how times are written in their payloads.

Other parts of the core and the plugins import these names from
:mod:`frontdesk_core.booking.engine`, which re-exports them.
"""

from __future__ import annotations

from datetime import datetime

from frontdesk_core.booking.slots import epoch

CREATED = "booking.created"
RESCHEDULED = "booking.rescheduled"
CANCELLED = "booking.cancelled"
CHECKED_IN = "booking.checked_in"
NO_SHOW = "booking.no_show"
DONE = "booking.done"
REMINDED = "booking.reminded"
REASSIGNED = "booking.reassigned"
ABSENCE = "booking.absence"
ABSENCE_WITHDRAWN = "booking.absence_withdrawn"
KINDS = (
    CREATED,
    RESCHEDULED,
    CANCELLED,
    CHECKED_IN,
    NO_SHOW,
    DONE,
    REMINDED,
    REASSIGNED,
    ABSENCE,
    ABSENCE_WITHDRAWN,
)
"""The event kinds the booking engine writes and reads."""


def ts(value: object) -> int:
    """Epoch seconds of a payload time (an ISO 8601 string with its offset)."""
    return epoch(datetime.fromisoformat(str(value)))


def iso(moment: datetime) -> str:
    """A time as payloads keep it: ISO 8601 with the local offset."""
    return moment.isoformat()
