"""Calibration's round trip: a known truth played onto a store comes back within its errors.

Ten weekdays of the scenario ``data/truth/truth.yaml`` are played through the real
engines onto one store (walk-ins per errand and hour, a document forgotten by one
in five, one tax citizen in four referred elsewhere, citizens who belong elsewhere,
a gamma and a lognormal service time, counters c1 and c3 on duty). The scenario
calibrated from that log must give back every figure within three standard errors
of the truth, and simulate to the log's waits.
"""

from __future__ import annotations

import math
import random
import statistics
from pathlib import Path
from typing import Any

import pytest

from frontdesk_core.simulation.calibration import calibrate, dump_yaml
from frontdesk_core.simulation.model import DaySimulation
from frontdesk_core.simulation.results import DayObservations, estimate, replication_metrics
from frontdesk_core.simulation.runner import SerialExecutor, run
from frontdesk_core.simulation.scenario import LoadedScenario, load_scenario
from frontdesk_core.store import open_store

TRUTH = Path(__file__).parent / "data" / "truth"


@pytest.fixture(scope="module")
def played(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[LoadedScenario, list[DayObservations], dict[str, Any]]:
    """The truth played onto a store, and the scenario calibrated from it."""
    truth = load_scenario(TRUTH / "truth.yaml")
    folder = tmp_path_factory.mktemp("round-trip")
    db = folder / "log.db"
    days = [
        DaySimulation(truth, day, random.Random(index), store=str(db)).run()
        for index, day in enumerate(truth.dates)
    ]
    store = open_store(str(db))
    try:
        data = calibrate(store, truth.config, config_path=str(TRUTH / "frontdesk.yaml"))
    finally:
        store.close()
    (folder / "calibrated.yaml").write_text(dump_yaml(data), encoding="utf-8")
    return truth, days, data


def _per_day(stream: dict[str, Any]) -> float:
    """Citizens a day in a calibrated stream: its rates over the minutes of their ranges."""
    total = 0.0
    for key, rate in stream["per_hour"].items():
        start, end = (int(p[:2]) * 60 + int(p[3:]) for p in key.split("-"))
        total += rate * (end - start) / 60
    return total


def _streams(data: dict[str, Any], service: str | None) -> list[dict[str, Any]]:
    return [s for s in data["arrivals"] if s.get("service") == service]


def _within(found: float, truth: float, standard_error: float) -> bool:
    return abs(found - truth) <= 3 * standard_error


def test_arrival_rates_come_back_per_errand_and_weekday(played: Any) -> None:
    truth, _, data = played
    hours = {"thu": 8.5}  # Thursday is open to 17:30: its last half hour is not halved
    for service, rates in (("card_errand", (10, 3, 6)), ("tax_errand", (4, 0, 4))):
        for stream in _streams(data, service):
            (weekday,) = stream["weekdays"]
            seen = sum(WEEKDAY[d.weekday()] == weekday for d in truth.dates)
            open_hours = hours.get(weekday, 6.0)
            expected = rates[0] * 3 + rates[2] * (open_hours - 3)
            error = math.sqrt(expected / seen)  # Poisson counts over the days seen
            assert _within(_per_day(stream), expected, error), (service, weekday)
        (thursday,) = [s for s in _streams(data, service) if s["weekdays"] == ["thu"]]
        assert "17:00-17:30" in thursday["per_hour"]  # the half hour as the centre opened it
        late = thursday["per_hour"]["17:00-17:30"]
        assert _within(late, rates[2], math.sqrt(rates[2] * 0.5 / 2) / 0.5)
    elsewhere = _streams(data, None)
    assert elsewhere and all(set(s["answers"]["errand"]) == {"job"} for s in elsewhere)


def test_shares_sent_home_and_referred_come_back_per_errand(played: Any) -> None:
    _, days, data = played
    card = _streams(data, "card_errand")[0]
    tax = _streams(data, "tax_errand")[0]
    sent_home = sum(c.sent_home for d in days for (q, _), c in d.cells.items() if q == "general")
    card_paths = sent_home + sum(
        c.arrivals for d in days for (q, _), c in d.cells.items() if q == "general"
    )
    share = card["missing_documents"]["card"]
    assert _within(share, 0.2, math.sqrt(0.2 * 0.8 / card_paths))
    referred = sum(c.referred for d in days for (q, _), c in d.cells.items() if q == "tax")
    tax_paths = referred + sum(
        c.arrivals for d in days for (q, _), c in d.cells.items() if q == "tax"
    )
    debt = tax["answers"]["tax-kind"]["debt"]
    assert _within(debt, 0.25, math.sqrt(0.25 * 0.75 / tax_paths))
    assert sent_home > 0 and referred > 0  # counted under their errand's queue in the log


def test_service_times_come_back_with_their_family(played: Any) -> None:
    _, _, data = played
    times = data["service_times"]
    for service, family, mean, sd, count in (
        ("card_errand", "gamma", 6.0, 3.0, 400),
        ("tax_errand", "lognormal", 8.0, 6.0, 150),
    ):
        found = times[service]
        assert found["distribution"] == family
        found_mean = float(found["mean"].removesuffix(" s")) / 60
        found_sd = float(found["sd"].removesuffix(" s")) / 60
        assert _within(found_mean, mean, sd / math.sqrt(count))
        assert _within(found_sd, sd, sd / math.sqrt(count))


def test_staffing_comes_back_by_name(played: Any) -> None:
    _, _, data = played
    assert data["staffing"]
    assert all(rule["counters"] == ["c1", "c3"] for rule in data["staffing"])


def test_the_calibrated_scenario_simulates_to_the_logs_waits(played: Any, tmp_path: Path) -> None:
    _, days, data = played
    path = tmp_path / "calibrated.yaml"
    path.write_text(dump_yaml(data), encoding="utf-8")
    calibrated = load_scenario(path)
    result = run(calibrated, replications=4, executor=SerialExecutor())
    for queue in ("general", "tax"):
        per_day = [replication_metrics([d])[(queue, None)]["wait_mean"] for d in days]
        logged = estimate(per_day)
        assert result.record(queue).arrivals > 0  # the tax queue's only counter is on duty
        simulated = result.record(queue).wait_mean
        assert logged.low <= simulated <= logged.high, (queue, logged, simulated)
    tickets = statistics.fmean(sum(c.arrivals for c in d.cells.values()) for d in days)
    simulated_tickets = sum(result.record(q).arrivals for q in ("general", "tax"))
    assert _within(simulated_tickets, tickets, math.sqrt(tickets / len(days)))


WEEKDAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
