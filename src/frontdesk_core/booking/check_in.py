"""Check-in at a kiosk: by booking code or phone number, on time, early or late."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from frontdesk_core.booking.checkpoint import Entry
from frontdesk_core.booking.commands import Cancel
from frontdesk_core.booking.journal import Journal
from frontdesk_core.booking.personal import PersonalData
from frontdesk_core.booking.phone import normalise_phone
from frontdesk_core.booking.records import Booking, BookingState
from frontdesk_core.booking.rules import bookable_service, must_be_booked
from frontdesk_core.booking.slots import SlotPlanner
from frontdesk_core.config.models import Config
from frontdesk_core.config.types import text_in
from frontdesk_core.drafts import quick_init
from frontdesk_core.errors import CommandError, InvalidStateError, NotFoundError
from frontdesk_core.events import booking as E
from frontdesk_core.queues.tickets import Ticket
from frontdesk_core.store.base import NewEvent

if TYPE_CHECKING:
    from frontdesk_core.plugins import Hooks


log = logging.getLogger("frontdesk.booking")

PHONE_LOOK_AHEAD_DAYS = 14
"""A phone number with no booking today finds the next one this many days ahead."""


class CheckInAction(StrEnum):
    """What a check-in did."""

    QUEUED = "queued"
    """On time: the ticket joined the service's queue for its appointment time."""
    LATE_QUEUED = "late_queued"
    """Late, rule ``serve_if_possible``: queued as due now, after those on time."""
    WALK_IN = "walk_in"
    """Late, rule ``walk_in``: queued like a citizen without a booking."""
    REBOOK = "rebook"
    """Late, rule ``rebook``: no ticket; the booking is cancelled and a new time is needed."""
    TOO_EARLY = "too_early"
    """Before the early check-in window: nothing changed; come back later."""


@quick_init
@dataclass(frozen=True, slots=True)
class CheckInResult:
    """The outcome of a check-in, for the kiosk to show."""

    booking: Booking
    ticket: Ticket | None
    action: CheckInAction
    where: str | None
    """Where to go (counter location or waiting area), in the kiosk's or the booking's language."""


class TicketQueues(Protocol):
    """What check-in needs of the queue engine (``fd.queues``)."""

    def issue(
        self,
        queue_id: str,
        *,
        service_id: str | None = None,
        priority: int | None = None,
        note: str | None = None,
        language: str = "da",
        booking_id: str | None = None,
        appointment_at: datetime | None = None,
        along: Callable[[str], Sequence[NewEvent]] | None = None,
    ) -> Ticket:
        """Issue a ticket in ``queue_id``, with ``along``'s events in its transaction."""
        ...


Along = Callable[[str, CheckInAction], Sequence[NewEvent]]
"""Events of the caller's own (a kiosk's record of the walk) for a check-in's ticket:
given the ticket's id and the action, appended in the ticket's transaction."""


