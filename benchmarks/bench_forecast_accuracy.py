"""How close each wait forecast comes to the wait citizens had: QL, LES, HOL and SIM.

Run: ``.venv/bin/python benchmarks/bench_forecast_accuracy.py [DAYS] [--model scenario]``

Each example scenario (København normal, peak and 70% booked; Hvidovre) is
simulated for DAYS days (default 10), the truth. Every fourth counted ticket is
forecast at the moment it is issued by today's queue-length estimate (QL), the
last-to-enter-service delay (LES), the head-of-the-line delay (HOL) (Ibrahim and
Whitt 2011) and the forward simulation (SIM, 12 runs of the rest of the day from
a snapshot of the day's engines); the actual wait is the time to its call
(:mod:`frontdesk_core.forecast.accuracy`). The forward simulation's model is what a
live system has: calibrated from its own log, here four earlier weeks of the same
weekday simulated with draws of their own; ``--model scenario`` gives it the
scenario itself instead (the model a long log converges to). Printed per scenario:
RMSE in minutes and the share within ±5 minutes over all the days' tickets; SIM's
RMSE against the best of the others with a 95% bootstrap interval that resamples whole days; and
the spread of that figure day by day (lowest, median, highest; days on which SIM
was not worse than the best). Target: SIM at least 30% below the best on the peak
and 70%-booked days, and never worse anywhere ("met" on the figure over all days;
"sure" when the whole interval is on the right side).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from frontdesk_core.forecast.accuracy import (
    PREDICTORS,
    accuracy,
    reduction,
    reduction_interval,
    replay_days,
)
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


HISTORY_WEEKS = 4


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    days = int(args[0]) if args else 10
    scenario_model = "--model" in sys.argv and sys.argv[-1] == "scenario"
    weeks = 0 if scenario_model else HISTORY_WEEKS
    hooks = Hooks(make_plugin_manager(load_entrypoints=False))
    model = "the scenario itself" if scenario_model else f"calibrated from {weeks} weeks of log"
    print(f"SIM's model: {model}")
    print(f"{'scenario':<22} {'n':>5}  " + "  ".join(f"{p:>13}" for p in PREDICTORS)
          + "   SIM vs best (95%)      by day: low  median  high  not worse  target")  # fmt: skip
    print(f"{'':<22} {'':>5}  " + "  ".join(f"{'RMSE  ±5min':>13}" for _ in PREDICTORS))
    for name, path in SCENARIOS.items():
        began = time.perf_counter()
        by_day = replay_days(
            load_scenario(path), days, hooks=hooks, every=4, replications=12, calibrated=weeks
        )
        rows = {a.predictor: a for a in accuracy(p for day in by_day for p in day)}
        figure = reduction_interval(by_day)
        daily = sorted(reduction(day) for day in by_day if day)
        wanted = REDUCTION if name in TARGETED else 0.0
        verdict = "NOT met"
        if figure.value >= wanted:
            verdict = "met, sure" if figure.low >= wanted else "met"
        cells = "  ".join(f"{rows[p].rmse:6.2f} {rows[p].within:5.0%}" for p in PREDICTORS)
        took = time.perf_counter() - began
        print(f"{name:<22} {rows['SIM'].count:>5}  {cells}   {figure.value:+5.0%} "
              f"({figure.low:+4.0%} to {figure.high:+4.0%})   {daily[0]:+5.0%} "
              f"{statistics.median(daily):+6.0%} {daily[-1]:+5.0%}  "
              f"{sum(1 for d in daily if d >= 0):>4}/{len(daily):<4}  "
              f"≥{wanted:.0%} {verdict}  ({took:.0f} s)")  # fmt: skip
    print(f"RMSE in minutes over the tickets every predictor had an estimate for; {days} days each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
