"""What the screens show, read from the core (on the core's thread).

Info screens get :func:`screen_payload`, which holds no personal data; staff
dashboards get :func:`staff_payload` with counters, faults and figures.
"""

from __future__ import annotations

from typing import Any

from frontdesk_core.app import Frontdesk
from frontdesk_display.jsonable import jsonable
from frontdesk_display.state import DisplayState


def screen_payload(fd: Frontdesk, state: DisplayState, centre_id: str) -> dict[str, Any]:
    """An info screen's whole state: queues, called numbers and the info pane."""
    screen = fd.queues.screen(centre_id)
    return {
        "centre_id": centre_id,
        "centre_name": _centre_name(fd, centre_id),
        "at": jsonable(screen.at),
        "queues": [jsonable(q) for q in screen.queues],
        "called": [jsonable(c) for c in screen.called],
        "info": state.info(centre_id),
    }


def staff_payload(fd: Frontdesk, state: DisplayState, centre_id: str) -> dict[str, Any]:
    """A dashboard's live part: queues, counters, figures and open device faults."""
    queues = fd.queues.queue_status(centre_id)
    counters = [jsonable(c) for c in fd.queues.counters(centre_id)]
    waits = [q.expected_wait_minutes for q in queues if q.expected_wait_minutes is not None]
    kpis = {
        "waiting": sum(q.waiting for q in queues),
        "longest_expected_wait": max(waits) if waits else None,
        "open_queues": sum(1 for q in queues if q.open),
        "open_counters": sum(1 for c in counters if c.get("status") != "closed"),
        **today_figures(fd, centre_id),
    }
    return {
        "centre_id": centre_id,
        "at": jsonable(fd.clock.now()),
        "queues": [jsonable(q) for q in queues],
        "counters": counters,
        "kpis": kpis,
        "faults": state.faults(centre_id),
    }


def today_figures(fd: Frontdesk, centre_id: str) -> dict[str, Any]:
    """Served, no-shows and issued today, counted from the event log."""
    now = fd.clock.now()
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    counts = {"issued": 0, "finished": 0, "no_show": 0}
    for event in fd.store.read(
        kinds=["ticket.issued", "ticket.finished", "ticket.no_show"],
        centre_id=centre_id,
        since=start,
    ):
        counts[event.kind.split(".", 1)[1]] += 1
    return {
        "issued_today": counts["issued"],
        "served_today": counts["finished"],
        "no_shows_today": counts["no_show"],
    }


def _centre_name(fd: Frontdesk, centre_id: str) -> str:
    from frontdesk_core.config.types import text_in

    return text_in(fd.config.centre(centre_id).name, fd.config.site.languages[0])
