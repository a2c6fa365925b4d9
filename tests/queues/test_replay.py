"""A start-up's replay: the store's batches through the reducer, without an event object each."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from frontdesk_core.app import Frontdesk
from frontdesk_core.clock import ManualClock
from frontdesk_core.events import EventBatch
from frontdesk_core.events.base import from_us, local_time, to_us
from frontdesk_core.queues.state import KINDS, LiveState, load, rebuild, replay

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
