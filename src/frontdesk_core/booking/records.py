"""Bookings as hooks and integrators see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from frontdesk_core.drafts import quick_init


class BookingState(StrEnum):
    """The life of a booking."""

    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"
    DONE = "done"


@quick_init
@dataclass(frozen=True, slots=True)
class Contact:
    """The personal data a booking needs; kept only for the retention period, never logged."""

    phone: str | None = None
    """The citizen's phone number, normalised (``+4512345678``), for SMS."""
    name: str | None = None
    """The citizen's name, as given when booking."""

    def __repr__(self) -> str:  # never print personal data by accident
        return "Contact(<personal data>)"


@quick_init
@dataclass(frozen=True, slots=True)
class Booking:
    """An appointment for a service at a centre (no personal data: see :class:`Contact`)."""

    id: str
    """The booking's id in the event log."""
    code: str
    """The short code the citizen checks in and cancels with (on the confirmation)."""
    service_id: str
    """The booked service (``services[].id``)."""
    centre_id: str
    """The centre the citizen comes to."""
    start: datetime
    """The booked time (timezone-aware)."""
    end: datetime
    """When the appointment is planned to end."""
    channel: str
    """How it takes place: ``in_person`` or ``phone``."""
    state: BookingState
    """Where the booking is in its life."""
    created_at: datetime
    """When the booking was made."""
    language: str = "da"
    """The citizen's language: confirmations, reminders and the kiosk use it."""
    counter_id: str | None = None
    """The counter reserved for it (``None`` until one is assigned)."""


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
    """The absence's id (to withdraw it)."""
    counter_id: str
    """The counter that takes no bookings."""
    centre_id: str
    """The counter's centre."""
    start: datetime
    """When the absence begins."""
    end: datetime
    """When it ends."""
    reason: AbsenceReason
    """Why, in one word (never a personal detail)."""


@dataclass(frozen=True)
class AbsenceResult:
    """What recording an absence did to the bookings on that counter.

    ``moved`` went to another counter free at the same time (the citizen keeps the
    time and is not told: the counter is shown at check-in). ``unplaced`` found no
    free counter: they stay booked for a manager to handle (call the citizen,
    reschedule), or were cancelled and the citizen told, when asked for.
    """

    absence: Absence
    """The absence recorded."""
    moved: tuple[Booking, ...]
    """Bookings moved to another counter at the same time."""
    unplaced: tuple[Booking, ...]
    """Bookings no counter could take."""
    cancelled: bool
    """Whether the unplaced bookings were cancelled (and the citizens told)."""
