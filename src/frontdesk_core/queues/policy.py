"""The call-next policy interface: which waiting ticket a counter calls next."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from frontdesk_core.config.models import Config, Counter
from frontdesk_core.queues.tickets import Ticket


class Waiting(list[Ticket]):
    """The waiting tickets a counter may call, as the engine hands them to a policy.

    ``alike`` is true when the engine knows, without looking at each ticket, that
    they all wait in one queue, at one priority, and that none of them is booked:
    a policy may then order them by arrival alone. False says nothing.
    """

    __slots__ = ("alike",)
    alike: bool

    @classmethod
    def of(cls, tickets: Iterable[Ticket], *, alike: bool = False) -> Waiting:
        """The list of ``tickets`` with its ``alike`` set (to try a policy on one)."""
        waiting = cls(tickets)
        waiting.alike = alike
        return waiting


class CallPolicy(Protocol):
    """Chooses the next ticket for a counter among the waiting tickets it may call."""

    def choose(
        self, waiting: Sequence[Ticket], counter: Counter, now: datetime, config: Config
    ) -> Ticket | None:
        """Return the ticket to call, or ``None`` to call nobody. ``waiting`` is a
        :class:`Waiting` when the engine asks."""
        ...
