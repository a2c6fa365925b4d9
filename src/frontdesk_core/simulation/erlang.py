"""Exact Erlang C for the M/M/c queue: the planner's first estimate, and the simulator's check.

Arrivals are Poisson with rate ``arrival_rate`` and every one of ``servers``
counters serves for an exponential time of mean ``mean_service`` (both in the
same time unit, e.g. per minute and minutes). The offered load is
``a = arrival_rate * mean_service`` Erlangs.

The textbook formula with ``a**c / c!`` overflows for a few hundred counters and
loses precision long before; Erlang B's recursion ``B(k) = a B(k-1) / (k + a B(k-1))``
stays between 0 and 1 for every ``k``, and Erlang C follows from it exactly:
``C = c B / (c - a (1 - B))``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_SERVERS = 100_000
"""The search for the smallest number of counters gives up beyond this many."""


def _check(arrival_rate: float, mean_service: float, servers: int) -> None:
    if not (arrival_rate >= 0 and math.isfinite(arrival_rate)):
        raise ValueError(f"the arrival rate must be zero or more, got {arrival_rate!r}")
    if not (mean_service > 0 and math.isfinite(mean_service)):
        raise ValueError(f"the mean service time must be more than zero, got {mean_service!r}")
    if isinstance(servers, bool) or not isinstance(servers, int) or servers < 1:
        raise ValueError(f"the number of counters must be a whole number from 1, got {servers!r}")


def erlang_b(load: float, servers: int) -> float:
    """Blocking probability of M/M/c/c with offered ``load`` Erlangs (the stable recursion)."""
    if load < 0 or not math.isfinite(load):
        raise ValueError(f"the offered load must be zero or more, got {load!r}")
    if isinstance(servers, bool) or not isinstance(servers, int) or servers < 0:
        raise ValueError(f"the number of counters must be a whole number, got {servers!r}")
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


@dataclass(frozen=True)
class ErlangC:
    """The steady state of an M/M/c queue; every time is in the unit of the inputs."""

    arrival_rate: float
    mean_service: float
    servers: int

    def __post_init__(self) -> None:
        _check(self.arrival_rate, self.mean_service, self.servers)

    @property
    def load(self) -> float:
        """Offered load in Erlangs: how many counters the work alone keeps busy."""
        return self.arrival_rate * self.mean_service

    @property
    def utilisation(self) -> float:
        """Share of the time a counter is busy (``load / servers``)."""
        return self.load / self.servers

    @property
    def stable(self) -> bool:
        """Whether the queue settles (fewer arrivals than the counters can serve)."""
        return self.load < self.servers

    @property
    def wait_probability(self) -> float:
        """P(wait > 0): the share of citizens who find every counter busy (Erlang C)."""
        if not self.stable:
            return 1.0
        blocking = erlang_b(self.load, self.servers)
        return self.servers * blocking / (self.servers - self.load * (1.0 - blocking))

    @property
    def mean_wait(self) -> float:
        """Mean wait in the queue over all citizens (infinite when unstable)."""
        if not self.stable:
            return math.inf
        return self.wait_probability * self.mean_service / (self.servers - self.load)

    def share_within(self, limit: float) -> float:
        """P(wait <= ``limit``): the service level for a target time ``limit``."""
        if limit < 0:
            raise ValueError(f"the time limit must be zero or more, got {limit!r}")
        if not self.stable:
            return 0.0
        decay = (self.servers - self.load) / self.mean_service
        return 1.0 - self.wait_probability * math.exp(-decay * limit)

    def wait_quantile(self, share: float) -> float:
        """The wait that ``share`` of citizens do not exceed (0 when enough never wait)."""
        if not 0 < share < 1:
            raise ValueError(f"the share must be between 0 and 1, got {share!r}")
        if not self.stable:
            return math.inf
        waiting = self.wait_probability
        if 1.0 - waiting >= share:
            return 0.0
        decay = (self.servers - self.load) / self.mean_service
        return math.log(waiting / (1.0 - share)) / decay


def wait_probability(arrival_rate: float, mean_service: float, servers: int) -> float:
    """P(wait > 0) of M/M/c (Erlang C)."""
    return ErlangC(arrival_rate, mean_service, servers).wait_probability


def mean_wait(arrival_rate: float, mean_service: float, servers: int) -> float:
    """Mean wait of M/M/c over all citizens, in the unit of ``mean_service``."""
    return ErlangC(arrival_rate, mean_service, servers).mean_wait


def share_within(arrival_rate: float, mean_service: float, servers: int, limit: float) -> float:
    """P(wait <= ``limit``) of M/M/c."""
    return ErlangC(arrival_rate, mean_service, servers).share_within(limit)


def servers_for(
    arrival_rate: float, mean_service: float, *, share: float, within: float, minimum: int = 1
) -> int:
    """The fewest counters (at least ``minimum``) so that ``share`` wait at most ``within``.

    With no arrivals the answer is ``minimum``: nobody waits.
    """
    if not 0 < share <= 1:
        raise ValueError(f"the target share must be above 0 and at most 1, got {share!r}")
    if within < 0:
        raise ValueError(f"the target time must be zero or more, got {within!r}")
    _check(arrival_rate, mean_service, max(minimum, 1))
    if arrival_rate == 0:
        return max(minimum, 1)
    servers = max(minimum, math.floor(arrival_rate * mean_service) + 1, 1)
    while servers <= MAX_SERVERS:
        if ErlangC(arrival_rate, mean_service, servers).share_within(within) >= share - 1e-12:
            return servers
        servers += 1
    raise ValueError(f"no number of counters up to {MAX_SERVERS} meets the target")


__all__ = [
    "ErlangC",
    "erlang_b",
    "mean_wait",
    "servers_for",
    "share_within",
    "wait_probability",
]
