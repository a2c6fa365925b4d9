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

:class:`BookingEngine` is the face of the parts in this package (see
:mod:`frontdesk_core.booking`); the names other modules import from here (the
event kinds, the check-in and reminder records) are re-exported from them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from frontdesk_core.booking.absences import ABSENCE_CANCEL_REASON, Absences
from frontdesk_core.booking.check_in import (
    Along,
    CheckIn,
    CheckInAction,
    CheckInResult,
    TicketQueues,
)
from frontdesk_core.booking.commands import CODE_ALPHABET, CODE_LENGTH, Commands
from frontdesk_core.booking.duties import Duties, PhoneMeeting, Reminder
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
)
from frontdesk_core.booking.journal import Journal
from frontdesk_core.booking.lookups import Lookups
from frontdesk_core.booking.personal import PersonalData, personal_ref
from frontdesk_core.booking.records import Absence, AbsenceReason, AbsenceResult, Booking, Contact
from frontdesk_core.booking.rules import normalise_code
from frontdesk_core.booking.slots import Slot, SlotPlanner
from frontdesk_core.clock import Clock
from frontdesk_core.config.models import Config
from frontdesk_core.store.base import EventStore

if TYPE_CHECKING:
    from frontdesk_core.plugins import Hooks


CHECKPOINT_EVERY = 2000
"""Housekeeping writes a new checkpoint once this many booking events have come since."""


@dataclass(frozen=True)
class Housekeeping:
    """What one round of :meth:`BookingEngine.housekeeping` did."""

    reminders: int
    no_shows: int
    purged: int


