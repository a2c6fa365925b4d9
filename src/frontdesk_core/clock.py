"""Injected clocks: nothing in the core reads the wall clock directly.

The live system uses :class:`SystemClock`; tests use :class:`ManualClock`; the
simulator supplies a clock driven by SimPy's simulated time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo


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


class ManualClock:
    """A clock that only moves when told to; for tests and examples."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start time")
        self._now = start

    def now(self) -> datetime:
        """Return the clock's current time."""
        return self._now

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        """Move the clock forward by ``delta`` (or ``timedelta(**kwargs)``)."""
        step = delta if delta is not None else timedelta(**kwargs)
        if step < timedelta(0):
            raise ValueError("a clock never goes backwards")
        self._now += step
        return self._now

    def set(self, when: datetime) -> None:
        """Jump to ``when``, which must not be earlier than the current time."""
        if when < self._now:
            raise ValueError("a clock never goes backwards")
        self._now = when


UTC = UTC
