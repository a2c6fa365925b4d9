"""When a centre is open: weekly hours, date exceptions and public holidays."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from frontdesk_core.config.models import Centre
from frontdesk_core.config.types import TimeRange
from frontdesk_core.opening.holidays import danish_holidays

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class OpeningCalendar:
    """Answers "is the centre open?" and "which hours on this date?" for one centre."""

    def __init__(self, centre: Centre, tz: tzinfo) -> None:
        self.centre = centre
        self.tz = tz
        self._exceptions = {ex.date: ex for ex in centre.exceptions}

    def holiday(self, day: date) -> str | None:
        """The name of the public holiday on ``day``, if the centre observes one."""
        mode = self.centre.public_holidays
        if mode == "none":
            return None
        return danish_holidays(day.year, customary=(mode == "dk")).get(day)

    def hours_on(self, day: date) -> list[TimeRange]:
        """The opening intervals on ``day`` (empty when closed)."""
        exception = self._exceptions.get(day)
        if exception is not None:
            return list(exception.hours)
        if self.holiday(day) is not None:
            return []
        return list(getattr(self.centre.opening_hours, WEEKDAYS[day.weekday()]))

    def is_open(self, moment: datetime) -> bool:
        """Whether the centre is open at ``moment`` (converted to the centre's timezone)."""
        local = moment.astimezone(self.tz)
        return any(r.contains(local.time()) for r in self.hours_on(local.date()))

    def intervals(self, start: date, end: date) -> list[tuple[datetime, datetime]]:
        """Opening intervals as aware datetimes, every day from ``start`` to ``end`` inclusive."""
        out: list[tuple[datetime, datetime]] = []
        day = start
        while day <= end:
            for r in self.hours_on(day):
                out.append((self._at(day, r.start), self._at(day, r.end)))
            day += timedelta(days=1)
        return out

    def _at(self, day: date, moment: time) -> datetime:
        if moment == time.max:
            return datetime.combine(day + timedelta(days=1), time(0), self.tz)
        return datetime.combine(day, moment, self.tz)
