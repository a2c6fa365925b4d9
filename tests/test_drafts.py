"""Records filled as drafts and sealed are the frozen records ``__init__`` would build."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from frontdesk_core.drafts import Drafts
from frontdesk_core.events import queues as E
from frontdesk_core.queues.counters import CounterState, CounterStatus
from frontdesk_core.queues.tickets import Ticket, TicketState

AT = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


def _ticket() -> Ticket:
    return Ticket("t1", "P001", "pass", "main", TicketState.WAITING, AT, AT, day=date(2026, 3, 3))


def test_a_sealed_copy_is_a_frozen_record_equal_to_one_built_by_init() -> None:
    drafts = Drafts(Ticket)
    draft = drafts.copy(_ticket())
    draft.state = TicketState.CALLED
    draft.counter_id = "c1"
    draft.__class__ = Ticket
    assert type(draft) is Ticket
    assert draft == dataclasses.replace(_ticket(), state=TicketState.CALLED, counter_id="c1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        draft.state = TicketState.DONE
    assert pickle.loads(pickle.dumps(draft)) == draft
    assert hash(draft) == hash(dataclasses.replace(draft))
    assert draft.is_open


def test_replace_changes_only_what_it_is_given_and_refuses_unknown_fields() -> None:
    counters = Drafts(CounterState)
    before = CounterState("c1", "main", ("pass",))
    after = counters.replace(before, status=CounterStatus.OPEN, ticket_id="t1")
    assert after == CounterState("c1", "main", ("pass",), CounterStatus.OPEN, ticket_id="t1")
    assert before.status is CounterStatus.CLOSED  # the original is untouched
    with pytest.raises(AttributeError):
        counters.replace(before, ticket="t1")


def test_a_blank_draft_on_a_payload_record_seals_into_that_record() -> None:
    drafts = Drafts(E.TicketIssued)
    draft = drafts.new()
    for name, value in zip(drafts.names, ("P001", "pass", 0, "da"), strict=False):
        setattr(draft, name, value)
    for name in drafts.names[4:]:
        setattr(draft, name, None)
    draft.__class__ = E.TicketIssued
    assert draft == E.TicketIssued("P001", "pass", 0, "da", None)
    assert isinstance(draft, E.TicketIssued) and draft.KIND == "ticket.issued"


def test_only_frozen_slotted_dataclasses_have_drafts() -> None:
    @dataclass(frozen=True)
    class WithDict:
        a: int

    @dataclass(slots=True)
    class Mutable:
        a: int

    for record in (WithDict, Mutable, int):
        with pytest.raises(TypeError):
            Drafts(record)
