"""The fewest counters per hour that meet a service-level target, decided with intervals.

Erlang C gives the first guess for each centre and hour (the hour's offered
load pooled over the centre's queues); the simulator, driving the real engine
with those counters on duty, confirms it. Each queue and hour is judged on the
confidence interval of its share served within the target, not on the mean:

- *met* when the whole interval lies at or above the target share,
- *missed* when the whole interval lies below it,
- *unclear* otherwise: more replications are simulated (doubling, up to a
  limit), and an hour still unclear at the limit is reported as such.

Looking at an interval again after each batch of replications gives chance more
than one try at a wrong verdict. The looks a staffing can get are known before
the first (the first replications, then doubling up to the limit: ``k`` looks), so
each look is judged at ``1 - (1 - confidence) / k`` (Bonferroni): the chance that
any look gives a queue and hour a wrong verdict stays within ``1 - confidence``.

A missed hour gets one more counter and the day is simulated again, until no
hour is missed or the centre has no counter left to add; then one counter less
is tried wherever the target is met. Every trial is simulated on the same
citizens (common random numbers), so two staffings differ in staffing only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from frontdesk_core.config.models import Centre, Config
from frontdesk_core.config.types import ServiceLevel
from frontdesk_core.opening.hours import OpeningCalendar
from frontdesk_core.simulation.distributions import minutes
from frontdesk_core.simulation.erlang import servers_for
from frontdesk_core.simulation.results import (
    Estimate,
    SimulationResult,
    estimate,
    replication_metrics,
)
from frontdesk_core.simulation.runner import Progress, Replications, replicate
from frontdesk_core.simulation.scenario import LoadedScenario, StaffingRule, minute_of

MIN_SERVED = 3.0
"""An hour with fewer citizens per day than this is too thin to judge a service level on."""

Verdict = Literal["met", "missed", "unclear"]
Counters = dict[tuple[str, int], int]


@dataclass(frozen=True)
class QueueVerdict:
    """One queue in one hour: its demand, plain Erlang C, and the simulated service level."""

    queue_id: str
    queue_name: str
    hour: int
    arrivals: float
    """Tickets per day reaching the queue in this hour (with every counter on duty)."""
    offered_load: float
    """Erlangs: arrivals per minute times the queue's mean service minutes."""
    erlang: int
    """Plain Erlang C: counters this queue alone needs for its own target (0: nobody comes)."""
    share: float
    """The target share (e.g. 0.8 for 80% within the target time)."""
    within: Estimate
    """The simulated share within the target, with its interval at the plan's confidence."""
    verdict: Verdict
    by_day: bool
    """Too few citizens in the hour to judge alone: judged with the queue's whole day."""


@dataclass(frozen=True)
class HourPlan:
    """Counters for one centre in one hour, and the verdict of each of its queues."""

    centre_id: str
    hour: int
    offered_load: float
    """Erlangs pooled over the centre's queues."""
    start: int
    """The search's first guess (pooled Erlang C, raised to counters that cover every queue)."""
    counters: int
    counter_ids: tuple[str, ...]
    """The counters on duty, by name."""
    queues: tuple[QueueVerdict, ...]

    @property
    def verdict(self) -> Verdict:
        """Missed if a queue misses, unclear if one is unclear, else met."""
        found = {q.verdict for q in self.queues}
        return "missed" if "missed" in found else "unclear" if "unclear" in found else "met"

    @property
    def met(self) -> bool:
        """Whether every queue of this hour meets its target with the plan's confidence."""
        return self.verdict == "met"

    def failing(self) -> tuple[QueueVerdict, ...]:
        """The queues that miss their target or whose verdict is unclear."""
        return tuple(q for q in self.queues if q.verdict != "met")


