"""The timed duties around bookings: reminders (and cancelling by replying to
one), no-shows, phone meetings whose time has come, and the purge of personal
data. A scheduler runs them through :meth:`BookingEngine.housekeeping`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from frontdesk_core.booking.checkpoint import Entry
from frontdesk_core.booking.commands import Cancel
from frontdesk_core.booking.journal import Journal
from frontdesk_core.booking.personal import PersonalData
from frontdesk_core.booking.phone import normalise_phone
from frontdesk_core.booking.records import Booking
from frontdesk_core.booking.rules import aware_epoch, must_be_booked, normalise_code
from frontdesk_core.config.models import Config
from frontdesk_core.config.types import text_in
from frontdesk_core.errors import CommandError, InvalidStateError
from frontdesk_core.events import booking as E
from frontdesk_core.events.base import Payload

if TYPE_CHECKING:
    from frontdesk_core.plugins import Hooks


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


class Duties:
    """What falls due as time passes (see :class:`BookingEngine`).

    ``cancel`` cancels a booking as the booking commands do (for an SMS reply).
    """

    def __init__(
        self,
        journal: Journal,
        config: Config,
        personal: PersonalData,
        hooks: Hooks,
        cancel: Cancel,
    ) -> None:
        self.journal = journal
        self.ledger = journal.ledger
        self.config = config
        self.personal = personal
        self.hooks = hooks
        self.cancel = cancel

    # -- after the time -----------------------------------------------------------------------

    def mark_no_shows(self) -> int:
        """Record the no-shows of in-person bookings; returns how many."""
        journal = self.journal
        with journal.lock:
            with journal.store.transaction() as tx:
                journal.catch_up(tx)
                now = journal.now()
                events = []
                for entry in self.ledger.open.values():
                    booking = entry.booking
                    if booking.channel != "in_person":
                        continue
                    if now >= entry.end + self._late(entry).total_seconds():
                        events.append(journal.event(entry, E.BookingNoShow()))
                appended = tx.append(events) if events else []
            journal.absorb(appended)
        return len(appended)

    def phone_meetings_due(
        self, now: datetime | None = None, *, counter_id: str | None = None
    ) -> list[PhoneMeeting]:
        """Phone meetings whose time has come and that are not finished."""
        at = aware_epoch(now) if now is not None else self.journal.now()
        with self.journal.lock:
            self.journal.catch_up()
            due = sorted(
                (
                    e
                    for e in self.ledger.open.values()
                    if e.booking.channel == "phone"
                    and e.start <= at < e.end + self._late(e).total_seconds()
                    and counter_id in (None, e.booking.counter_id)
                ),
                key=lambda e: e.start,
            )
        out = []
        for entry in due:
            contact = self.personal.contact(entry.booking.id)
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

    def finish_phone_meeting(self, code: str, *, reached: bool = True) -> Booking:
        """Done, or a no-show if nobody answered."""
        journal = self.journal
        with journal.lock:
            with journal.store.transaction() as tx:
                journal.catch_up(tx)
                entry = self.ledger.entry(code)
                if entry.booking.channel != "phone":
                    raise InvalidStateError("the booking is not a phone meeting")
                must_be_booked(entry)
                ended: Payload = E.BookingDone() if reached else E.BookingNoShow()
                appended = tx.append([journal.event(entry, ended)])
            journal.absorb(appended)
            return entry.booking

    def _late(self, entry: Entry) -> timedelta:
        return self.config.centre(entry.booking.centre_id).booking.check_in_late

    def _counter_name(self, booking: Booking) -> str | None:
        for counter in self.config.centre(booking.centre_id).counters:
            if counter.id == booking.counter_id:
                return text_in(counter.name, booking.language, self.config.site.languages[0])
        return None

    # -- reminders ------------------------------------------------------------------------------

    def due_reminders(self, until: datetime) -> list[Reminder]:
        """Reminders due at or before ``until`` and not yet sent, earliest first."""
        limit = aware_epoch(until)
        with self.journal.lock:
            self.journal.catch_up()
            due = self._due(limit, self.journal.now())
            return [self._reminder(e, before) for e, before in due]

    def send_due_reminders(self) -> int:
        """Fire ``booking_reminder_due`` once for each reminder due now; returns how many."""
        journal = self.journal
        with journal.lock:
            with journal.store.transaction() as tx:
                journal.catch_up(tx)
                now = journal.now()
                due = self._due(now, now)
                events = [
                    journal.event(e, E.BookingReminded(before, journal.dt(e.start)))
                    for e, before in due
                ]
                appended = tx.append(events) if events else []
            reminders = [self._reminder(e, before) for e, before in due]
            journal.absorb(appended)
        for reminder in reminders:
            contact = self.personal.contact(reminder.booking.id)
            self.hooks.booking_reminder_due(reminder.booking, contact, reminder.before)
        return len(reminders)

    def _due(self, limit: int, now: int) -> list[tuple[Entry, int]]:
        offsets = sorted(
            {int(o.total_seconds()) for o in self.config.site.booking.reminders}, reverse=True
        )
        due = []
        for entry in self.ledger.open.values():
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
        return Reminder(
            entry.booking, timedelta(seconds=before), self.journal.dt(entry.start - before)
        )

    def cancel_by_reply(self, phone: str, text: str) -> Booking | None:
        """Cancel by an SMS reply such as ``"AFBUD"`` (or ``"AFBUD K7Q3MA"``)."""
        words = text.strip().split()
        keywords = {k.casefold() for k in self.config.site.booking.cancel_keywords}
        if not words or words[0].strip(".,!").casefold() not in keywords:
            return None
        try:
            number = normalise_phone(phone)
        except CommandError:
            return None
        with self.journal.lock:
            self.journal.catch_up()
            now = self.journal.now()
            upcoming = sorted(
                (e for e in self.ledger.open.values() if e.start > now),
                key=lambda e: e.start,
            )
            if len(words) > 1:
                wanted = normalise_code(words[1])
                upcoming = [e for e in upcoming if e.booking.code == wanted]
            target = next(
                (e for e in upcoming if self.personal.phone_of(e.booking.id) == number), None
            )
        if target is None:
            return None
        return self.cancel(target.booking.code, reason="sms")

    # -- personal data --------------------------------------------------------------------------

    def purge(self) -> int:
        """Delete personal data whose retention has run out; returns how many records."""
        return self.personal.purge(self.journal.clock.now())
