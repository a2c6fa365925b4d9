"""The built-in call-next policies.

``service_level`` (the default): booked citizens whose time has come first (by
appointment time), then the highest queue priority, then the ticket that has
used the largest share of its queue's service-level target (so a queue with a
5-minute target is not starved by one with 30 minutes), then the earliest arrival.

``fifo``: the earliest arrival first, whatever the queue.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from operator import attrgetter

from frontdesk_core.clock import elapsed
from frontdesk_core.config.models import Config, Counter
from frontdesk_core.queues.tickets import Ticket

_APPOINTMENT = attrgetter("appointment_at")
_ARRIVED = attrgetter("arrived_at")
_PRIORITY = attrgetter("priority")
_QUEUE = attrgetter("queue_id")


class ServiceLevelPolicy:
    """Booked on time first, then priority, then waiting time against the queue's target."""

    def choose(
        self, waiting: Sequence[Ticket], counter: Counter, now: datetime, config: Config
    ) -> Ticket | None:
        """Pick the ticket that is most urgent by the rules above."""
        if not waiting:
            return None
        if getattr(waiting, "alike", False):
            # One queue at one priority, nobody booked: as below, without looking.
            return min(waiting, key=_ARRIVED)
        if any(map(_APPOINTMENT, waiting)):
            due = [t for t in waiting if t.appointment_at is not None and t.appointment_at <= now]
            if due:
                return min(due, key=lambda t: (t.appointment_at, t.arrived_at))
        if len(set(map(_QUEUE, waiting))) == 1 and len(set(map(_PRIORITY, waiting))) == 1:
            # One queue at one priority: the share of the target used grows with the wait,
            # so the earliest arrival is the most urgent, found without arithmetic per ticket.
            return min(waiting, key=_ARRIVED)

        # Each queue's target is looked up once per call, not once per waiting ticket.
        targets: dict[str, float] = {}

        def urgency(ticket: Ticket) -> tuple[int, float, datetime]:
            target = targets.get(ticket.queue_id)
            if target is None:
                target = config.queue(ticket.queue_id).target.within.total_seconds()
                targets[ticket.queue_id] = target
            used = elapsed(ticket.arrived_at, now) / target
            return (-ticket.priority, -used, ticket.arrived_at)

        return min(waiting, key=urgency)


class FifoPolicy:
    """The earliest arrival first."""

    def choose(
        self, waiting: Sequence[Ticket], counter: Counter, now: datetime, config: Config
    ) -> Ticket | None:
        """Pick the ticket that arrived first."""
        return min(waiting, key=lambda t: t.arrived_at) if waiting else None
