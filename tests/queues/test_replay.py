"""A start-up's replay: the store's batches through the reducer, without an event object each."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk_core.app import Frontdesk
from frontdesk_core.clock import ManualClock
from frontdesk_core.events import EventBatch
from frontdesk_core.events.base import from_us, local_time, to_us
from frontdesk_core.queues.counters import CounterState
from frontdesk_core.queues.state import KINDS, LiveState, apply, load, rebuild, replay
from frontdesk_core.queues.tickets import Ticket, TicketState

CPH = ZoneInfo("Europe/Copenhagen")
ZONES = [
    ZoneInfo(name) for name in ("Europe/Copenhagen", "America/New_York", "Australia/Lord_Howe")
]


def _busy_day(fd: Frontdesk, clock: ManualClock) -> None:
    """A day with every kind of queue event, its end, and the next morning."""
    q = fd.queues
    q.sign_in("c1", "AB")
    q.sign_in("c2", "CD")
    q.open_counter("c3")
    for queue in ("pass", "tax", "cash", "pass", "tax", "jobs"):
        q.issue(queue)
        clock.advance(minutes=1)
    q.call_next("c1")
    q.recall("c1")
    q.start("c1")
    clock.advance(minutes=4)
    q.finish("c1")
    q.call_next("c1")
    q.put_back("c1")
    q.call_next("c2")
    clock.advance(minutes=20)
    q.no_show("c2")
    moved = q.issue("tax")
    q.transfer(moved.id, "pass")
    q.cancel(q.issue("cash").id)
    q.pause("c1")
    q.resume("c1")
    q.assign_queues("c3", ["pass", "tax"])
    q.call_next("c3")
    q.sign_out("c2")
    q.open_counter("j1")
    q.close_counter("j1")
    q.end_of_day("main")
    clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=CPH))
    q.sign_in("c1", "AB")
    q.issue("pass")
    q.call_next("c1")


def test_a_replay_gives_the_state_the_events_give_one_by_one(
    fd: Frontdesk, clock: ManualClock
) -> None:
    _busy_day(fd, clock)
    events = list(fd.store.read(kinds=KINDS))
    assert {e.kind for e in events} == set(KINDS)
    expected = rebuild(fd.config, events)
    assert expected == fd.queues.state
    # In one batch; one event a batch, each moment an object of its own.
    apart = [EventBatch.of([e]) for e in events]
    for batches in ([EventBatch.of(events)], apart):
        assert replay(LiveState.initial(fd.config), batches) == expected
    assert load(fd.config, fd.store) == expected


def _sealed(state: LiveState) -> bool:
    """Every record of ``state`` is a sealed one, and its handlers copy records again."""
    return (
        all(type(t) is Ticket for t in state.tickets.values())
        and all(type(t) is Ticket for line in state.waiting.values() for t in line.values())
        and all(type(c) is CounterState for c in state.counters.values())
        and state == dataclasses.replace(state)  # the drafting fields back at their defaults
        and state.ticket_record is Ticket
        and state.counter_record is CounterState
    )


def test_a_replay_seals_its_records_and_later_events_copy_them(
    fd: Frontdesk, clock: ManualClock
) -> None:
    """The handlers change a replay's records in place; once it returns, its records are
    frozen again and an event applied afterwards leaves them as they were."""
    q = fd.queues
    q.sign_in("c1", "AB")
    q.sign_in("c2", "CD")
    for queue in ("pass", "tax", "pass"):
        q.issue(queue)
    q.call_next("c1")
    events = list(fd.store.read(kinds=KINDS))
    state = replay(LiveState.initial(fd.config), [EventBatch.of(events)])
    assert _sealed(state) and state == fd.queues.state
    held = dict(state.tickets)
    fields = {key: dataclasses.astuple(t) for key, t in held.items()}
    with pytest.raises(dataclasses.FrozenInstanceError):
        next(iter(held.values())).note = "x"  # type: ignore[misc]
    called = q.call_next("c2")
    apply(state, list(fd.store.read(after=events[-1].seq))[-1])
    assert state.tickets[called.id].state is TicketState.CALLED
    assert {key: dataclasses.astuple(t) for key, t in held.items()} == fields


def test_a_replay_changes_no_record_it_did_not_make(fd: Frontdesk, clock: ManualClock) -> None:
    """Replayed onto a state that already holds records (made by events one by one), the
    replay leaves those records as they were: it changes copies of them."""
    _busy_day(fd, clock)
    events = list(fd.store.read(kinds=KINDS))
    for cut in range(0, len(events), 3):
        state = rebuild(fd.config, events[:cut])
        held = [*state.tickets.values(), *state.counters.values()]
        fields = [dataclasses.astuple(r) for r in held]
        assert replay(state, [EventBatch.of(events[cut:])]) == fd.queues.state
        assert [dataclasses.astuple(r) for r in held] == fields
        assert _sealed(state)


def test_a_replay_stopped_by_an_error_seals_what_it_made(fd: Frontdesk, clock: ManualClock) -> None:
    _busy_day(fd, clock)
    events = list(fd.store.read(kinds=KINDS))

    def batches() -> Iterator[EventBatch]:
        yield EventBatch.of(events[: len(events) // 2])
        raise OSError("the disk went away")

    state = LiveState.initial(fd.config)
    with pytest.raises(OSError):
        replay(state, batches())
    assert state.tickets and _sealed(state)
    assert state == rebuild(fd.config, events[: len(events) // 2])


def test_a_start_up_inside_a_transaction_reads_its_events(
    fd: Frontdesk, clock: ManualClock
) -> None:
    _busy_day(fd, clock)
    with fd.store.transaction() as tx:
        assert load(fd.config, tx) == fd.queues.state


@given(
    us=st.integers(0, to_us(datetime(2100, 1, 1, tzinfo=CPH))),
    zone=st.sampled_from(ZONES),
)
def test_a_moment_in_the_site_timezone_is_the_one_the_live_engine_shows(
    us: int, zone: ZoneInfo
) -> None:
    """A replay puts a read moment in the site's timezone by ``astimezone``; the live
    engine makes it from microseconds (:func:`local_time`): the same time, fold and zone."""
    for moment in (from_us(us), from_us(us).astimezone(ZoneInfo("Asia/Kolkata"))):
        shown, live = moment.astimezone(zone), local_time(us, zone)
        assert (shown, shown.fold, shown.utcoffset(), shown.tzinfo) == (
            live,
            live.fold,
            live.utcoffset(),
            live.tzinfo,
        )


def test_the_hour_the_clocks_go_back_is_shown_twice_apart() -> None:
    first = to_us(datetime(2026, 10, 25, 0, 30, tzinfo=ZoneInfo("UTC")))
    for us in (first, first + int(timedelta(hours=1).total_seconds() * 1_000_000)):
        shown, live = from_us(us).astimezone(CPH), local_time(us, CPH)
        assert (shown.hour, shown.fold) == (live.hour, live.fold) == (2, us != first)
