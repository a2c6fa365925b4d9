"""Slot generation: opening hours, staff schedules, breaks, holidays, buffers, notice,
horizon and the days daylight saving time starts and ends."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from booking.conftest import CPH, at
from frontdesk_core.app import Frontdesk
from frontdesk_core.booking.records import Contact
from frontdesk_core.booking.slots import Occupancy, Slot, SlotPlanner, epoch, merge, subtract
from frontdesk_core.clock import ManualClock
from frontdesk_core.config.models import Config
from frontdesk_core.testing import MakeFrontdesk


def times(slots: list[Slot]) -> list[str]:
    """Start times as ``HH:MM``."""
    return [s.start.strftime("%H:%M") for s in slots]


def day_slots(config: Config, service: str, day: date) -> list[Slot]:
    """Every free slot of a day without notice or horizon, and no bookings."""
    planner = SlotPlanner(config, CPH)
    return planner.slots(planner.service(service), day, day, {}, channel="in_person")


def test_span_helpers_merge_and_subtract() -> None:
    assert merge([(5, 8), (1, 3), (3, 4), (7, 9)]) == [(1, 4), (5, 9)]
    assert subtract([(0, 10), (20, 30)], [(2, 3), (8, 22), (29, 40)]) == [
        (0, 2),
        (3, 8),
        (22, 29),
    ]


def test_occupancy_finds_overlaps_only_when_they_touch_the_window() -> None:
    taken = Occupancy()
    taken.add(100, 200, "a")
    taken.add(300, 900, "b")
    assert not taken.overlaps(200, 300)
    assert taken.overlaps(199, 250)
    assert taken.overlaps(850, 1000)
    assert not taken.overlaps(850, 1000, ignore="b")
    taken.remove("b")
    assert not taken.overlaps(850, 1000)


def test_capacity_follows_counters_on_duty_and_their_breaks(config: Config) -> None:
    # Tuesday: c1 all day but lunch 12:00-12:30; c2 takes bookings 10:00-14:00 only.
    slots = day_slots(config, "passport", date(2026, 11, 24))
    assert times(slots)[0] == "09:00" and times(slots)[-1] == "14:45"
    assert len(slots) == 24
    capacity = {s.start.strftime("%H:%M"): s.capacity for s in slots}
    assert capacity["09:45"] == 1
    assert capacity["10:00"] == 2
    assert capacity["11:45"] == 2
    assert capacity["12:00"] == 1
    assert capacity["12:15"] == 1
    assert capacity["12:30"] == 2
    assert capacity["13:45"] == 2
    assert capacity["14:00"] == 1
    assert all(s.free == s.capacity for s in slots)
    assert all(s.end - s.start == timedelta(minutes=15) for s in slots)


def test_a_break_for_every_counter_removes_the_slots(config: Config) -> None:
    # Wednesday's staff meeting 09:00-10:00 applies to every counter.
    assert times(day_slots(config, "passport", date(2026, 11, 25)))[0] == "10:00"


def test_thursday_has_two_openings(config: Config) -> None:
    slots = times(day_slots(config, "tax", date(2026, 11, 26)))
    assert "11:30" in slots and "12:00" not in slots and "12:30" not in slots
    assert "13:00" in slots and slots[-1] == "16:30"


def test_danish_public_holidays_and_date_exceptions(config: Config) -> None:
    # 23 December is a short day (a Wednesday, so the staff meeting still applies);
    # 24-26 December and 1 January are closed.
    short = times(day_slots(config, "tax", date(2026, 12, 23)))
    assert short == ["10:00", "10:30", "11:00", "11:30"]
    for closed in (date(2026, 12, 24), date(2026, 12, 25), date(2027, 1, 1)):
        assert day_slots(config, "tax", closed) == []
    # Ascension Day 2026 (14 May) and Whit Monday (25 May) are computed from Easter.
    assert day_slots(config, "tax", date(2026, 5, 14)) == []
    assert day_slots(config, "tax", date(2026, 5, 25)) == []
    assert day_slots(config, "tax", date(2026, 5, 13)) != []


def test_buffers_keep_the_counter_free_around_each_appointment(
    fd: Frontdesk, clock: ManualClock
) -> None:
    tuesday = date(2026, 11, 24)
    slots = fd.booking.free_slots("permit", tuesday, tuesday)
    # 5 min before: nothing at 09:00; 30 min + 10 min after must end by 15:00.
    assert times(slots)[0] == "09:15"
    assert times(slots)[-1] == "14:15"
    fd.booking.book("permit", at(24, 9, 15), contact=Contact(phone="12345678"))
    after = times(fd.booking.free_slots("permit", tuesday, tuesday))
    # Busy 09:10-09:55: the next start whose 5 min before is free is 10:00.
    assert after[:2] == ["10:00", "10:15"]
    assert "09:30" not in after and "09:45" not in after


def test_minimum_notice_and_horizon(fd: Frontdesk, clock: ManualClock) -> None:
    monday = date(2026, 11, 23)
    # Now is Monday 09:00; passports need 2 h notice.
    assert times(fd.booking.free_slots("passport", monday, monday))[0] == "11:00"
    clock.advance(minutes=20)
    assert times(fd.booking.free_slots("passport", monday, monday))[0] == "11:30"
    # Thirty days ahead is Wednesday 23 December 09:20, in the staff meeting.
    late = (date(2026, 12, 20), date(2027, 1, 10))
    assert fd.booking.free_slots("passport", *late)[-1].start == at(22, 14, 45, month=12)
    clock.advance(hours=1)
    # Now 10:20: the horizon is 23 December 10:20, so 10:15 is the last start.
    assert times(fd.booking.free_slots("passport", *late)[-2:]) == ["10:00", "10:15"]


def test_next_free_today_for_a_walk_in(fd: Frontdesk, clock: ManualClock) -> None:
    clock.set(at(24, 9, 7))
    slots = fd.booking.next_free_today("tax", limit=2)
    assert [s.start for s in slots] == [at(24, 9, 30), at(24, 10, 0)]
    assert fd.booking.next_free_today("tax", limit=0) == []


def test_other_services_on_the_same_counter_take_its_capacity(fd: Frontdesk) -> None:
    tuesday = date(2026, 11, 24)
    before = {s.start: s for s in fd.booking.free_slots("passport", tuesday, tuesday)}
    assert before[at(24, 10, 0)].free == 2
    # A tax booking 10:00-10:30 keeps c1 busy, so passports at 10:00 and 10:15 drop to 1.
    fd.booking.book("tax", at(24, 10, 0), contact=Contact())
    after = {s.start: s for s in fd.booking.free_slots("passport", tuesday, tuesday)}
    assert (after[at(24, 10, 0)].free, after[at(24, 10, 15)].free) == (1, 1)
    assert after[at(24, 10, 30)].free == 2
    assert after[at(24, 9, 45)].free == 1


def _sunday_night(load: Callable[[dict[str, Any]], Config], data: dict[str, Any]) -> Config:
    centre = data["centres"][0]
    centre["opening_hours"]["sun"] = "00:00-06:00"
    centre["day_reset"] = "00:00"  # open across 04:00: the service day turns at midnight
    centre["public_holidays"] = "none"
    data["services"][1]["booking"]["duration"] = "60 min"
    return load(data)


def test_spring_forward_day_has_no_slot_in_the_missing_hour(
    load: Callable[[dict[str, Any]], Config], data: dict[str, Any]
) -> None:
    config = _sunday_night(load, data)
    slots = day_slots(config, "tax", date(2026, 3, 29))
    # 02:00-03:00 does not exist that night: five hours, five slots.
    assert times(slots) == ["00:00", "01:00", "03:00", "04:00", "05:00"]
    assert [s.start.utcoffset() for s in slots] == [timedelta(hours=1)] * 2 + [
        timedelta(hours=2)
    ] * 3
    assert all(s.end.timestamp() - s.start.timestamp() == 3600 for s in slots)


def test_fall_back_day_has_the_repeated_hour_twice(
    load: Callable[[dict[str, Any]], Config], data: dict[str, Any]
) -> None:
    config = _sunday_night(load, data)
    slots = day_slots(config, "tax", date(2026, 10, 25))
    # 02:00-03:00 happens twice: seven hours, seven slots, each a real hour apart.
    assert times(slots) == ["00:00", "01:00", "02:00", "02:00", "03:00", "04:00", "05:00"]
    utc = [s.start.astimezone(UTC) for s in slots]
    assert all(b - a == timedelta(hours=1) for a, b in itertools.pairwise(utc))
    assert utc[0] == datetime(2026, 10, 24, 22, 0, tzinfo=UTC)


def test_weekday_after_the_change_keeps_local_hours(config: Config) -> None:
    before = day_slots(config, "tax", date(2026, 3, 27))
    after = day_slots(config, "tax", date(2026, 3, 30))
    assert times(before) == times(after)
    assert before[0].start.utcoffset() == timedelta(hours=1)
    assert after[0].start.utcoffset() == timedelta(hours=2)


def test_reminder_offsets_count_real_hours_across_the_change(
    make_frontdesk: MakeFrontdesk,
    load: Callable[[dict[str, Any]], Config],
    data: dict[str, Any],
) -> None:
    clock = ManualClock(datetime(2026, 3, 27, 9, 0, tzinfo=CPH))
    fd = make_frontdesk(_sunday_night(load, data), clock=clock)
    fd.booking.book("tax", datetime(2026, 3, 29, 4, 0, tzinfo=CPH), contact=Contact())
    due = {r.before: r.due_at for r in fd.booking.due_reminders(datetime(2026, 4, 1, tzinfo=CPH))}
    # 04:00 CEST is 02:00 UTC: two real hours before is 01:00 CET, a day before is
    # Saturday 03:00 CET (adding on the wall clock would give 02:00, which never happens,
    # and Saturday 04:00).
    assert due[timedelta(hours=2)].astimezone(UTC) == datetime(2026, 3, 29, 0, 0, tzinfo=UTC)
    assert due[timedelta(hours=2)].strftime("%H:%M") == "01:00"
    assert due[timedelta(hours=24)] == datetime(2026, 3, 28, 3, 0, tzinfo=CPH)


@given(
    st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 1, 1)),
    st.sampled_from([CPH, UTC]),
    st.booleans(),
)
def test_epoch_is_the_timestamp_also_when_kept(naive: datetime, tz: Any, fold: bool) -> None:
    moment = naive.replace(tzinfo=tz, fold=int(fold))
    assert epoch(moment) == epoch(moment) == int(moment.timestamp())
    assert epoch(moment.astimezone(UTC)) == int(moment.timestamp())


def test_the_second_of_a_repeated_hour_is_not_taken_for_the_first() -> None:
    first = datetime(2026, 10, 25, 2, 30, tzinfo=CPH)  # summer time ends at 03:00
    second = first.replace(fold=1)
    assert first == second  # one wall time, one timezone: equal, and one key of a dict
    assert epoch(first) == int(first.timestamp())
    assert epoch(second) == epoch(first) + 3600
    assert epoch(first) == int(first.timestamp())