class BookingEngine:
    """Bookings of one installation, on top of the event store (``fd.booking``).

    It takes only what it uses: the configuration, the store, the clock, the
    plugin hooks, and ``queues``, which gives the queue engine when check-in
    first needs a ticket (so that booking alone never builds it).

    ``randomness`` is where booking ids, booking codes and absence ids are drawn
    from: the operating system's secure source unless given. A simulation gives
    one seeded from its own streams, so that a simulated day books alike every
    time; a live site never should, since its codes could then be guessed.
    """

    def __init__(
        self,
        config: Config,
        store: EventStore,
        clock: Clock,
        hooks: Hooks,
        *,
        queues: Callable[[], TicketQueues],
        randomness: random.Random | None = None,
    ) -> None:
        if randomness is None:
            randomness = random.SystemRandom()
        self.config = config
        self.store = store
        self.clock = clock
        self.hooks = hooks
        self._journal = Journal(store, clock, config.site.timezone)
        self.tz = self._journal.tz
        self.planner = SlotPlanner(config, self.tz)
        personal = self._personal = PersonalData(store)
        self._lookups = Lookups(self._journal, self.planner)
        self._commands = Commands(self._journal, self.planner, config, personal, hooks, randomness)
        cancel = self._commands.cancel
        self._absences = Absences(
            self._journal, self.planner, config, self._commands.tell_cancelled, randomness
        )
        self._check_in = CheckIn(
            self._journal, self.planner, config, personal, hooks, queues, cancel
        )
        self._duties = Duties(self._journal, config, personal, hooks, cancel)

    # -- looking up -----------------------------------------------------------------------

    def booking(self, booking_id: str) -> Booking:
        """The booking with this id (the key its events carry)."""
        return self._lookups.booking(booking_id)

    def find(self, code: str) -> Booking:
        """The booking with this code (spaces, dashes and case ignored)."""
        return self._lookups.find(code)

    def bookings_on(self, day: date, *, centre_id: str | None = None) -> list[Booking]:
        """Every booking whose appointment is on ``day`` (any state), by start time."""
        return self._lookups.bookings_on(day, centre_id=centre_id)

    def free_slots(
        self, service_id: str, start: date, end: date, *, channel: str = "in_person"
    ) -> list[Slot]:
        """The free slots of a service from ``start`` to ``end`` (both days included),
        within the minimum notice and the booking horizon."""
        return self._lookups.free_slots(service_id, start, end, channel=channel)

    def schedule(self, service_id: str, start: date, end: date) -> list[Slot]:
        """Every start time of a service from ``start`` to ``end`` (both included), full
        ones too (``free == 0``), ignoring notice and horizon: the plan as configured."""
        return self._lookups.schedule(service_id, start, end)

    def next_free_today(self, service_id: str, *, limit: int = 3) -> list[Slot]:
        """The next ``limit`` free in-person slots today, for a walk-in at the kiosk."""
        return self._lookups.next_free_today(service_id, limit=limit)

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
        return self._commands.book(
            service_id, start, contact=contact, channel=channel, language=language
        )

    def reschedule(self, code: str, start: datetime) -> Booking:
        """Move a booking to another free ``start`` of the same service; its old time is
        freed at once."""
        return self._commands.reschedule(code, start)

    def cancel(self, code: str, *, reason: str = "citizen") -> Booking:
        """Cancel a booking; its slot is free again at once. The contact is told through
        ``booking_cancelled`` and then forgotten."""
        return self._commands.cancel(code, reason=reason)

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
        return self._absences.add_absence(
            counter_id, start, end, reason=reason, cancel_unplaced=cancel_unplaced
        )

    def withdraw_absence(self, absence_id: str) -> Absence:
        """The employee is back (or the absence was recorded by mistake): the counter takes
        bookings again. Bookings moved away stay where they went."""
        return self._absences.withdraw_absence(absence_id)

    def absences(self, *, counter_id: str | None = None, day: date | None = None) -> list[Absence]:
        """Recorded absences (of one counter, or touching one local day), by start."""
        return self._absences.absences(counter_id=counter_id, day=day)

    # -- check-in -------------------------------------------------------------------------

    def check_in(
        self,
        code: str | None = None,
        *,
        phone: str | None = None,
        language: str | None = None,
        along: Along | None = None,
    ) -> CheckInResult:
        """Check in at a kiosk by booking code or by phone number.

        ``where`` is told in ``language`` (the kiosk's), else in the booking's.

        On time (within the centre's early and late windows) the booked ticket joins
        the service's queue for its time; a late arrival follows the centre's
        ``late_arrival`` rule. ``citizen_checked_in`` fires with the ticket.

        The ticket, the booking's check-in and ``along``'s events (given the
        ticket's id and the action: a kiosk's record of the walk) are one
        transaction.
        """
        return self._check_in.check_in(code, phone=phone, language=language, along=along)

    # -- after the time -----------------------------------------------------------------------

    def mark_no_shows(self) -> int:
        """Record a no-show for every in-person booking not checked in by the end of its
        appointment plus the late check-in window; returns how many."""
        return self._duties.mark_no_shows()

    def phone_meetings_due(
        self, now: datetime | None = None, *, counter_id: str | None = None
    ) -> list[PhoneMeeting]:
        """Phone meetings whose time has come and that are not finished, for the dashboard
        of the employee who calls (with the number, from the personal data)."""
        return self._duties.phone_meetings_due(now, counter_id=counter_id)

    def finish_phone_meeting(self, code: str, *, reached: bool = True) -> Booking:
        """The employee finished a phone meeting: done, or a no-show if nobody answered."""
        return self._duties.finish_phone_meeting(code, reached=reached)

    # -- reminders ------------------------------------------------------------------------------

    def due_reminders(self, until: datetime) -> list[Reminder]:
        """Reminders due at or before ``until`` and not yet sent, earliest first.

        A reminder whose time had already passed when the booking was made (or
        moved) is never due: a booking made an hour ahead gets no "24 h" reminder.
        """
        return self._duties.due_reminders(until)

    def send_due_reminders(self) -> int:
        """Fire ``booking_reminder_due`` for every reminder due now, exactly once each
        (recorded as ``booking.reminded``, also across processes); returns how many."""
        return self._duties.send_due_reminders()

    def cancel_by_reply(self, phone: str, text: str) -> Booking | None:
        """Cancel by an SMS reply such as ``"AFBUD"`` (or ``"AFBUD K7Q3MA"``) from ``phone``.

        Without a code the citizen's next booking is cancelled. Returns ``None`` when
        the text is no cancel keyword or the number has no booking to cancel.
        """
        return self._duties.cancel_by_reply(phone, text)

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

    def checkpoint(self) -> int:
        """Forget bookings ended longer ago than the retention period, and keep the rest
        in the store as a checkpoint, so a start-up reads only the events after it.
        Returns how many bookings the checkpoint holds.

        A booking past retention is no longer found by its code; the statistics
        keep counting it from the log.
        """
        return self._journal.checkpoint(self.config.site.booking.retention)

    # -- personal data --------------------------------------------------------------------------

    def contact(self, booking_id: str) -> Contact:
        """The personal data kept with a booking (empty once purged): for a plugin that
        writes to the citizen, never for a log line, a ticket or a screen."""
        return self._personal.contact(booking_id)

    def purge(self) -> int:
        """Delete personal data whose retention has run out; the anonymous events stay.
        Returns how many records were deleted."""
        return self._duties.purge()


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
