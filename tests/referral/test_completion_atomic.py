"""A kiosk completion that issues a ticket is one transaction on every store.

A store that fails on purpose once a given kind of event has been written
(the ticket, the booking's check-in, or the record of the walk) stands for a
database that stops or a process killed between them: afterwards there is
either all or nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from frontdesk_core.booking.records import BookingState, Contact
from frontdesk_core.config.models import Config
from frontdesk_core.errors import StoreError
from frontdesk_core.events import BookingCheckedIn, KioskCompleted, NewEvent
from frontdesk_core.events.log import Event
from frontdesk_core.queues.state import ISSUED
from frontdesk_core.referral.engine import COMPLETED
from frontdesk_core.store import EventStore, Transaction, open_store
from frontdesk_core.testing import MakeFrontdesk


class _FailingTransaction:
    """Writes through, then fails once the watched kind of event has been written."""

    def __init__(self, inner: Transaction, fail_on: str) -> None:
        self.inner = inner
        self.fail_on = fail_on

    def append(self, events: Sequence[NewEvent]) -> list[Event]:
        appended = self.inner.append(events)
        if any(e.kind == self.fail_on for e in events):
            raise StoreError("the database went away")
        return appended

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class FailingStore:
    """A real store whose writes fail after an event of kind ``fail_on`` is written."""

    def __init__(self, inner: EventStore) -> None:
        self.inner = inner
        self.fail_on = ""

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        with self.inner.transaction() as tx:
            yield _FailingTransaction(tx, self.fail_on)

    @contextmanager
    def optimistic(self) -> Iterator[Transaction]:
        with self.inner.optimistic() as tx:
            yield _FailingTransaction(tx, self.fail_on)

    def append(self, events: Sequence[NewEvent]) -> list[Event]:
        with self.transaction() as tx:
            return tx.append(events)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EventStore]:
    if request.param == "memory":
        opened = open_store("memory://")
    elif request.param == "sqlite":
        opened = open_store(str(tmp_path / "events.db"))
    else:
        opened = open_store(request.getfixturevalue("postgres_database"))
    yield opened
    opened.close()


@pytest.mark.parametrize("fail_on", [ISSUED, COMPLETED])
def test_a_failed_completion_leaves_neither_ticket_nor_walk(
    config: Config, make_frontdesk: MakeFrontdesk, store: EventStore, fail_on: str
) -> None:
    failing = FailingStore(store)
    fd = make_frontdesk(config, store=failing)
    session = fd.referral.start("main")
    session.answer("tax")
    failing.fail_on = fail_on
    with pytest.raises(StoreError):
        fd.referral.complete(session)
    assert [e.kind for e in store.read(kinds=[ISSUED, COMPLETED])] == []
    assert fd.queues.waiting("tax") == []
    # The session stays open; once the store works, the same completion succeeds whole,
    # with the number the failed attempt did not use.
    failing.fail_on = ""
    result = fd.referral.complete(session)
    assert result.ticket is not None and result.ticket.number == "S001"
    issued, walked = list(store.read(kinds=[ISSUED, COMPLETED]))
    assert (issued.kind, walked.kind) == (ISSUED, COMPLETED)
    assert isinstance(walked.payload, KioskCompleted)
    assert walked.payload.ticket == issued.key == result.ticket.id
    assert [t.id for t in fd.queues.waiting("tax")] == [result.ticket.id]


CHECKED_IN = BookingCheckedIn.KIND


@pytest.mark.parametrize("fail_on", [ISSUED, CHECKED_IN, COMPLETED])
def test_a_failed_check_in_leaves_neither_ticket_nor_check_in_nor_walk(
    config: Config, make_frontdesk: MakeFrontdesk, store: EventStore, fail_on: str
) -> None:
    failing = FailingStore(store)
    fd = make_frontdesk(config, store=failing)
    today = fd.clock.now().date()
    slot = fd.booking.free_slots("passport", today, today)[0]
    booking = fd.booking.book("passport", slot.start, contact=Contact(phone="+4512345678"))
    session = fd.referral.start("main")
    session.answer("booked")
    kinds = [ISSUED, CHECKED_IN, COMPLETED]
    failing.fail_on = fail_on
    with pytest.raises(StoreError):
        fd.referral.complete(session, booking_code=booking.code)
    assert [e.kind for e in store.read(kinds=kinds)] == []
    assert fd.queues.waiting("pass") == []
    assert fd.booking.booking(booking.id).state is BookingState.BOOKED
    failing.fail_on = ""
    result = fd.referral.complete(session, booking_code=booking.code)
    assert result.ticket is not None and result.ticket.booking_id == booking.id
    issued, checked_in, walked = list(store.read(kinds=kinds))
    assert [issued.kind, checked_in.kind, walked.kind] == kinds
    assert isinstance(checked_in.payload, BookingCheckedIn)
    assert isinstance(walked.payload, KioskCompleted)
    assert checked_in.payload.ticket_id == walked.payload.ticket == issued.key
    assert fd.booking.booking(booking.id).state is BookingState.CHECKED_IN
    assert [t.id for t in fd.queues.waiting("pass")] == [result.ticket.id]
