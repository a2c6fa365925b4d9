"""How long citizens wait before they give up, fitted to the store's own log.

Nobody sees a citizen leave; the log shows it only when their ticket is called:
a ticket marked a no-show was called after its citizen's patience ran out, a
ticket served was called before. So each called ticket says the patience was
below its wait (a no-show) or above it (served): interval-censored data, to
which an exponential patience is fitted by maximum likelihood with EM (the
expected patience of a no-show given it was below the wait, until the rate
settles).

Without any no-show in the log the citizens seem to stay whatever the wait:
no patience is fitted (the forward runs then assume nobody leaves).
"""

from __future__ import annotations

import math
from datetime import datetime

from frontdesk_core.events import TicketCalled, TicketIssued, TicketNoShow
from frontdesk_core.store.base import EventStore

KINDS = (TicketIssued.KIND, TicketCalled.KIND, TicketNoShow.KIND)
ROUNDS = 50
"""EM rounds at most (it settles in a handful)."""


def fitted_patience(
    store: EventStore, *, since: datetime | None, until: datetime | None
) -> float | None:
    """The mean patience in minutes of an exponential fitted to the log from ``since`` to
    ``until`` (``None``: no no-show in it, or no ticket called)."""
    ready: dict[str, datetime] = {}
    waits: dict[str, float] = {}
    gone: set[str] = set()
    for event in store.read(kinds=KINDS, since=since, until=until):
        payload = event.payload
        if isinstance(payload, TicketIssued):
            at = event.at
            if payload.appointment_at is not None and payload.appointment_at > at:
                at = payload.appointment_at  # a booked citizen's wait counts from their time
            ready[event.key] = at
        elif isinstance(payload, TicketCalled):
            start = ready.get(event.key)
            if start is not None and event.key not in waits:
                waits[event.key] = max((event.at - start).total_seconds() / 60.0, 0.0)
        elif isinstance(payload, TicketNoShow) and event.key in waits:
            gone.add(event.key)
    return exponential_mean(
        [w for k, w in waits.items() if k not in gone], [w for k, w in waits.items() if k in gone]
    )


def exponential_mean(stayed: list[float], left: list[float]) -> float | None:
    """The maximum-likelihood mean of an exponential patience from the waits of citizens
    who stayed (patience above the wait) and who had left when called (below it)."""
    if not left:
        return None
    total = sum(stayed) + sum(left)
    if total <= 0:
        return None
    rate = len(left) / total
    for _ in range(ROUNDS):
        exposure = sum(stayed) + sum(_below(rate, w) for w in left)
        new = len(left) / exposure if exposure > 0 else rate
        settled = abs(new - rate) <= 1e-9 * rate
        rate = new
        if settled:
            break
    return 1.0 / rate


def _below(rate: float, wait: float) -> float:
    """The expected exponential patience given that it was below ``wait``."""
    x = rate * wait
    if x < 1e-6:
        return wait / 2.0
    if x > 50.0:
        return 1.0 / rate  # the wait was far above the patience: no condition left
    return 1.0 / rate - wait / math.expm1(x)


__all__ = ["exponential_mean", "fitted_patience"]
