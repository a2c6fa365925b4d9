"""The booking state derived from the log, and the reducer that alone changes it.

A :class:`Ledger` applies ``booking.*`` events, in log order, to what it keeps:
an :class:`~frontdesk_core.booking.checkpoint.Entry` per booking, the counters'
:class:`~frontdesk_core.booking.slots.Occupancy`, the booking codes and the
recorded absences, with indexes that keep every decision independent of how
many bookings the log holds. Everything else only reads it; the only other ways
in are loading a checkpoint and forgetting what is past retention.

It knows neither the store nor the clock: :class:`~frontdesk_core.booking.journal.Journal`
feeds it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, tzinfo

from frontdesk_core.booking.checkpoint import Entry
from frontdesk_core.booking.fits import Fits
from frontdesk_core.booking.records import Absence, AbsenceReason, Booking, BookingState
from frontdesk_core.booking.rules import normalise_code
from frontdesk_core.booking.slots import Occupancy, epoch
from frontdesk_core.drafts import Drafts
from frontdesk_core.errors import NotFoundError
from frontdesk_core.events import booking as E
from frontdesk_core.events.base import local_time
from frontdesk_core.events.log import Event

BOOKINGS = Drafts(Booking)
"""Bookings changed by an event: copied as drafts, changed and sealed."""
_BOOKED, _CANCELLED = BookingState.BOOKED, BookingState.CANCELLED
"""Read once: an enum member read off its class costs about as much as a call."""


class Ledger:
    """Bookings, occupancy, codes and absences as of event :attr:`seq`.

    The mappings it hands out are its own: read them, never change them.
    """

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz
        self._seq = 0
        self._entries: dict[str, Entry] = {}
        self._open: dict[str, Entry] = {}
        """Bookings still in state ``booked``."""
        self._by_day: dict[date, set[str]] = {}
        """Booking ids by the local date of their appointment."""
        self._codes: dict[str, str] = {}
        self._occupancy: dict[str, Occupancy] = {}
        self._absences: dict[str, Absence] = {}
        self._fits = Fits()

    # -- reading ------------------------------------------------------------------------

    @property
    def seq(self) -> int:
        """The last event applied."""
        return self._seq

    @property
    def entries(self) -> Mapping[str, Entry]:
        """Every booking kept, by id."""
        return self._entries

    @property
    def open(self) -> Mapping[str, Entry]:
        """The bookings still in state ``booked``, by id."""
        return self._open

    @property
    def occupancy(self) -> Mapping[str, Occupancy]:
        """Per counter, the booking windows it holds and its absences."""
        return self._occupancy

    @property
    def absences(self) -> Mapping[str, Absence]:
        """The recorded absences, by id."""
        return self._absences

    @property
    def fits(self) -> Fits:
        """The seating match's answers that still hold: the reducer drops those an event
        could change, and the match keeps new ones (see :mod:`frontdesk_core.booking.fits`)."""
        return self._fits

    def has_code(self, code: str) -> bool:
        """Whether a booking kept has this (stored-form) code."""
        return code in self._codes

    def entry(self, code: str) -> Entry:
        """The booking with this code as typed; :class:`NotFoundError` if none."""
        booking_id = self._codes.get(normalise_code(code))
        if booking_id is None:
            raise NotFoundError(
                "no booking has that code; check the code in your confirmation",
                code="booking.unknown_code",
            )
        return self._entries[booking_id]

    def on_day(self, day: date) -> list[Entry]:
        """The bookings (any state) whose appointment is on the local date ``day``."""
        return [self._entries[i] for i in self._by_day.get(day, ())]

    # -- the reducer ----------------------------------------------------------------------

    def absorb(self, events: Iterable[Event]) -> None:
        """Apply the events after :attr:`seq`; those already applied are skipped."""
        for event in events:
            if event.seq <= self._seq:
                continue
            self._apply(event)
            self._seq = event.seq

    def _apply(self, event: Event) -> None:
        payload = event.payload
        if isinstance(payload, E.AbsenceRecorded):
            # Where a counter is away decides where every booking may move: rare enough
            # to forget every answer of the match (here and on a withdrawal).
            self._fits.clear()
            self._hold_absence(
                Absence(
                    id=event.key,
                    counter_id=payload.counter_id,
                    centre_id=event.centre_id,
                    start=payload.start.astimezone(self.tz),
                    end=payload.end.astimezone(self.tz),
                    reason=AbsenceReason(payload.reason),
                )
            )
            return
        if isinstance(payload, E.AbsenceWithdrawn):
            self._fits.clear()
            gone = self._absences.pop(event.key, None)
            if gone is not None and gone.counter_id in self._occupancy:
                self._occupancy[gone.counter_id].remove_absence(gone.id)
            return
        if isinstance(payload, E.BookingCreated):
            start, end = epoch(payload.start), epoch(payload.end)
            booking = Booking(
                id=event.key,
                code=payload.code,
                service_id=payload.service_id,
                centre_id=event.centre_id,
                start=self._dt(start),
                end=self._dt(end),
                channel=payload.channel,
                state=_BOOKED,
                created_at=local_time(event.at_us, self.tz),
                language=payload.language,
                counter_id=payload.counter_id,
            )
            window = (epoch(payload.busy_from), epoch(payload.busy_until))
            self._hold(Entry(booking, start, end, window, event.at_us // 1_000_000))
            self._fits.touch(booking.counter_id, *window)
            return
        entry = self._entries.get(event.key)
        if entry is None:
            return  # an event about a booking this log never created: nothing to update
        if isinstance(payload, E.BookingReminded):
            entry.reminded.add((payload.before, epoch(payload.start)))
            return
        # Every other event changes where the booking sits, or whether it may move.
        was = (entry.booking.counter_id, entry.window)
        self._fits.touch(was[0], *was[1])
        if isinstance(payload, E.BookingRescheduled):
            self._release(event.key)
            self._by_day.get(entry.booking.start.date(), set()).discard(event.key)
            entry.start, entry.end = epoch(payload.start), epoch(payload.end)
            entry.window = (epoch(payload.busy_from), epoch(payload.busy_until))
            entry.changed = event.at_us // 1_000_000
            entry.booking = BOOKINGS.replace(
                entry.booking,
                start=self._dt(entry.start),
                end=self._dt(entry.end),
                counter_id=payload.counter_id,
            )
            self._by_day.setdefault(entry.booking.start.date(), set()).add(event.key)
            self._occupy(event.key)
        elif isinstance(payload, E.BookingReassigned):
            self._release(event.key)
            entry.booking = BOOKINGS.replace(entry.booking, counter_id=payload.counter_id)
            self._occupy(event.key)
        elif isinstance(payload, E.BookingCancelled):
            self._release(event.key)
            entry.booking = BOOKINGS.replace(entry.booking, state=BookingState.CANCELLED)
        elif isinstance(payload, E.BookingCheckedIn):
            entry.ticket_id = payload.ticket_id
            entry.booking = BOOKINGS.replace(entry.booking, state=BookingState.CHECKED_IN)
        elif isinstance(payload, E.BookingNoShow):
            entry.booking = BOOKINGS.replace(entry.booking, state=BookingState.NO_SHOW)
        elif isinstance(payload, E.BookingDone):
            entry.booking = BOOKINGS.replace(entry.booking, state=BookingState.DONE)
        if entry.booking.state is not _BOOKED:
            self._open.pop(event.key, None)
        if (entry.booking.counter_id, entry.window) != was:
            self._fits.touch(entry.booking.counter_id, *entry.window)

    # -- checkpoint and retention -----------------------------------------------------------

    def load(self, entries: Iterable[Entry], absences: Iterable[Absence], seq: int) -> None:
        """Take the state a checkpoint kept as of event ``seq`` (into an empty ledger)."""
        for entry in entries:
            self._hold(entry)
        for absence in absences:
            self._hold_absence(absence)
        self._seq = seq
        self._fits.clear()

    def forget_ended(self, limit: int) -> None:
        """Drop bookings and absences that ended before ``limit`` (epoch seconds)."""
        old = [e.booking.id for e in self._entries.values() if e.end < limit]
        gone_absences = [a.id for a in self._absences.values() if epoch(a.end) < limit]
        if not old and not gone_absences:
            return
        forgotten = set(old) | set(gone_absences)
        self._fits.clear()
        for booking_id in old:
            entry = self._entries.pop(booking_id)
            self._open.pop(booking_id, None)
            self._codes.pop(entry.booking.code, None)
            day = self._by_day.get(entry.booking.start.date())
            if day is not None:
                day.discard(booking_id)
                if not day:
                    del self._by_day[entry.booking.start.date()]
        for absence_id in gone_absences:
            del self._absences[absence_id]
        for occupancy in self._occupancy.values():
            occupancy.windows = [w for w in occupancy.windows if w[2] not in forgotten]
            occupancy.absences = [a for a in occupancy.absences if a[2] not in forgotten]

    # -- indexes ----------------------------------------------------------------------------

    def _hold(self, entry: Entry) -> None:
        """Keep ``entry`` and index it (a new booking, or one from the checkpoint)."""
        booking = entry.booking
        self._entries[booking.id] = entry
        if booking.state is _BOOKED:
            self._open[booking.id] = entry
        self._by_day.setdefault(booking.start.date(), set()).add(booking.id)
        self._codes[booking.code] = booking.id
        if booking.state is not _CANCELLED:
            self._occupy(booking.id)

    def _hold_absence(self, absence: Absence) -> None:
        self._absences[absence.id] = absence
        occupancy = self._occupancy.setdefault(absence.counter_id, Occupancy())
        occupancy.add_absence(epoch(absence.start), epoch(absence.end), absence.id)

    def _occupy(self, booking_id: str) -> None:
        entry = self._entries[booking_id]
        counter_id = entry.booking.counter_id
        if counter_id is not None:
            occupancy = self._occupancy.setdefault(counter_id, Occupancy())
            occupancy.add(entry.window[0], entry.window[1], booking_id)

    def _release(self, booking_id: str) -> None:
        counter_id = self._entries[booking_id].booking.counter_id
        if counter_id is not None and counter_id in self._occupancy:
            self._occupancy[counter_id].remove(booking_id)

    def _dt(self, moment: int) -> datetime:
        return datetime.fromtimestamp(moment, self.tz)
