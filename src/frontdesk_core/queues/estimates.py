"""Wait estimates: how many people are ahead of a ticket and how long it will wait.

The method, so that a manager can explain the number on the ticket:

1. **Counter time** ``S`` of a queue is the mean time a counter spends on one of
   its tickets (from the last call to finished or no-show) over its latest
   :data:`~frontdesk_core.queues.state.RECENT_SERVICES` tickets. With no history
   yet it falls back to the mean booked duration of the queue's services, and
   without those there is no estimate (``minutes`` is ``None``).
2. **Capacity** ``c`` of a queue is the number of open (not paused) counters
   serving it, each counting ``1/k`` when it serves ``k`` queues. With no open
   counter nobody is being served and there is no estimate.
3. **People ahead** ``n`` are the waiting tickets of the same queue that the
   call-next policy would call first: booked citizens whose time has come,
   higher priority, or the same priority and an earlier arrival.
4. With ``f`` open counters of the queue free right now, a ticket with
   ``n < f`` is called at once (0 minutes); otherwise it waits
   ``(n - f + 1) * S / c``. That is the exact mean of an M/M/c queue with
   exponential counter times (the ``n - f + 1``-th departure among ``c`` busy
   counters), a fair model of a service centre's mixed errands.

Minutes are rounded up: a citizen told "3 minutes" should not wait 3.4.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from frontdesk_core.drafts import quick_init
from frontdesk_core.queues.counters import CounterStatus
from frontdesk_core.queues.state import LiveState
from frontdesk_core.queues.tickets import Ticket, TicketState


@quick_init
@dataclass(frozen=True, slots=True)
class WaitEstimate:
    """People ahead of a ticket (or of a new ticket) and the expected wait in minutes."""

    people_ahead: int
    minutes: int | None
    """``None`` when nothing is known to estimate from (no counter open, no history)."""


_OPEN, _WAITING = CounterStatus.OPEN, TicketState.WAITING
"""Read once: an enum member read off its class costs about as much as a call."""


def counter_time(state: LiveState, queue_id: str, fallback: float | None = None) -> float | None:
    """Mean seconds a counter spends on a ticket of ``queue_id`` (recent history)."""
    recent = state.recent.get(queue_id)
    if recent:
        return sum(recent) / len(recent)
    return fallback


def capacity(state: LiveState, queue_id: str) -> tuple[float, int]:
    """``(c, f)``: the counters serving ``queue_id`` (shared ones in part) and how many are free."""
    total, free = 0.0, 0
    for counter in state.counters.values():
        if counter.status is _OPEN and queue_id in counter.queue_ids:
            total += 1 / len(counter.queue_ids)
            if counter.ticket_id is None:
                free += 1
    return total, free


def people_ahead(state: LiveState, ticket: Ticket, now: datetime) -> int:
    """Waiting tickets of the same queue that come before ``ticket``: booked tickets whose
    time has come before the others, then higher priority, then earlier arrival (compared
    field by field: a kiosk asks at every ticket, and a rank made per ticket costs more)."""
    line = state.waiting.get(ticket.queue_id)
    if not line:
        return 0
    appointment = ticket.appointment_at
    not_due = appointment is None or appointment > now
    priority, arrived, ticket_id = ticket.priority, ticket.arrived_at, ticket.id
    ahead = 0
    for other in line.values():
        if other.id == ticket_id:
            continue
        appointment = other.appointment_at
        other_not_due = appointment is None or appointment > now
        if other_not_due != not_due:
            ahead += not_due  # the other's time has come, and this one's has not
        elif other.priority != priority:
            ahead += other.priority > priority
        elif other.arrived_at < arrived:
            ahead += 1
    return ahead


def minutes_for(
    state: LiveState,
    queue_id: str,
    ahead: int,
    fallback: float | None = None,
    counters: tuple[float, int] | None = None,
) -> int | None:
    """Expected minutes of waiting with ``ahead`` people in front (see the module text);
    ``counters`` is the queue's :func:`capacity`, when the caller has it already."""
    seconds = counter_time(state, queue_id, fallback)
    total, free = capacity(state, queue_id) if counters is None else counters
    if seconds is None or total <= 0:
        return None
    if ahead < free:
        return 0
    return math.ceil((ahead - free + 1) * seconds / total / 60)


def estimate_ticket(
    state: LiveState, ticket: Ticket, now: datetime, fallbacks: Mapping[str, float]
) -> WaitEstimate:
    """The estimate for a waiting ticket (0 ahead and 0 minutes once it is called)."""
    if ticket.state is not _WAITING:
        return WaitEstimate(0, 0)
    ahead = people_ahead(state, ticket, now)
    fallback = fallbacks.get(ticket.queue_id)
    return WaitEstimate(ahead, minutes_for(state, ticket.queue_id, ahead, fallback))


def estimate_queue(state: LiveState, queue_id: str, fallbacks: Mapping[str, float]) -> WaitEstimate:
    """The estimate for a ticket issued to ``queue_id`` now (everyone waiting is ahead)."""
    ahead = len(state.waiting.get(queue_id, {}))
    return WaitEstimate(ahead, minutes_for(state, queue_id, ahead, fallbacks.get(queue_id)))
