"""The statistics as flat frozen records a planner can tabulate.

Times are in seconds. ``hour`` is ``None`` on a whole day's row and the local
hour (0-23) on an hour's row.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Distribution:
    """Count, mean, median, 90th percentile and maximum of durations in seconds."""

    count: int = 0
    mean: float | None = None
    median: float | None = None
    p90: float | None = None
    max: float | None = None

    @classmethod
    def of(cls, values: Sequence[float]) -> Distribution:
        """Describe ``values``; p90 is the nearest-rank percentile (a value that occurred)."""
        if not values:
            return cls()
        ordered = sorted(values)
        rank = max(1, math.ceil(0.9 * len(ordered)))
        return cls(
            count=len(ordered),
            mean=statistics.fmean(ordered),
            median=statistics.median(ordered),
            p90=ordered[rank - 1],
            max=ordered[-1],
        )


@dataclass(frozen=True)
class QueueFigures:
    """One queue on one day (or one hour of it)."""

    day: date
    hour: int | None
    centre_id: str
    queue_id: str
    arrivals: int
    """Tickets issued to the queue."""
    transfers_in: int
    transfers_out: int
    served: int
    """Visits that ended at a counter: finished, or transferred on from the counter."""
    no_shows: int
    cancelled: int
    closed: int
    """Tickets still open when the day ended."""
    abandoned: int
    """Tickets that left the queue without being called: cancelled or closed while waiting."""
    waiting: Distribution
    """Entering the queue (issue or transfer) to the last call, of the served visits."""
    service: Distribution
    """Start of service (or the call) to its end, of the served visits."""
    within_target: float | None
    """Share of served visits whose waiting time met the queue's target."""
    target_seconds: float | None
    abandonment: float | None
    """Abandoned visits as a share of the visits that entered the queue."""


@dataclass(frozen=True)
class CounterFigures:
    """One counter on one day (or one hour of it)."""

    day: date
    hour: int | None
    centre_id: str
    counter_id: str
    served: int
    no_shows: int
    transfers: int
    """Tickets the counter sent on to another queue."""
    service: Distribution


@dataclass(frozen=True)
class CentreFigures:
    """One centre on one day (or one hour of it), the kiosk's outcomes included."""

    day: date
    hour: int | None
    centre_id: str
    arrivals: int
    served: int
    sent_home: int
    referred: int
    no_shows: int
    transfers: int
    abandoned: int
    waiting: Distribution
    service: Distribution
    within_target: float | None
    abandonment: float | None


@dataclass(frozen=True)
class Report:
    """Every figure for a span of days."""

    start: date | None
    end: date | None
    queues: tuple[QueueFigures, ...]
    counters: tuple[CounterFigures, ...]
    centres: tuple[CentreFigures, ...]
