"""The injected clocks: the manual clock's microseconds always match its datetime."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk_core.clock import ManualClock
from frontdesk_core.events.base import to_us

_STEPS = st.lists(
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)), min_size=1, max_size=40
)


@settings(max_examples=60, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)),
    steps=_STEPS,
    zone=st.sampled_from(["Europe/Copenhagen", "America/New_York", "UTC", "Australia/Lord_Howe"]),
)
def test_manual_clock_microseconds_follow_its_time_across_summer_time(
    start: datetime, steps: list[timedelta], zone: str
) -> None:
    clock = ManualClock(start.replace(tzinfo=ZoneInfo(zone)))
    for step in steps:
        moved = clock.advance(step)
        assert clock.now() == moved
        assert clock.now_us() == to_us(moved)


def test_manual_clock_adds_to_the_wall_time_like_an_aware_datetime() -> None:
    copenhagen = ZoneInfo("Europe/Copenhagen")
    clock = ManualClock(datetime(2026, 3, 28, 10, 0, tzinfo=copenhagen))
    clock.advance(days=1)  # over the night summer time begins
    assert clock.now() == datetime(2026, 3, 29, 10, 0, tzinfo=copenhagen)
    assert clock.now_us() - to_us(datetime(2026, 3, 28, 10, 0, tzinfo=copenhagen)) == 23 * 3600e6


def test_manual_clock_never_goes_backwards() -> None:
    clock = ManualClock(datetime(2026, 3, 28, 10, 0, tzinfo=ZoneInfo("UTC")))
    with pytest.raises(ValueError, match="backwards"):
        clock.advance(timedelta(seconds=-1))
