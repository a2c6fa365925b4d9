"""The event log's contract: one frozen payload record per event kind, versioned.

    from frontdesk_core.events import TicketIssued
    for event in fd.store.read(kinds=[TicketIssued.KIND]):
        issued = event.payload          # a TicketIssued
        print(event.seq, event.at, issued.number, issued.queue_id)

Every stored event carries the version of its payload's shape; an older shape
is upcast to today's record when read (:func:`upcaster`), and an event this
release cannot read (unknown kind, newer version) raises
:class:`~frontdesk_core.errors.EventLogError` naming its ``seq``, kind and
version. Plugins add kinds of their own with :func:`event_kind`.
"""

from __future__ import annotations

from frontdesk_core.events.base import ForeignPayload, Payload, from_us, to_us
from frontdesk_core.events.booking import (
    AbsenceRecorded,
    AbsenceWithdrawn,
    BookingCancelled,
    BookingCheckedIn,
    BookingCreated,
    BookingDone,
    BookingNoShow,
    BookingReassigned,
    BookingReminded,
    BookingRescheduled,
)
from frontdesk_core.events.kiosk import KioskAbandoned, KioskCompleted
from frontdesk_core.events.log import Event, EventBatch, NewEvent
from frontdesk_core.events.queues import (
    CounterClosed,
    CounterOpened,
    CounterPaused,
    CounterResumed,
    CounterSignedIn,
    CounterSignedOut,
    DayEnded,
    QueuesAssigned,
    TicketCalled,
    TicketCancelled,
    TicketClosed,
    TicketFinished,
    TicketIssued,
    TicketNoShow,
    TicketPutBack,
    TicketRecalled,
    TicketStarted,
    TicketTransferred,
)
from frontdesk_core.events.registry import (
    check_kinds,
    decode,
    encode,
    event_kind,
    kinds,
    payload_type,
    upcaster,
)

__all__ = [
    "AbsenceRecorded",
    "AbsenceWithdrawn",
    "BookingCancelled",
    "BookingCheckedIn",
    "BookingCreated",
    "BookingDone",
    "BookingNoShow",
    "BookingReassigned",
    "BookingReminded",
    "BookingRescheduled",
    "CounterClosed",
    "CounterOpened",
    "CounterPaused",
    "CounterResumed",
    "CounterSignedIn",
    "CounterSignedOut",
    "DayEnded",
    "Event",
    "EventBatch",
    "ForeignPayload",
    "KioskAbandoned",
    "KioskCompleted",
    "NewEvent",
    "Payload",
    "QueuesAssigned",
    "TicketCalled",
    "TicketCancelled",
    "TicketClosed",
    "TicketFinished",
    "TicketIssued",
    "TicketNoShow",
    "TicketPutBack",
    "TicketRecalled",
    "TicketStarted",
    "TicketTransferred",
    "check_kinds",
    "decode",
    "encode",
    "event_kind",
    "from_us",
    "kinds",
    "payload_type",
    "to_us",
    "upcaster",
]
