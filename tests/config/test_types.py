"""The small value types consultants write as strings."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk_core.config.types import (
    ServiceLevel,
    TimeRange,
    format_duration,
    parse_duration,
    parse_range,
    parse_service_level,
    parse_time,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15 min", timedelta(minutes=15)),
        ("2 h", timedelta(hours=2)),
        ("1 h 30 min", timedelta(minutes=90)),
        ("1h30m", timedelta(minutes=90)),
        ("30 days", timedelta(days=30)),
        ("90 s", timedelta(seconds=90)),
        ("2 weeks", timedelta(days=14)),
        ("1.5 hours", timedelta(minutes=90)),
    ],
)
def test_parse_duration(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "15", "fifteen minutes", "15 parsecs", "-5 min", 15])
def test_parse_duration_rejects_with_an_example(text: object) -> None:
    with pytest.raises(ValueError, match="15 min"):
        parse_duration(text)


@given(st.integers(min_value=0, max_value=10**7))
def test_duration_round_trips_through_its_text(seconds: int) -> None:
    delta = timedelta(seconds=seconds)
    assert parse_duration(format_duration(delta)) == delta


def test_times_and_ranges() -> None:
    assert parse_time("9.30") == time(9, 30)
    assert parse_time("24:00") == time.max
    assert parse_range("09:00-17:00") == TimeRange(time(9), time(17))
    assert parse_range("09:00 - 24:00").length == timedelta(hours=15)
    assert str(parse_range("9:00-12:30")) == "09:00-12:30"
    for bad in ("25:00", "9", "24:30"):
        with pytest.raises(ValueError):
            parse_time(bad)
    with pytest.raises(ValueError, match="ends before it starts"):
        parse_range("12:00-09:00")


def test_service_level() -> None:
    level = parse_service_level("80% within 15 minutes")
    assert level == ServiceLevel(0.8, timedelta(minutes=15))
    assert str(level) == "80% within 15 min"
    for bad in ("80 within 15 min", "0% within 5 min", "120% within 5 min", "80% within soon"):
        with pytest.raises(ValueError):
            parse_service_level(bad)
