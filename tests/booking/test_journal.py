"""The journal keeps the booking ledger in step with the log: every writer's bookings are
read, and a catch-up when nothing was written reads nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from booking.conftest import at
from frontdesk_core.booking.records import Contact
from frontdesk_core.clock import ManualClock
from frontdesk_core.config.models import Config
from frontdesk_core.errors import CommandError
from frontdesk_core.events.log import Event, NewEvent
from frontdesk_core.store import MemoryStore
from frontdesk_core.testing import MakeFrontdesk


class CountingStore(MemoryStore):
    """A memory store that counts the reads asked of it outside a transaction."""

    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def read(self, **filters: Any) -> Iterator[Event]:
        self.reads += 1
        return super().read(**filters)


def test_a_catch_up_with_nothing_new_reads_nothing(
    make_frontdesk: MakeFrontdesk, config: Config, clock: ManualClock
) -> None:
    store = CountingStore()
    fd = make_frontdesk(config, clock=clock, store=store)
    booking = fd.booking.book("passport", at(24, 10), contact=Contact(phone="12345678"))
    fd.booking.booking(booking.id)  # the first look after the booking
    reads = store.reads
    for _ in range(3):
        assert fd.booking.booking(booking.id) == booking
        assert fd.booking.find(booking.code) == booking
    assert store.reads == reads


def test_bookings_of_another_writer_are_read_past_other_events(
    make_frontdesk: MakeFrontdesk, config: Config, clock: ManualClock
) -> None:
    store = MemoryStore()
    kiosk = make_frontdesk(config, clock=clock, store=store)
    web = make_frontdesk(config, clock=clock, store=store)
    first = web.booking.book("passport", at(24, 10), contact=Contact(phone="12345678"))
    assert kiosk.booking.find(first.code) == first
    kiosk.queues.issue("walkin")  # events of other kinds in between
    second = web.booking.book("passport", at(24, 11), contact=Contact(phone="87654321"))
    kiosk.queues.issue("walkin")
    assert kiosk.booking.find(second.code) == second
    web.booking.cancel(first.code)
    assert kiosk.booking.booking(first.id).state.value == "cancelled"
    # Its own writes and others' both ways round: the two see the same bookings.
    third = kiosk.booking.book("passport", at(24, 12), contact=Contact(phone="11223344"))
    assert web.booking.find(third.code) == third
    day = at(24, 9).date()
    assert web.booking.bookings_on(day) == kiosk.booking.bookings_on(day)


def test_a_look_inside_a_transaction_rolled_back_hides_no_later_event(
    make_frontdesk: MakeFrontdesk, config: Config, clock: ManualClock, tmp_path: object
) -> None:
    db = f"{tmp_path}/journal.db"
    kiosk = make_frontdesk(config, clock=clock, store=db)
    web = make_frontdesk(config, clock=clock, store=db)
    first = web.booking.book("passport", at(24, 10), contact=Contact(phone="12345678"))
    assert kiosk.booking.find(first.code) == first

    def look_then_refuse(ticket_id: str) -> list[NewEvent]:
        kiosk.booking._journal.catch_up()  # as a check-in does before it decides
        raise CommandError("the booking was checked in at another kiosk")

    with pytest.raises(CommandError):
        kiosk.queues.issue("pass", along=look_then_refuse)
    # The ticket's seq was taken back; the next writer's booking gets it.
    second = web.booking.book("passport", at(24, 11), contact=Contact(phone="87654321"))
    assert kiosk.booking.find(second.code) == second
