"""End of day: open tickets closed with a reason, counters closed, memory kept small."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from frontdesk_core.app import Frontdesk
from frontdesk_core.clock import ManualClock
from frontdesk_core.queues.counters import CounterStatus
from frontdesk_core.queues.state import rebuild
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

    assert fd.queues.end_of_day("main") == 3
    for ticket in (waiting, called, serving):
        closed = fd.queues.ticket(ticket.id)
        assert closed.state is TicketState.CLOSED and closed.end_reason == "end_of_day"
    assert fd.queues.ticket(done.id).state is TicketState.DONE
    assert fd.queues.ticket(other_centre.id).state is TicketState.WAITING
    assert all(c.status is CounterStatus.CLOSED for c in fd.queues.counters("main"))
    assert all(c.ticket_id is None for c in fd.queues.counters("main"))
    assert fd.queues.end_of_day() == 1  # the other centre
    assert fd.queues.end_of_day() == 0  # twice is harmless
    assert rebuild(fd.config, fd.store.read()) == fd.queues.state


def test_a_later_day_end_forgets_the_tickets_of_earlier_days(
    fd: Frontdesk, clock: ManualClock
) -> None:
    monday = fd.queues.issue("pass")
    fd.queues.end_of_day()
    clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=CPH))
    tuesday = fd.queues.issue("pass")
    assert fd.queues.ticket(monday.id).state is TicketState.CLOSED  # yesterday is kept
    fd.queues.end_of_day()
    clock.advance(timedelta(days=1))
    fd.queues.issue("pass")
    assert monday.id not in fd.queues.state.tickets  # ended on Tuesday's day end
    assert fd.queues.ticket(tuesday.id).state is TicketState.CLOSED
    fd.queues.end_of_day()
    assert tuesday.id not in fd.queues.state.tickets
    assert rebuild(fd.config, fd.store.read()) == fd.queues.state
