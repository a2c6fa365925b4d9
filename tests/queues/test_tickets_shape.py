"""The reducer builds tickets without their ``__init__`` (as sealed drafts): it must set
every field, and what it builds is a frozen ticket like any other."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, date, datetime

from frontdesk_core.events import queues as E
from frontdesk_core.events.base import to_us
from frontdesk_core.events.log import Event
from frontdesk_core.queues.state import LiveState, apply
from frontdesk_core.queues.tickets import Ticket, TicketState


def test_an_issued_ticket_has_every_field_of_the_record() -> None:
    at = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    issued = E.TicketIssued("P001", "pass", day=date(2026, 3, 3))
    state = LiveState(waiting={"pass": {}})
    apply(state, Event(issued.KIND, "t1", to_us(at), "main", issued, 1))
    ticket = state.tickets["t1"]
    assert type(ticket) is Ticket
    unset = [f.name for f in fields(Ticket) if not hasattr(ticket, f.name)]
    assert unset == []
    assert ticket == Ticket(
        "t1",
        "P001",
        "pass",
        "main",
        TicketState.WAITING,
        at,
        at,
        day=date(2026, 3, 3),
        entered_at=at,
    )
