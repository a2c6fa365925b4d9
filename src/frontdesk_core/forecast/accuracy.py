"""How good are the forecasts? Replay a scenario and compare each predictor with the truth.

A :class:`ReplayDay` is one simulated day of a scenario (the truth). When a
followed citizen gets a ticket, four predictors forecast their wait, each from
what the live system knows at that moment:

* **QL**, today's queue-length estimate (:mod:`frontdesk_core.queues.estimates`);
* **LES**, last to enter service: the wait of the queue's latest citizen to be
  called (Ibrahim and Whitt, Operations Research 59(5), 2011);
* **HOL**, head of the line: how long the queue's first waiting citizen has
  waited so far (same paper; 0 when nobody waits);
* **SIM**, the forward simulation (:func:`~frontdesk_core.forecast.forecast.simulate_forecast`)
  from a snapshot of the day's engines: the mean over its runs (the median when
  a run never called the ticket).

The actual wait is the time from the ticket to its call. :func:`accuracy` gives
per predictor the root mean squared error and the share within five minutes,
over the tickets every predictor had an estimate for.

The forward simulation's model is the scenario itself (what a calibration of a
long log converges to); its runs draw their own future citizens, never the truth's.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from frontdesk_core.app import Frontdesk
from frontdesk_core.clock import ManualClock
from frontdesk_core.forecast.forecast import simulate_forecast
from frontdesk_core.forecast.service import calibrated_model
from frontdesk_core.forecast.snapshot import take_snapshot
from frontdesk_core.plugins import Hooks
from frontdesk_core.queues.tickets import Ticket
from frontdesk_core.simulation.model import Citizen, DaySimulation
from frontdesk_core.simulation.scenario import LoadedScenario
from frontdesk_core.store.memory import MemoryStore

PREDICTORS = ("QL", "LES", "HOL", "SIM")
WITHIN = 5.0
"""Minutes either side of the actual wait that count as right."""


@dataclass
class Prediction:
    """The forecasts of one ticket's wait and the wait it had (minutes; ``None``: none)."""

    ticket_id: str
    queue_id: str
    at: float
    forecasts: dict[str, float | None]
    actual: float | None = None


@dataclass(frozen=True)
class Accuracy:
    """One predictor over a set of tickets."""

    predictor: str
    count: int
    rmse: float
    within: float
    """Share of the tickets whose forecast was within :data:`WITHIN` minutes."""


class ReplayDay(DaySimulation):
    """A day of ``loaded`` that forecasts every ``every``-th counted ticket as it is issued.

    ``model`` is the forward simulation's model of the day: by default the scenario
    itself; :func:`calibrated_history` gives the one a live system calibrates from its
    own log (walk-ins then come with their tickets, as that model counts them).
    """

    def __init__(
        self,
        loaded: LoadedScenario,
        seed: str,
        *,
        hooks: Hooks,
        every: int = 5,
        replications: int = 8,
        model: LoadedScenario | None = None,
    ) -> None:
        super().__init__(loaded, loaded.dates[0], seed, hooks=hooks)
        self.model = model or loaded
        self.forecast_hooks = hooks
        self.every = every
        self.replications = replications
        self.predictions: dict[str, Prediction] = {}
        self.last_wait: dict[str, float] = {}
        self._seen = 0

    def _ticketed(self, citizen: Citizen, ticket: Ticket) -> None:
        super()._ticketed(citizen, ticket)
        if not citizen.counted:
            return
        self._seen += 1
        if self._seen % self.every:
            return
        now = self.env.now
        queue_id = ticket.queue_id
        estimate = self.fd.queues.estimate(ticket.id).minutes
        waiting = self.fd.queues.waiting(queue_id)
        head = waiting[0] if waiting and waiting[0].id != ticket.id else None
        hol = now - self.clock.minutes(head.entered_at or head.issued_at) if head else 0.0
        forecast = simulate_forecast(
            take_snapshot(self.fd, (ticket.centre_id,)),
            self.model,
            hooks=self.forecast_hooks,
            replications=self.replications,
            seed=f"{ticket.id}/forecast",
            through_kiosk=self.model is self.loaded,
        )
        mine = forecast.ticket(ticket.id)
        band = mine.minutes if mine is not None else None
        self.predictions[ticket.id] = Prediction(
            ticket.id,
            queue_id,
            now,
            {
                "QL": None if estimate is None else float(estimate),
                "LES": self.last_wait.get(queue_id, 0.0),
                "HOL": hol,
                "SIM": (band.mean if band.mean is not None else band.median)
                if band is not None
                else None,
            },
        )

    def _on_call(self, ticket: Ticket, now: float) -> None:
        citizen = self.citizens.get(ticket.id)
        if citizen is not None:
            self.last_wait[ticket.queue_id] = max(0.0, now - citizen.ready)
        found = self.predictions.get(ticket.id)
        if found is not None and found.actual is None:
            found.actual = now - found.at


