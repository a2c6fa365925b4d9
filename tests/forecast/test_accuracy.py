"""The accuracy comparison at a small scale: on the peak day and on the 70%-booked day the
forward simulation beats the queue-length, last-to-enter-service and head-of-the-line
predictors (the direction of the benchmark's target, on three days each)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from frontdesk_core.forecast.accuracy import (
    PREDICTORS,
    Prediction,
    accuracy,
    calibrated_history,
    reduction,
    reduction_interval,
    replay,
)
from frontdesk_core.plugins import Hooks, make_plugin_manager
from frontdesk_core.simulation.scenario import load_scenario

SCENARIOS = Path(__file__).parents[2] / "examples" / "kobenhavn" / "scenarios"


@pytest.mark.parametrize("scenario", ["peak-day.yaml", "booked-70.yaml"])
def test_the_simulation_forecasts_waits_best_where_the_target_asks_it(scenario: str) -> None:
    hooks = Hooks(make_plugin_manager(load_entrypoints=False))
    loaded = load_scenario(SCENARIOS / scenario)
    # Three days: one day's few tickets can go either way (the benchmark gives the spread).
    # The model is calibrated from a log of four earlier weeks, as a live system's is.
    predictions = replay(loaded, 3, hooks=hooks, every=8, replications=6, calibrated=4)
    assert len(predictions) >= 40
    assert all(p.actual is not None and p.actual >= 0 for p in predictions)
    rows = {a.predictor: a for a in accuracy(predictions)}
    assert set(rows) == set(PREDICTORS) and rows["SIM"].count >= 40
    best_other = min(rows[p].rmse for p in ("QL", "LES", "HOL"))
    assert rows["SIM"].rmse < best_other
    assert reduction(predictions) == pytest.approx(1 - rows["SIM"].rmse / best_other)
    assert reduction(predictions) > 0


def test_accuracy_counts_only_tickets_every_predictor_had() -> None:
    both = Prediction("a", "q", 0.0, {"QL": 4.0, "SIM": 2.0}, actual=2.0)
    partial = Prediction("b", "q", 0.0, {"QL": 9.0, "SIM": None}, actual=1.0)
    rows = {a.predictor: a for a in accuracy([both, partial], ("QL", "SIM"))}
    assert rows["QL"].count == 1 and rows["QL"].rmse == 2.0 and rows["QL"].within == 1.0
    assert rows["SIM"].rmse == 0.0
    assert math.isnan(accuracy([partial], ("SIM",))[0].rmse)


def test_the_interval_resamples_whole_days() -> None:
    # SIM is right on day one and as wrong as QL on day two: about half QL's error overall.
    good = [Prediction(str(i), "q", 0.0, {"QL": 4.0, "SIM": 2.0}, actual=2.0) for i in range(5)]
    bad = [Prediction(str(i), "q", 0.0, {"QL": 6.0, "SIM": 6.0}, actual=2.0) for i in range(5)]
    pair = ("QL", "SIM")
    figure = reduction_interval([good, bad], predictors=pair, resamples=200)
    assert figure.value == pytest.approx(1 - math.sqrt(8) / math.sqrt(10))
    # Resampling days: both good (SIM 100% better), both bad (0%), or one of each.
    assert figure.low == pytest.approx(0.0) and figure.high == pytest.approx(1.0)
    assert reduction_interval([good], predictors=pair).low == pytest.approx(1.0)


def test_the_model_is_calibrated_from_earlier_weeks_of_the_same_weekday() -> None:
    hooks = Hooks(make_plugin_manager(load_entrypoints=False))
    loaded = load_scenario(SCENARIOS / "peak-day.yaml")
    model = calibrated_history(loaded, 2, hooks=hooks)
    weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[loaded.dates[0].weekday()]
    assert model.scenario.days is not None and len(model.scenario.days) == 2
    assert all((loaded.dates[0] - d).days in (7, 14) for d in model.scenario.days)
    assert all(weekday in (s.weekdays or ()) for s in model.scenario.arrivals)
    assert "passport" in model.scenario.service_times and model.scenario.staffing
