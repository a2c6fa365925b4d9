"""The simulated clock: its microseconds agree with its datetimes to the microsecond."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import simpy
from hypothesis import example, given
from hypothesis import strategies as st

from frontdesk_core.events.base import to_us
from frontdesk_core.simulation.clock import SimClock

HALF_US_MINUTES = st.integers(-(10**12), 10**12).map(lambda n: (n + 0.5) / 60_000_000)
"""Minutes whose microseconds end in a half, where the rounding is decided."""


@given(st.floats(-20_000.0, 20_000.0, allow_nan=False) | HALF_US_MINUTES)
@example(-1.0)  # once the cache's mark for "nothing yet", answered with the origin
@example(0.0)
def test_now_us_rounds_as_timedelta_does(minutes: float) -> None:
    env = simpy.Environment(initial_time=minutes)
    origin = datetime(2026, 3, 29, 0, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
    clock = SimClock(env, origin)
    exact = to_us(origin) + timedelta(minutes=minutes) // timedelta(microseconds=1)
    assert clock.now_us() == exact
    assert clock.now_us() == to_us(clock.now()) == to_us(clock.at(minutes))


@given(
    st.sampled_from([datetime(2026, 3, 29), datetime(2026, 10, 25), datetime(2026, 6, 1)]),
    st.floats(-600.0, 2_000.0, allow_nan=False),
)
def test_minutes_is_the_inverse_of_at_on_the_days_summer_time_changes(
    day: datetime, minutes: float
) -> None:
    tz = ZoneInfo("Europe/Copenhagen")
    clock = SimClock(simpy.Environment(), day.replace(tzinfo=tz))
    moment = clock.at(minutes)
    assert abs(clock.minutes(moment) - minutes) < 1e-6
    assert abs(clock.minutes(moment.astimezone(ZoneInfo("UTC"))) - minutes) < 1e-6
