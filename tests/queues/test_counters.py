"""Counter states: what may call, and how the engine reports them."""

from __future__ import annotations

import logging

import pytest

from frontdesk_core.app import Frontdesk
from frontdesk_core.queues.counters import CounterState, CounterStatus


def test_only_an_open_free_counter_may_call() -> None:
    closed = CounterState("c1", "main", ("pass",))
    assert not closed.is_open and not closed.can_call
    opened = CounterState("c1", "main", ("pass",), CounterStatus.OPEN)
    assert opened.is_open and opened.can_call
    busy = CounterState("c1", "main", ("pass",), CounterStatus.OPEN, ticket_id="t1")
    assert not busy.can_call
    paused = CounterState("c1", "main", ("pass",), CounterStatus.PAUSED)
    assert paused.is_open and not paused.can_call


def test_pausing_keeps_the_ticket_being_served(fd: Frontdesk) -> None:
    fd.queues.issue("pass")
    fd.queues.issue("pass")
    fd.queues.sign_in("c1", "AB")
    fd.queues.call_next("c1")
    paused = fd.queues.pause("c1")
    assert paused.status is CounterStatus.PAUSED and paused.ticket_id is not None
    fd.queues.finish("c1")
    assert fd.queues.counter("c1").ticket_id is None
    fd.queues.resume("c1")
    assert fd.queues.call_next("c1") is not None


def test_a_manager_closed_counter_needs_opening_again(fd: Frontdesk) -> None:
    fd.queues.sign_in("c2", "AB")
    closed = fd.queues.close_counter("c2")
    assert closed.status is CounterStatus.CLOSED and closed.employee_ref is None
    status = {q.queue_id: q.open for q in fd.queues.queue_status("main")}
    assert status == {"pass": False, "tax": False, "cash": False}
    opened = fd.queues.open_counter("c2")
    assert opened.status is CounterStatus.OPEN and opened.employee_ref is None
    kinds = [e.kind for e in fd.store.read()]
    assert kinds == ["counter.signed_in", "counter.closed", "counter.opened"]


def test_a_queue_is_open_while_an_open_counter_serves_it(fd: Frontdesk) -> None:
    def open_queues() -> set[str]:
        return {q.queue_id for q in fd.queues.queue_status("main") if q.open}

    serves = set(fd.queues.counter("c2").queue_ids)
    fd.queues.sign_in("c2", "AB")
    assert open_queues() == serves
    fd.queues.pause("c2")  # someone is there, but calls nobody
    assert open_queues() == set()
    fd.queues.resume("c2")
    assert open_queues() == serves
    assert fd.queues.queue_status_of(sorted(serves)[0]).open


def test_counter_changes_are_logged_without_the_employee(
    fd: Frontdesk, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="frontdesk.queues"):
        fd.queues.sign_in("c1", "AB")
        fd.queues.assign_queues("c1", ["cash"])
        fd.queues.close_counter("c1")
        fd.queues.end_of_day("main")
    records = [r for r in caplog.records if r.name == "frontdesk.queues"]
    assert [r.getMessage() for r in records] == [
        "counter.signed_in",
        "counter.queues_assigned",
        "counter.closed",
        "day.ended",
    ]
    assert all(getattr(r, "counter", "c1") == "c1" for r in records)
    assert "AB" not in caplog.text
