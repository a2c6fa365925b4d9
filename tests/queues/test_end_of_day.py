"""End of day: open tickets closed with a reason, counters closed, memory kept small."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from frontdesk_core.app import Frontdesk
from frontdesk_core.clock import ManualClock
from frontdesk_core.errors import NotFoundError
from frontdesk_core.queues import state as ev
from frontdesk_core.queues.counters import CounterStatus
from frontdesk_core.queues.state import load, rebuild, replay_start
from frontdesk_core.queues.tickets import TicketState

CPH = ZoneInfo("Europe/Copenhagen")


def test_end_of_day_closes_every_open_ticket_with_a_reason(fd: Frontdesk) -> None:
    waiting = fd.queues.issue("pass")
    called = fd.queues.issue("tax")
    serving = fd.queues.issue("cash")
    done = fd.queues.issue("pass")
    other_centre = fd.queues.issue("jobs")
    fd.queues.sign_in("c1", "AB")
    fd.queues.call("c1", done.id)
    fd.queues.finish("c1")
    fd.queues.call("c1", called.id)
    fd.queues.sign_in("c2", "CD")
    fd.queues.call("c2", serving.id)
    fd.queues.start("c2")
    fd.queues.assign_queues("c3", ["cash"])

    assert fd.queues.end_of_day("main") == 3
    closed = {e.key: e.payload.reason for e in fd.store.read(kinds=[ev.CLOSED])}
    assert closed == {t.id: "end_of_day" for t in (waiting, called, serving)}
    # The centre's ended tickets are forgotten by the live state; the log keeps them.
    with pytest.raises(NotFoundError, match="day that has ended"):
        fd.queues.ticket(done.id)
    assert fd.queues.ticket(other_centre.id).state is TicketState.WAITING
    counters = fd.queues.counters("main")
    assert all(c.status is CounterStatus.CLOSED and c.ticket_id is None for c in counters)
    assert fd.queues.counter("c3").queue_ids == ("pass",)  # the day's move is undone
    assert fd.queues.end_of_day() == 1  # the other centre
    assert fd.queues.end_of_day() == 0  # twice is harmless
    assert rebuild(fd.config, fd.store.read()) == fd.queues.state


def test_the_next_day_starts_clean(fd: Frontdesk, clock: ManualClock) -> None:
    fd.queues.issue("pass")
    fd.queues.end_of_day()
    clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=CPH))
    tuesday = fd.queues.issue("pass")
    assert tuesday.number == "P001"
    assert fd.queues.waiting("pass") == [tuesday]
    assert set(fd.queues.state.tickets) == {tuesday.id}


def test_a_start_up_replays_from_the_last_day_end(fd: Frontdesk, clock: ManualClock) -> None:
    """The live state loaded from the last day end equals the one replayed from the start."""
    fd.queues.sign_in("c1", "AB")
    for _ in range(5):
        fd.queues.issue("pass")
        clock.advance(minutes=3)
        fd.queues.call_next("c1")
        clock.advance(minutes=4)
        fd.queues.finish("c1")
    fd.queues.end_of_day()
    clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=CPH))
    fd.queues.issue("pass")
    fd.queues.sign_in("c2", "CD")
    fd.queues.issue("jobs")
    start = replay_start(fd.config, fd.store)
    assert start > 1
    loaded = load(fd.config, fd.store)
    assert loaded == rebuild(fd.config, fd.store.read()) == fd.queues.state
    assert list(loaded.recent["pass"]) == [240.0] * 5  # carried by the day-end event
