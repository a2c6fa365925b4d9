"""Random durations as scenario models, each able to draw a sample in minutes.

A planner writes ``{distribution: lognormal, mean: 6 min, sd: 3 min}``; the
simulator asks ``sample(rng)`` for minutes. Lognormal and gamma take the mean
and standard deviation a planner measures, not the parameters of the
underlying formulas, which nobody at a counter knows.
"""

from __future__ import annotations

import math
import random
from datetime import timedelta
from typing import Annotated, Literal

from pydantic import Field, model_validator

from frontdesk_core.config.types import Duration, Model


def minutes(delta: timedelta) -> float:
    """A timedelta in minutes (the simulator's unit of time)."""
    return delta.total_seconds() / 60.0


class Exponential(Model):
    """Memoryless durations with the given mean (the M in M/M/c)."""

    distribution: Literal["exponential"]
    mean: Duration

    @model_validator(mode="after")
    def _positive(self) -> Exponential:
        if self.mean <= timedelta(0):
            raise ValueError("the mean must be longer than zero")
        return self

    def sample(self, rng: random.Random) -> float:
        """One duration in minutes."""
        return rng.expovariate(1.0 / minutes(self.mean))

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

    def sample(self, rng: random.Random) -> float:
        """One duration in minutes."""
        mean, sd = minutes(self.mean), minutes(self.sd)
        sigma2 = math.log1p((sd / mean) ** 2)
        return rng.lognormvariate(math.log(mean) - sigma2 / 2.0, math.sqrt(sigma2))


class Gamma(_MeanSd):
    """Gamma-distributed durations, by mean and standard deviation."""

    distribution: Literal["gamma"]

    def sample(self, rng: random.Random) -> float:
        """One duration in minutes."""
        mean, sd = minutes(self.mean), minutes(self.sd)
        return rng.gammavariate((mean / sd) ** 2, sd * sd / mean)


class Fixed(Model):
    """Always the same duration."""

    distribution: Literal["fixed"]
    value: Duration

    def sample(self, rng: random.Random) -> float:
        """The duration in minutes."""
        return minutes(self.value)

    def mean_minutes(self) -> float:
        """The duration in minutes."""
        return minutes(self.value)


class Empirical(Model):
    """Durations drawn from measured samples (for instance from last month's log)."""

    distribution: Literal["empirical"]
    samples: list[Duration] = Field(min_length=1)

    def sample(self, rng: random.Random) -> float:
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
    "minutes",
]
