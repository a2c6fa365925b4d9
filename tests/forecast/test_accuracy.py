"""The accuracy comparison at a small scale: on the peak day the forward simulation beats
the queue-length, last-to-enter-service and head-of-the-line predictors."""

from __future__ import annotations

import math
from pathlib import Path

from frontdesk_core.forecast.accuracy import PREDICTORS, Prediction, accuracy, replay
from frontdesk_core.plugins import Hooks, make_plugin_manager
from frontdesk_core.simulation.scenario import load_scenario

PEAK = Path(__file__).parents[2] / "examples" / "kobenhavn" / "scenarios" / "peak-day.yaml"


def test_on_the_peak_day_the_simulation_forecasts_waits_best() -> None:
    hooks = Hooks(make_plugin_manager(load_entrypoints=False))
    predictions = replay(load_scenario(PEAK), 1, hooks=hooks, every=8, replications=6)
    assert len(predictions) >= 15
    assert all(p.actual is not None and p.actual >= 0 for p in predictions)
    rows = {a.predictor: a for a in accuracy(predictions)}
    assert set(rows) == set(PREDICTORS) and rows["SIM"].count >= 15
    best_other = min(rows[p].rmse for p in ("QL", "LES", "HOL"))
    assert rows["SIM"].rmse < best_other


def test_accuracy_counts_only_tickets_every_predictor_had() -> None:
    both = Prediction("a", "q", 0.0, {"QL": 4.0, "SIM": 2.0}, actual=2.0)
    partial = Prediction("b", "q", 0.0, {"QL": 9.0, "SIM": None}, actual=1.0)
    rows = {a.predictor: a for a in accuracy([both, partial], ("QL", "SIM"))}
    assert rows["QL"].count == 1 and rows["QL"].rmse == 2.0 and rows["QL"].within == 1.0
    assert rows["SIM"].rmse == 0.0
    assert math.isnan(accuracy([partial], ("SIM",))[0].rmse)
