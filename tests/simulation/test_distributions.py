"""Duration models drawn from uniform numbers alone keep the mean and spread a planner wrote."""

from __future__ import annotations

import random
import statistics
from datetime import timedelta

import pytest

from frontdesk_core.simulation.distributions import (
    Empirical,
    Exponential,
    Gamma,
    LogNormal,
    normal,
)
from frontdesk_core.simulation.streams import CitizenDraws, Purpose

MIN = timedelta(minutes=1)


class Counted(random.Random):
    """Counts the uniform numbers taken."""

    taken = 0

    def random(self) -> float:
        self.taken += 1
        return super().random()


@pytest.mark.parametrize(
    ("model", "mean", "sd"),
    [
        (Exponential(distribution="exponential", mean=4 * MIN), 4.0, 4.0),
        (LogNormal(distribution="lognormal", mean=10 * MIN, sd=4 * MIN), 10.0, 4.0),
        (Gamma(distribution="gamma", mean=14 * MIN, sd=8 * MIN), 14.0, 8.0),
        (Gamma(distribution="gamma", mean=2 * MIN, sd=4 * MIN), 2.0, 4.0),  # shape below 1
    ],
)
def test_mean_and_spread(model: Exponential | LogNormal | Gamma, mean: float, sd: float) -> None:
    rng = random.Random(1)
    samples = [model.sample(rng) for _ in range(60_000)]
    assert min(samples) > 0
    assert statistics.fmean(samples) == pytest.approx(mean, rel=0.03)
    assert statistics.stdev(samples) == pytest.approx(sd, rel=0.05)
    # A citizen's own draws will do as well as a stream.
    own = [model.sample(CitizenDraws(key, Purpose.SERVICE)) for key in range(60_000)]
    assert statistics.fmean(own) == pytest.approx(mean, rel=0.03)


def test_inversion_takes_one_number_per_sample() -> None:
    rng = Counted(2)
    for model in (
        Exponential(distribution="exponential", mean=4 * MIN),
        LogNormal(distribution="lognormal", mean=10 * MIN, sd=4 * MIN),
        Empirical(distribution="empirical", samples=[MIN, 2 * MIN]),
    ):
        before = rng.taken
        model.sample(rng)
        assert rng.taken == before + 1
    before = rng.taken
    normal(rng, 2.0, 3.0)
    assert rng.taken == before + 1


def test_normal_keeps_its_mean_and_spread() -> None:
    rng = random.Random(3)
    samples = [normal(rng, 2.0, 3.0) for _ in range(50_000)]
    assert statistics.fmean(samples) == pytest.approx(2.0, abs=0.05)
    assert statistics.stdev(samples) == pytest.approx(3.0, rel=0.03)
