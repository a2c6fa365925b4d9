"""Staffing advice, tested by replay: following it on the peak day raises the service level."""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
import simpy

from frontdesk_core.forecast.advice import Advice, advise
from frontdesk_core.forecast.snapshot import take_snapshot
from frontdesk_core.plugins import Hooks, make_plugin_manager
from frontdesk_core.simulation.model import Citizen, CounterRun, DaySimulation
from frontdesk_core.simulation.scenario import LoadedScenario, load_scenario

PEAK = Path(__file__).parents[2] / "examples" / "kobenhavn" / "scenarios" / "peak-day.yaml"
AT = 11 * 60.0


class AdvisedDay(DaySimulation):
    """The peak day; at 11:00 the manager asks for advice and (``follow``) follows it."""

    def __init__(self, loaded: LoadedScenario, seed: str, *, follow: bool, hooks: Hooks) -> None:
        super().__init__(loaded, loaded.dates[0], seed, hooks=hooks)
        self.follow = follow
        self.advice_hooks = hooks
        self.runs: dict[str, CounterRun] = {}
        self.advice: Advice | None = None

    def _book_ahead(self, citizens: list[Citizen]) -> None:
        super()._book_ahead(citizens)
        self.env.process(self._manager())

    def _counter(
        self, run: CounterRun, spans: list[tuple[float, float]]
    ) -> Generator[simpy.Event, Any, None]:
        self.runs[run.counter_id] = run
        yield from super()._counter(run, spans)

    def _manager(self) -> Generator[simpy.Event, Any, None]:
        yield self.env.timeout(AT - self.env.now)
        snapshot = take_snapshot(self.fd)
        self.advice = advise(snapshot, self.loaded, hooks=self.advice_hooks, replications=4)
        best = self.advice.best
        if not self.follow or best is None:
            return
        assert best.kind == "move"  # every counter of the peak day is on duty already
        self.fd.queues.assign_queues(best.counter_id, (best.queue_id,))
        self.runs[best.counter_id].queues = (best.queue_id,)
        self.counter_queues[best.counter_id] = (best.queue_id,)
        self._nudge(self.runs[best.counter_id])

    def service_level(self) -> float:
        """The share of the day's counted citizens called within their queue's target."""
        within = sum(c.within for c in self.obs.cells.values())
        judged = sum(len(c.waits) + c.abandoned for c in self.obs.cells.values())
        return within / judged


@pytest.mark.parametrize("seed", ["advice/1"])
def test_following_the_advice_raises_the_peak_days_service_level(seed: str) -> None:
    loaded = load_scenario(PEAK)
    hooks = Hooks(make_plugin_manager(load_entrypoints=False))
    as_is = AdvisedDay(loaded, seed, follow=False, hooks=hooks)
    as_is.run()
    advised = AdvisedDay(loaded, seed, follow=True, hooks=hooks)
    advised.run()
    advice = advised.advice
    assert advice is not None and advice.best is not None
    sentences = advice.sentences(loaded.config, "en")
    assert any("will fall below" in s and "raises it to" in s for s in sentences)
    assert any("falder under" in s for s in advice.sentences(loaded.config, "da"))
    assert advised.service_level() > as_is.service_level()
