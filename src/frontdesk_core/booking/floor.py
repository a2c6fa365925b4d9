"""The bookings as they sit on the counters, seen as jobs the matching may move.

Every place that asks "is this time free?" — the slot lists, booking and
rescheduling, an absence placing the bookings of the absent counter — asks a
:class:`Seating` built on the ledger, so they all give the same answer (see
:mod:`frontdesk_core.booking.matching` for how it is decided).

Which bookings may move: those still booked whose appointment has not begun, to
a counter that serves their service and is on duty, and not away, for their
whole window. A booking checked in, met or begun stays where it is (the citizen
was told where to go), as does one whose counter no longer fits the
configuration or an absence (a manager handles it).

A seating may also be a *trial*: moves applied to it are seen by later
questions, and nothing changes in the ledger until the caller appends the
``booking.reassigned`` events.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from frontdesk_core.booking.fits import Answer, Read
from frontdesk_core.booking.journal import Journal
from frontdesk_core.booking.ledger import Ledger
from frontdesk_core.booking.matching import SEARCH_BUDGET, Budget, Job, place
from frontdesk_core.booking.records import BookingState
from frontdesk_core.booking.slots import Candidate, Occupancy, SlotPlanner, Span, contains
from frontdesk_core.config.models import Service
from frontdesk_core.events import booking as E
from frontdesk_core.store.base import NewEvent

NEW = ""
"""The key of a booking being placed that does not exist yet."""
_BOOKED = BookingState.BOOKED
"""Read once: an enum member read off its class costs about as much as a call."""

FIRST, LAST = -(2**62), 2**62
"""Before and after every epoch second a clock gives."""


class Seating:
    """Bookings on counters as of the ledger, with the moves of a trial on top.

    ``occupancy`` replaces the ledger's (a trial copy with a new absence);
    ``ignore`` is a booking left out (one being rescheduled).
    """

    def __init__(
        self,
        ledger: Ledger,
        planner: SlotPlanner,
        now: int,
        *,
        occupancy: Mapping[str, Occupancy] | None = None,
        ignore: str | None = None,
    ) -> None:
        self.ledger = ledger
        self.planner = planner
        self.now = now
        self.occupancy = ledger.occupancy if occupancy is None else occupancy
        self._at: dict[str, str] = {}
        """Bookings the trial moved, and where to."""
        self._onto: dict[str, list[tuple[int, int, str]]] = {}
        """Per counter, the windows of the bookings the trial moved onto it."""
        self._off: set[str] = {ignore} if ignore is not None else set()
        """Bookings taken off the counters."""
        self.budget = Budget(SEARCH_BUDGET)
        """The exact search this seating may spend, over all its questions."""
        self._jobs: dict[str, Job] = {}
        """The bookings seen so far, as jobs (dropped when the trial moves one)."""

    # -- what the matching reads -------------------------------------------------------------

    def sitting(self, counter: str, start: int, end: int) -> list[Job]:
        """The bookings on ``counter`` whose windows overlap ``[start, end)``."""
        held = self.occupancy.get(counter)
        if not (self._at or self._off or self._onto):  # no trial: as the ledger has them
            if held is None or not held.windows:
                return []
            job = self.job
            return [job(booking_id) for _, _, booking_id in held.overlapping(start, end)]
        out: list[Job] = []
        if held is not None and held.windows:
            for _, _, booking_id in held.overlapping(start, end):
                if booking_id not in self._off and self._at.get(booking_id, counter) == counter:
                    out.append(self.job(booking_id))
        for w_start, w_end, booking_id in self._onto.get(counter, ()):
            if (
                w_start < end
                and start < w_end
                and booking_id not in self._off
                and self._at.get(booking_id) == counter
            ):
                out.append(self.job(booking_id))
        return out

    def job(self, booking_id: str) -> Job:
        """A booking on the floor as a job: where it sits and where it could sit."""
        job = self._jobs.get(booking_id)
        if job is not None:
            return job
        entry = self.ledger.entries[booking_id]
        # A booking where the ledger has it is the same job to every seating while it is
        # the same booking (any event about it replaces the record) on the same side of
        # its start; absences drop every kept job with the kept answers.
        shared = booking_id not in self._at and self.occupancy is self.ledger.occupancy
        begun = entry.start <= self.now
        if shared:
            kept = self.ledger.fits.jobs.get(booking_id)
            if kept is not None and kept[0] is entry.booking and kept[1] is begun:
                job = self._jobs[booking_id] = kept[2]
                return job
        at = self._at.get(booking_id, entry.booking.counter_id)
        counters = self._movable_to(booking_id)
        if at not in counters:
            counters = (at,) if at is not None else ()
        job = self._jobs[booking_id] = Job(booking_id, *entry.window, counters, at)
        if shared:
            self.ledger.fits.keep_job(booking_id, (entry.booking, begun, job))
        return job

    # -- questions ----------------------------------------------------------------------------

    def counters(self, service: Service, day: date, start: int, end: int) -> tuple[str, ...]:
        """The counters that serve ``service`` and are on duty, and not away, for all of
        ``[start, end)`` on ``day``, in the configuration's order."""
        occupancy = self.occupancy
        found: list[str] = []
        for counter_id, spans in self.planner.duty(service, day):
            if contains(spans, start, end):
                held = occupancy.get(counter_id)
                if held is None or not held.away(start, end):
                    found.append(counter_id)
        return tuple(found)

    def seat(self, key: str, window: Span, counters: tuple[str, ...]) -> dict[str, str] | None:
        """Where a booking with ``window`` goes and which bookings move for it (see
        :func:`~frontdesk_core.booking.matching.place`); ``None`` when it cannot fit.

        A new booking on the ledger's floor as it is (no trial, nothing left out) takes
        the match's kept answer when one holds (see :mod:`frontdesk_core.booking.fits`)."""
        if key != NEW or self._at or self._off or self.occupancy is not self.ledger.occupancy:
            return place(Job(key, window[0], window[1], counters, None), self, self.budget)
        fits = self.ledger.fits
        question = (window[0], window[1], counters)
        budget = self.budget
        kept = fits.get(question, self.now)
        if kept is not None and kept.steps <= budget.left:
            budget.left -= kept.steps
            return None if kept.seats is None else dict(kept.seats)
        new = Job(key, window[0], window[1], counters, None)
        reading = _Reading(self)
        left = budget.left
        seats = place(new, reading, budget)
        if budget.left >= 0:  # an answer cut short by the budget is not the match's own
            since, until = reading.turns()
            fits.keep(
                question,
                Answer(
                    None if seats is None else tuple(seats.items()),
                    left - budget.left,
                    tuple(reading.reads),
                    since,
                    until,
                ),
            )
        return seats

    def room(self, service: Service, candidate: Candidate) -> int:
        """How many more bookings ``candidate`` can take, at least: the counters free as
        the bookings sit, or 1 when it fits only by moving some of them."""
        if candidate.free:
            return len(candidate.free)
        if self.seat(NEW, self.planner.window(service, candidate.start), candidate.on_duty):
            return 1
        return 0

    # -- a trial ------------------------------------------------------------------------------

    def lift(self, booking_id: str) -> None:
        """Take a booking off its counter, to be seated again."""
        self._off.add(booking_id)

    def put_back(self, booking_id: str) -> None:
        """Leave a lifted booking where it was."""
        self._off.discard(booking_id)

    def apply(self, seats: Mapping[str, str]) -> None:
        """Seat bookings (lifted or not) on the counters ``seats`` gives them."""
        for booking_id, counter in seats.items():
            entry = self.ledger.entries[booking_id]
            window = (*entry.window, booking_id)
            self._off.discard(booking_id)
            self._jobs.pop(booking_id, None)
            before = self._at.pop(booking_id, None)
            if before is not None:
                self._onto[before].remove(window)
            if counter != entry.booking.counter_id:
                self._at[booking_id] = counter
                self._onto.setdefault(counter, []).append(window)

    def moved(self) -> dict[str, str]:
        """The bookings the trial moved off their counter, and where to."""
        return dict(self._at)

    def _movable_to(self, booking_id: str) -> tuple[str, ...]:
        entry = self.ledger.entries[booking_id]
        booking = entry.booking
        if booking.state is not _BOOKED or entry.start <= self.now:
            return ()
        try:
            service = self.planner.service(booking.service_id)
        except KeyError:
            return ()  # a service no longer configured: a manager decides
        if service.booking is None:
            return ()
        return self.counters(service, booking.start.date(), *entry.window)


