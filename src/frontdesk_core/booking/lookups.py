"""Answers that change nothing: a booking by id or code, a day's bookings, free
slots, the configured schedule."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

from frontdesk_core.booking.floor import Seating
from frontdesk_core.booking.journal import Journal
from frontdesk_core.booking.records import Booking
from frontdesk_core.booking.rules import bookable_service, check_channel
from frontdesk_core.booking.slots import Slot, SlotPlanner
from frontdesk_core.errors import NotFoundError
from frontdesk_core.events.base import local_time


class Lookups:
    """Bookings and slots as the log has them now (see :class:`BookingEngine`)."""

    def __init__(self, journal: Journal, planner: SlotPlanner) -> None:
        self.journal = journal
        self.ledger = journal.ledger
        self.planner = planner

    def booking(self, booking_id: str) -> Booking:
        """The booking with this id."""
        with self.journal.lock:
            self.journal.catch_up()
            entry = self.ledger.entries.get(booking_id)
        if entry is None:
            raise NotFoundError(f"unknown booking '{booking_id}'")
        return entry.booking

    def find(self, code: str) -> Booking:
        """The booking with this code."""
        with self.journal.lock:
            self.journal.catch_up()
            return self.ledger.entry(code).booking

    def bookings_on(self, day: date, *, centre_id: str | None = None) -> list[Booking]:
        """Every booking on ``day``, by start time."""
        with self.journal.lock:
            self.journal.catch_up()
            found = [e for e in self.ledger.on_day(day) if centre_id in (None, e.booking.centre_id)]
        return [e.booking for e in sorted(found, key=lambda e: (e.start, e.booking.code))]

    def free_slots(
        self,
        service_id: str,
        start: date,
        end: date,
        *,
        channel: str = "in_person",
        limit: int | None = None,
    ) -> list[Slot]:
        """Free slots within the minimum notice and the booking horizon (the first
        ``limit`` of them, when given)."""
        service, rules, _ = bookable_service(self.planner, service_id)
        check_channel(service, rules, channel)
        with self.journal.lock:
            self.journal.catch_up()
            now = self.journal.now()
            seating = Seating(self.ledger, self.planner, now)
            return self.planner.slots(
                service,
                start,
                end,
                self.ledger.occupancy,
                channel=channel,
                earliest=now + int(rules.min_notice.total_seconds()),
                latest=now + int(rules.horizon.total_seconds()),
                room=partial(seating.room, service),
                limit=limit,
            )

    def schedule(self, service_id: str, start: date, end: date) -> list[Slot]:
        """Every configured start time, full ones too."""
        service, rules, _ = bookable_service(self.planner, service_id)
        out: list[Slot] = []
        with self.journal.lock:
            self.journal.catch_up()
            seating = Seating(self.ledger, self.planner, self.journal.now())
            day = start
            while day <= end:
                for c in self.planner.candidates(service, day, self.ledger.occupancy):
                    out.append(
                        Slot(
                            service.id,
                            self.planner.centre_of(service).id,
                            self.journal.dt(c.start),
                            self.journal.dt(c.end),
                            rules.channels[0],
                            len(c.on_duty),
                            seating.room(service, c),
                        )
                    )
                day += timedelta(days=1)
        return out

    def next_free_today(self, service_id: str, *, limit: int = 3) -> list[Slot]:
        """The next ``limit`` free in-person slots today."""
        today = local_time(self.journal.now_us(), self.journal.tz).date()
        return self.free_slots(service_id, today, today, limit=limit)
