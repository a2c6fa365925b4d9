"""Results as flat frozen records: one per queue and hour, with 95% confidence intervals.

A simulated day leaves :class:`DayObservations` (raw waits, counts, areas
under the queue-length curve, busy minutes); a replication pools its days; the
replications give each metric a mean and a Student-t 95% interval. The planner
tabulates :class:`QueueHour` records directly, or writes them as JSON.
"""

from __future__ import annotations

import functools
import json
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any

METRICS = (
    "arrivals",
    "served",
    "wait_mean",
    "wait_p90",
    "within_target",
    "waited",
    "queue_mean",
    "queue_max",
    "utilisation",
    "abandoned",
    "sent_home",
    "referred",
    "booked_at_kiosk",
    "no_time_today",
    "kiosk_wait",
)
"""Every metric of a :class:`QueueHour`, each with ``_low`` and ``_high`` bounds."""

# Two-sided 95% quantiles of Student's t for 1..30 degrees of freedom.
_T975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip
_Z975 = 1.959963984540054


def t_quantile_975(df: int) -> float:
    """The 97.5% quantile of Student's t with ``df`` degrees of freedom."""
    if df < 1:
        raise ValueError("a t quantile needs at least one degree of freedom")
    if df <= len(_T975):
        return _T975[df - 1]
    z = _Z975  # Cornish-Fisher expansion: within 1e-4 beyond 30 degrees of freedom
    return (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
    )


@dataclass(frozen=True)
class Estimate:
    """A mean over replications with its 95% confidence interval."""

    mean: float
    low: float
    high: float
    n: int

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies inside the interval."""
        return self.low <= value <= self.high


def t_quantile(probability: float, df: int) -> float:
    """The ``probability`` quantile of Student's t with ``df`` degrees of freedom (0.5 < p < 1)."""
    if df < 1:
        raise ValueError("a t quantile needs at least one degree of freedom")
    if not 0.5 < probability < 1.0:
        raise ValueError(f"the probability must lie between 0.5 and 1, got {probability!r}")
    if probability == 0.975:
        return t_quantile_975(df)
    return _t_quantile(round(probability, 12), df)


@functools.lru_cache(maxsize=512)
def _t_quantile(probability: float, df: int) -> float:
    # The density integrated by Simpson's rule on a substitution t = tan(u) that keeps
    # the heavy tails of few degrees of freedom finite, then bisection on the CDF.
    log_c = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)

    def cdf(t: float) -> float:
        top = math.atan(t)
        steps = 400
        h = top / steps
        total = 0.0
        for i in range(steps + 1):
            u = i * h
            x = math.tan(u)
            f = math.exp(log_c - (df + 1) / 2 * math.log1p(x * x / df)) / math.cos(u) ** 2
            total += f * (1 if i in (0, steps) else 4 if i % 2 else 2)
        return 0.5 + total * h / 3

    low, high = 0.0, 1.0
    while cdf(high) < probability:
        high *= 2
    for _ in range(60):
        middle = (low + high) / 2
        if cdf(middle) < probability:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def estimate(values: Iterable[float], confidence: float = 0.95) -> Estimate:
    """Mean and ``confidence`` interval of ``values`` (NaNs, for replications without data,
    left out). One value gives no interval: its bounds are NaN."""
    data = [v for v in values if not math.isnan(v)]
    if not data:
        return Estimate(math.nan, math.nan, math.nan, 0)
    mean = statistics.fmean(data)
    if len(data) == 1:
        return Estimate(mean, math.nan, math.nan, 1)
    quantile = t_quantile(0.5 + confidence / 2, len(data) - 1)
    half = quantile * statistics.stdev(data) / math.sqrt(len(data))
    return Estimate(mean, mean - half, mean + half, len(data))


