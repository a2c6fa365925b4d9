"""The booking engine: free slots, book / reschedule / cancel, check-in, reminders,
absences, purge.

Bookings live as events in the store (``booking.created``, ``booking.rescheduled``,
``booking.cancelled``, ``booking.checked_in``, ``booking.no_show``,
``booking.done``, ``booking.reminded``, ``booking.reassigned``), as do counter
absences (``booking.absence``, ``booking.absence_withdrawn``); the engine keeps
the state derived from them and catches up with the log before every decision,
so several processes (web booking, kiosks, dashboards) can share one store. It
starts from the store's checkpoint when there is one (see
:mod:`frontdesk_core.booking.checkpoint`). Every change is decided
inside the store's exclusive transaction after catching up, so two bookers can
never both take the last free counter.

Personal data (phone number, name) is kept only through ``store.put_personal``
under ``booking:<id>``, until the end of the appointment plus the site's
retention period; events, bookings, tickets and messages never hold it.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from frontdesk_core.booking.checkpoint import Entry
from frontdesk_core.booking.events import (
    ABSENCE,
    ABSENCE_WITHDRAWN,
    CANCELLED,
    CHECKED_IN,
    CREATED,
    DONE,
    KINDS,
    NO_SHOW,
    REASSIGNED,
    REMINDED,
    RESCHEDULED,
    iso,
)
from frontdesk_core.booking.journal import Journal
from frontdesk_core.booking.model import ServiceBooking
from frontdesk_core.booking.phone import normalise_phone
from frontdesk_core.booking.records import (
    Absence,
    AbsenceReason,
    AbsenceResult,
    Booking,
    BookingState,
    Contact,
)
from frontdesk_core.booking.rules import (
    aware_epoch,
    bookable_service,
    check_channel,
    must_be_booked,
    normalise_code,
)
from frontdesk_core.booking.slots import Occupancy, Slot, SlotPlanner, epoch
from frontdesk_core.clock import Clock
from frontdesk_core.config.models import Centre, Config, Service
from frontdesk_core.config.suggest import unknown
from frontdesk_core.config.types import format_duration, text_in
from frontdesk_core.errors import CapacityError, CommandError, InvalidStateError, NotFoundError
from frontdesk_core.queues.tickets import Ticket
from frontdesk_core.store.base import Event, EventStore, NewEvent

if TYPE_CHECKING:
    from frontdesk_core.plugins import Hooks

log = logging.getLogger("frontdesk.booking")

CHECKPOINT_EVERY = 2000
"""Housekeeping writes a new checkpoint once this many booking events have come since."""
ABSENCE_CANCEL_REASON = "staff_absence"
"""The reason on bookings cancelled because their counter is away and no other was free."""

CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"
"""Booking-code letters: no 0/O, 1/I/L look-alikes, easy to read aloud and type at a kiosk."""
CODE_LENGTH = 6


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


@dataclass(frozen=True)
class CheckInResult:
    """The outcome of a check-in, for the kiosk to show."""

    booking: Booking
    ticket: Ticket | None
    action: CheckInAction
    where: str | None
    """Where to go (counter location or waiting area), in the kiosk's or the booking's language."""


@dataclass(frozen=True)
class Reminder:
    """A reminder due ``before`` the booked time, at ``due_at``."""

    booking: Booking
    before: timedelta
    due_at: datetime


@dataclass(frozen=True)
class PhoneMeeting:
    """A phone meeting whose time has come, for the employee's dashboard.

    ``phone`` and ``name`` are personal data for that employee only: never log them.
    """

    booking: Booking
    counter_id: str | None
    counter_name: str | None
    phone: str | None
    name: str | None

    def __repr__(self) -> str:  # never print personal data by accident
        return f"PhoneMeeting(code={self.booking.code!r}, counter_id={self.counter_id!r})"


@dataclass(frozen=True)
class Housekeeping:
    """What one round of :meth:`BookingEngine.housekeeping` did."""

    reminders: int
    no_shows: int
    purged: int


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
    ) -> Ticket:
        """Issue a ticket in ``queue_id``."""
        ...

    def cancel(self, ticket_id: str) -> Ticket:
        """Cancel a waiting ticket."""
        ...


def personal_ref(booking_id: str) -> str:
    """The key of a booking's personal data in the store."""
    return f"booking:{booking_id}"


