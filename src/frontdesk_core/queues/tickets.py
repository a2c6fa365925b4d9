"""Tickets: a citizen's place in a queue, and the states it passes through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class TicketState(StrEnum):
    """Where a ticket is in its life: waiting -> called -> serving -> done, or an end state."""

    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    CLOSED = "closed"  # closed at the end of the day while still open


OPEN_STATES = frozenset({TicketState.WAITING, TicketState.CALLED, TicketState.SERVING})


@dataclass(frozen=True)
class Ticket:
    """A ticket as hooks and integrators see it. It holds no personal data."""

    id: str
    number: str
    queue_id: str
    centre_id: str
    state: TicketState
    issued_at: datetime
    arrived_at: datetime
    """The original arrival: kept across transfers for fairness and statistics."""
    service_id: str | None = None
    priority: int = 0
    note: str | None = None
    booking_id: str | None = None
    appointment_at: datetime | None = None
    counter_id: str | None = None
    called_at: datetime | None = None
    recalls: int = 0
    language: str = "da"
