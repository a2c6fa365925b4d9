"""A clock that starts at a chosen moment and runs forward with the wall clock."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from frontdesk_core.config.models import Config
from frontdesk_core.events.base import to_us
from frontdesk_core.opening.hours import OpeningCalendar


class RunningClock:
    """``start``, then forward at ``speed`` times the wall clock's pace.

    ``ticks`` (seconds, any origin) is the wall clock to follow; a test passes its own.
    """

    def __init__(
        self,
        start: datetime,
        speed: float = 1.0,
        *,
        ticks: Callable[[], float] = time.monotonic,
    ) -> None:
        if start.tzinfo is None:
            raise ValueError("RunningClock needs a timezone-aware start time")
        if speed <= 0:
            raise ValueError("the speed must be more than 0")
        self.start = start
        self.speed = speed
        self._ticks = ticks
        self._origin = ticks()

    def now(self) -> datetime:
        """The clock's time now."""
        return self.start + timedelta(seconds=(self._ticks() - self._origin) * self.speed)

    def now_us(self) -> int:
        """The clock's time in microseconds since the epoch."""
        return to_us(self.now())


def demo_morning(
    calendar: OpeningCalendar, today: date, *, after_opening: timedelta = timedelta(minutes=30)
) -> datetime:
    """The first weekday from ``today`` on which the centre opens, ``after_opening`` after
    it opens (so the demo starts with the centre open and citizens under way)."""
    day = today
    for _ in range(366):
        if day.weekday() < 5:
            hours = calendar.hours_on(day)
            if hours:
                opens = datetime.combine(day, hours[0].start, calendar.tz)
                return opens + after_opening
        day += timedelta(days=1)
    raise ValueError("the centre does not open on any weekday within a year")


def demo_start(config: Config, centre_id: str, today: date) -> datetime:
    """:func:`demo_morning` for a centre of ``config``."""
    calendar = OpeningCalendar(config.centre(centre_id), ZoneInfo(config.site.timezone))
    return demo_morning(calendar, today)


__all__ = ["RunningClock", "demo_morning", "demo_start"]
