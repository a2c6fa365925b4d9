"""Counter absences (sick, leave, a course): recorded, withdrawn, listed, and the
bookings they displace moved to another counter at the same time, moving other
bookings too where that makes room."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import date, datetime

from frontdesk_core.booking.checkpoint import Entry
from frontdesk_core.booking.events import ABSENCE, ABSENCE_WITHDRAWN, REASSIGNED
from frontdesk_core.booking.floor import Seating, reassign
from frontdesk_core.booking.journal import Journal
from frontdesk_core.booking.records import Absence, AbsenceReason, AbsenceResult, Booking
from frontdesk_core.booking.slots import Occupancy, SlotPlanner, epoch
from frontdesk_core.config.models import Centre, Config
from frontdesk_core.config.suggest import unknown
from frontdesk_core.errors import CommandError, NotFoundError
from frontdesk_core.events import booking as E
from frontdesk_core.store.base import NewEvent

log = logging.getLogger("frontdesk.booking")

ABSENCE_CANCEL_REASON = "staff_absence"
"""The reason on bookings cancelled because their counter is away and no other was free."""


class Absences:
    """Absences of counters and what they do to bookings (see :class:`BookingEngine`).

    ``tell_cancelled`` tells a citizen of a cancelled booking and forgets the
    contact, as any cancellation does.
    """

    def __init__(
        self,
        journal: Journal,
        planner: SlotPlanner,
        config: Config,
        tell_cancelled: Callable[[Booking, str], None],
        randomness: random.Random,
    ) -> None:
        self.journal = journal
        self.ledger = journal.ledger
        self.planner = planner
        self.config = config
        self.tell_cancelled = tell_cancelled
        self.random = randomness
        """Where absence ids are drawn from (see :class:`BookingEngine`)."""

    def add_absence(
        self,
        counter_id: str,
        start: datetime,
        end: datetime,
        *,
        reason: AbsenceReason | str = AbsenceReason.OTHER,
        cancel_unplaced: bool = False,
    ) -> AbsenceResult:
        """Record an absence and move (or list, or cancel) the bookings it displaces."""
        try:
            why = AbsenceReason(reason)
        except ValueError:
            names = ", ".join(r.value for r in AbsenceReason)
            raise CommandError(f"unknown absence reason '{reason}'; use one of {names}") from None
        if start.tzinfo is None or end.tzinfo is None:
            raise CommandError("an absence needs times with a timezone")
        start_ts, end_ts = epoch(start), epoch(end)
        if end_ts <= start_ts:
            raise CommandError(
                "an absence must end after it starts", code="absence.ends_before_start"
            )
        centre = self._counter_centre(counter_id)
        absence_id = f"ab-{self.random.getrandbits(48):012x}"
        journal = self.journal
        with journal.lock:
            with journal.store.transaction() as tx:
                journal.catch_up(tx)
                if end_ts <= journal.now():
                    raise CommandError("that absence is over already", code="absence.over")
                events = [
                    NewEvent(
                        ABSENCE,
                        absence_id,
                        journal.clock.now(),
                        centre.id,
                        E.AbsenceRecorded(
                            counter_id=counter_id,
                            start=journal.dt(start_ts),
                            end=journal.dt(end_ts),
                            reason=why.value,
                        ),
                    )
                ]
                moves, unplaced = self._replace(
                    counter_id, start_ts, end_ts, absence_id, cancel_unplaced
                )
                events += reassign(journal, moves, "absence")
                if cancel_unplaced:
                    events += [
                        journal.event(entry, E.BookingCancelled(ABSENCE_CANCEL_REASON))
                        for entry in unplaced
                    ]
                appended = tx.append(events)
            journal.absorb(appended)
            absence = self.ledger.absences[absence_id]
            moved = tuple(
                self.ledger.entries[e.key].booking for e in appended if e.kind == REASSIGNED
            )
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
                self.tell_cancelled(booking, ABSENCE_CANCEL_REASON)
        return AbsenceResult(absence, moved, left, cancel_unplaced)

    def withdraw_absence(self, absence_id: str) -> Absence:
        """Withdraw an absence; bookings moved away stay where they went."""
        journal = self.journal
        with journal.lock:
            with journal.store.transaction() as tx:
                journal.catch_up(tx)
                absence = self.ledger.absences.get(absence_id)
                if absence is None:
                    raise NotFoundError(f"no absence '{absence_id}' is recorded")
                appended = tx.append(
                    [
                        NewEvent(
                            ABSENCE_WITHDRAWN,
                            absence_id,
                            journal.clock.now(),
                            absence.centre_id,
                            E.AbsenceWithdrawn(),
                        )
                    ]
                )
            journal.absorb(appended)
        log.info("absence withdrawn", extra={"counter": absence.counter_id})
        return absence

    def absences(self, *, counter_id: str | None = None, day: date | None = None) -> list[Absence]:
        """Recorded absences (of one counter, or touching one local day), by start."""
        with self.journal.lock:
            self.journal.catch_up()
            found = list(self.ledger.absences.values())
        if counter_id is not None:
            found = [a for a in found if a.counter_id == counter_id]
        if day is not None:
            found = [a for a in found if a.start.date() <= day <= a.end.date()]
        return sorted(found, key=lambda a: (a.start, a.counter_id))

    def _counter_centre(self, counter_id: str) -> Centre:
        try:
            return self.config.centre_of_counter(counter_id)
        except KeyError:
            names = [c.id for centre in self.config.centres for c in centre.counters]
            raise NotFoundError(unknown("counter", counter_id, names)) from None

    def _replace(
        self, counter_id: str, start: int, end: int, absence_id: str, cancel_unplaced: bool
    ) -> tuple[dict[str, str], list[Entry]]:
        """Where the open bookings of the counter in ``[start, end)`` go, with the other
        bookings that move to make room for them, and which no assignment can keep.

        They are seated one after the other, in time order, by the same matching a
        new booking gets (see :class:`~frontdesk_core.booking.floor.Seating`), each on
        top of the moves planned for those before it. One that cannot be seated
        stays on the absent counter for a manager; the later ones wait there
        meanwhile, so nothing is planned onto that counter (after the absence) that
        a booking staying there would overlap. When those that cannot be seated
        are to be cancelled, all are lifted first instead: then each cancelled one
        fits with no assignment of the bookings kept.
        """
        affected = sorted(
            (
                e
                for e in self.ledger.open.values()
                if e.booking.counter_id == counter_id and e.window[0] < end and start < e.window[1]
            ),
            key=lambda e: (e.start, e.booking.code),
        )
        if not affected:
            return {}, []
        # Only the absent counter's occupancy changes; the others are shared, not copied.
        trial = dict(self.ledger.occupancy)
        away = trial[counter_id] = trial.get(counter_id, Occupancy()).copy()
        away.add_absence(start, end, absence_id)
        seating = Seating(self.ledger, self.planner, self.journal.now(), occupancy=trial)
        unplaced: list[Entry] = []
        for entry in affected if cancel_unplaced else ():
            seating.lift(entry.booking.id)
        for entry in affected:
            booking = entry.booking
            seats = None
            seating.lift(booking.id)
            try:
                service = self.planner.service(booking.service_id)
            except KeyError:
                service = None  # a service no longer configured: a manager decides
            if service is not None and service.booking is not None:
                counters = seating.counters(service, booking.start.date(), *entry.window)
                seats = seating.seat(booking.id, entry.window, counters)
            if seats is None:
                unplaced.append(entry)
                if not cancel_unplaced:
                    seating.put_back(booking.id)
                continue
            seating.apply(seats)
        return seating.moved(), unplaced
