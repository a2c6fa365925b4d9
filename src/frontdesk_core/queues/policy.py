"""The call-next policy interface: which waiting ticket a counter calls next."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from frontdesk_core.config.models import Config, Counter
from frontdesk_core.queues.tickets import Ticket


class CallPolicy(Protocol):
    """Chooses the next ticket for a counter among the waiting tickets it may call."""

    def choose(
        self, waiting: Sequence[Ticket], counter: Counter, now: datetime, config: Config
    ) -> Ticket | None:
        """Return the ticket to call, or ``None`` to call nobody."""
        ...
