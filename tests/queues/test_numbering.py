"""Ticket numbers: prefix and a counter per queue per service day, reset at ``day_reset``."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk_core.app import Frontdesk
from frontdesk_core.clock import ManualClock
from frontdesk_core.config.models import Config
from frontdesk_core.errors import InvalidStateError
from frontdesk_core.queues import state as ev
from frontdesk_core.queues.counters import CounterStatus
from frontdesk_core.queues.numbering import (
    counter_name,
    day_start,
    format_number,
    service_day,
    ticket_id,
)
from queues.conftest import open_engine

CPH = ZoneInfo("Europe/Copenhagen")


def test_the_service_day_turns_at_the_reset_not_at_midnight() -> None:
    reset = time(4, 0)
    assert service_day(datetime(2026, 11, 23, 23, 59, tzinfo=CPH), reset, CPH) == date(2026, 11, 23)
    assert service_day(datetime(2026, 11, 24, 3, 59, tzinfo=CPH), reset, CPH) == date(2026, 11, 23)
    assert service_day(datetime(2026, 11, 24, 4, 0, tzinfo=CPH), reset, CPH) == date(2026, 11, 24)
    # A UTC moment is judged in the centre's timezone: 03:30 UTC is 04:30 in Copenhagen.
    utc = datetime(2026, 11, 24, 3, 30, tzinfo=ZoneInfo("UTC"))
    assert service_day(utc, reset, CPH) == date(2026, 11, 24)
    assert day_start(date(2026, 11, 24), reset, CPH) == datetime(2026, 11, 24, 4, tzinfo=CPH)


def test_number_formats() -> None:
    assert format_number("P", 7) == "P007"
    assert format_number("KS", 1000) == "KS1000"
    assert counter_name("pass", date(2026, 11, 23)) == "ticket:pass:2026-11-23"
    assert ticket_id("pass", date(2026, 11, 23), 12) == "pass-20261123-12"


@given(st.text(max_size=3), st.integers(0, 10**7))
def test_a_number_is_the_prefix_and_at_least_three_digits(prefix: str, value: int) -> None:
    assert format_number(prefix, value) == f"{prefix}{value:03d}"


def test_numbers_restart_at_the_day_reset(fd: Frontdesk, clock: ManualClock) -> None:
    clock.set(datetime(2026, 11, 23, 22, 0, tzinfo=CPH))
    assert fd.queues.issue("pass").number == "P001"
    clock.set(datetime(2026, 11, 24, 2, 0, tzinfo=CPH))  # the small hours: still Monday
    assert fd.queues.issue("pass").number == "P002"
    clock.set(datetime(2026, 11, 24, 4, 0, tzinfo=CPH))
    fresh = fd.queues.issue("pass")
    assert fresh.number == "P001" and fresh.day == date(2026, 11, 24)
    assert fd.queues.issue("tax").number == "S001"


def test_nothing_from_yesterday_leaks_into_today(fd: Frontdesk, clock: ManualClock) -> None:
    old = fd.queues.issue("pass")
    fd.queues.sign_in("c1", "AB")
    fd.queues.assign_queues("c1", ["cash"])
    fd.queues.sign_in("c3", "CD")
    at_counter = fd.queues.call_next("c3")
    assert at_counter is not None
    second = fd.queues.issue("pass")
    clock.set(datetime(2026, 11, 24, 8, 0, tzinfo=CPH))
    # Before any command today, the views already leave yesterday out.
    assert fd.queues.waiting("pass") == []
    assert fd.queues.queue_status("main")[0].waiting == 0
    today = fd.queues.issue("pass")
    assert today.number == "P001"
    assert fd.queues.waiting("pass") == [today]
    closed = {e.key: e.payload.reason for e in fd.store.read(kinds=[ev.CLOSED])}
    assert closed == {old.id: "day_reset", at_counter.id: "day_reset", second.id: "day_reset"}
    assert set(fd.queues.state.tickets) == {today.id}
    counters = {c.id: c for c in fd.queues.counters("main")}
    assert counters["c1"].status is CounterStatus.CLOSED
    assert counters["c1"].employee_ref is None
    assert counters["c1"].queue_ids == ("pass", "tax")  # the manager's move was for the day
    assert counters["c3"].ticket_id is None
    with pytest.raises(InvalidStateError, match="closed"):
        fd.queues.call_next("c3")
    fd.queues.sign_in("c3", "CD")
    called = fd.queues.call_next("c3")
    assert called is not None and called.id == today.id


def test_a_ticket_of_an_earlier_day_cannot_be_moved_into_today(
    fd: Frontdesk, clock: ManualClock
) -> None:
    old = fd.queues.issue("jobs")
    clock.set(datetime(2026, 11, 24, 8, 0, tzinfo=CPH))
    fd.queues.issue("pass")  # rolls the main centre only; the job centre has not moved yet
    before = fd.store.last_seq()
    with pytest.raises(InvalidStateError, match="earlier day"):
        fd.queues.transfer(old.id, "pass")
    assert fd.store.last_seq() == before


def test_a_late_writer_of_an_earlier_day_is_closed_by_the_next_command(
    fd: Frontdesk, clock: ManualClock, config: Config
) -> None:
    # This engine has already rolled into Tuesday and knows it has nothing of Monday.
    clock.set(datetime(2026, 11, 24, 8, 0, tzinfo=CPH))
    fd.queues.issue("pass")
    # A kiosk whose clock is still on Monday night writes a Monday ticket to the same store.
    late_clock = ManualClock(datetime(2026, 11, 24, 3, 0, tzinfo=CPH))
    late = open_engine(config, fd.store, late_clock).issue("pass")
    assert late.day == date(2026, 11, 23)
    # Commands here read that ticket (the first one after it) and close it (the next one),
    # as any leftover of Monday: the memory of having checked today does not hide it.
    fd.queues.issue("pass")
    today = fd.queues.issue("pass")
    assert today.number == "P003"
    closed = {e.key: e.payload.reason for e in fd.store.read(kinds=[ev.CLOSED])}
    assert closed == {late.id: "day_reset"}
    assert [t.id for t in fd.queues.waiting("pass")][-1] == today.id
    assert late.id not in {t.id for t in fd.queues.waiting("pass")}