class BookingEngine:
    """Bookings of one installation, on top of the event store (``fd.booking``).

    It takes only what it uses: the configuration, the store, the clock, the
    plugin hooks, and ``queues``, which gives the queue engine when check-in
    first needs a ticket (so that booking alone never builds it).
    """

    def __init__(
        self,
        config: Config,
        store: EventStore,
        clock: Clock,
        hooks: Hooks,
        *,
        queues: Callable[[], TicketQueues],
    ) -> None:
        self.config = config
        self.store = store
        self.clock = clock
        self.hooks = hooks
        self._queues = queues
        self._journal = Journal(store, clock, config.site.timezone)
        self._ledger = self._journal.ledger
        self._lock = self._journal.lock
        self.tz = self._journal.tz
        self.planner = SlotPlanner(self.config, self.tz)

    def checkpoint(self) -> int:
        """Forget bookings ended longer ago than the retention period, and keep the rest
        in the store as a checkpoint, so a start-up reads only the events after it.
        Returns how many bookings the checkpoint holds.

        A booking past retention is no longer found by its code; the statistics
        keep counting it from the log.
        """
        return self._journal.checkpoint(self.config.site.booking.retention)

    def _dt(self, ts: int) -> datetime:
        return self._journal.dt(ts)

    def _now(self) -> int:
        return self._journal.now()

    def _event(self, kind: str, entry: Entry, **data: object) -> NewEvent:
        return self._journal.event(kind, entry, **data)

    # -- looking up -----------------------------------------------------------------------

    def _phone_of(self, booking_id: str) -> str | None:
        data = self.store.get_personal(personal_ref(booking_id))
        return data.get("phone") if data else None

    def _contact(self, booking_id: str) -> Contact:
        data = self.store.get_personal(personal_ref(booking_id)) or {}
        return Contact(phone=data.get("phone"), name=data.get("name"))

    def booking(self, booking_id: str) -> Booking:
        """The booking with this id (the key its events carry)."""
        with self._lock:
            self._journal.catch_up()
            entry = self._ledger.entries.get(booking_id)
        if entry is None:
            raise NotFoundError(f"unknown booking '{booking_id}'")
        return entry.booking

    def find(self, code: str) -> Booking:
        """The booking with this code (spaces, dashes and case ignored)."""
        with self._lock:
            self._journal.catch_up()
            return self._ledger.entry(code).booking

    def bookings_on(self, day: date, *, centre_id: str | None = None) -> list[Booking]:
        """Every booking whose appointment is on ``day`` (any state), by start time."""
        with self._lock:
            self._journal.catch_up()
            found = [
                e for e in self._ledger.on_day(day) if centre_id in (None, e.booking.centre_id)
            ]
        return [e.booking for e in sorted(found, key=lambda e: (e.start, e.booking.code))]

    # -- free slots -----------------------------------------------------------------------

    def free_slots(
        self, service_id: str, start: date, end: date, *, channel: str = "in_person"
    ) -> list[Slot]:
        """The free slots of a service from ``start`` to ``end`` (both days included),
        within the minimum notice and the booking horizon."""
        service, rules, _ = bookable_service(self.planner, service_id)
        check_channel(service, rules, channel)
        with self._lock:
            self._journal.catch_up()
            now = self._now()
            return self.planner.slots(
                service,
                start,
                end,
                self._ledger.occupancy,
                channel=channel,
                earliest=now + int(rules.min_notice.total_seconds()),
                latest=now + int(rules.horizon.total_seconds()),
            )

    def schedule(self, service_id: str, start: date, end: date) -> list[Slot]:
        """Every start time of a service from ``start`` to ``end`` (both included), full
        ones too (``free == 0``), ignoring notice and horizon: the plan as configured."""
        service, rules, _ = bookable_service(self.planner, service_id)
        out: list[Slot] = []
        with self._lock:
            self._journal.catch_up()
            day = start
            while day <= end:
                for c in self.planner.candidates(service, day, self._ledger.occupancy):
                    out.append(
                        Slot(
                            service.id,
                            self.planner.centre_of(service).id,
                            self._dt(c.start),
                            self._dt(c.end),
                            rules.channels[0],
                            len(c.on_duty),
                            len(c.free),
                        )
                    )
                day += timedelta(days=1)
        return out

    def next_free_today(self, service_id: str, *, limit: int = 3) -> list[Slot]:
        """The next ``limit`` free in-person slots today, for a walk-in at the kiosk."""
        today = self.clock.now().astimezone(self.tz).date()
        return self.free_slots(service_id, today, today)[:limit]

    def _place(
        self, service: Service, rules: ServiceBooking, start: int, now: int, ignore: str | None
    ) -> str:
        """The counter that takes a booking of ``service`` at ``start``, or why none can."""
        when = self._dt(start).strftime("%d-%m-%Y %H:%M")
        day = self._dt(start).date()
        for candidate in self.planner.candidates(
            service, day, self._ledger.occupancy, ignore=ignore
        ):
            if candidate.start > start:
                break
            if candidate.start < start:
                continue
            if start < now + rules.min_notice.total_seconds():
                raise CapacityError(
                    f"{when} is too soon to book; book at least "
                    f"{format_duration(rules.min_notice)} ahead"
                )
            if start > now + rules.horizon.total_seconds():
                raise CapacityError(
                    f"{when} is too far ahead; bookings open {format_duration(rules.horizon)} ahead"
                )
            if not candidate.free:
                raise CapacityError(f"{when} is no longer free; choose another time")
            return candidate.free[0]
        raise CapacityError(
            f"{when} is not a time that can be booked for service '{service.id}'; "
            "choose one of the free slots"
        )

    def _per_citizen(
        self, service: Service, limit: int, start: int, phone: str | None, ignore: str
    ) -> None:
        """A citizen (known by phone number) has at most ``limit`` bookings of a service
        on one day."""
        if phone is None:
            return
        day = self._dt(start).date()
        held = 0
        for entry in self._ledger.on_day(day):
            booking = entry.booking
            if (
                booking.id == ignore
                or booking.service_id != service.id
                or booking.state in (BookingState.CANCELLED, BookingState.NO_SHOW)
            ):
                continue
            if self._phone_of(booking.id) == phone:
                held += 1
        if held >= limit:
            raise CapacityError(
                f"this phone number already has {held} booking(s) of service '{service.id}' "
                f"on {day.strftime('%d-%m-%Y')}; at most {limit} per day"
            )

    # -- book, reschedule, cancel -----------------------------------------------------------

    def book(
        self,
        service_id: str,
        start: datetime,
        *,
        contact: Contact,
        channel: str = "in_person",
        language: str = "da",
    ) -> Booking:
        """Book ``start`` for a service; raises :class:`CapacityError` when it does not fit.

        ``contact`` is kept (normalised) only until the end of the appointment plus
        the retention period. A phone meeting needs a phone number.
        """
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
            raise CommandError("a phone meeting needs a phone number to call")
        booking_id = "bk-" + secrets.token_hex(8)
        end_ts = start_ts + int(rules.duration.total_seconds())
        personal = {k: v for k, v in (("phone", phone), ("name", contact.name)) if v}
        if personal:
            # Kept before the booking exists, so a committed booking always has its contact;
            # forgotten again below if the booking does not go through.
            self.store.put_personal(personal_ref(booking_id), personal, self._expiry(end_ts))
        try:
            with self._lock:
                with self.store.transaction() as tx:
                    self._journal.catch_up(tx)
                    counter_id = self._place(service, rules, start_ts, self._now(), None)
                    self._per_citizen(
                        service, rules.per_citizen_per_day, start_ts, phone, booking_id
                    )
                    window = self.planner.window(service, start_ts)
                    data = {
                        "code": self._new_code(),
                        "service_id": service.id,
                        "start": iso(self._dt(start_ts)),
                        "end": iso(self._dt(end_ts)),
                        "busy_from": iso(self._dt(window[0])),
                        "busy_until": iso(self._dt(window[1])),
                        "channel": channel,
                        "language": language,
                        "counter_id": counter_id,
                    }
                    event = NewEvent(CREATED, booking_id, self.clock.now(), centre.id, data)
                    appended = tx.append([event])
                self._journal.absorb(appended)
                booking = self._ledger.entries[booking_id].booking
        except BaseException:
            if personal:
                self.store.delete_personal(personal_ref(booking_id))
            raise
        log.info("booking created", extra={"booking": booking.id, "service": service.id})
        self.hooks.booking_created(booking, Contact(phone=phone, name=contact.name))
        return booking

    def _new_code(self) -> str:
        while True:
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            if not self._ledger.has_code(code):
                return code

    def _expiry(self, end_ts: int) -> datetime:
        return self._dt(end_ts) + self.config.site.booking.retention

    def reschedule(self, code: str, start: datetime) -> Booking:
        """Move a booking to another free ``start`` of the same service; its old time is
        freed at once."""
        start_ts = aware_epoch(start)
        with self._lock:
            with self.store.transaction() as tx:
                self._journal.catch_up(tx)
                entry = self._ledger.entry(code)
                now = self._now()
                must_be_booked(entry)
                if entry.start <= now:
                    raise InvalidStateError("the appointment has already begun; it cannot be moved")
                booking_id = entry.booking.id
                previous_start = entry.booking.start
                service, rules, _ = bookable_service(self.planner, entry.booking.service_id)
                counter_id = self._place(service, rules, start_ts, now, booking_id)
                phone = self._phone_of(booking_id)
                self._per_citizen(service, rules.per_citizen_per_day, start_ts, phone, booking_id)
                end_ts = start_ts + int(rules.duration.total_seconds())
                window = self.planner.window(service, start_ts)
                appended = tx.append(
                    [
                        self._event(
                            RESCHEDULED,
                            entry,
                            start=iso(self._dt(start_ts)),
                            end=iso(self._dt(end_ts)),
                            busy_from=iso(self._dt(window[0])),
                            busy_until=iso(self._dt(window[1])),
                            counter_id=counter_id,
                        )
                    ]
                )
            self._journal.absorb(appended)
            booking = entry.booking
        personal = self.store.get_personal(personal_ref(booking.id))
        if personal:
            self.store.put_personal(personal_ref(booking.id), personal, self._expiry(end_ts))
        self.hooks.booking_rescheduled(booking, self._contact(booking.id), previous_start)
        return booking

    def cancel(self, code: str, *, reason: str = "citizen") -> Booking:
        """Cancel a booking; its slot is free again at once. The contact is told through
        ``booking_cancelled`` and then forgotten."""
        with self._lock:
            with self.store.transaction() as tx:
                self._journal.catch_up(tx)
                entry = self._ledger.entry(code)
                must_be_booked(entry)
                appended = tx.append([self._event(CANCELLED, entry, reason=reason)])
            self._journal.absorb(appended)
            booking = entry.booking
        log.info("booking cancelled", extra={"booking": booking.id, "reason": reason})
        self._tell_cancelled(booking, reason)
        return booking

    def _tell_cancelled(self, booking: Booking, reason: str) -> None:
        """Fire ``booking_cancelled`` with the contact, then forget the contact."""
        self.hooks.booking_cancelled(booking, self._contact(booking.id), reason)
        # Once the citizen is told, nothing needs the number any more.
        self.store.delete_personal(personal_ref(booking.id))

    # -- absences ---------------------------------------------------------------------------

    def add_absence(
        self,
        counter_id: str,
        start: datetime,
        end: datetime,
        *,
        reason: AbsenceReason | str = AbsenceReason.OTHER,
        cancel_unplaced: bool = False,
    ) -> AbsenceResult:
        """Record that ``counter_id`` takes no bookings from ``start`` to ``end``.

        New bookings avoid the counter at once. Its bookings in that time move to
        another counter serving the service that is free at the same time (same
        time for the citizen, who is not disturbed). Those no counter can take stay
        booked and are returned as ``unplaced`` for a manager to handle; with
        ``cancel_unplaced`` they are cancelled (reason ``staff_absence``) and the
        citizen is told through ``booking_cancelled``, as with any cancellation.
        """
        try:
            why = AbsenceReason(reason)
        except ValueError:
            names = ", ".join(r.value for r in AbsenceReason)
            raise CommandError(f"unknown absence reason '{reason}'; use one of {names}") from None
        if start.tzinfo is None or end.tzinfo is None:
            raise CommandError("an absence needs times with a timezone")
        start_ts, end_ts = epoch(start), epoch(end)
        if end_ts <= start_ts:
            raise CommandError("an absence must end after it starts")
        centre = self._counter_centre(counter_id)
        absence_id = "ab-" + secrets.token_hex(6)
        with self._lock:
            with self.store.transaction() as tx:
                self._journal.catch_up(tx)
                if end_ts <= self._now():
                    raise CommandError("that absence is over already")
                events = [
                    NewEvent(
                        ABSENCE,
                        absence_id,
                        self.clock.now(),
                        centre.id,
                        {
                            "counter_id": counter_id,
                            "start": iso(self._dt(start_ts)),
                            "end": iso(self._dt(end_ts)),
                            "reason": why.value,
                        },
                    )
                ]
                moves, unplaced = self._replace_for_absence(
                    counter_id, start_ts, end_ts, absence_id
                )
                for entry, target in moves:
                    events.append(
                        self._event(
                            REASSIGNED,
                            entry,
                            counter_id=target,
                            from_counter=counter_id,
                            reason="absence",
                        )
                    )
                if cancel_unplaced:
                    events += [
                        self._event(CANCELLED, entry, reason=ABSENCE_CANCEL_REASON)
                        for entry in unplaced
                    ]
                appended = tx.append(events)
            self._journal.absorb(appended)
            absence = self._ledger.absences[absence_id]
            moved = tuple(entry.booking for entry, _ in moves)
            left = tuple(entry.booking for entry in unplaced)
        log.info(
            "absence recorded",
            extra={
                "counter": counter_id,
                "reason": why.value,
                "moved": len(moved),
                "unplaced": len(left),
                "cancelled": cancel_unplaced,
            },
        )
        if cancel_unplaced:
            for booking in left:
                self._tell_cancelled(booking, ABSENCE_CANCEL_REASON)
        return AbsenceResult(absence, moved, left, cancel_unplaced)

    def _counter_centre(self, counter_id: str) -> Centre:
        try:
            return self.config.centre_of_counter(counter_id)
        except KeyError:
            names = [c.id for centre in self.config.centres for c in centre.counters]
            raise NotFoundError(unknown("counter", counter_id, names)) from None

    def _replace_for_absence(
        self, counter_id: str, start: int, end: int, absence_id: str
    ) -> tuple[list[tuple[Entry, str]], list[Entry]]:
        """Which open bookings of the counter in ``[start, end)`` move where, and which cannot.

        The moves are planned on a copy of the occupancy, one booking after the
        other in time order, so two of them never land on the same free counter.
        """
        affected = sorted(
            (
                e
                for e in self._ledger.open.values()
                if e.booking.counter_id == counter_id and e.window[0] < end and start < e.window[1]
            ),
            key=lambda e: (e.start, e.booking.code),
        )
        if not affected:
            return [], []
        # Only the counters that change are copied; the absent one can take nothing, so
        # the bookings leaving it need not be taken off its copy.
        trial = dict(self._ledger.occupancy)
        away = trial[counter_id] = trial.get(counter_id, Occupancy()).copy()
        away.add_absence(start, end, absence_id)
        copied = {counter_id}
        moves: list[tuple[Entry, str]] = []
        unplaced: list[Entry] = []
        for entry in affected:
            booking = entry.booking
            target = None
            try:
                service = self.planner.service(booking.service_id)
            except KeyError:
                service = None  # a service no longer configured: a manager decides
            if service is not None and service.booking is not None:
                day = self._dt(entry.start).date()
                for candidate in self.planner.candidates(service, day, trial, ignore=booking.id):
                    if candidate.start == entry.start:
                        target = next((c for c in candidate.free if c != counter_id), None)
                        break
                    if candidate.start > entry.start:
                        break
            if target is None:
                unplaced.append(entry)
                continue
            if target not in copied:
                trial[target] = trial.get(target, Occupancy()).copy()
                copied.add(target)
            trial[target].add(entry.window[0], entry.window[1], booking.id)
            moves.append((entry, target))
        return moves, unplaced

    def withdraw_absence(self, absence_id: str) -> Absence:
        """The employee is back (or the absence was recorded by mistake): the counter takes
        bookings again. Bookings moved away stay where they went."""
        with self._lock:
            with self.store.transaction() as tx:
                self._journal.catch_up(tx)
                absence = self._ledger.absences.get(absence_id)
                if absence is None:
                    raise NotFoundError(f"no absence '{absence_id}' is recorded")
                appended = tx.append(
                    [
                        NewEvent(
                            ABSENCE_WITHDRAWN, absence_id, self.clock.now(), absence.centre_id, {}
                        )
                    ]
                )
            self._journal.absorb(appended)
        log.info("absence withdrawn", extra={"counter": absence.counter_id})
        return absence

    def absences(self, *, counter_id: str | None = None, day: date | None = None) -> list[Absence]:
        """Recorded absences (of one counter, or touching one local day), by start."""
        with self._lock:
            self._journal.catch_up()
            found = list(self._ledger.absences.values())
        if counter_id is not None:
            found = [a for a in found if a.counter_id == counter_id]
        if day is not None:
            found = [a for a in found if a.start.date() <= day <= a.end.date()]
        return sorted(found, key=lambda a: (a.start, a.counter_id))

    # -- check-in -------------------------------------------------------------------------

    def check_in(
        self, code: str | None = None, *, phone: str | None = None, language: str | None = None
    ) -> CheckInResult:
        """Check in at a kiosk by booking code or by phone number.

        ``where`` is told in ``language`` (the kiosk's), else in the booking's.

        On time (within the centre's early and late windows) the booked ticket joins
        the service's queue for its time; a late arrival follows the centre's
        ``late_arrival`` rule. ``citizen_checked_in`` fires with the ticket.
        """
        if (code is None) == (phone is None):
            raise CommandError("check in with either a booking code or a phone number")
        with self._lock:
            self._journal.catch_up()
            if code is not None:
                entry = self._ledger.entry(code)
            else:
                entry = self._today_by_phone(normalise_phone(phone or ""))
            booking = entry.booking
            if booking.channel == "phone":
                raise InvalidStateError(
                    "this is a phone meeting: the employee calls you at the time, "
                    "no check-in is needed"
                )
            must_be_booked(entry)
        centre = self.config.centre(booking.centre_id)
        service, _, _ = bookable_service(self.planner, booking.service_id)
        rules = centre.booking
        now = self._now()
        if now < entry.start - rules.check_in_early.total_seconds():
            return CheckInResult(booking, None, CheckInAction.TOO_EARLY, None)
        if now >= entry.end + rules.check_in_late.total_seconds():
            # The appointment would be over: the same answer whether or not the no-show
            # has been recorded yet.
            when = booking.start.strftime("%d-%m-%Y %H:%M")
            raise InvalidStateError(
                f"the appointment at {when} has passed; take a ticket or book a new time"
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
                appointment_at = self._dt(now)
        queues = self._queues()
        ticket = queues.issue(
            queue_id,
            service_id=service.id,
            booking_id=booking.id,
            appointment_at=appointment_at,
            language=booking.language,
        )
        with self._lock:
            with self.store.transaction() as tx:
                self._journal.catch_up(tx)
                appended: list[Event] = []
                # Someone may have checked the same booking in at another kiosk meanwhile.
                if entry.booking.state is BookingState.BOOKED:
                    event = self._event(
                        CHECKED_IN,
                        entry,
                        ticket_id=ticket.id,
                        queue_id=queue_id,
                        action=str(action),
                        late_seconds=max(0, now - entry.start),
                    )
                    appended = tx.append([event])
            if not appended:
                queues.cancel(ticket.id)
                must_be_booked(entry)
            self._journal.absorb(appended)
            booking = entry.booking
        log.info("booking checked in", extra={"booking": booking.id, "action": str(action)})
        self.hooks.citizen_checked_in(booking, ticket)
        return CheckInResult(
            booking, ticket, action, self._where(booking, queue_id, action, language)
        )

    def _today_by_phone(self, phone: str) -> Entry:
        now = self._now()
        today = self._dt(now).date()
        matches = [
            e
            for e in self._ledger.on_day(today)
            if e.booking.state is BookingState.BOOKED
            and e.booking.channel == "in_person"
            and self._phone_of(e.booking.id) == phone
        ]
        if not matches:
            raise NotFoundError(
                "no booking today for that phone number; use the code in your confirmation "
                "or ask at the desk"
            )
        return min(matches, key=lambda e: abs(e.start - now))

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

    # -- after the time -----------------------------------------------------------------------

    def mark_no_shows(self) -> int:
        """Record a no-show for every in-person booking not checked in by the end of its
        appointment plus the late check-in window; returns how many."""
        with self._lock:
            with self.store.transaction() as tx:
                self._journal.catch_up(tx)
                now = self._now()
                events = []
                for entry in self._ledger.open.values():
                    booking = entry.booking
                    if booking.channel != "in_person":
                        continue
                    late = self.config.centre(booking.centre_id).booking.check_in_late
                    if now >= entry.end + late.total_seconds():
                        events.append(self._event(NO_SHOW, entry))
                appended = tx.append(events) if events else []
            self._journal.absorb(appended)
        return len(appended)

    def phone_meetings_due(
        self, now: datetime | None = None, *, counter_id: str | None = None
    ) -> list[PhoneMeeting]:
        """Phone meetings whose time has come and that are not finished, for the dashboard
        of the employee who calls (with the number, from the personal data)."""
        at = aware_epoch(now) if now is not None else self._now()
        with self._lock:
            self._journal.catch_up()
            due = sorted(
                (
                    e
                    for e in self._ledger.open.values()
                    if e.booking.channel == "phone"
                    and e.start <= at < e.end + self._late(e).total_seconds()
                    and counter_id in (None, e.booking.counter_id)
                ),
                key=lambda e: e.start,
            )
        out = []
        for entry in due:
            contact = self._contact(entry.booking.id)
            out.append(
                PhoneMeeting(
                    entry.booking,
                    entry.booking.counter_id,
                    self._counter_name(entry.booking),
                    contact.phone,
                    contact.name,
                )
            )
        return out

    def _late(self, entry: Entry) -> timedelta:
        return self.config.centre(entry.booking.centre_id).booking.check_in_late

    def _counter_name(self, booking: Booking) -> str | None:
        for counter in self.config.centre(booking.centre_id).counters:
            if counter.id == booking.counter_id:
                return text_in(counter.name, booking.language, self.config.site.languages[0])
        return None

    def finish_phone_meeting(self, code: str, *, reached: bool = True) -> Booking:
        """The employee finished a phone meeting: done, or a no-show if nobody answered."""
        with self._lock:
            with self.store.transaction() as tx:
                self._journal.catch_up(tx)
                entry = self._ledger.entry(code)
                if entry.booking.channel != "phone":
                    raise InvalidStateError("the booking is not a phone meeting")
                must_be_booked(entry)
                appended = tx.append([self._event(DONE if reached else NO_SHOW, entry)])
            self._journal.absorb(appended)
            return entry.booking

    # -- reminders ------------------------------------------------------------------------------

    def due_reminders(self, until: datetime) -> list[Reminder]:
        """Reminders due at or before ``until`` and not yet sent, earliest first.

        A reminder whose time had already passed when the booking was made (or
        moved) is never due: a booking made an hour ahead gets no "24 h" reminder.
        """
        limit = aware_epoch(until)
        with self._lock:
            self._journal.catch_up()
            return [self._reminder(e, before) for e, before in self._due(limit, self._now())]

    def _due(self, limit: int, now: int) -> list[tuple[Entry, int]]:
        offsets = sorted(
            {int(o.total_seconds()) for o in self.config.site.booking.reminders}, reverse=True
        )
        due = []
        for entry in self._ledger.open.values():
            if entry.start <= now:
                continue
            for before in offsets:
                at = entry.start - before
                if (
                    at <= limit
                    and at >= entry.changed
                    and (before, entry.start) not in entry.reminded
                ):
                    due.append((entry, before))
        due.sort(key=lambda item: (item[0].start - item[1], item[0].booking.code))
        return due

    def _reminder(self, entry: Entry, before: int) -> Reminder:
        return Reminder(entry.booking, timedelta(seconds=before), self._dt(entry.start - before))

    def send_due_reminders(self) -> int:
        """Fire ``booking_reminder_due`` for every reminder due now, exactly once each
        (recorded as ``booking.reminded``, also across processes); returns how many."""
        with self._lock:
            with self.store.transaction() as tx:
                self._journal.catch_up(tx)
                now = self._now()
                due = self._due(now, now)
                appended = (
                    tx.append(
                        [
                            self._event(REMINDED, e, before=before, start=iso(self._dt(e.start)))
                            for e, before in due
                        ]
                    )
                    if due
                    else []
                )
            reminders = [self._reminder(e, before) for e, before in due]
            self._journal.absorb(appended)
        for reminder in reminders:
            contact = self._contact(reminder.booking.id)
            self.hooks.booking_reminder_due(reminder.booking, contact, reminder.before)
        return len(reminders)

    def cancel_by_reply(self, phone: str, text: str) -> Booking | None:
        """Cancel by an SMS reply such as ``"AFBUD"`` (or ``"AFBUD K7Q3MA"``) from ``phone``.

        Without a code the citizen's next booking is cancelled. Returns ``None`` when
        the text is no cancel keyword or the number has no booking to cancel.
        """
        words = text.strip().split()
        keywords = {k.casefold() for k in self.config.site.booking.cancel_keywords}
        if not words or words[0].strip(".,!").casefold() not in keywords:
            return None
        try:
            number = normalise_phone(phone)
        except CommandError:
            return None
        with self._lock:
            self._journal.catch_up()
            now = self._now()
            upcoming = sorted(
                (e for e in self._ledger.open.values() if e.start > now),
                key=lambda e: e.start,
            )
            if len(words) > 1:
                wanted = normalise_code(words[1])
                upcoming = [e for e in upcoming if e.booking.code == wanted]
            target = next((e for e in upcoming if self._phone_of(e.booking.id) == number), None)
        if target is None:
            return None
        return self.cancel(target.booking.code, reason="sms")

    # -- scheduled work -------------------------------------------------------------------------

    def housekeeping(self) -> Housekeeping:
        """What a scheduler runs every few minutes: send due reminders, record no-shows,
        purge personal data past retention, and now and then write the checkpoint.
        Safe to run from several processes."""
        done = Housekeeping(
            reminders=self.send_due_reminders(),
            no_shows=self.mark_no_shows(),
            purged=self.purge(),
        )
        if self._journal.since_checkpoint >= CHECKPOINT_EVERY:
            self.checkpoint()
        return done

    # -- personal data --------------------------------------------------------------------------

    def purge(self) -> int:
        """Delete personal data whose retention has run out; the anonymous events stay.
        Returns how many records were deleted."""
        return self.store.purge_personal(self.clock.now())


__all__ = [
    "ABSENCE",
    "ABSENCE_CANCEL_REASON",
    "ABSENCE_WITHDRAWN",
    "CANCELLED",
    "CHECKED_IN",
    "CHECKPOINT_EVERY",
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "CREATED",
    "DONE",
    "KINDS",
    "NO_SHOW",
    "REASSIGNED",
    "REMINDED",
    "RESCHEDULED",
    "BookingEngine",
    "CheckInAction",
    "CheckInResult",
    "Housekeeping",
    "PhoneMeeting",
    "Reminder",
    "TicketQueues",
    "normalise_code",
    "personal_ref",
]
