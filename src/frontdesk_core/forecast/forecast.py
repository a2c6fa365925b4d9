"""Forecasts as records, made by simulation or by queue length.

* :func:`simulate_forecast` runs ``replications`` forward runs of the rest of
  the day from a :class:`~frontdesk_core.forecast.snapshot.LiveSnapshot` and
  gives each waiting ticket the median minutes until its call and an 80% band
  (the 10th to the 90th percentile over the runs); each probed queue gets the
  same for a ticket taken now.
* :func:`queue_length_forecast` is today's estimate
  (:mod:`frontdesk_core.queues.estimates`) in the same records, without a band.

A ticket or queue gets no estimate (``minutes`` is ``None``) rather than a wild
number when nothing can be known: no counter open, the centre closed, no
history, or (simulated) the ticket not called before the day ends in most runs.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from frontdesk_core.forecast.forward import ForwardRun
from frontdesk_core.forecast.snapshot import LiveSnapshot, seed_events
from frontdesk_core.plugins import Hooks
from frontdesk_core.simulation.scenario import LoadedScenario

if TYPE_CHECKING:
    from frontdesk_core.app import Frontdesk

SIMULATION = "simulation"
QUEUE_LENGTH = "queue_length"
LOW, HIGH = 0.1, 0.9
"""The 80% band: the 10th and 90th percentiles over the runs."""
TEXTS = {
    "about": {"da": "ca. {low}–{high} min", "en": "about {low}–{high} min"},
    "about_one": {"da": "ca. {minutes} min", "en": "about {minutes} min"},
    "more": {"da": "mere end {minutes} min", "en": "more than {minutes} min"},
    "soon": {"da": "snart", "en": "soon"},
    "none": {"da": "intet estimat", "en": "no estimate"},
}
"""How a forecast reads on a ticket, a screen or in an SMS."""


@dataclass(frozen=True)
class Band:
    """Minutes from the forecast's moment until the call: median and 80% band."""

    median: float
    low: float
    high: float | None
    """``None``: in more than a tenth of the runs the call came after the day's end."""


@dataclass(frozen=True)
class TicketForecast:
    """When a waiting ticket (or a ticket taken now, ``ticket_id`` ``None``) is called."""

    queue_id: str
    minutes: Band | None
    """``None``: no estimate."""
    ticket_id: str | None = None

    def text(self, language: str = "da") -> str:
        """The forecast in words: ``about 12–18 min``, ``soon``, ``no estimate``."""
        return describe(self.minutes, language)


@dataclass(frozen=True)
class Forecast:
    """Every waiting ticket's forecast and each queue's for a new ticket, at ``made_at``."""

    made_at: datetime
    method: str
    replications: int
    tickets: Mapping[str, TicketForecast]
    queues: Mapping[str, TicketForecast]

    def ticket(self, ticket_id: str) -> TicketForecast | None:
        """The forecast of a waiting ticket (``None``: not waiting when it was made)."""
        return self.tickets.get(ticket_id)

    def queue(self, queue_id: str) -> TicketForecast | None:
        """The forecast for a ticket taken now in ``queue_id``."""
        return self.queues.get(queue_id)


def _text(name: str, language: str) -> str:
    texts = TEXTS[name]
    return texts.get(language) or texts["en"]


def describe(band: Band | None, language: str = "da") -> str:
    """A band in words, rounded to whole minutes (the low end down, the high end up)."""
    if band is None:
        return _text("none", language)
    if band.high is None:
        return _text("more", language).format(minutes=max(1, math.floor(band.median)))
    low, high = math.floor(band.low), math.ceil(band.high)
    if high <= 1:
        return _text("soon", language)
    if low >= high:
        return _text("about_one", language).format(minutes=high)
    return _text("about", language).format(low=low, high=high)


def _quantile(ordered: Sequence[float], share: float) -> float:
    """The ``share`` quantile of sorted values (linear between neighbours)."""
    position = share * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    if position == below:
        return ordered[below]
    if math.isinf(ordered[above]):
        return math.inf  # between a call and no call that day: not known to be called
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def band_of(waits: Iterable[float]) -> Band | None:
    """The band of the runs' minutes (``inf``: not called that day); ``None`` when most
    runs never called it."""
    ordered = sorted(waits)
    if not ordered or math.isinf(_quantile(ordered, 0.5)):
        return None
    high = _quantile(ordered, HIGH)
    return Band(
        _quantile(ordered, 0.5), _quantile(ordered, LOW), None if math.isinf(high) else high
    )


def simulate_forecast(
    snapshot: LiveSnapshot,
    loaded: LoadedScenario,
    *,
    hooks: Hooks,
    replications: int,
    seed: str = "forecast",
) -> Forecast:
    """Forecast every waiting ticket of ``snapshot`` and a new ticket in each queue."""
    probe = [q.id for c in loaded.config.centres if c.id in loaded.centres for q in c.queues]
    seeded = seed_events(snapshot)
    start = snapshot.minute
    runs: list[tuple[dict[str, float], dict[str, str]]] = []
    collecting = gc.isenabled()
    gc.disable()  # a run's objects live until its end anyway (as in the planner's runs)
    try:
        for index in range(replications):
            run = ForwardRun(
                loaded, snapshot, f"{seed}/{index}", hooks=hooks, probe=probe, seeded=seeded
            )
            runs.append((run.run_forward(), run.probes))
    finally:
        if collecting:
            gc.enable()
    tickets = {}
    for ticket in snapshot.tickets:
        waits = [called.get(ticket.id, math.inf) - start for called, _ in runs]
        tickets[ticket.id] = TicketForecast(ticket.queue_id, band_of(waits), ticket.id)
    queues = {}
    for queue_id in probe:
        waits = [called.get(probes.get(queue_id, ""), math.inf) - start for called, probes in runs]
        queues[queue_id] = TicketForecast(queue_id, band_of(waits))
    return Forecast(snapshot.now, SIMULATION, replications, tickets, queues)


def queue_length_forecast(fd: Frontdesk, snapshot: LiveSnapshot) -> Forecast:
    """Today's queue-length estimate of every waiting ticket and queue, as a forecast."""
    tickets = {}
    for ticket in snapshot.tickets:
        estimate = fd.queues.estimate(ticket.id)
        tickets[ticket.id] = TicketForecast(ticket.queue_id, _flat(estimate.minutes), ticket.id)
    queues = {}
    centres = {t.centre_id for t in snapshot.tickets} | {c.centre_id for c in snapshot.counters}
    for centre_id in sorted(centres):
        for status in fd.queues.queue_status(centre_id):
            queues[status.queue_id] = TicketForecast(
                status.queue_id, _flat(status.expected_wait_minutes)
            )
    return Forecast(snapshot.now, QUEUE_LENGTH, 0, tickets, queues)


def _flat(minutes: int | float | None) -> Band | None:
    return None if minutes is None else Band(float(minutes), float(minutes), float(minutes))


__all__ = [
    "QUEUE_LENGTH",
    "SIMULATION",
    "Band",
    "Forecast",
    "TicketForecast",
    "band_of",
    "describe",
    "queue_length_forecast",
    "simulate_forecast",
]
