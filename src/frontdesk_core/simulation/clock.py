"""A :class:`~frontdesk_core.clock.Clock` that reads SimPy's simulated time.

The engines ask the clock for ``now()`` on every command; here that is the
start of the simulated day plus ``env.now`` minutes. The answer is cached for
as long as simulated time stands still, because many commands happen at one
instant and building an aware datetime is the costliest part of asking.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import simpy

from frontdesk_core.events.base import to_us


class SimClock:
    """Simulated time: ``origin`` plus ``env.now`` minutes, timezone-aware."""

    def __init__(self, env: simpy.Environment, origin: datetime) -> None:
        if origin.tzinfo is None:
            raise ValueError("the simulated clock needs a timezone-aware origin")
        self.env = env
        self.origin = origin
        self._origin_utc = origin.astimezone(UTC)
        # The minute the cached answers are for: none yet (NaN equals no minute; a
        # number here would be answered with the origin when the simulation is at it).
        self._at = math.nan
        self._now = origin
        self._origin_us = to_us(origin)
        self._us_at = math.nan
        self._us = self._origin_us
        # Until the next midnight, when the offset from UTC is the same then as at the
        # origin (no change of summer time between), a moment in the origin's timezone
        # subtracts from it as a wall time, exactly and at a third of the cost.
        after = origin + timedelta(days=1)
        self._wall_until = after if after.utcoffset() == origin.utcoffset() else origin

    def now(self) -> datetime:
        """The simulated time (in the origin's timezone)."""
        minutes = self.env._now  # what ``env.now`` returns, without the property's call
        if minutes != self._at:
            self._at = minutes
            self._now = self.at(minutes)
        return self._now

    def now_us(self) -> int:
        """The simulated time in microseconds since the epoch (what :meth:`now` says);
        the engines' form of it, cached like :meth:`now`."""
        minutes = self.env._now  # what ``env.now`` returns, without the property's call
        if minutes != self._us_at:
            self._us_at = minutes
            # timedelta(minutes=minutes) in microseconds, at a quarter of its cost: the
            # whole minutes exactly, the fraction's microseconds rounded half to even, as
            # timedelta rounds them, so these never disagree with now(). (``minutes -
            # int(minutes)`` is exact: two floats of which one is the other's whole part.)
            whole = int(minutes)
            self._us = (
                self._origin_us + whole * 60_000_000 + round((minutes - whole) * 60_000_000.0)
            )
        return self._us

    def at(self, minutes: float) -> datetime:
        """The datetime ``minutes`` after the origin (wall time, correct across DST)."""
        # Counting in UTC keeps a DST change inside the day right; one conversion back.
        return (self._origin_utc + timedelta(minutes=minutes)).astimezone(self.origin.tzinfo)

    def minutes(self, moment: datetime) -> float:
        """Simulated minutes at ``moment`` (the inverse of :meth:`at`)."""
        origin = self.origin
        if moment.tzinfo is origin.tzinfo and origin <= moment < self._wall_until:
            return (moment - origin).total_seconds() / 60.0
        # Against the origin in UTC: two datetimes of one timezone subtract as wall
        # times, an hour off after a change of summer time.
        return (moment - self._origin_utc).total_seconds() / 60.0


__all__ = ["SimClock"]