def percentile(values: Sequence[float], share: float) -> float:
    """The ``share`` quantile of ``values`` by linear interpolation (NaN when empty)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


@dataclass
class Cell:
    """What one queue saw in one hour of one simulated day."""

    arrivals: int = 0
    waits: list[float] = field(default_factory=list)
    within: int = 0
    waited: int = 0
    abandoned: int = 0
    sent_home: int = 0
    referred: int = 0
    booked_at_kiosk: int = 0
    no_time_today: int = 0
    kiosk_waits: list[float] = field(default_factory=list)
    queue_area: float = 0.0
    queue_max: int = 0
    busy: float = 0.0
    duty: float = 0.0


@dataclass
class DayObservations:
    """Everything measured on one simulated day: cells by (queue id, hour of day)."""

    day: str
    centres: dict[str, str] = field(default_factory=dict)
    """The centre of each queue seen."""
    targets: dict[str, float] = field(default_factory=dict)
    """Each queue's target time in minutes."""
    cells: dict[tuple[str, int], Cell] = field(default_factory=dict)
    citizens: int = 0
    """Every citizen generated, whatever became of them."""
    open_minutes: dict[str, float] = field(default_factory=dict)
    """Minutes each centre was open that day."""
    opening: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    """Each centre's opening hours that day, in minutes after midnight."""
    warmup: float = 0.0
    """Minutes after opening whose citizens are left out of the results."""

    def counted(self, queue_id: str, hour: int) -> float:
        """The share of ``hour`` that counts for the queue's figures: after the warm-up and
        before closing (0 for an hour wholly in the warm-up or after closing, 1 when the
        day has no opening hours recorded)."""
        spans = self.opening.get(self.centres.get(queue_id, ""), [])
        if not spans:
            return 1.0
        start = min(a for a, _ in spans) + self.warmup
        begin, end = max(hour * 60.0, start), (hour + 1) * 60.0
        inside = sum(max(0.0, min(end, b) - max(begin, a)) for a, b in spans)
        return inside / 60.0

    def counted_minutes(self, queue_id: str) -> float:
        """Minutes of the day that count for the queue's figures (open, after the warm-up)."""
        centre = self.centres.get(queue_id, "")
        spans = self.opening.get(centre)
        if not spans:
            return self.open_minutes.get(centre, 0.0)
        start = min(a for a, _ in spans) + self.warmup
        return sum(max(0.0, b - max(a, start)) for a, b in spans)

    def cell(self, queue_id: str, hour: int) -> Cell:
        """The cell for ``queue_id`` in ``hour`` (created empty)."""
        key = (queue_id, hour)
        found = self.cells.get(key)
        if found is None:
            found = self.cells[key] = Cell()
        return found


@dataclass(frozen=True)
class QueueHour:
    """One queue in one hour of the day (``hour`` None: the whole day), over replications.

    Counts are per simulated day; each metric has a 95% interval ``_low``..``_high``
    over the replications (NaN where no replication saw anybody).
    """

    scenario: str
    centre_id: str
    queue_id: str
    hour: int | None
    replications: int
    arrivals: float
    """Tickets per day joining the queue in the hour (walk-ins and checked-in bookings)."""
    arrivals_low: float
    arrivals_high: float
    served: float
    """Citizens per day called from the queue."""
    served_low: float
    served_high: float
    wait_mean: float
    """Mean wait in minutes from ticket to call."""
    wait_mean_low: float
    wait_mean_high: float
    wait_p90: float
    """90th percentile of the wait, in minutes."""
    wait_p90_low: float
    wait_p90_high: float
    within_target: float
    """Share called within the queue's target (those who gave up or were never called: not)."""
    within_target_low: float
    within_target_high: float
    waited: float
    """Share who waited at all (P(wait > 0))."""
    waited_low: float
    waited_high: float
    queue_mean: float
    """Time-average number of tickets waiting."""
    queue_mean_low: float
    queue_mean_high: float
    queue_max: float
    """Most tickets waiting at once."""
    queue_max_low: float
    queue_max_high: float
    utilisation: float
    """Share of the on-duty time of the queue's counters spent serving."""
    utilisation_low: float
    utilisation_high: float
    abandoned: float
    """Citizens per day who gave up waiting."""
    abandoned_low: float
    abandoned_high: float
    sent_home: float
    """Citizens per day sent home at the kiosk for missing documents."""
    sent_home_low: float
    sent_home_high: float
    referred: float
    """Citizens per day referred to another authority or centre at the kiosk."""
    referred_low: float
    referred_high: float
    booked_at_kiosk: float
    """Walk-ins per day who booked a time later today at the kiosk (they come back for it)."""
    booked_at_kiosk_low: float
    booked_at_kiosk_high: float
    no_time_today: float
    """Walk-ins per day sent to book at the kiosk who found no free time today."""
    no_time_today_low: float
    no_time_today_high: float
    kiosk_wait: float
    """Mean minutes citizens of this errand waited for a free kiosk (by arrival hour)."""
    kiosk_wait_low: float
    kiosk_wait_high: float

    def estimate(self, metric: str) -> Estimate:
        """One metric as an :class:`Estimate`."""
        if metric not in METRICS:
            raise KeyError(metric)
        values = (
            getattr(self, metric),
            getattr(self, f"{metric}_low"),
            getattr(self, f"{metric}_high"),
        )
        return Estimate(*values, self.replications)


