"""Events of tickets, counters and the service day (written by the queue engine).

Every ticket event is about a ticket id (``ticket.issued`` creates it), every
counter event about a counter id, ``day.ended`` about a centre id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from frontdesk_core.events.base import Payload
from frontdesk_core.events.registry import event_kind, upcaster


@event_kind
@dataclass(frozen=True, slots=True)
class TicketIssued(Payload):
    """A citizen got a numbered place in a queue."""

    KIND: ClassVar[str] = "ticket.issued"
    number: str
    queue_id: str
    priority: int = 0
    """The priority the ticket is called with (the queue's, or ``own_priority``)."""
    language: str = "da"
    day: date | None = None
    """The service day it was issued on (numbers restart every day)."""
    service_id: str | None = None
    own_priority: int | None = None
    """A priority given at issue, kept across transfers."""
    note: str | None = None
    booking_id: str | None = None
    appointment_at: datetime | None = None


@event_kind
@dataclass(frozen=True, slots=True)
class TicketCalled(Payload):
    """A counter called the ticket."""

    KIND: ClassVar[str] = "ticket.called"
    counter_id: str


@event_kind
@dataclass(frozen=True, slots=True)
class TicketRecalled(Payload):
    """The counter called its ticket again (``recall`` counts from 1)."""

    KIND: ClassVar[str] = "ticket.recalled"
    counter_id: str
    recall: int


@event_kind
@dataclass(frozen=True, slots=True)
class TicketStarted(Payload):
    """The called citizen reached the counter: the service began."""

    KIND: ClassVar[str] = "ticket.started"
    counter_id: str


@event_kind
@dataclass(frozen=True, slots=True)
class TicketFinished(Payload):
    """The service at the counter is done."""

    KIND: ClassVar[str] = "ticket.finished"
    counter_id: str


@event_kind
@dataclass(frozen=True, slots=True)
class TicketNoShow(Payload):
    """The called citizen did not come (``reason``: ``recalls`` or ``timeout``)."""

    KIND: ClassVar[str] = "ticket.no_show"
    counter_id: str
    reason: str | None = None


@event_kind
@dataclass(frozen=True, slots=True)
class TicketPutBack(Payload):
    """The counter put its ticket back in the queue (it keeps its place by arrival)."""

    KIND: ClassVar[str] = "ticket.put_back"
    counter_id: str


@event_kind
@dataclass(frozen=True, slots=True)
class TicketTransferred(Payload):
    """The ticket moved to another queue (the event's centre is the new queue's)."""

    KIND: ClassVar[str] = "ticket.transferred"
    from_queue: str
    to_queue: str
    from_centre: str
    priority: int
    counter_id: str | None = None
    """The counter it was at, if it was called or served when moved."""


@event_kind
@dataclass(frozen=True, slots=True)
class TicketCancelled(Payload):
    """The ticket was cancelled (the citizen left, or it was issued by mistake)."""

    KIND: ClassVar[str] = "ticket.cancelled"
    reason: str | None = None
    counter_id: str | None = None


@event_kind
@dataclass(frozen=True, slots=True)
class TicketClosed(Payload):
    """An open ticket was closed at the end of its day (``end_of_day``, ``day_reset``)."""

    KIND: ClassVar[str] = "ticket.closed"
    reason: str | None = None


@event_kind
@dataclass(frozen=True, slots=True)
class CounterOpened(Payload):
    """A manager opened the counter for service day ``day``."""

    KIND: ClassVar[str] = "counter.opened"
    day: date | None = None


@event_kind
@dataclass(frozen=True, slots=True)
class CounterClosed(Payload):
    """The counter closed (by a manager, or at the end of the day: ``reason``)."""

    KIND: ClassVar[str] = "counter.closed"
    reason: str | None = None


@event_kind
@dataclass(frozen=True, slots=True)
class CounterSignedIn(Payload):
    """An employee signed in, which opens the counter. ``employee_ref`` is no name."""

    KIND: ClassVar[str] = "counter.signed_in"
    employee_ref: str
    day: date | None = None


@event_kind
@dataclass(frozen=True, slots=True)
class CounterPaused(Payload):
    """The counter stopped calling for a while."""

    KIND: ClassVar[str] = "counter.paused"


@event_kind
@dataclass(frozen=True, slots=True)
class CounterResumed(Payload):
    """A paused counter calls again."""

    KIND: ClassVar[str] = "counter.resumed"
    day: date | None = None


@event_kind
@dataclass(frozen=True, slots=True)
class CounterSignedOut(Payload):
    """The employee left, which closes the counter (``reason`` when the day closed it)."""

    KIND: ClassVar[str] = "counter.signed_out"
    reason: str | None = None


@event_kind
@dataclass(frozen=True, slots=True)
class QueuesAssigned(Payload):
    """The counter serves other queues now (``from_queues``: what it served before).

    Version 2: version 1 named ``from_queues`` ``from``.
    """

    KIND: ClassVar[str] = "counter.queues_assigned"
    VERSION: ClassVar[int] = 2
    queue_ids: tuple[str, ...]
    from_queues: tuple[str, ...] | None = None
    reason: str | None = None


@event_kind
@dataclass(frozen=True, slots=True)
class DayEnded(Payload):
    """A centre's service days up to ``day`` ended; ``recent`` carries each queue's
    latest counter times (seconds), which the wait estimates of the next day start from.

    Written by ``end_of_day``, and otherwise once the next service day has begun (by its
    first command or by housekeeping), after what the day left open was closed; a
    centre that holds nothing yet gets one whenever another centre's day ends. The
    centre's ended tickets are forgotten by the live state, and a start-up replays
    the log from the centres' latest day ends."""

    KIND: ClassVar[str] = "day.ended"
    day: date
    recent: dict[str, tuple[float, ...]]


@upcaster(QueuesAssigned.KIND, 1)
def _queues_assigned_v1(data: dict[str, object]) -> dict[str, object]:
    """Version 1 named the queues served before ``from``, a Python keyword."""
    if "from" in data:
        data = {**data}
        data["from_queues"] = data.pop("from")
    return data