class _Reading:
    """A seating's floor that notes what the match reads of it: the spans, and the
    times around which a booking read would change from movable to begun."""

    def __init__(self, seating: Seating) -> None:
        self.seating = seating
        self.reads: dict[Read, list[Job]] = {}
        """What each span read holds: the match asks for the new booking's window on its
        counters in every step, and nothing moves while it decides."""
        self.seen: set[str] = set()

    def sitting(self, counter: str, start: int, end: int) -> list[Job]:
        """As :meth:`Seating.sitting`, noted (the match never changes the list)."""
        read = (counter, start, end)
        jobs = self.reads.get(read)
        if jobs is None:
            jobs = self.reads[read] = self.seating.sitting(counter, start, end)
            for job in jobs:
                self.seen.add(job.key)
        return jobs

    def turns(self) -> tuple[int, int]:
        """From when to before when the bookings read stay as they were read, begun or
        not: the latest start of one begun, and the earliest start of one still to come."""
        since, until = FIRST, LAST
        now = self.seating.now
        entries = self.seating.ledger.entries
        for booking_id in self.seen:
            entry = entries[booking_id]
            if entry.booking.state is _BOOKED:
                if entry.start <= now:
                    since = max(since, entry.start)
                else:
                    until = min(until, entry.start)
        return since, until


def reassign(journal: Journal, seats: Mapping[str, str], reason: str) -> list[NewEvent]:
    """The ``booking.reassigned`` events moving each booking in ``seats`` to its counter
    (same time, so the citizen is not told), earliest appointment first."""
    entries = sorted(
        (journal.ledger.entries[booking_id] for booking_id in seats),
        key=lambda e: (e.start, e.booking.code),
    )
    return [
        journal.event(
            entry,
            E.BookingReassigned(
                counter_id=seats[entry.booking.id],
                from_counter=entry.booking.counter_id,
                reason=reason,
            ),
        )
        for entry in entries
    ]
