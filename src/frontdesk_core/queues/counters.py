"""Counters at run time: open or closed, who is signed in, which queues they serve.

A counter starts the day closed with the queues its configuration gives it.
An employee signing in opens it; a manager may open or close it and move it
between queues. Only an open counter calls tickets; a paused one keeps its
employee but calls nobody. Every change is an event, so it is logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class CounterStatus(StrEnum):
    """Whether a counter calls tickets."""

    CLOSED = "closed"
    OPEN = "open"
    PAUSED = "paused"


@dataclass(frozen=True, slots=True)
class CounterState:
    """A counter as the engine, dashboards and hooks see it."""

    id: str
    centre_id: str
    queue_ids: tuple[str, ...]
    """The queues it calls from now (a manager may have moved it)."""
    status: CounterStatus = CounterStatus.CLOSED
    employee_ref: str | None = None
    """A reference to the signed-in employee (an initials code, never a name)."""
    ticket_id: str | None = None
    """The ticket called to or served at the counter."""
    day: date | None = None
    """The service day it was last opened or signed into."""

    @property
    def is_open(self) -> bool:
        """Whether the counter is open (possibly paused): someone is there."""
        return self.status is not CounterStatus.CLOSED

    @property
    def can_call(self) -> bool:
        """Whether the counter may call a ticket now."""
        return self.status is CounterStatus.OPEN and self.ticket_id is None
