"""The planner decides with intervals, names what fails, and writes plans that simulate the same."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from frontdesk_core.config.types import parse_service_level
from frontdesk_core.simulation.erlang import servers_for
from frontdesk_core.simulation.plan_file import write_plan
from frontdesk_core.simulation.planning import (
    judge,
    look_confidence,
    looks,
    plan,
    with_target,
)
from frontdesk_core.simulation.results import DayObservations
from frontdesk_core.simulation.runner import Replications, SerialExecutor, replicate
from frontdesk_core.simulation.scenario import LoadedScenario, load_scenario

MMC = Path(__file__).parent / "data" / "mmc"


def small_day(tmp_path: Path, per_hour: int = 50) -> LoadedScenario:
    """One day of the M/M/c model's centre, ``per_hour`` citizens 10–12, 3 replications."""
    path = tmp_path / "small.yaml"
    path.write_text(
        f"""name: small
config: {MMC / "frontdesk.yaml"}
days: [2026-03-03]
replications: 3
arrivals:
  - service: errand
    per_hour: {{"10:00-12:00": {per_hour}}}
service_times:
  errand: {{distribution: exponential, mean: 4 min}}
""",
        encoding="utf-8",
    )
    return load_scenario(path)


def _targeted(tmp_path: Path) -> LoadedScenario:
    """The small scenario with the target 80% within 5 minutes."""
    loaded = small_day(tmp_path)
    return LoadedScenario(
        loaded.scenario,
        with_target(loaded.config, parse_service_level("80% within 5 minutes")),
        loaded.path,
        loaded.dates,
        loaded.centres,
    )


def _observed(shares: list[float], arrivals: int = 20) -> Replications:
    """Replications of one day in which queue 'q' at 10:00 had ``shares`` within target."""
    days = []
    for share in shares:
        day = DayObservations("2026-03-03", centres={"q": "centre"})
        cell = day.cell("q", 10)
        cell.arrivals = arrivals
        cell.waits = [1.0] * arrivals
        cell.within = round(share * arrivals)
        days.append((day,))
    return Replications("s", 1, (), 0, tuple(days), 0, 0.0)


@pytest.mark.parametrize(
    ("shares", "verdict"),
    [
        ([0.9, 0.95, 0.9, 0.95, 0.9], "met"),
        ([0.5, 0.55, 0.5, 0.55, 0.5], "missed"),
        ([1.0, 0.35, 1.0, 0.6, 0.7], "unclear"),  # 0.73 on average: no verdict yet
        ([0.95], "unclear"),  # one replication gives no interval
    ],
)
def test_an_hour_is_judged_on_its_interval(
    tmp_path: Path, shares: list[float], verdict: str
) -> None:
    loaded = _targeted(tmp_path)
    found = judge(loaded, _observed(shares), 0.95)
    assert found[("centre", 10)]["q"][1] == verdict


def test_each_look_at_a_verdict_is_judged_at_its_share_of_the_confidence(
    tmp_path: Path,
) -> None:
    # 3, then 6, then 10 replications: three looks share the 5% between them.
    assert [looks(3, 3), looks(3, 10), looks(5, 20), looks(2, 16)] == [1, 3, 3, 4]
    assert look_confidence(0.95, 3) == pytest.approx(1 - 0.05 / 3)
    loaded = _targeted(tmp_path)
    # 0.88 on average: met at 95% once, but not when it is one look of three.
    shares = [0.9, 0.8, 0.95, 0.85, 0.9]
    assert judge(loaded, _observed(shares), 0.95)[("centre", 10)]["q"][1] == "met"
    assert judge(loaded, _observed(shares), 1 - 0.05 / 3)[("centre", 10)]["q"][1] == "unclear"
    made = plan(loaded, replications=2, max_replications=8, executor=SerialExecutor())
    assert made.looks == 3 and made.look_confidence == pytest.approx(1 - 0.05 / 3)


def test_a_plan_names_the_queue_and_hour_and_beside_it_plain_erlang_c(tmp_path: Path) -> None:
    target = parse_service_level("80% within 5 minutes")
    made = plan(small_day(tmp_path), target, replications=3, executor=SerialExecutor())
    busy = [h for h in made.hours if h.queues]
    assert [h.hour for h in busy] == [10, 11]
    for hour in busy:
        (queue,) = hour.queues
        assert queue.queue_id == "q" and queue.queue_name == "Queue"
        # Plain Erlang C for this queue alone and its own target, not raised to anything.
        assert queue.erlang == servers_for(queue.arrivals / 60, 4.0, share=0.8, within=5.0)
        assert queue.within.low <= queue.within.mean <= queue.within.high
        assert (queue.verdict == "met") == (queue.within.low >= 0.8)
    assert made.replications >= 3


def test_too_few_counters_are_reported_as_missed_with_the_queue(tmp_path: Path) -> None:
    # 170 an hour for 4 minutes is 11 Erlangs: the centre's 10 counters cannot serve them.
    made = plan(
        small_day(tmp_path, per_hour=170),
        parse_service_level("80% within 5 minutes"),
        replications=2,
        executor=SerialExecutor(),
    )
    assert not made.met and made.verdict == "missed"
    failing = [(h.hour, q.queue_id, q.verdict) for h in made.hours for q in h.failing()]
    assert (11, "q", "missed") in failing


def test_the_written_plan_simulates_to_the_same_verdicts(tmp_path: Path) -> None:
    target = parse_service_level("80% within 5 minutes")
    loaded = small_day(tmp_path)
    made = plan(loaded, target, replications=3, executor=SerialExecutor())
    out = tmp_path / "plans" / "staffing.yaml"
    out.parent.mkdir()
    write_plan(made, loaded, out)
    again = load_scenario(out)
    assert again.scenario.replications == made.replications
    observed = replicate(again, range(again.scenario.replications), executor=SerialExecutor())
    # The same figures to the digit: only the scenario's name differs.
    assert [replace(r, scenario="") for r in observed.result().records] == [
        replace(r, scenario="") for r in made.result.records
    ]
    checked = LoadedScenario(
        again.scenario, with_target(again.config, target), again.path, again.dates, again.centres
    )
    verdicts = judge(checked, observed, made.look_confidence)
    for hour in made.hours:
        for queue in hour.queues:
            assert verdicts[(hour.centre_id, hour.hour)][queue.queue_id][1] == queue.verdict


def test_replications_continue_where_they_stopped(tmp_path: Path) -> None:
    loaded = small_day(tmp_path)
    whole = replicate(loaded, range(4), executor=SerialExecutor())
    parts = replicate(loaded, range(2), executor=SerialExecutor()) + replicate(
        loaded, range(2, 4), executor=SerialExecutor()
    )
    assert parts.result().records == whole.result().records
    with pytest.raises(ValueError, match="follow on"):
        _ = whole + replicate(loaded, range(1, 2), executor=SerialExecutor())
