"""The reducer: the live state from events alone, whoever wrote them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from frontdesk_core.config.models import Config
from frontdesk_core.events import Event, NewEvent
from frontdesk_core.queues import state as ev
from frontdesk_core.queues.counters import CounterStatus
from frontdesk_core.queues.state import LiveState, apply, rebuild
from frontdesk_core.queues.tickets import TicketState

UTC = ZoneInfo("UTC")
CPH = ZoneInfo("Europe/Copenhagen")
AT = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def _event(seq: int, kind: str, key: str, minutes: int = 0, **data: object) -> Event:
    """An event as a store reads it: ``data`` in its stored form."""
    return _event_at(seq, kind, key, AT + timedelta(minutes=minutes), **data)


def _event_at(seq: int, kind: str, key: str, at: datetime, **data: object) -> Event:
    new = NewEvent(kind, key, at, "main", data)
    return Event(kind, key, new.at_us, "main", new.payload, seq)


def _issued(seq: int, key: str, queue: str = "pass", minutes: int = 0) -> Event:
    return _event(
        seq, ev.ISSUED, key, minutes, number=f"P{seq:03d}", queue_id=queue, day="2026-11-23"
    )


def test_initial_state_has_every_configured_counter_closed(config: Config) -> None:
    state = LiveState.initial(config)
    assert set(state.counters) == {"c1", "c2", "c3", "j1"}
    assert all(c.status is CounterStatus.CLOSED for c in state.counters.values())
    assert state.counters["c2"].queue_ids == ("tax", "cash")
    assert state.waiting["cash"] == {}


def test_times_are_shown_in_the_site_timezone(config: Config) -> None:
    state = rebuild(config, [_issued(1, "t1")])
    ticket = state.tickets["t1"]
    assert ticket.issued_at == AT and ticket.issued_at.tzinfo is CPH
    assert ticket.day == date(2026, 11, 23)


def test_a_ticket_through_its_life(config: Config) -> None:
    events = [
        _issued(1, "t1"),
        _event(2, ev.SIGNED_IN, "c1", employee_ref="AB", day="2026-11-23"),
        _event(3, ev.CALLED, "t1", 2, counter_id="c1"),
        _event(4, ev.RECALLED, "t1", 3, counter_id="c1", recall=1),
        _event(5, ev.STARTED, "t1", 4, counter_id="c1"),
        _event(6, ev.FINISHED, "t1", 9, counter_id="c1"),
    ]
    state = rebuild(config, events)
    ticket = state.tickets["t1"]
    assert ticket.state is TicketState.DONE and ticket.recalls == 1
    assert ticket.called_at == AT + timedelta(minutes=3)  # the last call
    assert state.counters["c1"].ticket_id is None
    assert list(state.recent["pass"]) == [360.0]  # from the last call to the end
    assert state.open_days == {} and state.last_seq == 6


def test_events_it_does_not_know_are_skipped(config: Config) -> None:
    state = rebuild(config, [_issued(1, "t1")])
    before = state.tickets.copy()
    apply(state, _event(2, "booking.no_show", "b1"))
    apply(state, _event(3, ev.CALLED, "no-such-ticket", counter_id="c1"))
    apply(state, _event(4, ev.SIGNED_IN, "removed-counter", employee_ref="X"))
    assert state.tickets == before and state.last_seq == 4


def test_an_issue_seen_twice_is_applied_once(config: Config) -> None:
    state = rebuild(config, [_issued(1, "t1"), _event(2, ev.CANCELLED, "t1")])
    apply(state, _issued(1, "t1"))
    assert state.tickets["t1"].state is TicketState.CANCELLED
    assert state.waiting["pass"] == {}


def test_transfer_follows_the_queue_priority_unless_given_at_issue(config: Config) -> None:
    events = [
        _issued(1, "t1"),
        _event(
            2,
            ev.TRANSFERRED,
            "t1",
            5,
            from_centre="main",
            from_queue="pass",
            to_queue="cash",
            priority=1,
        ),
    ]
    state = rebuild(config, events)
    ticket = state.tickets["t1"]
    assert (ticket.queue_id, ticket.priority, ticket.transfers) == ("cash", 1, 1)
    assert ticket.arrived_at == AT and ticket.entered_at == AT + timedelta(minutes=5)
    assert list(state.waiting["cash"]) == ["t1"] and state.waiting["pass"] == {}


def test_a_counter_time_across_the_spring_change_is_the_time_that_passed(
    config: Config,
) -> None:
    # Called 01:50 CET, finished 03:10 CEST on 29 March: 20 minutes, 80 by the wall clock.
    called = datetime(2026, 3, 29, 0, 50, tzinfo=UTC)
    issued = called - timedelta(minutes=5)
    events = [
        _event_at(1, ev.ISSUED, "t1", issued, number="P001", queue_id="pass", day="2026-03-29"),
        _event_at(2, ev.CALLED, "t1", called, counter_id="c1"),
        _event_at(3, ev.FINISHED, "t1", called + timedelta(minutes=20), counter_id="c1"),
    ]
    state = rebuild(config, events)
    ticket = state.tickets["t1"]
    assert (ticket.called_at.hour, ticket.ended_at.hour) == (1, 3)  # as the wall shows them
    assert list(state.recent["pass"]) == [20 * 60.0]
