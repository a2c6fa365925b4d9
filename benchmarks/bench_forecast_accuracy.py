"""How close each wait forecast comes to the wait citizens had: QL, LES, HOL and SIM.

Run: ``.venv/bin/python benchmarks/bench_forecast_accuracy.py [DAYS]``

Each example scenario (København normal, peak and 70% booked; Hvidovre) is
simulated for DAYS days (default 3), the truth. Every fourth counted ticket is
forecast at the moment it is issued by today's queue-length estimate (QL), the
last-to-enter-service delay (LES), the head-of-the-line delay (HOL) (Ibrahim and
Whitt 2011) and the forward simulation (SIM, 12 runs of the rest of the day from
a snapshot of the day's engines); the actual wait is the time to its call
(:mod:`frontdesk_core.forecast.accuracy`). Printed per scenario: RMSE in minutes
and the share within ±5 minutes, and SIM's RMSE against the best of the others.
Target: SIM at least 30% below the best on the peak and 70%-booked days, and
never worse anywhere.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from frontdesk_core.forecast.accuracy import PREDICTORS, accuracy, replay
from frontdesk_core.plugins import Hooks, make_plugin_manager
from frontdesk_core.simulation.scenario import load_scenario

EXAMPLES = Path(__file__).parents[1] / "examples"
SCENARIOS = {
    "København normal": EXAMPLES / "kobenhavn" / "scenarios" / "normal-day.yaml",
    "København peak": EXAMPLES / "kobenhavn" / "scenarios" / "peak-day.yaml",
    "København 70% booked": EXAMPLES / "kobenhavn" / "scenarios" / "booked-70.yaml",
    "Hvidovre": EXAMPLES / "hvidovre" / "scenarios" / "tuesday.yaml",
}
TARGETED = ("København peak", "København 70% booked")
REDUCTION = 0.30


def main() -> int:
    days = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    hooks = Hooks(make_plugin_manager(load_entrypoints=False))
    print(f"{'scenario':<22} {'n':>4}  " + "  ".join(f"{p:>13}" for p in PREDICTORS)
          + "   SIM vs best   target")  # fmt: skip
    print(f"{'':<22} {'':>4}  " + "  ".join(f"{'RMSE  ±5min':>13}" for _ in PREDICTORS))
    for name, path in SCENARIOS.items():
        began = time.perf_counter()
        predictions = replay(load_scenario(path), days, hooks=hooks, every=4, replications=12)
        rows = {a.predictor: a for a in accuracy(predictions)}
        best = min(rows[p].rmse for p in PREDICTORS if p != "SIM")
        reduction = 1 - rows["SIM"].rmse / best if best else 0.0
        wanted = REDUCTION if name in TARGETED else 0.0
        verdict = "met" if reduction >= wanted else "NOT met"
        cells = "  ".join(f"{rows[p].rmse:6.2f} {rows[p].within:5.0%}" for p in PREDICTORS)
        took = time.perf_counter() - began
        print(f"{name:<22} {rows['SIM'].count:>4}  {cells}   {reduction:+10.0%}   "
              f"≥{wanted:.0%} {verdict}  ({took:.0f} s)")  # fmt: skip
    print(f"RMSE in minutes over the tickets every predictor had an estimate for; {days} days each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
