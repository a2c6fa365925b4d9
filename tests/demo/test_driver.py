"""The demo's driver: a scenario's citizens and employees through the real engines."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from frontdesk_core.config.loader import load_config
from frontdesk_core.demo import DemoDriver, DemoStep, RunningClock, demo_morning
from frontdesk_core.demo.driver import EMPLOYEE_PREFIX
from frontdesk_core.opening import OpeningCalendar
from frontdesk_core.simulation.scenario import load_scenario
from frontdesk_core.testing import MakeFrontdesk

CPH = ZoneInfo("Europe/Copenhagen")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


class Ticks:
    """A wall clock the test moves."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self) -> float:
        return self.seconds


def test_the_clock_starts_on_a_weekday_morning_and_runs_forward() -> None:
    config = load_config(EXAMPLES / "kobenhavn")
    calendar = OpeningCalendar(config.centre("nyropsgade"), CPH)
    # Saturday night, 5 December 2026: the demo opens on Monday at 10:30.
    start = demo_morning(calendar, date(2026, 12, 5))
    assert start == datetime(2026, 12, 7, 10, 30, tzinfo=CPH)
    # Christmas Eve and the holidays after it are skipped too.
    assert demo_morning(calendar, date(2026, 12, 24)).date() == date(2026, 12, 28)
    ticks = Ticks()
    clock = RunningClock(start, speed=2.0, ticks=ticks)
    assert clock.now() == start
    ticks.seconds = 90
    assert clock.now() == start + timedelta(minutes=3)
    with pytest.raises(ValueError):
        RunningClock(start.replace(tzinfo=None))


def test_citizens_arrive_are_served_and_the_visitor_counter_is_left_free(
    make_frontdesk: MakeFrontdesk,
) -> None:
    config = load_config(EXAMPLES / "kobenhavn")
    start = demo_morning(OpeningCalendar(config.centre("nyropsgade"), CPH), date(2026, 12, 7))
    ticks = Ticks()
    clock = RunningClock(start, ticks=ticks)
    fd = make_frontdesk(config, clock=clock)
    scenario = load_scenario(EXAMPLES / "kobenhavn" / "scenarios" / "normal-day.yaml", config)
    driver = DemoDriver(fd, scenario, seed=7)
    total = DemoStep()
    called_on_screen = 0
    for _ in range(2 * 60 * 2):  # two hours in steps of 30 seconds
        ticks.seconds += 30
        step = driver.step()
        total = DemoStep(
            *(a + b for a, b in zip(vars(total).values(), vars(step).values(), strict=True))
        )
        called_on_screen = max(called_on_screen, len(fd.queues.screen("nyropsgade").called))
    assert total.arrived > 40 and total.tickets > 20
    assert total.called >= total.finished > 20
    assert total.booked > 0 and total.checked_in > 0
    assert called_on_screen >= 3
    counters = {c.id: c for c in fd.queues.counters("nyropsgade")}
    assert counters["skranke-6"].employee_ref is None  # left for a visitor
    assert all(
        (c.employee_ref or "").startswith(EMPLOYEE_PREFIX)
        for i, c in counters.items()
        if i != "skranke-6"
    )
    assert fd.referral.stats().completed >= total.tickets
    # A visitor signs in at the free counter; the demo never touches it.
    fd.queues.sign_in("skranke-6", "visitor")
    for _ in range(20):
        ticks.seconds += 30
        driver.step()
    assert fd.queues.counter("skranke-6").employee_ref == "visitor"
