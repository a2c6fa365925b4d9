"""Replications in parallel through any :class:`concurrent.futures.Executor`.

Each (replication, day) is one task with its own engines, store and random
stream, named by the seed, the replication and the date: the same seed gives
the same results whatever executor runs the tasks and in whatever order they
finish. A process pool is the default; a planner with a Dask cluster hands in
``client.get_executor()`` instead (the ``dask`` extra), since only ``submit`` is
used and its futures are :mod:`concurrent.futures` futures.
"""

from __future__ import annotations

import time as wallclock
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import date
from typing import ParamSpec, TypeVar

from frontdesk_core.simulation.model import simulate_day
from frontdesk_core.simulation.results import DayObservations, SimulationResult, summarise
from frontdesk_core.simulation.scenario import LoadedScenario

P = ParamSpec("P")
T = TypeVar("T")
Progress = Callable[[int, int], None]
"""Told ``(done, total)`` as tasks finish."""


@dataclass(frozen=True)
class Task:
    """One simulated day of one replication."""

    replication: int
    day: date
    seed: str


def tasks_for(days: Sequence[date], replications: int, seed: int) -> list[Task]:
    """Every (replication, day) of a run, each with its own named random stream."""
    return [
        Task(rep, day, f"frontdesk/{seed}/{rep}/{day.isoformat()}")
        for rep in range(replications)
        for day in days
    ]


def _run_batch(loaded: LoadedScenario, batch: Sequence[Task]) -> list[DayObservations]:
    return [simulate_day(loaded, task.day, task.seed) for task in batch]


@dataclass(frozen=True)
class Replications:
    """What a run observed, replication by replication (for paired and sequential analyses)."""

    scenario: str
    seed: int
    days: tuple[date, ...]
    first: int
    """The index of the first replication held (a run can be continued with more)."""
    observed: tuple[tuple[DayObservations, ...], ...]
    """Per replication, its days in date order."""
    citizens: int
    seconds: float

    def __add__(self, more: Replications) -> Replications:
        """This run continued with ``more`` (the replications that follow it)."""
        if more.first != self.first + len(self.observed):
            raise ValueError("the replications added must follow on from these")
        return Replications(
            self.scenario,
            self.seed,
            self.days,
            self.first,
            self.observed + more.observed,
            self.citizens + more.citizens,
            self.seconds + more.seconds,
        )

    def result(self) -> SimulationResult:
        """The summary with intervals over these replications."""
        return SimulationResult(
            scenario=self.scenario,
            replications=len(self.observed),
            seed=self.seed,
            days=tuple(d.isoformat() for d in self.days),
            records=tuple(summarise(self.scenario, self.observed)),
            citizens=self.citizens,
            seconds=self.seconds,
        )


def replicate(
    loaded: LoadedScenario,
    replications: range,
    *,
    seed: int | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    batch_days: int | None = None,
) -> Replications:
    """Simulate every day of the scenario in each replication of ``replications``.

    Replication ``k`` is the same whether it is run alone, first or after others:
    ``replicate(s, range(0, 5)) + replicate(s, range(5, 10))`` equals
    ``replicate(s, range(0, 10))``.
    """
    if len(replications) < 1 or replications.step != 1 or replications.start < 0:
        raise ValueError("at least one replication is needed")
    base_seed = seed if seed is not None else loaded.scenario.seed
    tasks = [
        task
        for task in tasks_for(loaded.dates, replications.stop, base_seed)
        if task.replication >= replications.start
    ]
    size = batch_days or max(1, min(25, len(loaded.dates)))
    batches = [tasks[i : i + size] for i in range(0, len(tasks), size)]
    started = wallclock.perf_counter()
    own = executor is None
    pool: Executor = executor if executor is not None else ProcessPoolExecutor()
    observed: dict[tuple[int, date], DayObservations] = {}
    try:
        futures: dict[Future[list[DayObservations]], Sequence[Task]] = {
            pool.submit(_run_batch, loaded, batch): batch for batch in batches
        }
        done = 0
        for future in as_completed(futures):
            batch = futures[future]
            for task, days in zip(batch, future.result(), strict=True):
                observed[(task.replication, task.day)] = days
            done += len(batch)
            if progress is not None:
                progress(done, len(tasks))
    finally:
        if own:
            pool.shutdown(cancel_futures=True)
    return Replications(
        scenario=loaded.scenario.name,
        seed=base_seed,
        days=loaded.dates,
        first=replications.start,
        observed=tuple(tuple(observed[(rep, day)] for day in loaded.dates) for rep in replications),
        citizens=sum(d.citizens for d in observed.values()),
        seconds=wallclock.perf_counter() - started,
    )


def run(
    loaded: LoadedScenario,
    *,
    replications: int | None = None,
    seed: int | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    batch_days: int | None = None,
) -> SimulationResult:
    """Simulate every day of the scenario ``replications`` times; summarise with intervals.

    ``executor`` runs the tasks (a process pool when omitted; pass
    :class:`SerialExecutor` to stay in this process). ``batch_days`` groups days of
    one replication into one task so that long periods do not drown in overhead.
    """
    reps = replications if replications is not None else loaded.scenario.replications
    if reps < 1:
        raise ValueError("at least one replication is needed")
    return replicate(
        loaded,
        range(reps),
        seed=seed,
        executor=executor,
        progress=progress,
        batch_days=batch_days,
    ).result()


class SerialExecutor(Executor):
    """Runs each task at once in the calling process (for tests, debugging and small runs)."""

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Run ``fn`` now and return a finished future."""
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


__all__ = ["Progress", "Replications", "SerialExecutor", "Task", "replicate", "run", "tasks_for"]
