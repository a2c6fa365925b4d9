"""The booking event kinds (their records are in :mod:`frontdesk_core.events.booking`).

Other parts of the core import these names from
:mod:`frontdesk_core.booking.engine`, which re-exports them.
"""

from __future__ import annotations

from frontdesk_core.events import booking as E

CREATED = E.BookingCreated.KIND
RESCHEDULED = E.BookingRescheduled.KIND
CANCELLED = E.BookingCancelled.KIND
CHECKED_IN = E.BookingCheckedIn.KIND
NO_SHOW = E.BookingNoShow.KIND
DONE = E.BookingDone.KIND
REMINDED = E.BookingReminded.KIND
REASSIGNED = E.BookingReassigned.KIND
ABSENCE = E.AbsenceRecorded.KIND
ABSENCE_WITHDRAWN = E.AbsenceWithdrawn.KIND
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
