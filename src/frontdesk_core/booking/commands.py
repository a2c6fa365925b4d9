"""Booking commands: book, reschedule, cancel.

Each decides on the ledger inside the store's transaction (see
:class:`~frontdesk_core.booking.journal.Journal`) and only then tells plugins.
"""

from __future__ import annotations

import logging
import random
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from frontdesk_core.booking.floor import NEW, Seating, reassign
from frontdesk_core.booking.journal import Journal
from frontdesk_core.booking.model import ServiceBooking
from frontdesk_core.booking.personal import PersonalData
from frontdesk_core.booking.phone import normalise_phone
from frontdesk_core.booking.records import Booking, BookingState, Contact
from frontdesk_core.booking.rules import (
    aware_epoch,
    bookable_service,
    check_channel,
    must_be_booked,
)
from frontdesk_core.booking.slots import SlotPlanner
from frontdesk_core.config.models import Config, Service
from frontdesk_core.config.types import format_duration
from frontdesk_core.errors import CapacityError, CommandError, InvalidStateError
from frontdesk_core.events import booking as E
from frontdesk_core.store.base import NewEvent

if TYPE_CHECKING:
    from frontdesk_core.plugins import Hooks


log = logging.getLogger("frontdesk.booking")

CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"
"""Booking-code letters: no 0/O, 1/I/L look-alikes, easy to read aloud and type at a kiosk."""
CODE_LENGTH = 6


def _when(moment: datetime) -> str:
    """A time as a refusal words it (only a refusal needs it: formatting is not free)."""
    return moment.strftime("%d-%m-%Y %H:%M")


class Cancel(Protocol):
    """Cancelling a booking by its code, as :meth:`Commands.cancel` does."""

    def __call__(self, code: str, *, reason: str = "citizen") -> Booking:
        """Cancel the booking with ``code`` for ``reason``; returns it cancelled."""
        ...