class CheckIn:
    """Check-in of booked citizens (see :class:`BookingEngine`).

    ``queues`` gives the queue engine when a ticket is first needed, so that
    booking alone never builds it; ``cancel`` cancels a booking as the booking
    commands do (for the late-arrival rule ``rebook``).
    """

    def __init__(
        self,
        journal: Journal,
        planner: SlotPlanner,
        config: Config,
        personal: PersonalData,
        hooks: Hooks,
        queues: Callable[[], TicketQueues],
        cancel: Cancel,
    ) -> None:
        self.journal = journal
        self.ledger = journal.ledger
        self.planner = planner
        self.config = config
        self.personal = personal
        self.hooks = hooks
        self.queues = queues
        self.cancel = cancel

    def check_in(
        self,
        code: str | None = None,
        *,
        phone: str | None = None,
        language: str | None = None,
        along: Along | None = None,
    ) -> CheckInResult:
        """Check in by booking code or by phone number.

        A check-in that issues a ticket is one transaction: the ticket, the
        booking's check-in and ``along``'s events are written together or not at
        all (another kiosk may have checked the same booking in meanwhile: then
        nothing is written and the refusal says so).
        """
        if (code is None) == (phone is None):
            raise CommandError("check in with either a booking code or a phone number")
        journal = self.journal
        with journal.lock:
            journal.catch_up()
            if code is not None:
                entry = self.ledger.entry(code)
            else:
                entry = self._today_by_phone(normalise_phone(phone or ""))
            booking = entry.booking
            if booking.channel == "phone":
                raise InvalidStateError(
                    "this is a phone meeting: the employee calls you at the time, "
                    "no check-in is needed",
                    code="check_in.phone_meeting",
                )
            must_be_booked(entry)
        centre = self.config.centre(booking.centre_id)
        service, _, _ = bookable_service(self.planner, booking.service_id)
        rules = centre.booking
        now = journal.now()
        if now < entry.start - rules.check_in_early.total_seconds():
            return CheckInResult(booking, None, CheckInAction.TOO_EARLY, None)
        if now >= entry.end + rules.check_in_late.total_seconds():
            # The appointment would be over: the same answer whether or not the no-show
            # has been recorded yet.
            when = booking.start.strftime("%d-%m-%Y %H:%M")
            raise InvalidStateError(
                f"the appointment at {when} has passed; take a ticket or book a new time",
                code="check_in.passed",
                params={"start": booking.start},
            )
        queue_id = service.queue
        appointment_at: datetime | None = booking.start
        action = CheckInAction.QUEUED
        if now > entry.start + rules.check_in_late.total_seconds():
            if rules.late_arrival == "rebook":
                cancelled = self.cancel(booking.code, reason="late")
                return CheckInResult(cancelled, None, CheckInAction.REBOOK, None)
            if rules.late_arrival == "walk_in":
                action = CheckInAction.WALK_IN
                queue_id = rules.walk_in_queue or service.queue
                appointment_at = None
            else:
                # Due now: ahead of walk-ins, behind those who came on time.
                action = CheckInAction.LATE_QUEUED
                appointment_at = journal.dt(now)
        late_seconds = max(0, now - entry.start)

        def checked_in(ticket_id: str) -> list[NewEvent]:
            # Inside the ticket's transaction: the ledger reads the log as it is now.
            journal.catch_up()
            must_be_booked(entry)
            payload = E.BookingCheckedIn(
                ticket_id=ticket_id,
                queue_id=queue_id,
                action=str(action),
                late_seconds=late_seconds,
            )
            extra = along(ticket_id, action) if along is not None else ()
            return [journal.event(entry, payload), *extra]

        # The journal's lock first, then the queue engine's, as every booking command.
        with journal.lock:
            ticket = self.queues().issue(
                queue_id,
                service_id=service.id,
                booking_id=booking.id,
                appointment_at=appointment_at,
                language=booking.language,
                along=checked_in,
            )
            journal.catch_up()
            booking = entry.booking
        log.info("booking checked in", extra={"booking": booking.id, "action": str(action)})
        self.hooks.citizen_checked_in(booking, ticket)
        return CheckInResult(
            booking, ticket, action, self._where(booking, queue_id, action, language)
        )

    def _today_by_phone(self, phone: str) -> Entry:
        """Today's booking for ``phone`` (the one nearest now), else the next one within
        :data:`PHONE_LOOK_AHEAD_DAYS`, which check-in answers as too early with its time."""
        now = self.journal.now()
        today = self.journal.dt(now).date()
        for ahead in range(PHONE_LOOK_AHEAD_DAYS + 1):
            matches = [
                e
                for e in self.ledger.on_day(today + timedelta(days=ahead))
                if e.booking.state is BookingState.BOOKED
                and e.booking.channel == "in_person"
                and (ahead == 0 or e.start > now)
                and self.personal.phone_of(e.booking.id) == phone
            ]
            if matches:
                return min(matches, key=lambda e: abs(e.start - now))
        raise NotFoundError(
            "no booking today for that phone number; use the code in your confirmation "
            "or ask at the desk",
            code="check_in.no_booking_today",
        )

    def _where(
        self, booking: Booking, queue_id: str, action: CheckInAction, language: str | None
    ) -> str | None:
        """The counter's location for a booked ticket, else the queue's waiting area."""
        centre = self.config.centre(booking.centre_id)
        language = language or booking.language
        if action is not CheckInAction.WALK_IN and booking.counter_id is not None:
            for counter in centre.counters:
                if counter.id == booking.counter_id and counter.location:
                    return text_in(counter.location, language, self.config.site.languages[0])
        queue = self.config.queue(queue_id)
        if queue.where:
            return text_in(queue.where, language, self.config.site.languages[0])
        return None
