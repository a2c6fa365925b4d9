"""The injected clocks: the manual clock's microseconds always match its datetime."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk_core.clock import ManualClock, elapsed
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


@settings(max_examples=200, deadline=None)
@given(
    earlier=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)),
    step=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=2)),
    fold=st.sampled_from([0, 1]),
    zone=st.sampled_from(["Europe/Copenhagen", "America/New_York", "UTC", "Australia/Lord_Howe"]),
)
def test_elapsed_counts_the_time_that_passed_across_summer_time(
    earlier: datetime, step: timedelta, fold: int, zone: str
) -> None:
    tz = ZoneInfo(zone)
    start = earlier.replace(tzinfo=tz, fold=fold)
    end = (start.astimezone(UTC) + step).astimezone(tz)
    assert elapsed(start, end) == step.total_seconds()
    assert elapsed(start, end.astimezone(UTC)) == step.total_seconds()  # zones mixed


def test_elapsed_across_the_spring_change_in_copenhagen() -> None:
    cph = ZoneInfo("Europe/Copenhagen")
    before = datetime(2026, 3, 29, 1, 50, tzinfo=cph)  # CET
    after = datetime(2026, 3, 29, 3, 10, tzinfo=cph)  # CEST: 20 minutes later
    assert (after - before).total_seconds() == 80 * 60  # what wall times say
    assert elapsed(before, after) == 20 * 60
    assert elapsed(after, before) == -20 * 60


@settings(max_examples=100, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)),
    steps=st.lists(
        st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=5)), min_size=1, max_size=40
    ),
    zone=st.sampled_from(["Europe/Copenhagen", "America/New_York", "Australia/Lord_Howe"]),
)
def test_elapsed_along_a_walk_through_the_days(
    start: datetime, steps: list[timedelta], zone: str
) -> None:
    # Walks keep meeting the day elapsed() last kept without a change, and leaving it.
    tz = ZoneInfo(zone)
    first = previous = start.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)
    for step in steps:
        moment = (previous.astimezone(UTC) + step).astimezone(tz)
        assert elapsed(previous, moment) == step.total_seconds()
        assert elapsed(first, moment) == (moment - first.astimezone(UTC)).total_seconds()
        previous = moment


def test_elapsed_through_the_night_the_clocks_change() -> None:
    cph = ZoneInfo("Europe/Copenhagen")
    for day in (datetime(2026, 3, 29, tzinfo=UTC), datetime(2026, 10, 25, tzinfo=UTC)):
        moments = [(day + timedelta(minutes=7 * n)).astimezone(cph) for n in range(60)]
        for earlier, later in itertools.pairwise(moments):
            assert elapsed(earlier, later) == 7 * 60
            first = moments[0]
            assert elapsed(first, later) == (later - first.astimezone(UTC)).total_seconds()
