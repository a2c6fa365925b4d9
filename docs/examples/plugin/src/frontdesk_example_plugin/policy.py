"""The ``queue_order`` call-next policy: a counter's queues in the order it lists them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from frontdesk_core.api import Config, Counter, Ticket


class QueueOrderPolicy:
    """Call from the counter's first queue with anyone waiting; the earliest arrival there.

    A counter written ``queues: [cash, tax]`` serves ``cash`` whenever someone waits
    in it, and ``tax`` otherwise: useful where one queue is urgent by law. It
    implements :class:`frontdesk_core.api.CallPolicy`.
    """

    def choose(
        self, waiting: Sequence[Ticket], counter: Counter, now: datetime, config: Config
    ) -> Ticket | None:
        """The ticket to call, or ``None`` when nobody waits."""
        if not waiting:
            return None
        # A manager may have moved the counter to a queue its configuration does not list:
        # such tickets come after the listed queues rather than never.
        rank = {queue_id: index for index, queue_id in enumerate(counter.queues)}
        return min(waiting, key=lambda t: (rank.get(t.queue_id, len(rank)), t.arrived_at))