def replay_days(
    loaded: LoadedScenario,
    days: int,
    *,
    hooks: Hooks,
    every: int = 5,
    replications: int = 8,
    seed: int = 1,
    calibrated: int = 0,
) -> list[list[Prediction]]:
    """The predictions of ``days`` simulated days of ``loaded``, day by day (tickets called
    that day); with ``calibrated`` weeks, the forward simulation's model is calibrated from
    a log of that many earlier weeks' days (:func:`calibrated_history`)."""
    rng = random.Random(seed)
    model = calibrated_history(loaded, calibrated, hooks=hooks) if calibrated else None
    out: list[list[Prediction]] = []
    for _ in range(days):
        day = ReplayDay(
            loaded,
            f"truth/{rng.getrandbits(32)}",
            hooks=hooks,
            every=every,
            replications=replications,
            model=model,
        )
        day.run()
        out.append([p for p in day.predictions.values() if p.actual is not None])
    return out


def calibrated_history(loaded: LoadedScenario, weeks: int, *, hooks: Hooks) -> LoadedScenario:
    """The model a live system has of the scenario's day: calibrated
    (:func:`~frontdesk_core.forecast.service.calibrated_model`) from a log of the same
    weekday in the ``weeks`` weeks before, simulated with draws of their own."""
    day = loaded.dates[0]
    store = MemoryStore()
    for week in range(weeks, 0, -1):
        past = DaySimulation(
            loaded, day - timedelta(days=7 * week), f"history/{week}", hooks=hooks, store=store
        )
        past.run()
    tz = ZoneInfo(loaded.config.site.timezone)
    clock = ManualClock(datetime.combine(day, time(7), tz))
    fd = Frontdesk(loaded.config, store=store, clock=clock, hooks=hooks)
    model = calibrated_model(fd, clock.now())
    if model is None:
        raise ValueError(f"nothing to calibrate from in {weeks} weeks of '{loaded.path}'")
    return model


def replay(loaded: LoadedScenario, days: int, *, hooks: Hooks, **options: int) -> list[Prediction]:
    """The predictions of ``days`` simulated days of ``loaded`` (tickets called that day);
    ``options`` are :func:`replay_days`'s."""
    return [p for day in replay_days(loaded, days, hooks=hooks, **options) for p in day]


def accuracy(
    predictions: Iterable[Prediction], predictors: Sequence[str] = PREDICTORS
) -> list[Accuracy]:
    """RMSE and share within five minutes per predictor, over the tickets all of them had."""
    common = [p for p in predictions if all(p.forecasts.get(n) is not None for n in predictors)]
    out = []
    for name in predictors:
        errors = [(p.forecasts[name] or 0.0) - (p.actual or 0.0) for p in common]
        if not errors:
            out.append(Accuracy(name, 0, math.nan, math.nan))
            continue
        rmse = math.sqrt(sum(e * e for e in errors) / len(errors))
        within = sum(1 for e in errors if abs(e) <= WITHIN) / len(errors)
        out.append(Accuracy(name, len(errors), rmse, within))
    return out


def reduction(
    predictions: Iterable[Prediction],
    predictor: str = "SIM",
    predictors: Sequence[str] = PREDICTORS,
) -> float:
    """How much lower ``predictor``'s RMSE is than the best of the other ``predictors``
    (0.3: 30% lower; negative: higher), over the tickets every predictor had."""
    rows = {a.predictor: a.rmse for a in accuracy(predictions, predictors)}
    best = min(rmse for name, rmse in rows.items() if name != predictor)
    if math.isnan(best) or math.isnan(rows[predictor]):
        return math.nan
    if best == 0:
        return 0.0 if rows[predictor] == 0 else -math.inf
    return 1.0 - rows[predictor] / best


@dataclass(frozen=True)
class Interval:
    """A figure with its bootstrap interval over simulated days."""

    value: float
    low: float
    high: float


def reduction_interval(
    days: Sequence[Sequence[Prediction]],
    *,
    predictor: str = "SIM",
    predictors: Sequence[str] = PREDICTORS,
    level: float = 0.95,
    resamples: int = 1000,
    seed: int = 1,
) -> Interval:
    """:func:`reduction` over all ``days`` with a percentile bootstrap interval that
    resamples whole days (tickets of one day are not independent: they share its crowd)."""
    rng = random.Random(seed)
    value = reduction((p for day in days for p in day), predictor, predictors)
    figures = sorted(
        reduction((p for _ in days for p in days[rng.randrange(len(days))]), predictor, predictors)
        for _ in range(resamples)
    )
    figures = [f for f in figures if not math.isnan(f)]
    if not figures:
        return Interval(value, math.nan, math.nan)
    tail = (1.0 - level) / 2.0
    low = figures[int(tail * (len(figures) - 1))]
    high = figures[int((1.0 - tail) * (len(figures) - 1))]
    return Interval(value, low, high)


__all__ = [
    "PREDICTORS",
    "Accuracy",
    "Interval",
    "Prediction",
    "ReplayDay",
    "accuracy",
    "calibrated_history",
    "reduction",
    "reduction_interval",
    "replay",
    "replay_days",
]