@dataclass(frozen=True)
class Plan:
    """A staffing plan: counters per centre and hour, and the simulation that confirms it."""

    target: ServiceLevel | None
    confidence: float
    """The confidence asked for, over every look at a verdict."""
    looks: int
    """How many times a verdict could be looked at (first replications, then each doubling)."""
    hours: tuple[HourPlan, ...]
    result: SimulationResult
    replications: int
    """Replications the plan's verdicts rest on (more than asked where verdicts were unclear)."""
    seed: int
    rounds: int

    @property
    def look_confidence(self) -> float:
        """The level each look's intervals are at: the confidence shared out over the looks."""
        return look_confidence(self.confidence, self.looks)

    @property
    def met(self) -> bool:
        """Whether every hour meets the target with the plan's confidence."""
        return all(h.met for h in self.hours)

    @property
    def verdict(self) -> Verdict:
        """Missed if an hour misses, unclear if one stays unclear, else met."""
        found = {h.verdict for h in self.hours}
        return "missed" if "missed" in found else "unclear" if "unclear" in found else "met"

    def staffing(self) -> list[StaffingRule]:
        """The plan as scenario staffing rules: named counters per centre and hour."""
        return [
            StaffingRule(
                centre=h.centre_id,
                hours=[_span(h.hour)],  # type: ignore[list-item]
                counters=list(h.counter_ids),
            )
            for h in self.hours
            if h.counters > 0
        ]


def _span(hour: int) -> str:
    return f"{hour:02d}:00-{hour + 1:02d}:00"


def looks(first: int, limit: int) -> int:
    """How many times a verdict may be looked at: after ``first`` replications, then after
    each doubling up to ``limit``."""
    count, held = 1, first
    while held < limit:
        held = min(2 * held, limit)
        count += 1
    return count


def look_confidence(confidence: float, looks: int) -> float:
    """The level of each of ``looks`` intervals so that all of them together hold with
    ``confidence`` (Bonferroni)."""
    return 1.0 - (1.0 - confidence) / looks


def with_target(config: Config, target: ServiceLevel) -> Config:
    """A copy of ``config`` in which every queue has ``target``."""
    centres = [
        centre.model_copy(
            update={"queues": [q.model_copy(update={"target": target}) for q in centre.queues]}
        )
        for centre in config.centres
    ]
    return config.model_copy(update={"centres": centres})


def coverage_order(centre: Centre) -> list[str]:
    """Counters ordered so that the first few already serve every queue (greedy set cover).

    A plan of "two counters" must not mean two counters that both serve passports only.
    """
    left = list(centre.counters)
    uncovered = {q.id for q in centre.queues}
    order: list[str] = []
    while left:
        best = max(left, key=lambda c: (len(uncovered & set(c.queues)), -left.index(c)))
        order.append(best.id)
        left.remove(best)
        uncovered -= set(best.queues)
        if not uncovered:  # every queue has one: the next counters cover them all again
            uncovered = {q.id for q in centre.queues}
    return order


def _cover_size(centre: Centre) -> int:
    uncovered = {q.id for q in centre.queues}
    for count, counter_id in enumerate(coverage_order(centre), start=1):
        uncovered -= set(next(c for c in centre.counters if c.id == counter_id).queues)
        if not uncovered:
            return count
    return len(centre.counters)