def replication_metrics(
    days: Sequence[DayObservations], warmup_hours: frozenset[tuple[str, int]] = frozenset()
) -> dict[tuple[str, int | None], dict[str, float]]:
    """Pool one replication's days into metric values by (queue id, hour); hour None is the day."""
    pooled: dict[tuple[str, int | None], Cell] = {}
    maxima: dict[tuple[str, int | None], int] = {}
    # The warm-up and the time after closing are left out of the queue and utilisation
    # figures as the warm-up's citizens are left out of the waits: whole hours from the
    # hourly figures, the counted share of an hour from the day's.
    counted: set[tuple[str, int | None]] = set()
    for day in days:
        for (queue_id, hour), cell in day.cells.items():
            share = day.counted(queue_id, hour)
            if share > 0.0:
                counted.add((queue_id, hour))
            keys: tuple[tuple[str, int | None], ...] = ((queue_id, hour), (queue_id, None))
            for key in keys:
                weight = share if key[1] is None else float(share > 0.0)
                into = pooled.setdefault(key, Cell())
                into.arrivals += cell.arrivals
                into.waits += cell.waits
                into.within += cell.within
                into.waited += cell.waited
                into.abandoned += cell.abandoned
                into.sent_home += cell.sent_home
                into.referred += cell.referred
                into.booked_at_kiosk += cell.booked_at_kiosk
                into.no_time_today += cell.no_time_today
                into.kiosk_waits += cell.kiosk_waits
                into.queue_area += cell.queue_area * weight
                into.busy += cell.busy * weight
                into.duty += cell.duty * weight
                if weight > 0:
                    maxima[key] = max(maxima.get(key, 0), cell.queue_max)
    count = max(len(days), 1)
    out: dict[tuple[str, int | None], dict[str, float]] = {}
    for key, cell in pooled.items():
        if key[1] is not None:
            hours = 1.0
        else:
            opened = sum(d.counted_minutes(key[0]) for d in days)
            hours = max(opened / 60.0 / count, 1.0)
        uncounted = key[1] is not None and key not in counted
        # Citizens never called (still waiting at the end of the day) count as late too.
        decided = max(len(cell.waits) + cell.abandoned, cell.arrivals)
        out[key] = {
            "arrivals": cell.arrivals / count,
            "served": len(cell.waits) / count,
            "wait_mean": statistics.fmean(cell.waits) if cell.waits else math.nan,
            "wait_p90": percentile(cell.waits, 0.9),
            "within_target": cell.within / decided if decided else math.nan,
            "waited": cell.waited / len(cell.waits) if cell.waits else math.nan,
            "queue_mean": math.nan if uncounted else cell.queue_area / (60.0 * hours * count),
            "queue_max": math.nan if uncounted else float(maxima.get(key, 0)),
            "utilisation": (cell.busy / cell.duty if cell.duty > 0 and not uncounted else math.nan),
            "abandoned": cell.abandoned / count,
            "sent_home": cell.sent_home / count,
            "referred": cell.referred / count,
            "booked_at_kiosk": cell.booked_at_kiosk / count,
            "no_time_today": cell.no_time_today / count,
            "kiosk_wait": statistics.fmean(cell.kiosk_waits) if cell.kiosk_waits else math.nan,
        }
    return out


