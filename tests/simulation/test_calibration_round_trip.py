"""Calibration's round trip: a known truth played onto a store comes back within its errors.

The truth is played by a plain script of public API calls (``truth_log``), not by the
simulator: Poisson walk-ins per errand and hour, a card forgotten by 30% in the
morning and 10% after noon, tax arrears (referred elsewhere) for 10% and 40%, gamma,
exponential and lognormal service times, c2 on duty in the morning only and the tax
queue served by c3 alone. The scenario calibrated from that log must give back every
figure within its standard error, and simulate to the log's waits.

The waits: the simulated mean wait of each queue must lie in
the log's own 95% interval (from its twenty per-day means). Per-day mean waits of a
queue with one counter are skewed, so such an interval covers the truth less often
than it says; the tax queue's load is kept light (about a quarter of its counter)
for the comparison to mean something.

"Within its standard error" is ``Z`` standard errors: the test makes about sixty such
comparisons, and ``Z`` keeps the chance that any of them fails by chance below 1%
(Bonferroni), so a failure means calibration is off, not that the dice were unkind.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterator
from pathlib import Path
from statistics import NormalDist
from typing import Any

import pytest

from frontdesk_core.api import load_config
from frontdesk_core.simulation.calibration import MIN_HOUR_WALKS, calibrate, dump_yaml
from frontdesk_core.simulation.results import SimulationResult, estimate
from frontdesk_core.simulation.runner import SerialExecutor, run
from frontdesk_core.simulation.scenario import load_scenario
from frontdesk_core.store import open_store
from simulation import truth_log
from simulation.truth_log import CARD, DAYS, ERRANDS, ID, JOB, TAX, Errand, Log

Z = NormalDist().inv_cdf(1 - 0.01 / 2 / 60)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> tuple[Log, dict[str, Any], Path]:
    """The truth played onto a store, and the scenario calibrated from it (written out)."""
    folder = tmp_path_factory.mktemp("round-trip")
    db = folder / "log.db"
    log = truth_log.play(str(db))
    store = open_store(str(db))
    try:
        data = calibrate(store, load_config(truth_log.CONFIG), config_path=str(truth_log.CONFIG))
    finally:
        store.close()
    path = folder / "calibrated.yaml"
    path.write_text(dump_yaml(data), encoding="utf-8")
    return log, data, path


@pytest.fixture(scope="module")
def simulated(played: tuple[Log, dict[str, Any], Path]) -> SimulationResult:
    """Four replications of the calibrated scenario."""
    return run(load_scenario(played[2]), replications=4, executor=SerialExecutor())


def _within(found: float, truth: float, standard_error: float) -> bool:
    return abs(found - truth) <= Z * standard_error


def _streams(data: dict[str, Any], service: str | None) -> list[dict[str, Any]]:
    return [s for s in data["arrivals"] if s.get("service") == service]


def _hours(key: str) -> tuple[float, float]:
    start, end = (int(p[:2]) * 60 + int(p[3:]) for p in key.split("-"))
    return start, end


def _rates(data: dict[str, Any], errand: Errand, log: Log) -> Iterator[tuple[int, float, float]]:
    """Per hour of the day: the calibrated rate (per hour of opening, all weekdays together;
    an hour the log saw nobody in has none, and counts as 0) and the hours open behind it."""
    seen = {w: sum(WEEKDAYS[d.weekday()] == w for d in DAYS) for w in WEEKDAYS}
    citizens: dict[int, float] = {}
    for stream in _streams(data, errand.service):
        (weekday,) = stream["weekdays"]
        for key, rate in stream["per_hour"].items():
            start, end = _hours(key)
            hour = int(start // 60)
            citizens[hour] = citizens.get(hour, 0.0) + rate * (end - start) / 60 * seen[weekday]
    for hour, open_hours in sorted(log.open_hours.items()):
        yield hour, citizens.get(hour, 0.0) / open_hours, open_hours


def test_arrival_rates_come_back_per_errand_and_hour(played: Any) -> None:
    log, data, _ = played
    for errand in ERRANDS:
        for hour, rate, open_hours in _rates(data, errand, log):
            truth = errand.rates(hour)
            error = math.sqrt(truth / open_hours)  # Poisson counts over the hours open
            assert _within(rate, truth, error), (errand.button, hour, rate, truth)
    (thursday,) = [s for s in _streams(data, CARD.service) if s["weekdays"] == ["thu"]]
    assert "17:00-17:30" in thursday["per_hour"]  # the half hour as the centre opened it
    assert all(set(s["answers"]["errand"]) == {"job"} for s in _streams(data, JOB.service))


@pytest.mark.parametrize(
    ("errand", "where"),
    [(CARD, ("missing_documents", "card")), (TAX, ("answers", "tax-kind", "debt"))],
    ids=["sent home without the card", "referred for tax arrears"],
)
def test_shares_turned_away_come_back_per_errand_and_hour(
    played: Any, errand: Errand, where: tuple[str, ...]
) -> None:
    log, data, _ = played
    streams = _streams(data, errand.service)
    for stream in streams:
        whole_day = _dig(stream, where)
        truth, walks = log.share(errand)
        assert _within(whole_day, truth, math.sqrt(truth * (1 - truth) / walks))
        by_hour = stream.get("by_hour", {})
        estimated = []
        for hour in range(9, 18):
            walks = log.walks[(errand.service, hour)]
            key = f"{hour:02d}:00-{hour + 1:02d}:00"
            if walks < MIN_HOUR_WALKS:
                assert key not in by_hour  # too few: the whole day's share stands
                continue
            estimated.append(hour)
            truth = errand.turned(hour)
            found = _dig(by_hour[key], where)
            assert _within(found, truth, math.sqrt(truth * (1 - truth) / walks)), (hour, found)
        # 09:00 to 15:00 on every day; Thursday's last half hour falls back to the whole day.
        assert estimated[:6] == list(range(9, 15)) and 17 not in estimated
        for walk in by_hour.values():  # every option the day saw, an hour's 0 included
            for question, weights in walk.get("answers", {}).items():
                assert set(weights) == set(stream["answers"][question])


def _dig(data: Any, where: tuple[str, ...]) -> float:
    for key in where:
        data = data[key]
    return float(data)


def test_service_times_come_back_with_their_family(played: Any) -> None:
    log, data, _ = played
    times = data["service_times"]
    for errand in (CARD, ID, TAX):
        assert errand.service is not None
        found = times[errand.service]
        assert found["distribution"] == errand.family, errand.service
        count = len(log.served[errand.service])
        mean = float(found["mean"].removesuffix(" s")) / 60
        assert _within(mean, errand.mean, errand.sd / math.sqrt(count))
        if errand.family != "exponential":  # its sd is its mean
            sd = float(found["sd"].removesuffix(" s")) / 60
            # The sample sd's standard error: sd * sqrt((kurtosis - 1) / (4 n)).
            error = errand.sd * math.sqrt((errand.kurtosis - 1) / (4 * count))
            assert _within(sd, errand.sd, error), (errand.service, sd)


def test_staffing_comes_back_by_name_per_hour(played: Any) -> None:
    _, data, _ = played
    found = {
        (rule["weekdays"][0], int(rule["hours"][:2])): rule["counters"] for rule in data["staffing"]
    }
    expected = {
        (WEEKDAYS[day.weekday()], hour): truth_log.on_duty(day, hour)
        for day in DAYS
        for hour in range(9, math.ceil(truth_log.closing(day) / 60))
    }
    assert found == expected
    assert found[("mon", 10)] == ["c1", "c2", "c3"] and found[("mon", 13)] == ["c1", "c3"]


def test_the_calibrated_scenario_simulates_to_the_logs_waits(
    played: Any, simulated: SimulationResult
) -> None:
    log, _, _ = played
    for queue in truth_log.QUEUES:
        per_day = [statistics.fmean(log.waits[(queue, day)]) for day in DAYS]
        logged = estimate(per_day)
        simulated_wait = simulated.record(queue).wait_mean
        assert logged.low <= simulated_wait <= logged.high, (queue, logged, simulated_wait)


@pytest.mark.parametrize(
    ("queue", "errand", "figure"),
    [("general", CARD, "sent_home"), ("tax", TAX, "referred")],
)
def test_those_turned_away_are_simulated_under_their_queue_at_their_hours(
    played: Any, simulated: SimulationResult, queue: str, errand: Errand, figure: str
) -> None:
    log, _, _ = played
    for hours in (range(9, 12), range(12, 15)):
        logged = sum(log.turned[(errand.service, h)] for h in hours) / len(DAYS)
        found = sum(getattr(simulated.record(queue, h), figure) for h in hours)
        # Poisson counts per day: the log's ten days and the simulation's forty.
        error = math.sqrt(logged / len(DAYS) + logged / (4 * len(DAYS)))
        assert _within(found, logged, error), (queue, hours, found, logged)
    kiosk = [q for q in simulated.queues() if q.endswith("/kiosk")]
    assert all(simulated.record(q).sent_home == 0 for q in kiosk)
