"""Confidence intervals and pooled metrics."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk_core.simulation.results import (
    DayObservations,
    estimate,
    percentile,
    replication_metrics,
    summarise,
    t_quantile,
    t_quantile_975,
)


def test_t_quantiles() -> None:
    assert t_quantile_975(1) == pytest.approx(12.706)
    assert t_quantile_975(9) == pytest.approx(2.262)
    assert t_quantile_975(60) == pytest.approx(2.000, abs=1e-3)
    assert t_quantile_975(10_000) == pytest.approx(1.960, abs=1e-3)


def test_estimate_of_known_values() -> None:
    found = estimate([1.0, 2.0, 3.0, 4.0, 5.0])
    assert found.mean == 3.0
    half = 2.776 * math.sqrt(2.5) / math.sqrt(5)
    assert (found.low, found.high) == pytest.approx((3 - half, 3 + half))
    assert estimate([math.nan, 2.0]).n == 1
    assert math.isnan(estimate([]).mean)


def test_intervals_cover_the_mean_about_95_percent_of_the_time() -> None:
    rng = random.Random(4)
    covered = sum(
        estimate([rng.gauss(10.0, 2.0) for _ in range(8)]).contains(10.0) for _ in range(2000)
    )
    assert 0.93 < covered / 2000 < 0.97


@given(st.lists(st.floats(0, 1000), min_size=1, max_size=50), st.floats(0, 1))
def test_percentile_lies_within_the_data(values: list[float], share: float) -> None:
    assert min(values) <= percentile(values, share) <= max(values)


def test_metrics_pool_the_days() -> None:
    first, second = DayObservations("a"), DayObservations("b")
    for day, waits in ((first, [0.0, 2.0, 10.0]), (second, [4.0])):
        day.centres["q"] = "c"
        cell = day.cell("q", 10)
        cell.waits += waits
        cell.arrivals += len(waits)
        cell.within += sum(w <= 5 for w in waits)
        cell.waited += sum(w > 0 for w in waits)
        cell.queue_area += 60.0
        cell.busy, cell.duty = 30.0, 60.0
    metrics = replication_metrics([first, second])[("q", 10)]
    assert metrics["arrivals"] == 2.0
    assert metrics["wait_mean"] == 4.0
    assert metrics["within_target"] == 0.75
    assert metrics["waited"] == 0.75
    assert metrics["queue_mean"] == 1.0
    assert metrics["utilisation"] == 0.5
    records = summarise("s", [[first], [second]])
    assert [(r.queue_id, r.hour) for r in records] == [("q", None), ("q", 10)]
    assert records[1].wait_mean == 4.0 and records[1].replications == 2


def test_t_quantiles_at_other_levels() -> None:
    assert t_quantile(0.975, 4) == 2.776
    assert abs(t_quantile(0.95, 10) - 1.8125) < 1e-3
    assert abs(t_quantile(0.995, 3) - 5.8409) < 1e-3
    assert abs(t_quantile(0.9, 200) - 1.2858) < 1e-3


def test_one_replication_gives_no_interval() -> None:
    found = estimate([3.0])
    assert found.mean == 3.0 and math.isnan(found.low) and math.isnan(found.high)
    (day,) = [r for r in summarise("s", [[_one_day()]]) if r.hour is None]
    assert day.wait_mean == 2.0 and math.isnan(day.wait_mean_low)


def _one_day() -> DayObservations:
    day = DayObservations("a", centres={"q": "c"})
    cell = day.cell("q", 10)
    cell.waits, cell.arrivals = [1.0, 3.0], 2
    return day


def test_the_warm_up_and_the_time_after_closing_count_for_no_figure() -> None:
    day = DayObservations("a", centres={"q": "c"}, opening={"c": [(600.0, 720.0)]}, warmup=60.0)
    for hour, busy in ((10, 60.0), (11, 30.0), (12, 5.0)):  # 12: one counter in overtime
        cell = day.cell("q", hour)
        cell.busy, cell.duty = busy, 60.0 if hour < 12 else 5.0
        cell.queue_area, cell.queue_max = 120.0, 4
    cell = day.cell("q", 11)
    cell.arrivals, cell.waits, cell.within = 2, [1.0, 2.0], 2
    metrics = replication_metrics([day])
    assert math.isnan(metrics[("q", 10)]["utilisation"])  # the warm-up
    assert math.isnan(metrics[("q", 12)]["utilisation"])  # not 100% after closing
    assert math.isnan(metrics[("q", 10)]["queue_mean"])
    assert metrics[("q", 11)]["utilisation"] == 0.5
    whole = metrics[("q", None)]
    assert whole["utilisation"] == 0.5 and whole["queue_mean"] == 2.0
    assert whole["wait_mean"] == 1.5
