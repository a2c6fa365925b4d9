"""Honest oracles for tests that throw random commands at an engine.

A random command is often refused (a slot that is full, a counter that is
closed), and such a test catches :class:`CommandError` and goes on. Two things
keep that honest:

* :meth:`Oracle.attempt` looks at the engine's observable state before every
  command and, when the command is refused, again after: a refused command must
  have changed nothing (the log's ``last_seq`` included).
* :class:`Tally` counts what was tried and what went through over a whole
  hypothesis run, so a test cannot pass by refusing everything.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ParamSpec, TypeVar

from frontdesk_core.app import Frontdesk
from frontdesk_core.booking.records import Absence, Booking
from frontdesk_core.booking.slots import Slot
from frontdesk_core.errors import CommandError

T = TypeVar("T")
P = ParamSpec("P")
MIN_SAMPLE = 30
"""How many commands of a kind a run must have tried before its share is judged."""


@dataclass
class Tally:
    """Commands tried and commands that went through, by kind, over a whole run."""

    tried: Counter[str] = field(default_factory=Counter)
    done: Counter[str] = field(default_factory=Counter)

    def share(self, kind: str | None = None) -> float:
        """The share of ``kind`` (of every command, without one) that went through."""
        tried = self.tried[kind] if kind else sum(self.tried.values())
        done = self.done[kind] if kind else sum(self.done.values())
        return done / tried if tried else 0.0

    def check(self, *, overall: float, each: dict[str, float]) -> None:
        """At least ``overall`` of all commands went through, and ``each[kind]`` of each kind
        tried at least :data:`MIN_SAMPLE` times (fewer tell too little to judge)."""
        summary = ", ".join(
            f"{kind} {self.done[kind]}/{self.tried[kind]}" for kind in sorted(self.tried)
        )
        assert sum(self.tried.values()) >= MIN_SAMPLE, f"too few commands tried: {summary}"
        assert self.share() >= overall, f"too many commands refused: {summary}"
        for kind, least in each.items():
            if self.tried[kind] >= MIN_SAMPLE:
                assert self.share(kind) >= least, f"too many {kind} commands refused: {summary}"


class Oracle:
    """Runs commands against an engine, checking that a refused one changed nothing."""

    def __init__(self, observe: Callable[[], object], tally: Tally) -> None:
        self.observe = observe
        self.tally = tally

    def attempt(
        self, kind: str, command: Callable[P, T], *args: P.args, **kwargs: P.kwargs
    ) -> T | None:
        """Run ``command(*args, **kwargs)``; ``None`` when refused, after checking that it
        changed nothing."""
        before = self.observe()
        self.tally.tried[kind] += 1
        try:
            result = command(*args, **kwargs)
        except CommandError as refused:
            after = self.observe()
            assert after == before, f"a refused {kind} ({refused}) changed the state"
            return None
        self.tally.done[kind] += 1
        return result


@dataclass(frozen=True)
class BookingState:
    """What anyone can see of the booking engine: bookings, absences, free slots, the log."""

    last_seq: int
    bookings: tuple[Booking, ...]
    absences: tuple[Absence, ...]
    free: tuple[tuple[str, tuple[Slot, ...]], ...]


def booking_state(fd: Frontdesk, days: Iterable[date]) -> Callable[[], BookingState]:
    """An observer of ``fd``'s bookings on ``days`` and of every bookable service's free slots."""
    days = sorted(days)
    services = [s.id for s in fd.config.services if s.booking is not None]

    def observe() -> BookingState:
        return BookingState(
            last_seq=fd.store.last_seq(),
            bookings=tuple(b for day in days for b in fd.booking.bookings_on(day)),
            absences=tuple(fd.booking.absences()),
            free=tuple(
                (service, tuple(fd.booking.free_slots(service, days[0], days[-1])))
                for service in services
            ),
        )

    return observe


def queue_state(fd: Frontdesk) -> Callable[[], tuple[int, Any]]:
    """An observer of ``fd``'s queue engine: the log's ``last_seq`` and the live state."""

    def observe() -> tuple[int, Any]:
        return fd.store.last_seq(), copy.deepcopy(fd.queues.state)

    return observe
