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
