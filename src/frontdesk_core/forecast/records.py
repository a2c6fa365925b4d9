"""The forecast's records and how they read: no simulation here, so anything may import it.

A :class:`Band` is minutes from the forecast's moment until the call: the median
and the 80% band over the runs (the 10th to the 90th percentile). A ticket or
queue gets no estimate (``minutes`` is ``None``) rather than a wild number when
nothing can be known.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

FORECAST_STATE = "frontdesk.forecast"
"""Where a Frontdesk keeps its forecaster (``fd.plugin_state(FORECAST_STATE)["forecaster"]``):
:func:`frontdesk_core.forecast.service.forecaster` puts it there, and the kiosk reads the
latest forecast from it without importing the simulation."""
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
    mean: float | None = None
    """The mean over the runs (``None`` when a run never called it): the forecast with the
    least squared error, where the median has the least absolute one."""


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


class LatestForecasts(Protocol):
    """What the kiosk asks of a forecaster: the latest forecast for a new ticket."""

    def queue(self, queue_id: str) -> TicketForecast | None:
        """The latest forecast for a ticket taken now in ``queue_id``."""
        ...


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
    mean = None if math.isinf(ordered[-1]) else sum(ordered) / len(ordered)
    return Band(
        _quantile(ordered, 0.5),
        _quantile(ordered, LOW),
        None if math.isinf(high) else high,
        mean,
    )


def short(band: Band | None) -> str | None:
    """A band for a screen in any language: ``12–18 min``, ``6 min``, ``> 30 min``."""
    if band is None:
        return None
    if band.high is None:
        return f"> {max(1, math.floor(band.median))} min"
    low, high = math.floor(band.low), math.ceil(band.high)
    return f"{high} min" if low >= high else f"{low}–{high} min"


__all__ = [
    "FORECAST_STATE",
    "QUEUE_LENGTH",
    "SIMULATION",
    "TEXTS",
    "Band",
    "Forecast",
    "LatestForecasts",
    "TicketForecast",
    "band_of",
    "describe",
    "short",
]
