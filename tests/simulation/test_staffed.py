"""Bookings in a simulated day follow the scenario's staffing."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from frontdesk_core import Frontdesk, make_plugin_manager
from frontdesk_core.clock import ManualClock
from frontdesk_core.config.types import TimeRange
from frontdesk_core.opening.hours import WEEKDAYS
from frontdesk_core.simulation.scenario import StaffingRule, load_scenario
from frontdesk_core.simulation.staffed import intersect, staffed_config

ROOT = Path(__file__).resolve().parents[2]
CPH = ZoneInfo("Europe/Copenhagen")


def test_intersect_keeps_only_the_hours_on_duty() -> None:
    ranges = [TimeRange(time(9), time(12)), TimeRange(time(13), time(17))]
    assert intersect(ranges, [(10 * 60, 14 * 60)]) == [
        TimeRange(time(10), time(12)),
        TimeRange(time(13), time(14)),
    ]
    assert intersect(ranges, []) == []
    assert intersect([TimeRange(time(9), time.max)], [(0, 24 * 60)]) == [
        TimeRange(time(9), time.max)
    ]


def test_an_off_duty_counter_takes_no_bookings_in_the_simulated_day() -> None:
    loaded = load_scenario(ROOT / "examples/kobenhavn/scenarios/normal-day.yaml")
    day = loaded.dates[0]
    rule = StaffingRule.model_validate({"hours": ["10:00-12:00"], "counters": ["skranke-4"]})
    scenario = loaded.scenario.model_copy(update={"staffing": [rule]})
    config = staffed_config(scenario, loaded.config, loaded.centres, day, CPH)
    week = WEEKDAYS[day.weekday()]
    centre = config.centre("nyropsgade")
    hours = {c.id: getattr(c.booking_hours, week) for c in centre.counters}
    assert hours["skranke-5"] == []
    assert hours["skranke-4"] == [TimeRange(time(10), time(12))]

    clock = ManualClock(datetime.combine(day, time(6), CPH))
    pm = make_plugin_manager(load_entrypoints=False)
    with Frontdesk.open(config, store="memory://", clock=clock, plugins=pm) as fd:
        slots = fd.booking.free_slots("tax", day, day)
    # Tax is served by skranke-4 and skranke-5: only skranke-4, only 10-12, one at a time.
    assert slots and all(s.free == 1 for s in slots)
    assert all(time(10) <= s.start.astimezone(CPH).time() < time(12) for s in slots)
