"""Two scenarios compared on the same citizens: paired differences with intervals."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from frontdesk_core.simulation.compare import compare
from frontdesk_core.simulation.runner import Replications, SerialExecutor, replicate
from frontdesk_core.simulation.scenario import load_scenario

MMC = Path(__file__).parent / "data" / "mmc"


def _run(tmp_path: Path, counters: int, reps: int = 6) -> Replications:
    path = tmp_path / f"c{counters}.yaml"
    path.write_text(
        f"""name: {counters} counters
config: {MMC / "frontdesk.yaml"}
days: [2026-03-03]
arrivals:
  - service: errand
    per_hour: {{"10:00-12:00": 50}}
service_times:
  errand: {{distribution: exponential, mean: 4 min}}
staffing:
  - {{hours: "10:00-12:00", counters: {counters}}}
""",
        encoding="utf-8",
    )
    return replicate(load_scenario(path), range(reps), seed=3, executor=SerialExecutor())


def test_the_same_scenario_does_not_differ_from_itself(tmp_path: Path) -> None:
    a = _run(tmp_path, 4)
    for found in compare(a, a):
        assert not found.shown
        assert math.isnan(found.difference.mean) or found.difference.mean == 0.0


def test_paired_differences_are_narrower_than_two_separate_intervals(tmp_path: Path) -> None:
    a, b = _run(tmp_path, 4, reps=20), _run(tmp_path, 5, reps=20)
    found = {d.metric: d for d in compare(a, b) if d.queue_id == "q"}
    # The same citizens arrive in both: their number does not differ at all.
    assert found["arrivals"].difference.mean == 0.0 and not found["arrivals"].shown
    wait = found["wait_mean"]
    assert wait.shown and wait.difference.high < 0  # a fifth counter shortens the wait
    assert wait.difference.mean == pytest.approx(wait.b.mean - wait.a.mean)
    # The same citizens wait longer with four counters than with five on the same days:
    # the paired interval is narrower than the two intervals taken apart would give.
    paired = wait.difference.high - wait.difference.mean
    apart = math.hypot(wait.a.high - wait.a.mean, wait.b.high - wait.b.mean)
    assert paired < 0.8 * apart
    assert found["waited"].share and not found["wait_mean"].share