def summarise(
    scenario: str,
    replications: Sequence[Sequence[DayObservations]],
) -> list[QueueHour]:
    """Records per queue and hour (and per whole day) with intervals over ``replications``."""
    per_rep = [replication_metrics(days) for days in replications]
    centres: dict[str, str] = {}
    for days in replications:
        for day in days:
            centres.update(day.centres)
    keys = sorted(
        {k for rep in per_rep for k in rep},
        key=lambda k: (centres.get(k[0], ""), k[0], -1 if k[1] is None else k[1]),
    )
    records: list[QueueHour] = []
    for queue_id, hour in keys:
        values: dict[str, Any] = {
            "scenario": scenario,
            "centre_id": centres.get(queue_id, ""),
            "queue_id": queue_id,
            "hour": hour,
            "replications": len(per_rep),
        }
        for metric in METRICS:
            series = [rep.get((queue_id, hour), {}).get(metric, _absent(metric)) for rep in per_rep]
            found = estimate(series)
            # Intervals stay inside what the figure can be: no negative wait, no share above 1.
            top = 1.0 if metric in _SHARES else math.inf
            values[metric], values[f"{metric}_low"], values[f"{metric}_high"] = (
                found.mean,
                max(found.low, 0.0),
                min(found.high, top),
            )
        records.append(QueueHour(**values))
    return records


_COUNTS = frozenset(
    {
        "arrivals",
        "served",
        "abandoned",
        "sent_home",
        "referred",
        "booked_at_kiosk",
        "no_time_today",
        "queue_mean",
        "queue_max",
    }
)


_SHARES = frozenset({"within_target", "waited", "utilisation"})


def _absent(metric: str) -> float:
    """A replication that never saw a queue in an hour saw zero citizens there, not 'unknown'."""
    return 0.0 if metric in _COUNTS else math.nan


@dataclass(frozen=True)
class SimulationResult:
    """A whole run: the records, and what produced them."""

    scenario: str
    replications: int
    seed: int
    days: tuple[str, ...]
    records: tuple[QueueHour, ...]
    citizens: int
    """Citizens simulated over every replication and day."""
    seconds: float
    """Wall-clock seconds the run took (for throughput figures, not domain time)."""

    def record(self, queue_id: str, hour: int | None = None) -> QueueHour:
        """The record of ``queue_id`` in ``hour`` (None: the whole day)."""
        for rec in self.records:
            if rec.queue_id == queue_id and rec.hour == hour:
                return rec
        raise KeyError((queue_id, hour))

    def queues(self) -> list[str]:
        """The queue ids with results, in order."""
        seen: list[str] = []
        for rec in self.records:
            if rec.queue_id not in seen:
                seen.append(rec.queue_id)
        return seen

    def to_json(self) -> dict[str, Any]:
        """Plain data for ``json.dumps`` (NaN written as null)."""
        return {
            "scenario": self.scenario,
            "replications": self.replications,
            "seed": self.seed,
            "days": list(self.days),
            "citizens": self.citizens,
            "seconds": self.seconds,
            "records": [
                {
                    k: (None if isinstance(v, float) and math.isnan(v) else v)
                    for k, v in asdict(r).items()
                }
                for r in self.records
            ],
        }

    def dumps(self) -> str:
        """The result as JSON text."""
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False)


RECORD_FIELDS = tuple(f.name for f in fields(QueueHour))
"""The column names of a :class:`QueueHour`, in order (for CSV and tables)."""

__all__ = [
    "METRICS",
    "RECORD_FIELDS",
    "Cell",
    "DayObservations",
    "Estimate",
    "QueueHour",
    "SimulationResult",
    "estimate",
    "percentile",
    "replication_metrics",
    "summarise",
    "t_quantile",
    "t_quantile_975",
]
