"""Events of bookings and counter absences (written by the booking engine).

Booking events are about a booking id (``booking.created`` creates it), absence
events about an absence id. Times are the site's local times, as booked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from frontdesk_core.events.base import Payload
from frontdesk_core.events.registry import event_kind


@event_kind
@dataclass(frozen=True, slots=True)
class BookingCreated(Payload):
    """A citizen booked a time. ``busy_from``/``busy_until`` include the buffers."""

    KIND: ClassVar[str] = "booking.created"
    code: str
    service_id: str
    start: datetime
    end: datetime
    busy_from: datetime
    busy_until: datetime
    channel: str
    language: str = "da"
    counter_id: str | None = None


@event_kind
@dataclass(frozen=True, slots=True)
class BookingRescheduled(Payload):
    """The booking moved to another time (and perhaps another counter)."""

    KIND: ClassVar[str] = "booking.rescheduled"
    start: datetime
    end: datetime
    busy_from: datetime
    busy_until: datetime
    counter_id: str | None = None


@event_kind
@dataclass(frozen=True, slots=True)
class BookingReassigned(Payload):
    """The booking moved to another counter at the same time (the citizen keeps it);
    ``reason``: ``absence`` (its counter is away) or ``booking`` (it made room for a
    new or moved booking)."""

    KIND: ClassVar[str] = "booking.reassigned"
    counter_id: str | None
    from_counter: str | None = None
    reason: str | None = None


@event_kind
@dataclass(frozen=True, slots=True)
class BookingCancelled(Payload):
    """The booking was cancelled (``reason``: ``citizen``, ``sms``, ``late``, ...)."""

    KIND: ClassVar[str] = "booking.cancelled"
    reason: str | None = None


@event_kind
@dataclass(frozen=True, slots=True)
class BookingCheckedIn(Payload):
    """The citizen checked in; ``ticket_id`` is the ticket they got."""

    KIND: ClassVar[str] = "booking.checked_in"
    ticket_id: str | None = None
    queue_id: str | None = None
    action: str | None = None
    late_seconds: int = 0


@event_kind
@dataclass(frozen=True, slots=True)
class BookingNoShow(Payload):
    """The citizen did not come (or a phone meeting did not reach them)."""

    KIND: ClassVar[str] = "booking.no_show"


@event_kind
@dataclass(frozen=True, slots=True)
class BookingDone(Payload):
    """The appointment took place (a phone meeting was held)."""

    KIND: ClassVar[str] = "booking.done"


@event_kind
@dataclass(frozen=True, slots=True)
class BookingReminded(Payload):
    """The reminder ``before`` seconds ahead of ``start`` was sent."""

    KIND: ClassVar[str] = "booking.reminded"
    before: int
    start: datetime


@event_kind
@dataclass(frozen=True, slots=True)
class AbsenceRecorded(Payload):
    """A counter takes no bookings from ``start`` to ``end`` (sick, leave, ...)."""

    KIND: ClassVar[str] = "booking.absence"
    counter_id: str
    start: datetime
    end: datetime
    reason: str = "other"


@event_kind
@dataclass(frozen=True, slots=True)
class AbsenceWithdrawn(Payload):
    """A recorded absence was withdrawn."""

    KIND: ClassVar[str] = "booking.absence_withdrawn"
