"""Bookings as hooks and integrators see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class BookingState(StrEnum):
    """The life of a booking."""

    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"
    DONE = "done"


@dataclass(frozen=True)
class Contact:
    """The personal data a booking needs; kept only for the retention period, never logged."""

    phone: str | None = None
    name: str | None = None

    def __repr__(self) -> str:  # never print personal data by accident
        return "Contact(<personal data>)"


@dataclass(frozen=True)
class Booking:
    """An appointment for a service at a centre (no personal data: see :class:`Contact`)."""

    id: str
    code: str
    service_id: str
    centre_id: str
    start: datetime
    end: datetime
    channel: str
    state: BookingState
    created_at: datetime
    language: str = "da"
    counter_id: str | None = None


class AbsenceReason(StrEnum):
    """Why an employee's counter takes no bookings for a while (never a personal detail)."""

    SICK = "sick"
    LEAVE = "leave"
    TRAINING = "training"
    MEETING = "meeting"
    OTHER = "other"


@dataclass(frozen=True)
class Absence:
    """A time a counter takes no bookings beyond its usual schedule (sick, leave, a course)."""

    id: str
    counter_id: str
    centre_id: str
    start: datetime
    end: datetime
    reason: AbsenceReason


@dataclass(frozen=True)
class AbsenceResult:
    """What recording an absence did to the bookings on that counter.

    ``moved`` went to another counter free at the same time (the citizen keeps the
    time and is not told: the counter is shown at check-in). ``unplaced`` found no
    free counter: they stay booked for a manager to handle (call the citizen,
    reschedule), or were cancelled and the citizen told, when asked for.
    """

    absence: Absence
    moved: tuple[Booking, ...]
    unplaced: tuple[Booking, ...]
    cancelled: bool
