"""The Frontdesk facade: what closing it lets go of."""

from __future__ import annotations

import gc
import weakref
from datetime import datetime

from conftest import CPH, EXAMPLES

from frontdesk_core import Frontdesk, ManualClock
from frontdesk_core.plugins import make_plugin_manager


def _a_closed_day() -> tuple[weakref.ref[object], weakref.ref[object]]:
    """Open Hvidovre on a memory store, issue and call a ticket, close it; weak
    references to the store and the queue engine, nothing else kept."""
    clock = ManualClock(datetime(2026, 11, 23, 10, 0, tzinfo=CPH))
    pm = make_plugin_manager(load_entrypoints=False)
    fd = Frontdesk.open(EXAMPLES / "hvidovre", store="memory://", clock=clock, plugins=pm)
    queues = fd.queues
    queue_id = fd.config.centres[0].queues[0].id
    counter_id = next(c.id for c in fd.config.centres[0].counters if queue_id in c.queues)
    queues.sign_in(counter_id, "ab")
    queues.issue(queue_id)
    assert queues.call_next(counter_id) is not None
    refs = (weakref.ref(fd.store), weakref.ref(queues))
    fd.close()
    return refs


def test_a_closed_frontdesk_is_freed_without_the_cycle_collector() -> None:
    """Its engines and its hooks no longer hold it (nor it them): a program that
    opens one after another, as the simulator does a day at a time, frees each
    day's log and tickets as soon as it lets go of the Frontdesk."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        store, engine = _a_closed_day()
        assert store() is None
        assert engine() is None
    finally:
        if collecting:
            gc.enable()


def test_closing_twice_is_harmless() -> None:
    clock = ManualClock(datetime(2026, 11, 23, 10, 0, tzinfo=CPH))
    pm = make_plugin_manager(load_entrypoints=False)
    fd = Frontdesk.open(EXAMPLES / "hvidovre", store="memory://", clock=clock, plugins=pm)
    fd.queues  # noqa: B018 - built, so that closing has an engine to let go of
    fd.close()
    fd.close()
