"""End of day: open tickets closed with a reason, counters closed, memory kept small."""

from __future__ import annotations

from datetime import date, datetime
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


def test_a_clean_day_is_ended_once_it_is_over(fd: Frontdesk, clock: ManualClock) -> None:
    """A day that left nothing open is ended all the same when the next one begins: the
    live state forgets its tickets and a start-up replays from its end. A centre nobody
    used gets a day end along, and a day nobody works is ended too, so a start-up never
    reads further back than the last service day."""
    fd.queues.sign_in("c1", "AB")
    for _ in range(3):
        fd.queues.issue("pass")
        fd.queues.call_next("c1")
        fd.queues.finish("c1")
    fd.queues.sign_out("c1")
    clock.set(datetime(2026, 11, 24, 3, 59, tzinfo=CPH))  # before the centre's day_reset
    assert fd.queues.roll_day() == 0
    assert len(fd.queues.state.tickets) == 3
    clock.set(datetime(2026, 11, 24, 4, 0, tzinfo=CPH))
    assert fd.queues.roll_day() == 2
    ends = list(fd.store.read(kinds=[ev.DAY_ENDED]))
    monday = date(2026, 11, 23)
    assert [(e.centre_id, e.payload.day) for e in ends] == [("main", monday), ("job", monday)]
    assert not fd.queues.state.tickets
    assert not [e for e in fd.store.read(kinds=[ev.CLOSED])]  # nothing was left to close
    assert fd.queues.roll_day() == 0  # once a day
    assert replay_start(fd.config, fd.store) == ends[0].seq
    assert load(fd.config, fd.store) == rebuild(fd.config, fd.store.read()) == fd.queues.state

    # Nobody works on Tuesday and Wednesday; Thursday's first command ends Wednesday.
    clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=CPH))
    fd.queues.issue("pass")
    ends = list(fd.store.read(kinds=[ev.DAY_ENDED]))
    assert [(e.centre_id, e.payload.day) for e in ends[2:]] == [("main", date(2026, 11, 25))]
    assert fd.queues.roll_day("job") == 1  # the job centre's, asked for (housekeeping does)
    assert replay_start(fd.config, fd.store) == ends[2].seq
    assert load(fd.config, fd.store) == rebuild(fd.config, fd.store.read()) == fd.queues.state
