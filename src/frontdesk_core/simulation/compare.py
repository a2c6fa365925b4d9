"""Two scenarios compared on the same citizens: paired differences with their intervals.

Replication ``k`` of scenario A and replication ``k`` of scenario B draw their
citizens from the same named random streams (common random numbers): the same
people arrive at the same moments with the same errands, service times and
patience. The difference B - A is therefore taken replication by replication,
and its interval comes from those paired differences: much narrower than two
separate intervals, and the honest way to tell an effect from noise. A
difference whose interval holds 0 is *not shown to differ*.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from frontdesk_core.simulation.results import Estimate, estimate, replication_metrics
from frontdesk_core.simulation.runner import Replications

FIGURES = (
    ("tickets", "arrivals"),
    ("mean wait", "wait_mean"),
    ("p90 wait", "wait_p90"),
    ("within target", "within_target"),
    ("P(wait>0)", "waited"),
    ("gave up", "abandoned"),
    ("sent home", "sent_home"),
    ("referred", "referred"),
    ("utilisation", "utilisation"),
    ("kiosk wait", "kiosk_wait"),
)
"""The figures compared, as (label, metric)."""

SHARES = frozenset({"within_target", "waited", "utilisation"})
"""Figures that are shares: shown in %, their differences in percentage points."""

_COUNTS = frozenset({"arrivals", "abandoned", "sent_home", "referred"})


@dataclass(frozen=True)
class Difference:
    """One figure of one queue (whole day) in A and B, and the paired difference B - A."""

    queue_id: str
    label: str
    metric: str
    a: Estimate
    b: Estimate
    difference: Estimate
    """Over the replications both have a value in; NaN bounds with fewer than two."""

    @property
    def share(self) -> bool:
        """Whether the figure is a share (its difference is in percentage points)."""
        return self.metric in SHARES

    @property
    def shown(self) -> bool:
        """Whether the difference is shown: its interval does not hold 0."""
        low, high = self.difference.low, self.difference.high
        return not (math.isnan(low) or math.isnan(high)) and (low > 0 or high < 0)


def _values(run: Replications) -> list[dict[tuple[str, int | None], dict[str, float]]]:
    return [replication_metrics(days) for days in run.observed]


def compare(a: Replications, b: Replications, confidence: float = 0.95) -> list[Difference]:
    """Every figure of every queue (whole day) in ``a`` and ``b``, paired by replication."""
    if a.first != b.first or len(a.observed) != len(b.observed):
        raise ValueError("a paired comparison needs the same replications of both scenarios")
    first, second = _values(a), _values(b)
    queues = dict.fromkeys(q for rep in (*first, *second) for (q, hour) in rep if hour is None)
    out: list[Difference] = []
    for queue_id in queues:
        for label, metric in FIGURES:
            absent = 0.0 if metric in _COUNTS else math.nan
            xs = [rep.get((queue_id, None), {}).get(metric, absent) for rep in first]
            ys = [rep.get((queue_id, None), {}).get(metric, absent) for rep in second]
            paired = [y - x for x, y in zip(xs, ys, strict=True)]
            out.append(
                Difference(
                    queue_id,
                    label,
                    metric,
                    _bounded(estimate(xs, confidence), metric),
                    _bounded(estimate(ys, confidence), metric),
                    estimate(paired, confidence),
                )
            )
    return out


def _bounded(found: Estimate, metric: str) -> Estimate:
    """An interval kept inside what the figure can be: no negative count, no share above 1."""
    top = 1.0 if metric in SHARES else math.inf
    return Estimate(found.mean, max(found.low, 0.0), min(found.high, top), found.n)


__all__ = ["FIGURES", "SHARES", "Difference", "compare"]
