"""Replications run through any executor, with the same results."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from frontdesk_core.simulation.runner import SerialExecutor, run, tasks_for
from frontdesk_core.simulation.scenario import LoadedScenario, load_scenario

MMC = Path(__file__).parent / "data" / "mmc"


def small_scenario(tmp_path: Path, hours: str = "10:00-11:00") -> LoadedScenario:
    """Two days of the M/M/c model's centre, 60 citizens an hour and 4 counters in ``hours``."""
    path = tmp_path / "small.yaml"
    path.write_text(
        f"""name: small
config: {MMC / "frontdesk.yaml"}
days: [2026-03-03, 2026-03-04]
arrivals:
  - service: errand
    per_hour: {{"{hours}": 60}}
service_times:
  errand: {{distribution: lognormal, mean: 4 min, sd: 3 min}}
staffing:
  - {{hours: "{hours}", counters: 4}}
""",
        encoding="utf-8",
    )
    return load_scenario(path)


class CountingExecutor(ThreadPoolExecutor):
    """A thread pool that counts what it is given: any Executor will do."""

    def __init__(self) -> None:
        super().__init__(max_workers=2)
        self.submitted = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.submitted += 1
        return super().submit(fn, *args, **kwargs)


def test_any_executor_gives_the_same_results(tmp_path: Path) -> None:
    loaded = small_scenario(tmp_path)
    serial = run(loaded, replications=3, seed=9, executor=SerialExecutor())
    with CountingExecutor() as pool:
        threaded = run(loaded, replications=3, seed=9, executor=pool, batch_days=1)
        assert pool.submitted == 6  # one task per replication and day
    assert serial.records == threaded.records
    assert serial.citizens == threaded.citizens > 0


def test_the_default_process_pool(tmp_path: Path) -> None:
    loaded = small_scenario(tmp_path)
    seen: list[tuple[int, int]] = []
    pooled = run(loaded, replications=2, seed=9, progress=lambda d, t: seen.append((d, t)))
    serial = run(loaded, replications=2, seed=9, executor=SerialExecutor())
    assert pooled.records == serial.records
    assert seen[-1] == (4, 4)


def test_every_task_has_its_own_stream() -> None:
    from datetime import date

    tasks = tasks_for([date(2026, 3, 3), date(2026, 3, 4)], 2, 1)
    assert len({t.seed for t in tasks}) == 4
