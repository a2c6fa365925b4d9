"""The fewest counters per hour that meet a service-level target.

Erlang C gives the first guess for each centre and hour (the hour's offered
load pooled over the centre's queues); the simulator, driving the real engine
with those counters on duty, confirms it. Any queue and hour that misses the
target gets one more counter in that hour, and the day is simulated again,
until every hour meets the target or the centre has no counter left to add.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import timedelta

from frontdesk_core.config.models import Centre, Config
from frontdesk_core.config.types import ServiceLevel
from frontdesk_core.opening.hours import OpeningCalendar
from frontdesk_core.simulation.distributions import minutes
from frontdesk_core.simulation.erlang import servers_for
from frontdesk_core.simulation.results import SimulationResult
from frontdesk_core.simulation.runner import Progress, run
from frontdesk_core.simulation.scenario import LoadedScenario, StaffingRule, minute_of

MIN_SERVED = 3.0
"""An hour with fewer citizens per day than this is too thin to judge a service level on."""


@dataclass(frozen=True)
class HourPlan:
    """Counters for one centre in one hour: Erlang C's first guess and the confirmed number."""

    centre_id: str
    hour: int
    offered_load: float
    """Erlangs: arrivals per minute times mean service minutes, pooled over the queues."""
    erlang: int
    counters: int
    met: bool
    """Whether the simulation confirmed the target in every queue of this hour."""


@dataclass(frozen=True)
class Plan:
    """A staffing plan: counters per centre and hour, and the simulation that confirms it."""

    target: ServiceLevel | None
    hours: tuple[HourPlan, ...]
    result: SimulationResult
    rounds: int

    @property
    def met(self) -> bool:
        """Whether every hour meets the target."""
        return all(h.met for h in self.hours)

    def staffing(self) -> list[StaffingRule]:
        """The plan as scenario staffing rules (one per centre and hour)."""
        return [
            StaffingRule(
                centre=h.centre_id,
                hours=[f"{h.hour:02d}:00-{h.hour + 1:02d}:00"],  # type: ignore[list-item]
                counters=h.counters,
            )
            for h in self.hours
            if h.counters > 0
        ]


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


def erlang_guess(
    loaded: LoadedScenario, baseline: SimulationResult, target: ServiceLevel
) -> dict[tuple[str, int], tuple[float, int]]:
    """Per (centre, hour): the pooled offered load and Erlang C's counters for ``target``."""
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


def _staffing(loaded: LoadedScenario, counters: dict[tuple[str, int], int]) -> list[StaffingRule]:
    rules = []
    for (centre_id, hour), count in sorted(counters.items()):
        if count <= 0:
            continue
        centre = loaded.config.centre(centre_id)
        rules.append(
            StaffingRule(
                centre=centre_id,
                hours=[f"{hour:02d}:00-{hour + 1:02d}:00"],  # type: ignore[list-item]
                counters=count,
                pool=coverage_order(centre),
            )
        )
    return rules


def plan(
    loaded: LoadedScenario,
    target: ServiceLevel | None = None,
    *,
    replications: int | None = None,
    seed: int | None = None,
    executor: Executor | None = None,
    max_rounds: int = 8,
    max_shrink: int = 3,
    progress: Progress | None = None,
    report_round: Callable[[int, dict[tuple[str, int], int]], None] | None = None,
) -> Plan:
    """The fewest counters per centre and hour that meet ``target`` (each queue's own if None)."""
    if target is not None:
        loaded = LoadedScenario(
            loaded.scenario,
            with_target(loaded.config, target),
            loaded.path,
            loaded.dates,
            loaded.centres,
        )
    reps = replications if replications is not None else loaded.scenario.replications
    # The baseline measures the demand per queue and hour that actually reaches the counters
    # (after the kiosk has sent some home), with every counter on duty.
    everyone = {
        (c, h): len(loaded.config.centre(c).counters)
        for c in loaded.centres
        for h in _open_hours(loaded, loaded.config.centre(c))
    }
    baseline_scenario = loaded.with_changes(staffing=_staffing(loaded, everyone))
    baseline = run(baseline_scenario, replications=reps, seed=seed, executor=executor)
    level = target or ServiceLevel(0.8, timedelta(minutes=15))
    guess = erlang_guess(loaded, baseline, level)
    rounds = 0

    def simulate(
        counters: dict[tuple[str, int], int],
    ) -> tuple[SimulationResult, dict[tuple[str, int], bool]]:
        nonlocal rounds
        rounds += 1
        if report_round is not None:
            report_round(rounds, dict(counters))
        trial = loaded.with_changes(staffing=_staffing(loaded, counters))
        result = run(trial, replications=reps, seed=seed, executor=executor, progress=progress)
        return result, _check(loaded, result, counters)

    def grow(
        counters: dict[tuple[str, int], int],
    ) -> tuple[dict[tuple[str, int], int], SimulationResult, dict[tuple[str, int], bool]]:
        """One more counter in every hour that misses the target, until all meet it."""
        counters = dict(counters)
        for _ in range(max_rounds):
            result, met = simulate(counters)
            grew = False
            for key, ok in met.items():
                if not ok and counters[key] < len(loaded.config.centre(key[0]).counters):
                    counters[key] += 1
                    grew = True
            if all(met.values()) or not grew:
                break
        return counters, result, met

    counters, result, met = grow({key: count for key, (_, count) in guess.items()})
    # Erlang C is only a first guess (bookings are not Poisson, counters are not pooled):
    # try one counter less wherever the target is met, keep the cuts whose hour (and the
    # next, which inherits its queue) still meets it, and grow back whatever that broke.
    # Every citizen has their own random stream, so the trials differ in staffing only.
    for _ in range(max_shrink):
        cuts = {k: c - 1 for k, c in counters.items() if met.get(k, False) and c > 1}
        if not cuts:
            break
        _, trial_met = simulate({**counters, **cuts})
        kept = {
            k: c for k, c in cuts.items() if trial_met[k] and trial_met.get((k[0], k[1] + 1), True)
        }
        if not kept:
            break
        candidate, candidate_result, candidate_met = grow({**counters, **kept})
        if sum(candidate.values()) >= sum(counters.values()):
            break
        counters, result, met = candidate, candidate_result, candidate_met
    hours = tuple(
        HourPlan(c, h, guess[(c, h)][0], guess[(c, h)][1], counters[(c, h)], met.get((c, h), True))
        for c, h in sorted(counters)
    )
    return Plan(target, hours, result, rounds)


def _check(
    loaded: LoadedScenario, result: SimulationResult, counters: dict[tuple[str, int], int]
) -> dict[tuple[str, int], bool]:
    """Per (centre, hour): whether every queue with citizens meets its target on average.

    An hour with too few citizens of a queue to judge alone is judged with the queue's whole
    day: it fails when the day misses the target and this hour did too.
    """
    met = dict.fromkeys(counters, True)
    day = {r.queue_id: r for r in result.records if r.hour is None}
    for record in result.records:
        key = (record.centre_id, record.hour or 0)
        if record.hour is None or record.arrivals <= 0 or key not in met:
            continue
        share = loaded.config.queue(record.queue_id).target.share
        late = math.isnan(record.within_target) or record.within_target < share
        if record.arrivals >= MIN_SERVED:
            if late:
                met[key] = False
            continue
        whole = day.get(record.queue_id)
        if late and whole is not None and not whole.within_target >= share:
            met[key] = False
    return met


__all__ = ["HourPlan", "Plan", "coverage_order", "erlang_guess", "plan", "with_target"]
