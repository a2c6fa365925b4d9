"""What the screens show, read from the core (on the core's thread).

Info screens get :func:`screen_payload`, which holds no personal data; staff
dashboards get :func:`staff_payload` with counters, faults and figures.
"""

from __future__ import annotations

import time
from typing import Any

from frontdesk_core.api import Frontdesk, forecaster, short
from frontdesk_display.common.jsonable import jsonable
from frontdesk_display.live.state import DisplayState


def screen_payload(fd: Frontdesk, state: DisplayState, centre_id: str) -> dict[str, Any]:
    """An info screen's whole state: queues, called numbers (the latest calls stay after
    they finish, ``current`` false) and the info pane."""
    screen = fd.queues.screen(centre_id)
    today = screen.at.astimezone(fd.tz).date()
    called = state.recent_calls.merge(centre_id, screen.called, today, fd.tz)
    return {
        "centre_id": centre_id,
        "centre_name": _centre_name(fd, centre_id),
        "at": jsonable(screen.at),
        "queues": with_forecasts(fd, [jsonable(q) for q in screen.queues]),
        "called": called,
        "info": state.info(centre_id),
    }


def staff_payload(
    fd: Frontdesk, state: DisplayState, centre_id: str, figures: FiguresCache | None = None
) -> dict[str, Any]:
    """A dashboard's live part: queues, counters, figures and open device faults."""
    queues = fd.queues.queue_status(centre_id)
    counters = [jsonable(c) for c in fd.queues.counters(centre_id)]
    waits = [q.expected_wait_minutes for q in queues if q.expected_wait_minutes is not None]
    kpis = {
        "waiting": sum(q.waiting for q in queues),
        "longest_expected_wait": max(waits) if waits else None,
        "open_queues": sum(1 for q in queues if q.open),
        "open_counters": sum(1 for c in counters if c.get("status") != "closed"),
        **(figures.get(fd, centre_id) if figures else today_figures(fd, centre_id)),
    }
    return {
        "centre_id": centre_id,
        "at": jsonable(fd.clock.now()),
        "queues": with_forecasts(fd, [jsonable(q) for q in queues]),
        "counters": counters,
        "kpis": kpis,
        "faults": state.faults(centre_id),
    }


def with_forecasts(fd: Frontdesk, queues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each queue with ``forecast``: the latest forecast for a ticket taken now, as a band
    (``12–18 min``) the same in every language, or ``None`` (no forecast, no estimate)."""
    latest = forecaster(fd).latest()
    for queue in queues:
        found = latest.queue(queue["queue_id"]) if latest is not None else None
        queue["forecast"] = short(found.minutes) if found is not None else None
    return queues


def today_figures(fd: Frontdesk, centre_id: str) -> dict[str, Any]:
    """Today's figures of a centre from the statistics (``fd.stats``)."""
    today = fd.clock.now().astimezone(fd.tz).date()
    report = fd.stats.report(today, today, centre_id=centre_id)
    day = next((c for c in report.centres if c.hour is None and c.day == today), None)
    if day is None:  # nothing has happened today yet
        return {key: None if key in AVERAGES else 0 for key in FIGURES}
    mean_wait = day.waiting.mean
    return {
        "arrivals_today": day.arrivals,
        "served_today": day.served,
        "no_shows_today": day.no_shows,
        "sent_home_today": day.sent_home,
        "referred_today": day.referred,
        "mean_wait_minutes": round(mean_wait / 60, 1) if mean_wait is not None else None,
        "within_target_percent": (
            round(day.within_target * 100) if day.within_target is not None else None
        ),
    }


FIGURES = (
    "arrivals_today",
    "served_today",
    "no_shows_today",
    "sent_home_today",
    "referred_today",
    "mean_wait_minutes",
    "within_target_percent",
)
"""The keys of :func:`today_figures`."""
AVERAGES = frozenset({"mean_wait_minutes", "within_target_percent"})
"""The figures that have no value before the first citizen is served."""


class FiguresCache:
    """Today's figures, recomputed at most every few seconds per centre.

    They are read from the whole day's log, which grows through the day; the
    live counts (waiting, open counters) are never cached. Wall-clock time here
    only paces a cache, it is no domain time.
    """

    def __init__(self, seconds: float = 5.0) -> None:
        self.seconds = seconds
        self._cached: dict[str, tuple[float, dict[str, Any]]] = {}

    def get(self, fd: Frontdesk, centre_id: str) -> dict[str, Any]:
        """The figures of ``centre_id``, fresh enough."""
        now = time.monotonic()
        hit = self._cached.get(centre_id)
        if hit is not None and now - hit[0] < self.seconds:
            return hit[1]
        figures = today_figures(fd, centre_id)
        self._cached[centre_id] = (now, figures)
        return figures


def _centre_name(fd: Frontdesk, centre_id: str) -> str:
    from frontdesk_core.api import text_in

    return text_in(fd.config.centre(centre_id).name, fd.config.site.languages[0])
