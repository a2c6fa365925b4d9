"""Tickets: a citizen's place in a queue, and the states it passes through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
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
"""States in which a ticket still needs something to happen."""

AT_COUNTER_STATES = frozenset({TicketState.CALLED, TicketState.SERVING})
"""States in which a ticket occupies a counter."""


@dataclass(frozen=True, slots=True)
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
    """The last call (a recall moves it): Qmatic's end of the waiting time."""
    recalls: int = 0
    language: str = "da"
    day: date | None = None
    """The service day the ticket was issued on (numbers restart every day)."""
    entered_at: datetime | None = None
    """When the ticket entered its current queue (the issue, or the last transfer)."""
    started_at: datetime | None = None
    """When the service began (``start``, or the call when a counter finishes at once)."""
    ended_at: datetime | None = None
    """When the ticket reached an end state."""
    end_reason: str | None = None
    """Why a ticket was closed or marked a no-show (``end_of_day``, ``timeout``, ...)."""
    transfers: int = 0

    @property
    def is_open(self) -> bool:
        """Whether the ticket still waits or is at a counter."""
        return self.state in OPEN_STATES
