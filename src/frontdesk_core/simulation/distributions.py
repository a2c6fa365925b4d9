"""Random durations as scenario models, each able to draw a sample in minutes.

A planner writes ``{distribution: lognormal, mean: 6 min, sd: 3 min}``; the
simulator asks ``sample(rng)`` for minutes. Lognormal and gamma take the mean
and standard deviation a planner measures, not the parameters of the
underlying formulas, which nobody at a counter knows.

Samples are made from uniform numbers alone (``rng.random()``), so that anything
with a ``random()`` method will do: a :class:`random.Random` stream or a citizen's
own :class:`~frontdesk_core.simulation.streams.CitizenDraws`. Every model but gamma
is drawn by inversion, one number per sample, so a different model for one draw
does not move the draws after it; gamma is drawn by rejection (Marsaglia and Tsang),
exact, about two numbers a sample.
"""

from __future__ import annotations

import functools
import math
from datetime import timedelta
from statistics import NormalDist
from typing import Annotated, Literal, Protocol

from pydantic import Field, model_validator

from frontdesk_core.config.types import Duration, Model

_STANDARD_NORMAL = NormalDist()
_TINY = 2.0**-60
"""Stands in for a uniform of exactly 0, where the normal quantile is infinite."""


class Uniforms(Protocol):
    """A source of uniform numbers in [0, 1), such as :class:`random.Random`."""

    def random(self) -> float:
        """The next number in [0, 1)."""
        ...


def minutes(delta: timedelta) -> float:
    """A timedelta in minutes (the simulator's unit of time)."""
    return delta.total_seconds() / 60.0


def standard_normal(rng: Uniforms) -> float:
    """A standard normal number, by inverting its distribution function (one uniform)."""
    return _STANDARD_NORMAL.inv_cdf(rng.random() or _TINY)


def normal(rng: Uniforms, mean: float, sd: float) -> float:
    """A normal number with this mean and standard deviation."""
    return mean + sd * standard_normal(rng)


def _gamma(rng: Uniforms, shape: float, scale: float) -> float:
    """A gamma number by Marsaglia and Tsang's method (2000), exact, from uniforms only.

    About 1.05 tries of one normal and one uniform each for shapes of 1 and more;
    a smaller shape is boosted by one and scaled back with a further uniform.
    """
    boost = 1.0
    if shape < 1.0:
        boost = (rng.random() or _TINY) ** (1.0 / shape)
        shape += 1.0
    d = shape - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        x = standard_normal(rng)
        v = 1.0 + c * x
        if v <= 0.0:
            continue
        v = v * v * v
        u = rng.random() or _TINY
        if math.log(u) < 0.5 * x * x + d - d * v + d * math.log(v):
            return d * v * scale * boost


class Exponential(Model):
    """Memoryless durations with the given mean (the M in M/M/c)."""

    distribution: Literal["exponential"]
    mean: Duration

    @model_validator(mode="after")
    def _positive(self) -> Exponential:
        if self.mean <= timedelta(0):
            raise ValueError("the mean must be longer than zero")
        return self

    def sample(self, rng: Uniforms) -> float:
        """One duration in minutes."""
        return -minutes(self.mean) * math.log(1.0 - rng.random())

    def mean_minutes(self) -> float:
        """The mean in minutes."""
        return minutes(self.mean)


class _MeanSd(Model):
    mean: Duration
    sd: Duration

    @model_validator(mode="after")
    def _positive(self) -> _MeanSd:
        if self.mean <= timedelta(0):
            raise ValueError("the mean must be longer than zero")
        if self.sd <= timedelta(0):
            raise ValueError("the standard deviation 'sd' must be longer than zero")
        return self

    def mean_minutes(self) -> float:
        """The mean in minutes."""
        return minutes(self.mean)


class LogNormal(_MeanSd):
    """Right-skewed durations (most short, a few very long), by mean and standard deviation."""

    distribution: Literal["lognormal"]

    def sample(self, rng: Uniforms) -> float:
        """One duration in minutes."""
        mu, sigma = _lognormal(self.mean, self.sd)
        return math.exp(normal(rng, mu, sigma))


@functools.lru_cache(maxsize=256)
def _lognormal(mean: timedelta, sd: timedelta) -> tuple[float, float]:
    """The underlying normal's mean and standard deviation for a lognormal model (worked
    out once per model: every simulated citizen draws from a few of them)."""
    m, s = minutes(mean), minutes(sd)
    sigma2 = math.log1p((s / m) ** 2)
    return math.log(m) - sigma2 / 2.0, math.sqrt(sigma2)


class Gamma(_MeanSd):
    """Gamma-distributed durations, by mean and standard deviation."""

    distribution: Literal["gamma"]

    def sample(self, rng: Uniforms) -> float:
        """One duration in minutes."""
        mean, sd = minutes(self.mean), minutes(self.sd)
        return _gamma(rng, (mean / sd) ** 2, sd * sd / mean)


class Fixed(Model):
    """Always the same duration."""

    distribution: Literal["fixed"]
    value: Duration

    def sample(self, rng: Uniforms) -> float:
        """The duration in minutes."""
        return minutes(self.value)

    def mean_minutes(self) -> float:
        """The duration in minutes."""
        return minutes(self.value)


class Empirical(Model):
    """Durations drawn from measured samples (for instance from last month's log)."""

    distribution: Literal["empirical"]
    samples: list[Duration] = Field(min_length=1)

    def sample(self, rng: Uniforms) -> float:
        """One of the samples, each equally likely, in minutes."""
        return minutes(self.samples[int(rng.random() * len(self.samples))])

    def mean_minutes(self) -> float:
        """The mean of the samples in minutes."""
        return sum(minutes(s) for s in self.samples) / len(self.samples)


Distribution = Annotated[
    Exponential | LogNormal | Gamma | Fixed | Empirical,
    Field(discriminator="distribution"),
]
"""A duration distribution, chosen by its ``distribution`` key."""


__all__ = [
    "Distribution",
    "Empirical",
    "Exponential",
    "Fixed",
    "Gamma",
    "LogNormal",
    "Uniforms",
    "minutes",
    "normal",
    "standard_normal",
]
