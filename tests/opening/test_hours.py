"""Opening hours: weekly hours, exceptions, holidays, timezones."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from frontdesk_core.config.loader import load_config
from frontdesk_core.config.types import TimeRange
from frontdesk_core.opening import OpeningCalendar

CPH = ZoneInfo("Europe/Copenhagen")
BASE = Path(__file__).parents[1] / "config" / "valid" / "base.yaml"


def calendar() -> OpeningCalendar:
    return OpeningCalendar(load_config(BASE).centre("main"), CPH)


def test_weekly_hours_and_closed_days() -> None:
    cal = calendar()
    assert cal.hours_on(date(2026, 11, 26)) == [
        TimeRange(time(9), time(12)),
        TimeRange(time(13), time(17, 30)),
    ]
    assert cal.hours_on(date(2026, 11, 28)) == []  # Saturday: not listed, so closed


def test_exception_and_holidays() -> None:
    cal = calendar()
    assert cal.hours_on(date(2026, 12, 23)) == [TimeRange(time(9), time(12))]
    assert cal.hours_on(date(2026, 12, 24)) == []  # customary closing day
    assert cal.holiday(date(2026, 4, 6)) == "2. påskedag"
    assert cal.hours_on(date(2026, 4, 6)) == []


def test_is_open_converts_to_the_centre_timezone() -> None:
    cal = calendar()
    assert cal.is_open(datetime(2026, 11, 23, 9, 0, tzinfo=CPH))
    assert not cal.is_open(datetime(2026, 11, 23, 15, 0, tzinfo=CPH))
    assert cal.is_open(datetime(2026, 11, 23, 8, 30, tzinfo=ZoneInfo("UTC")))  # 09:30 local


def test_intervals_across_daylight_saving_change() -> None:
    cal = calendar()
    # 2026-10-26 is the Monday after the change back to winter time (25 October).
    [(start, end)] = cal.intervals(date(2026, 10, 26), date(2026, 10, 26))
    assert start.utcoffset() == end.utcoffset()
    assert (end - start).total_seconds() == 6 * 3600
    [(start, _)] = cal.intervals(date(2026, 10, 23), date(2026, 10, 23))
    assert (
        start.utcoffset() != cal.intervals(date(2026, 10, 26), date(2026, 10, 26))[0][0].utcoffset()
    )
