"""The example scenarios load, run on the real engines, and tell the story they are for."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontdesk_core.simulation.results import SimulationResult
from frontdesk_core.simulation.runner import SerialExecutor, run
from frontdesk_core.simulation.scenario import load_scenario

EXAMPLES = Path(__file__).parents[2] / "examples"
SCENARIOS = sorted(EXAMPLES.glob("*/scenarios/*.yaml"))


def _run(name: str, replications: int = 3) -> SimulationResult:
    return run(
        load_scenario(EXAMPLES / name), replications=replications, seed=1, executor=SerialExecutor()
    )


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_every_example_scenario_runs(path: Path) -> None:
    result = run(load_scenario(path), replications=1, seed=1, executor=SerialExecutor())
    served = sum(r.served for r in result.records if r.hour is None)
    assert served > 50


def test_about_one_in_five_is_sent_home_or_referred_at_the_kiosk() -> None:
    result = _run("kobenhavn/scenarios/normal-day.yaml")
    days = [r for r in result.records if r.hour is None]
    turned = sum(r.sent_home + r.referred for r in days)
    others = sum(r.arrivals + r.no_time_today - r.booked_at_kiosk for r in days)
    came = turned + others
    assert 0.12 < turned / came < 0.3


def test_the_peak_day_waits_longer_and_70_percent_booked_sends_fewer_home() -> None:
    normal = _run("kobenhavn/scenarios/normal-day.yaml")
    peak = _run("kobenhavn/scenarios/peak-day.yaml")
    booked = _run("kobenhavn/scenarios/booked-70.yaml")
    assert peak.record("generel").wait_mean > normal.record("generel").wait_mean
    home = lambda r: sum(x.sent_home for x in r.records if x.hour is None)  # noqa: E731
    assert home(booked) < home(normal)


def test_hvidovre_covers_every_centre() -> None:
    result = _run("hvidovre/scenarios/tuesday.yaml", replications=1)
    centres = {r.centre_id for r in result.records if r.served > 0}
    assert centres == {
        "borgerservice",
        "jobcenter",
        "sundhedscenter",
        "pensionskontor",
        "teknik-kultur",
        "byggesag",
    }
