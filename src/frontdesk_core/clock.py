"""Injected clocks: nothing in the core reads the wall clock directly.

The live system uses :class:`SystemClock`; tests use :class:`ManualClock`; the
simulator supplies a clock driven by SimPy's simulated time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

from frontdesk_core.events.base import to_us


@runtime_checkable
class Clock(Protocol):
    """Something that tells the current time as a timezone-aware datetime."""

    def now(self) -> datetime:
        """Return the current time (timezone-aware)."""
        ...


class SystemClock:
    """The wall clock, in the given timezone (the site's, usually)."""

    def __init__(self, tz: tzinfo | str = "Europe/Copenhagen") -> None:
        self.tz = ZoneInfo(tz) if isinstance(tz, str) else tz

    def now(self) -> datetime:
        """Return the wall-clock time in this clock's timezone."""
        return datetime.now(self.tz)

    def now_us(self) -> int:
        """The wall-clock time in microseconds since the epoch."""
        return time.time_ns() // 1000


_NO_TIME = timedelta(0)


class ManualClock:
    """A clock that only moves when told to; for tests and examples."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start time")
        self._now = start
        self._us = to_us(start)
        self._offset = start.utcoffset()

    def now(self) -> datetime:
        """Return the clock's current time."""
        return self._now

    def now_us(self) -> int:
        """The clock's current time in microseconds since the epoch."""
        return self._us

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        """Move the clock forward by ``delta`` (or ``timedelta(**kwargs)``).

        As aware datetimes add, the step is added to the wall time in the clock's
        timezone (a day later is the same time of day, summer time or not).
        """
        step = delta if delta is not None else timedelta(**kwargs)
        if step < _NO_TIME:
            raise ValueError("a clock never goes backwards")
        moved = self._now + step
        offset = moved.utcoffset()
        if offset == self._offset:
            # The zone's offset did not change: the epoch moved by the step itself.
            self._us += (step.days * 86_400 + step.seconds) * 1_000_000 + step.microseconds
        else:
            self._us = to_us(moved)
            self._offset = offset
        self._now = moved
        return moved

    def set(self, when: datetime) -> None:
        """Jump to ``when``, which must not be earlier than the current time."""
        if when < self._now:
            raise ValueError("a clock never goes backwards")
        self._now = when
        self._us = to_us(when)
        self._offset = when.utcoffset()


def elapsed(earlier: datetime, later: datetime) -> float:
    """Seconds from ``earlier`` to ``later`` (aware moments): the time that passed, also
    across a change of summer time.

    Two datetimes of one timezone subtract as wall times (``03:10`` after the spring
    change is 80 minutes after ``01:50`` by the clock on the wall, 20 in fact); their
    offsets, which differ only across a change, put it right. Asking a zone for an
    offset is the dear part, so the last day found without a change (its offset the
    same at both midnights) is kept: two moments inside it subtract as wall times,
    exactly.
    """
    seconds = (later - earlier).total_seconds()
    zone = later.tzinfo
    if zone is not earlier.tzinfo or zone is None:
        return seconds  # subtracted in UTC already (or both naive)
    kept_zone, begins, ends = _steady
    if zone is kept_zone and begins <= earlier and later < ends:
        return seconds
    after, before = later.utcoffset(), earlier.utcoffset()
    if after is None or before is None:
        return seconds
    if after != before:
        return seconds - (after - before).total_seconds()
    _keep_steady_day(later)
    return seconds


_steady: tuple[tzinfo | None, datetime, datetime] = (None, datetime.min, datetime.min)
"""The zone, midnight and next midnight of the last day :func:`elapsed` found without a
change of offset (wall times in it are exact)."""


def _keep_steady_day(moment: datetime) -> None:
    """Keep ``moment``'s day for :func:`elapsed` if its offset does not change in it."""
    global _steady
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0, fold=0)
    next_midnight = midnight + timedelta(days=1)  # a wall-time sum: the next midnight
    if midnight.utcoffset() == next_midnight.utcoffset() == moment.utcoffset():
        _steady = (moment.tzinfo, midnight, next_midnight)


def microseconds(clock: Clock) -> Callable[[], int]:
    """A function giving ``clock``'s time in microseconds since the epoch.

    The engines keep time as such numbers: a clock with a ``now_us`` method
    gives them without building a datetime; any other is converted.
    """
    now_us = getattr(clock, "now_us", None)
    if callable(now_us):
        return now_us  # type: ignore[no-any-return]
    return lambda: to_us(clock.now())


UTC = UTC
