"""A copy of the live state the forecast starts from, and the log that rebuilds it.

:func:`take_snapshot` reads the live engines through their public views: the
tickets waiting in every queue, each counter (open, paused or closed, the
queues it serves, the ticket at it since when) and the bookings still to come
today. None of it is personal data: ids, queue ids, times.

:func:`seed_events` turns a snapshot into the few events a fresh queue engine
on an in-memory store replays to hold the same waiting tickets and open
counters: the real engine is then driven forward by the simulator, so the
forecast never models the queue rules a second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from frontdesk_core.booking.records import BookingState
from frontdesk_core.events import (
    BookingCreated,
    CounterSignedIn,
    NewEvent,
    QueuesAssigned,
    TicketIssued,
)
from frontdesk_core.events.base import to_us
from frontdesk_core.queues.counters import CounterStatus
from frontdesk_core.queues.numbering import counter_name
from frontdesk_core.queues.tickets import Ticket

if TYPE_CHECKING:
    from frontdesk_core.app import Frontdesk

SIMULATED_EMPLOYEE = "sim"
"""The employee reference of a counter open in a forward run (the simulator's own)."""


@dataclass(frozen=True)
class CounterNow:
    """A counter as it is now."""

    id: str
    centre_id: str
    queue_ids: tuple[str, ...]
    status: CounterStatus
    busy_since: datetime | None = None
    """When the ticket at the counter was called (``None``: free)."""
    busy_queue: str | None = None
    busy_service: str | None = None


@dataclass(frozen=True)
class BookingToCome:
    """A booking of today not checked in yet (its citizen comes if ``channel`` is
    ``in_person``; either way it holds its counter's time)."""

    id: str
    centre_id: str
    service_id: str
    start: datetime
    end: datetime | None = None
    busy_from: datetime | None = None
    """When it takes its counter, buffers included (``None``: at ``start``)."""
    busy_until: datetime | None = None
    counter_id: str | None = None
    channel: str = "in_person"

    @property
    def comes(self) -> bool:
        """Whether a citizen comes to the centre for it."""
        return self.channel == "in_person"


@dataclass(frozen=True)
class LiveSnapshot:
    """Everything the forecast needs of the live system at ``now``."""

    now: datetime
    day: date
    tickets: tuple[Ticket, ...]
    """The waiting tickets, in each queue's order."""
    counters: tuple[CounterNow, ...]
    bookings: tuple[BookingToCome, ...]
    """Today's bookings not checked in yet: the citizens to come, and the counters' times
    they hold (so a forward run's kiosk offers only the times still free)."""

    @property
    def minute(self) -> float:
        """``now`` in minutes after local midnight."""
        midnight = datetime.combine(self.day, datetime.min.time(), self.now.tzinfo)
        return (self.now - midnight).total_seconds() / 60.0


def take_snapshot(fd: Frontdesk, centre_ids: tuple[str, ...] | None = None) -> LiveSnapshot:
    """A copy of the live state of ``centre_ids`` (default: every centre)."""
    now = fd.clock.now().astimezone(fd.tz)
    queues = fd.queues
    centres = [c for c in fd.config.centres if centre_ids is None or c.id in centre_ids]
    tickets: list[Ticket] = []
    counters: list[CounterNow] = []
    bookings: list[BookingToCome] = []
    for centre in centres:
        for queue in centre.queues:
            tickets.extend(queues.waiting(queue.id))
        for counter in queues.counters(centre.id):
            at = queues.serving(counter.id) if counter.ticket_id is not None else None
            counters.append(
                CounterNow(
                    counter.id,
                    centre.id,
                    counter.queue_ids,
                    counter.status,
                    busy_since=at.called_at if at is not None else None,
                    busy_queue=at.queue_id if at is not None else None,
                    busy_service=at.service_id if at is not None else None,
                )
            )
        for booking in fd.booking.bookings_on(now.date(), centre_id=centre.id):
            if booking.state is BookingState.BOOKED:
                rules = fd.config.service(booking.service_id).booking
                before = rules.buffer_before if rules is not None else timedelta(0)
                after = rules.buffer_after if rules is not None else timedelta(0)
                bookings.append(
                    BookingToCome(
                        booking.id,
                        centre.id,
                        booking.service_id,
                        booking.start,
                        booking.end,
                        booking.start - before,
                        booking.end + after,
                        booking.counter_id,
                        booking.channel,
                    )
                )
    # By what the bookings are, not by their codes and ids (drawn at random): the forward
    # runs give each booking its draws in this order, so a forecast is the same every time.
    bookings.sort(key=lambda b: (b.start, b.service_id, b.counter_id or "", b.channel))
    return LiveSnapshot(now, now.date(), tuple(tickets), tuple(counters), tuple(bookings))


def seeded_code(index: int) -> str:
    """The code the ``index``-th booking of a snapshot has in a forward run (never the
    citizen's own code, which stays in the live system)."""
    return f"S{index}"


def seed_events(snapshot: LiveSnapshot) -> tuple[list[NewEvent], dict[str, int]]:
    """The events that rebuild the snapshot's waiting tickets and open counters in a fresh
    engine, and the store counters that keep new tickets' numbers clear of theirs.

    A waiting ticket is issued again, with its own id, at the moment it entered its
    queue (a transferred ticket straight into the queue it waits in now); an open or
    paused counter is signed in by the simulator's employee on the queues it serves;
    a booking still to come is booked again at its time and counter (under a code of
    the forward run's own), so the times it holds are not offered at the kiosk.
    """
    events: list[NewEvent] = []
    numbers: dict[str, int] = {}
    for ticket in sorted(snapshot.tickets, key=lambda t: t.entered_at or t.issued_at):
        day = ticket.day or snapshot.day
        issued = TicketIssued(
            ticket.number,
            ticket.queue_id,
            ticket.priority,
            ticket.language,
            day,
            ticket.service_id,
            None,
            None,
            ticket.booking_id,
            ticket.appointment_at,
        )
        entered = ticket.entered_at or ticket.issued_at
        events.append(NewEvent.of(issued, ticket.id, ticket.centre_id, to_us(entered)))
        value = int(ticket.id.rsplit("-", 1)[-1]) if ticket.id.rsplit("-", 1)[-1].isdigit() else 0
        name = counter_name(ticket.queue_id, day)
        numbers[name] = max(numbers.get(name, 0), value)
    for index, booking in enumerate(snapshot.bookings):
        end = booking.end or booking.start
        created = BookingCreated(
            seeded_code(index),
            booking.service_id,
            booking.start,
            end,
            booking.busy_from or booking.start,
            booking.busy_until or end,
            booking.channel,
            counter_id=booking.counter_id,
        )
        events.append(NewEvent.of(created, booking.id, booking.centre_id, to_us(snapshot.now)))
    now = to_us(snapshot.now)
    for counter in snapshot.counters:
        if counter.status is CounterStatus.CLOSED:
            continue
        signed = CounterSignedIn(SIMULATED_EMPLOYEE, snapshot.day)
        events.append(NewEvent.of(signed, counter.id, counter.centre_id, now))
        moved = QueuesAssigned(counter.queue_ids)
        events.append(NewEvent.of(moved, counter.id, counter.centre_id, now))
    return events, numbers


__all__ = [
    "SIMULATED_EMPLOYEE",
    "BookingToCome",
    "CounterNow",
    "LiveSnapshot",
    "seed_events",
    "seeded_code",
    "take_snapshot",
]
