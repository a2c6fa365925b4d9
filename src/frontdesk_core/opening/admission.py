"""When the kiosk stops giving walk-in tickets: outside opening hours, and after a
queue's last-ticket time before each closing.

Opening intervals that touch (``00:00-24:00`` every day, or ``08:00-12:00`` and
``12:00-16:00``) count as one, so a centre open round the clock never closes at
midnight and a split day closes only at its real end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from frontdesk_core.events.base import local_time, to_us
from frontdesk_core.opening.hours import OpeningCalendar

LOOK_AHEAD_DAYS = 400
"""How far ahead the next opening is looked for (a centre closed longer has none)."""


class ClosedReason(StrEnum):
    """Why a walk-in gets no ticket now."""

    CLOSED = "closed"
    """The centre is closed at this moment."""
    LAST_TICKET = "last_ticket"
    """The centre is open, but the queue's last ticket before closing has been given."""


@dataclass(frozen=True)
class WalkInClosed:
    """A walk-in is turned away: why, and when the centre opens next."""

    reason: ClosedReason
    opens_at: datetime | None
    """The next opening (``None`` when the centre does not open within a year)."""
    closes_at: datetime | None = None
    """For :attr:`ClosedReason.LAST_TICKET`: when the centre closes today."""


def merged_intervals(
    calendar: OpeningCalendar, start: datetime, days: int
) -> list[tuple[datetime, datetime]]:
    """Opening intervals from the day before ``start`` for ``days`` days, touching ones joined."""
    first = start.astimezone(calendar.tz).date() - timedelta(days=1)
    merged: list[tuple[datetime, datetime]] = []
    for begin, end in sorted(calendar.intervals(first, first + timedelta(days=days))):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((begin, end))
    return merged


class Admission:
    """:func:`walk_in_closed` for one centre, with each day's week of openings worked out
    once (a kiosk asks at every queue outcome)."""

    def __init__(self, calendar: OpeningCalendar) -> None:
        self.calendar = calendar
        self._weeks: dict[date, list[tuple[datetime, datetime]]] = {}
        self._open: dict[timedelta, tuple[int, int]] = {}
        """Per last-ticket time, the microseconds from the last moment found open to its
        opening's last ticket: every moment between is open too."""

    def open_at(self, us: int, last_ticket: timedelta) -> bool:
        """Whether a walk-in ticket may be given at ``us`` (microseconds since the epoch):
        ``closed(...) is None``, one compare while time stays inside the opening last found."""
        span = self._open.get(last_ticket)
        if span is not None and span[0] <= us < span[1]:
            return True
        moment = local_time(us, self.calendar.tz)
        if self.closed(moment, last_ticket) is not None:
            return False
        # Open: the merged opening holding ``moment`` runs at least to the end of the one
        # found in its week, so every later moment before that end's last ticket is open.
        week = self._weeks[moment.date()]
        end = next(e for b, e in week if b <= moment < e)
        self._open[last_ticket] = (us, to_us(end - last_ticket))
        return True

    def closed(self, moment: datetime, last_ticket: timedelta) -> WalkInClosed | None:
        """``None`` when a walk-in ticket may be given at ``moment``; else why not."""
        day = moment.astimezone(self.calendar.tz).date()
        week = self._weeks.get(day)
        if week is None:
            if len(self._weeks) > 60:
                self._weeks.clear()
            week = self._weeks[day] = merged_intervals(self.calendar, moment, WEEK_DAYS)
        return walk_in_closed(self.calendar, moment, last_ticket, week)


WEEK_DAYS = 8
"""The openings looked at first: from yesterday to a week ahead."""


def walk_in_closed(
    calendar: OpeningCalendar,
    moment: datetime,
    last_ticket: timedelta,
    week: list[tuple[datetime, datetime]] | None = None,
) -> WalkInClosed | None:
    """``None`` when a walk-in ticket may be given at ``moment``; else why not.

    ``last_ticket`` is how long before each closing the last ticket is given;
    ``week`` the merged openings from the day before ``moment`` for :data:`WEEK_DAYS`
    days, if already known.
    """
    # A week first (the common case), then a year for long closures.
    for days in (WEEK_DAYS, LOOK_AHEAD_DAYS):
        if days == WEEK_DAYS and week is not None:
            intervals = week
        else:
            intervals = merged_intervals(calendar, moment, days)
        current = next(((b, e) for b, e in intervals if b <= moment < e), None)
        if current is not None and moment < current[1] - last_ticket:
            return None
        after = current[1] if current is not None else moment
        opens = next((b for b, _ in intervals if b >= after and b > moment), None)
        if opens is not None or days == LOOK_AHEAD_DAYS:
            if current is None:
                return WalkInClosed(ClosedReason.CLOSED, _local(opens, calendar))
            return WalkInClosed(
                ClosedReason.LAST_TICKET, _local(opens, calendar), _local(current[1], calendar)
            )
    return None  # pragma: no cover - the loop always returns on its last pass


def _local(moment: datetime | None, calendar: OpeningCalendar) -> datetime | None:
    return moment.astimezone(calendar.tz) if moment is not None else None