def _open_hours(loaded: LoadedScenario, centre: Centre) -> list[int]:
    from zoneinfo import ZoneInfo

    calendar = OpeningCalendar(centre, ZoneInfo(loaded.config.site.timezone))
    hours: set[int] = set()
    for day in loaded.dates:
        for span in calendar.hours_on(day):
            start, end = minute_of(span.start), minute_of(span.end)
            hours.update(range(int(start // 60), math.ceil(end / 60)))
    return sorted(hours)


def _mean_service(loaded: LoadedScenario, queue_id: str) -> float:
    times = loaded.scenario.service_times
    if queue_id in times:
        return times[queue_id].mean_minutes()
    means = [
        times[s.id].mean_minutes()
        for s in loaded.config.services
        if s.queue == queue_id and s.id in times
    ]
    if means:
        return sum(means) / len(means)
    return times["default"].mean_minutes() if "default" in times else 10.0


def queue_erlang(
    loaded: LoadedScenario, baseline: SimulationResult
) -> dict[tuple[str, int], tuple[float, float, int]]:
    """Per (queue, hour): arrivals per day, offered load, and plain Erlang C's counters.

    Each queue alone, with its own target (the configuration's, or the plan's), as
    if it had counters of its own: the textbook figure beside the simulation's.
    """
    out: dict[tuple[str, int], tuple[float, float, int]] = {}
    for centre_id in loaded.centres:
        centre = loaded.config.centre(centre_id)
        for hour in _open_hours(loaded, centre):
            for queue in centre.queues:
                try:
                    arrivals = baseline.record(queue.id, hour).arrivals
                except KeyError:
                    arrivals = 0.0
                per_minute, service = arrivals / 60.0, _mean_service(loaded, queue.id)
                if per_minute <= 0:
                    out[(queue.id, hour)] = (0.0, 0.0, 0)
                    continue
                needed = servers_for(
                    per_minute,
                    service,
                    share=queue.target.share,
                    within=minutes(queue.target.within),
                )
                out[(queue.id, hour)] = (arrivals, per_minute * service, needed)
    return out


def erlang_guess(
    loaded: LoadedScenario, baseline: SimulationResult, target: ServiceLevel
) -> dict[tuple[str, int], tuple[float, int]]:
    """Per (centre, hour): the pooled offered load and the search's first guess of counters.

    Erlang C for the centre's queues pooled, raised to the counters that cover every
    queue: only a starting point for the simulation, not a figure to plan with.
    """
    within = minutes(target.within)
    guess: dict[tuple[str, int], tuple[float, int]] = {}
    for centre_id in loaded.centres:
        centre = loaded.config.centre(centre_id)
        floor = _cover_size(centre)
        for hour in _open_hours(loaded, centre):
            rate = load = 0.0
            for queue in centre.queues:
                try:
                    record = baseline.record(queue.id, hour)
                except KeyError:
                    continue
                per_minute = record.arrivals / 60.0
                rate += per_minute
                load += per_minute * _mean_service(loaded, queue.id)
            if rate <= 0:
                guess[(centre_id, hour)] = (0.0, 0)  # nobody comes: nobody is needed
                continue
            needed = servers_for(rate, load / rate, share=target.share, within=within)
            guess[(centre_id, hour)] = (load, min(max(needed, floor), len(centre.counters)))
    return guess


def on_duty(loaded: LoadedScenario, centre_id: str, count: int) -> list[str]:
    """The ``count`` counters of a centre a plan puts on duty, by name (covering every queue)."""
    return coverage_order(loaded.config.centre(centre_id))[:count]


def _staffing(loaded: LoadedScenario, counters: Counters) -> list[StaffingRule]:
    return [
        StaffingRule(
            centre=centre_id,
            hours=[_span(hour)],  # type: ignore[list-item]
            counters=on_duty(loaded, centre_id, count),
        )
        for (centre_id, hour), count in sorted(counters.items())
        if count > 0
    ]


def judge(
    loaded: LoadedScenario, observed: Replications, confidence: float
) -> dict[tuple[str, int], dict[str, tuple[Estimate, Verdict, bool]]]:
    """Per (centre, hour), per queue with citizens: the interval of its share within target,
    its verdict, and whether it was judged with the whole day (a thin hour)."""
    per_rep = [replication_metrics(days) for days in observed.observed]

    def series(key: tuple[str, int | None], metric: str, absent: float) -> list[float]:
        return [rep.get(key, {}).get(metric, absent) for rep in per_rep]

    def verdict(found: Estimate, share: float) -> Verdict:
        if found.n < 2 or math.isnan(found.low):
            return "unclear"  # one replication gives no interval to judge on
        if found.low >= share:
            return "met"
        return "missed" if found.high < share else "unclear"

    out: dict[tuple[str, int], dict[str, tuple[Estimate, Verdict, bool]]] = {}
    for queue_id, hour in sorted({k for rep in per_rep for k in rep}, key=str):
        queue = loaded.config.queue(queue_id) if _has_queue(loaded.config, queue_id) else None
        arrivals = _mean(series((queue_id, hour), "arrivals", 0.0))
        if hour is None or queue is None or arrivals <= 0:
            continue
        share = queue.target.share
        found = _share(estimate(series((queue_id, hour), "within_target", math.nan), confidence))
        if arrivals >= MIN_SERVED:
            judged: tuple[Estimate, Verdict, bool] = (found, verdict(found, share), False)
        elif found.mean >= share:
            judged = (found, "met", True)
        else:
            day = _share(estimate(series((queue_id, None), "within_target", math.nan), confidence))
            judged = (found, verdict(day, share), True)
        centre = loaded.config.centre_of_queue(queue_id).id
        out.setdefault((centre, hour), {})[queue_id] = judged
    return out


def _share(found: Estimate) -> Estimate:
    """A share's interval kept between 0 and 1 (the verdicts are the same either way)."""
    return Estimate(found.mean, max(found.low, 0.0), min(found.high, 1.0), found.n)


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _has_queue(config: Config, queue_id: str) -> bool:
    return any(q.id == queue_id for c in config.centres for q in c.queues)


@dataclass
class _Trial:
    counters: Counters
    observed: Replications
    verdicts: dict[tuple[str, int], dict[str, tuple[Estimate, Verdict, bool]]]

    def verdict(self, key: tuple[str, int]) -> Verdict:
        found = {v for _, v, _ in self.verdicts.get(key, {}).values()}
        return "missed" if "missed" in found else "unclear" if "unclear" in found else "met"


def _cut_holds(key: tuple[str, int], before: _Trial, after: _Trial) -> bool:
    """A cut in ``key`` holds when its hour still meets the target and the next hour (which
    inherits its queue) is no worse than it was."""
    if after.verdict(key) != "met":
        return False
    following = (key[0], key[1] + 1)
    if following not in before.counters:
        return True
    return after.verdict(following) in {"met", before.verdict(following)}


def plan(
    loaded: LoadedScenario,
    target: ServiceLevel | None = None,
    *,
    replications: int | None = None,
    max_replications: int | None = None,
    confidence: float = 0.95,
    seed: int | None = None,
    executor: Executor | None = None,
    max_rounds: int = 8,
    max_shrink: int = 3,
    progress: Progress | None = None,
    report_round: Callable[[int, Counters, int], None] | None = None,
) -> Plan:
    """The fewest counters per centre and hour that meet ``target`` (each queue's own if None)
    with ``confidence``, simulating up to ``max_replications`` where a verdict is unclear."""
    if not 0 < confidence < 1:
        raise ValueError(f"the confidence must lie between 0 and 1, got {confidence!r}")
    if target is not None:
        loaded = LoadedScenario(
            loaded.scenario,
            with_target(loaded.config, target),
            loaded.path,
            loaded.dates,
            loaded.centres,
        )
    first = replications if replications is not None else loaded.scenario.replications
    first = max(first, 2)  # one replication gives no interval to decide on
    limit = max(max_replications if max_replications is not None else 4 * first, first)
    base_seed = seed if seed is not None else loaded.scenario.seed
    chances = looks(first, limit)
    each = look_confidence(confidence, chances)
    # The baseline measures the demand per queue and hour that actually reaches the counters
    # (after the kiosk has sent some home), with every counter on duty.
    everyone = {
        (c, h): len(loaded.config.centre(c).counters)
        for c in loaded.centres
        for h in _open_hours(loaded, loaded.config.centre(c))
    }
    baseline = replicate(
        loaded.with_changes(staffing=_staffing(loaded, everyone)),
        range(first),
        seed=base_seed,
        executor=executor,
        progress=progress,
    ).result()
    level = target or ServiceLevel(0.8, timedelta(minutes=15))
    guess = erlang_guess(loaded, baseline, level)
    plain = queue_erlang(loaded, baseline)
    rounds = 0
    reps = first

    def simulate(counters: Counters) -> _Trial:
        """Simulate ``counters``, adding replications while a verdict is unclear."""
        nonlocal rounds, reps
        rounds += 1
        if report_round is not None:
            report_round(rounds, dict(counters), reps)
        trial = loaded.with_changes(staffing=_staffing(loaded, counters))
        observed = replicate(
            trial, range(reps), seed=base_seed, executor=executor, progress=progress
        )
        while True:
            verdicts = judge(loaded, observed, each)
            found = _Trial(dict(counters), observed, verdicts)
            held = len(observed.observed)
            if held >= limit or all(found.verdict(k) != "unclear" for k in counters):
                reps = max(reps, held)
                return found
            more = range(held, min(2 * held, limit))
            observed = observed + replicate(
                trial, more, seed=base_seed, executor=executor, progress=progress
            )

    def grow(counters: Counters) -> _Trial:
        """One more counter in every hour that misses the target, until none does."""
        counters = dict(counters)
        for _ in range(max_rounds):
            found = simulate(counters)
            grew = False
            for key in counters:
                capacity = len(loaded.config.centre(key[0]).counters)
                if found.verdict(key) == "missed" and counters[key] < capacity:
                    counters[key] += 1
                    grew = True
            if not grew:
                break
        return found

    best = grow({key: count for key, (_, count) in guess.items()})
    # Erlang C is only a first guess (bookings are not Poisson, counters are not pooled):
    # try one counter less wherever the target is met, keep the cuts whose hour (and the
    # next, which inherits its queue) still meet it, and grow back whatever that broke.
    for _ in range(max_shrink):
        cuts = {k: c - 1 for k, c in best.counters.items() if best.verdict(k) == "met" and c > 1}
        if not cuts:
            break
        tried = simulate({**best.counters, **cuts})
        kept = {k: c for k, c in cuts.items() if _cut_holds(k, best, tried)}
        if not kept:
            break
        candidate = grow({**best.counters, **kept})
        if sum(candidate.counters.values()) >= sum(best.counters.values()):
            break
        best = candidate
    hours = []
    for centre_id, hour in sorted(best.counters):
        centre = loaded.config.centre(centre_id)
        judged = best.verdicts.get((centre_id, hour), {})
        queues = tuple(
            QueueVerdict(
                queue_id=q.id,
                queue_name=q.name.get(loaded.config.site.languages[0], q.id),
                hour=hour,
                arrivals=plain[(q.id, hour)][0],
                offered_load=plain[(q.id, hour)][1],
                erlang=plain[(q.id, hour)][2],
                share=q.target.share,
                within=judged[q.id][0],
                verdict=judged[q.id][1],
                by_day=judged[q.id][2],
            )
            for q in centre.queues
            if q.id in judged
        )
        count = best.counters[(centre_id, hour)]
        hours.append(
            HourPlan(
                centre_id,
                hour,
                guess[(centre_id, hour)][0],
                guess[(centre_id, hour)][1],
                count,
                tuple(on_duty(loaded, centre_id, count)),
                queues,
            )
        )
    return Plan(
        target,
        confidence,
        chances,
        tuple(hours),
        best.observed.result(),
        len(best.observed.observed),
        base_seed,
        rounds,
    )


__all__ = [
    "HourPlan",
    "Plan",
    "QueueVerdict",
    "Verdict",
    "coverage_order",
    "erlang_guess",
    "judge",
    "look_confidence",
    "looks",
    "on_duty",
    "plan",
    "queue_erlang",
    "with_target",
]