class Commands:
    """Making, moving and cancelling bookings (see :class:`BookingEngine`)."""

    def __init__(
        self,
        journal: Journal,
        planner: SlotPlanner,
        config: Config,
        personal: PersonalData,
        hooks: Hooks,
        randomness: random.Random,
    ) -> None:
        self.journal = journal
        self.ledger = journal.ledger
        self.planner = planner
        self.config = config
        self.personal = personal
        self.hooks = hooks
        self.random = randomness
        """Where booking ids and codes are drawn from (see :class:`BookingEngine`)."""

    def book(
        self,
        service_id: str,
        start: datetime,
        *,
        contact: Contact,
        channel: str = "in_person",
        language: str = "da",
    ) -> Booking:
        """Book ``start`` for a service, keeping the contact until retention ends."""
        service, rules, centre = bookable_service(self.planner, service_id)
        check_channel(service, rules, channel)
        if language not in self.config.site.languages:
            raise CommandError(
                f"'{language}' is not one of the site's languages "
                f"({', '.join(self.config.site.languages)})"
            )
        start_ts = aware_epoch(start)
        phone = normalise_phone(contact.phone) if contact.phone else None
        if channel == "phone" and phone is None:
            raise CommandError(
                "a phone meeting needs a phone number to call", code="booking.phone_needed"
            )
        booking_id = f"bk-{self.random.getrandbits(64):016x}"
        end_ts = start_ts + int(rules.duration.total_seconds())
        personal = {k: v for k, v in (("phone", phone), ("name", contact.name)) if v}
        if personal:
            # Kept before the booking exists, so a committed booking always has its contact;
            # forgotten again below if the booking does not go through.
            self.personal.keep(booking_id, personal, self._expiry(end_ts))
        journal = self.journal
        try:
            with journal.lock:
                with journal.store.transaction() as tx:
                    journal.catch_up(tx)
                    counter_id, moves = self._place(service, rules, start_ts, journal.now(), None)
                    self._per_citizen(
                        service, rules.per_citizen_per_day, start_ts, phone, booking_id
                    )
                    window = self.planner.window(service, start_ts)
                    # Its times as the planner keeps them: a booking's times are slot times.
                    created = E.BookingCreated(
                        code=self._new_code(),
                        service_id=service.id,
                        start=self.planner.local(start_ts),
                        end=self.planner.local(end_ts),
                        busy_from=self.planner.local(window[0]),
                        busy_until=self.planner.local(window[1]),
                        channel=channel,
                        language=language,
                        counter_id=counter_id,
                    )
                    event = NewEvent.of(created, booking_id, centre.id, journal.now_us())
                    appended = tx.append([*moves, event])
                journal.absorb(appended)
                booking = self.ledger.entries[booking_id].booking
        except BaseException:
            if personal:
                self.personal.forget(booking_id)
            raise
        log.info("booking created", extra={"booking": booking.id, "service": service.id})
        self.hooks.booking_created(booking, Contact(phone=phone, name=contact.name))
        return booking

    def reschedule(self, code: str, start: datetime) -> Booking:
        """Move a booking to another free ``start`` of the same service."""
        start_ts = aware_epoch(start)
        journal = self.journal
        with journal.lock:
            with journal.store.transaction() as tx:
                journal.catch_up(tx)
                entry = self.ledger.entry(code)
                now = journal.now()
                must_be_booked(entry)
                if entry.start <= now:
                    raise InvalidStateError(
                        "the appointment has already begun; it cannot be moved",
                        code="booking.begun",
                    )
                booking_id = entry.booking.id
                previous_start = entry.booking.start
                service, rules, _ = bookable_service(self.planner, entry.booking.service_id)
                counter_id, moves = self._place(service, rules, start_ts, now, booking_id)
                phone = self.personal.phone_of(booking_id)
                self._per_citizen(service, rules.per_citizen_per_day, start_ts, phone, booking_id)
                end_ts = start_ts + int(rules.duration.total_seconds())
                window = self.planner.window(service, start_ts)
                appended = tx.append(
                    [
                        *moves,
                        journal.event(
                            entry,
                            E.BookingRescheduled(
                                start=self.planner.local(start_ts),
                                end=self.planner.local(end_ts),
                                busy_from=self.planner.local(window[0]),
                                busy_until=self.planner.local(window[1]),
                                counter_id=counter_id,
                            ),
                        ),
                    ]
                )
            journal.absorb(appended)
            booking = entry.booking
        kept = self.personal.get(booking.id)
        if kept:
            # The contact is needed until the new time has passed, plus retention.
            self.personal.keep(booking.id, kept, self._expiry(end_ts))
        self.hooks.booking_rescheduled(booking, self.personal.contact(booking.id), previous_start)
        return booking

    def cancel(self, code: str, *, reason: str = "citizen") -> Booking:
        """Cancel a booking, tell the contact, then forget it."""
        journal = self.journal
        with journal.lock:
            with journal.store.transaction() as tx:
                journal.catch_up(tx)
                entry = self.ledger.entry(code)
                must_be_booked(entry)
                appended = tx.append([journal.event(entry, E.BookingCancelled(reason))])
            journal.absorb(appended)
            booking = entry.booking
        log.info("booking cancelled", extra={"booking": booking.id, "reason": reason})
        self.tell_cancelled(booking, reason)
        return booking

    def tell_cancelled(self, booking: Booking, reason: str) -> None:
        """Fire ``booking_cancelled`` with the contact, then forget the contact."""
        self.hooks.booking_cancelled(booking, self.personal.contact(booking.id), reason)
        # Once the citizen is told, nothing needs the number any more.
        self.personal.forget(booking.id)

    # -- the checks a booking must pass -----------------------------------------------------

    def _place(
        self, service: Service, rules: ServiceBooking, start: int, now: int, ignore: str | None
    ) -> tuple[str, list[NewEvent]]:
        """The counter that takes a booking of ``service`` at ``start``, with the
        ``booking.reassigned`` events of the bookings that move to make room; or why
        no assignment of the counters can take it."""
        moment = self.journal.dt(start)
        day = moment.date()
        occupancy = self.ledger.occupancy
        # The grid from ``start`` on: the candidates before it need not be looked at.
        grid = self.planner.candidates(service, day, occupancy, ignore=ignore, not_before=start)
        for candidate in grid:
            if candidate.start > start:
                break
            if candidate.start < start:
                continue
            if start < now + rules.min_notice.total_seconds():
                raise CapacityError(
                    f"{_when(moment)} is too soon to book; book at least "
                    f"{format_duration(rules.min_notice)} ahead",
                    code="booking.too_soon",
                    params={"start": moment, "notice": rules.min_notice},
                )
            if start > now + rules.horizon.total_seconds():
                raise CapacityError(
                    f"{_when(moment)} is too far ahead; "
                    f"bookings open {format_duration(rules.horizon)} ahead",
                    code="booking.too_far",
                    params={"start": moment, "horizon": rules.horizon},
                )
            if candidate.free:
                return candidate.free[0], []
            seating = Seating(self.ledger, self.planner, now, ignore=ignore)
            seats = seating.seat(NEW, self.planner.window(service, start), candidate.on_duty)
            if seats is None:
                raise CapacityError(
                    f"{_when(moment)} is no longer free; choose another time",
                    code="booking.slot_taken",
                    params={"start": moment},
                )
            counter_id = seats.pop(NEW)
            return counter_id, reassign(self.journal, seats, "booking")
        raise CapacityError(
            f"{_when(moment)} is not a time that can be booked for service '{service.id}'; "
            "choose one of the free slots",
            code="booking.not_a_slot",
            params={"start": moment},
        )

    def _per_citizen(
        self, service: Service, limit: int, start: int, phone: str | None, ignore: str
    ) -> None:
        """A citizen (known by phone number) has at most ``limit`` bookings of a service
        on one day."""
        if phone is None:
            return
        day = self.journal.dt(start).date()
        held = 0
        for entry in self.ledger.on_day(day):
            booking = entry.booking
            if (
                booking.id == ignore
                or booking.service_id != service.id
                or booking.state in (BookingState.CANCELLED, BookingState.NO_SHOW)
            ):
                continue
            if self.personal.phone_of(booking.id) == phone:
                held += 1
        if held >= limit:
            raise CapacityError(
                f"this phone number already has {held} booking(s) of service '{service.id}' "
                f"on {day.strftime('%d-%m-%Y')}; at most {limit} per day",
                code="booking.per_day_limit",
                params={"day": day, "limit": limit},
            )

    def _new_code(self) -> str:
        base = len(CODE_ALPHABET)
        while True:
            # One draw for the whole code (each code as likely as with a draw per letter):
            # every draw from the system's randomness costs a call into the kernel.
            number = self.random.randrange(base**CODE_LENGTH)
            letters = []
            for _ in range(CODE_LENGTH):
                number, digit = divmod(number, base)
                letters.append(CODE_ALPHABET[digit])
            code = "".join(letters)
            if not self.ledger.has_code(code):
                return code

    def _expiry(self, end_ts: int) -> datetime:
        return self.journal.dt(end_ts) + self.config.site.booking.retention
