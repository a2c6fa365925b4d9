"""Simulated citizens and employees for a live demonstration, through the real engines.

The citizens of one day of a planner's scenario (its arrival streams, answers, missing
documents and service times) arrive on the demo's clock: each walks the centre's real
referral tree at a kiosk and gets what a citizen gets (a ticket, sent home, referred,
a time booked). A share books a time and comes back for it. Employees sign in at the
counters the scenario staffs, call the next citizen, serve them for a drawn service
time and finish. The last counter of each centre is left for a visitor to sign in at.

Everything runs in :meth:`DemoDriver.step`, which the server calls every few seconds on
the thread that runs the engines.
"""

from __future__ import annotations

import heapq
import logging
import os
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from frontdesk_core.booking.records import Contact
from frontdesk_core.errors import FrontdeskError
from frontdesk_core.opening.hours import OpeningCalendar
from frontdesk_core.referral.outcomes import BookTime
from frontdesk_core.simulation.answers import AnswerStrategy, Goal, TreeMap
from frontdesk_core.simulation.scenario import (
    ArrivalStream,
    LoadedScenario,
    counters_on_duty,
    load_scenario,
    minute_of,
)

if TYPE_CHECKING:
    from frontdesk_core.app import Frontdesk

log = logging.getLogger("frontdesk.demo")

EMPLOYEE_PREFIX = "demo-"
"""The employee reference of the simulated employees (``demo-1``, ...)."""
WALK_TO_COUNTER = timedelta(minutes=1)
"""How long a called citizen takes to reach the counter."""


@dataclass
class DemoStep:
    """What one step did (for tests and the log)."""

    arrived: int = 0
    tickets: int = 0
    called: int = 0
    finished: int = 0
    booked: int = 0
    checked_in: int = 0


@dataclass(order=True)
class _Due:
    at: datetime
    order: int
    kind: str = field(compare=False)
    stream: int = field(compare=False, default=-1)
    code: str | None = field(compare=False, default=None)


@dataclass
class _Desk:
    """A counter the demo staffs: what its employee is doing."""

    counter_id: str
    ref: str
    ticket_id: str | None = None
    started_at: datetime | None = None
    done_at: datetime | None = None


class DemoDriver:
    """Drives ``fd`` with the citizens and staffing of ``scenario`` on ``fd``'s clock."""

    def __init__(self, fd: Frontdesk, scenario: LoadedScenario, *, seed: int | None = None) -> None:
        self.fd = fd
        self.loaded = scenario
        self.scenario = scenario.scenario
        self.tz = ZoneInfo(fd.config.site.timezone)
        self.rng = random.Random(self.scenario.seed if seed is None else seed)
        self.language = fd.config.site.languages[0]
        self.tree_maps: dict[str, TreeMap] = {}
        self._due: list[_Due] = []
        self._order = 0
        self._day: date | None = None
        self._desks: dict[str, _Desk] = {}

    @classmethod
    def from_scenario(
        cls, fd: Frontdesk, path: str | os.PathLike[str], *, seed: int | None = None
    ) -> DemoDriver:
        """A driver for the scenario file at ``path``, on ``fd``'s configuration."""
        return cls(fd, load_scenario(path, fd.config), seed=seed)

    def centres(self) -> tuple[str, ...]:
        """The centres the scenario's citizens come to."""
        return self.loaded.centres

    # -- the day's citizens ---------------------------------------------------------------

    def _plan_day(self, day: date) -> None:
        """Draw the arrival times of ``day`` from the streams' rates per hour."""
        self._day = day
        self._due = []
        scale = self.scenario.scale
        weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()]
        for index, stream in enumerate(self.scenario.arrivals):
            if stream.weekdays is not None and weekday not in stream.weekdays:
                continue
            for hours, value in stream.ranges():
                start, end = minute_of(hours.start), minute_of(hours.end)
                if stream.per_hour is not None:
                    rate = value * scale / 60.0  # citizens per minute
                    moment = start
                    while rate > 0:
                        moment += self.rng.expovariate(rate)
                        if moment >= end:
                            break
                        self._add(self._at(day, moment), "arrive", index)
                else:
                    for _ in range(round(value * scale)):
                        self._add(self._at(day, self.rng.uniform(start, end)), "arrive", index)

    def _at(self, day: date, minute: float) -> datetime:
        midnight = datetime.combine(day, datetime.min.time(), self.tz)
        return midnight + timedelta(minutes=minute)

    def _add(self, at: datetime, kind: str, stream: int = -1, code: str | None = None) -> None:
        self._order += 1
        heapq.heappush(self._due, _Due(at, self._order, kind, stream, code))

    # -- one step -------------------------------------------------------------------------

    def step(self) -> DemoStep:
        """Bring in everyone due by now and let the employees work; safe to call often."""
        now = self.fd.clock.now().astimezone(self.tz)
        tally = DemoStep()
        if self._day != now.date():
            self._plan_day(now.date())
            # Citizens due before the demo started are not brought in all at once.
            while self._due and self._due[0].at < now - timedelta(minutes=5):
                heapq.heappop(self._due)
        while self._due and self._due[0].at <= now:
            due = heapq.heappop(self._due)
            try:
                if due.kind == "arrive":
                    self._arrive(self.scenario.arrivals[due.stream], now, tally)
                elif due.code is not None:
                    self._check_in(due.code, tally)
            except FrontdeskError as exc:  # a closed centre, a full day: the demo goes on
                log.info("demo citizen turned away", extra={"reason": type(exc).__name__})
        self._staff(now, tally)
        return tally

    def _arrive(self, stream: ArrivalStream, now: datetime, tally: DemoStep) -> None:
        tally.arrived += 1
        if stream.service is not None and self.rng.random() < stream.booked:
            self._book_ahead(stream.service, now, tally)
            return
        centre_id = self.loaded.stream_centre(stream)
        centre = self.fd.config.centre(centre_id)
        if centre.tree is None:
            return
        session = self.fd.referral.start(centre_id, self.language)
        tree = self.tree_maps.get(session.tree_id)
        if tree is None:
            tree = self.tree_maps[session.tree_id] = TreeMap(
                self.fd.config.tree(session.tree_id), self.fd.config
            )
        strategy = AnswerStrategy(
            tree,
            Goal(stream.service, booked=False),
            (stream.answers, self.scenario.answers),
            (stream.missing_documents, self.scenario.missing_documents),
            self.rng,
        )
        strategy.walk(session)
        if session.outcome is None or session.outcome.kind == "check_in":
            session.abandon()
            return
        kiosk = centre.kiosks[0].id if centre.kiosks else None
        result = self.fd.referral.complete(session, kiosk_id=kiosk)
        if result.ticket is not None:
            tally.tickets += 1
        elif isinstance(result.outcome, BookTime):
            for slot in result.slots[:1]:
                self._book(slot.service_id, slot.start, tally)

    def _book_ahead(self, service_id: str, now: datetime, tally: DemoStep) -> None:
        """A citizen who booked from home: the first free time today, and comes back."""
        today = now.date()
        slots = self.fd.booking.free_slots(service_id, today, today)
        if slots:
            self._book(service_id, slots[0].start, tally)

    def _book(self, service_id: str, start: datetime, tally: DemoStep) -> None:
        booking = self.fd.booking.book(service_id, start, contact=Contact(), language=self.language)
        tally.booked += 1
        early = self.scenario.booked.early.total_seconds() / 60
        spread = self.scenario.booked.spread.total_seconds() / 60
        arrives = start - timedelta(minutes=max(0.0, self.rng.gauss(early, spread)))
        if self.rng.random() >= self.scenario.booked.no_show:
            self._add(arrives, "check_in", code=booking.code)

    def _check_in(self, code: str, tally: DemoStep) -> None:
        checked = self.fd.booking.check_in(code, language=self.language)
        if checked.ticket is not None:
            tally.checked_in += 1

    # -- the employees --------------------------------------------------------------------

    def _on_duty(self, now: datetime) -> set[str]:
        """The counters the scenario staffs now, less each centre's last (a visitor's)."""
        minute = minute_of(now.time())
        out: set[str] = set()
        only = len(self.loaded.centres) == 1
        for centre_id in self.loaded.centres:
            centre = self.fd.config.centre(centre_id)
            opening = OpeningCalendar(centre, self.tz).hours_on(now.date())
            spans = counters_on_duty(self.scenario, centre, now.date(), opening, only)
            visitor = centre.counters[-1].id if len(centre.counters) > 1 else None
            for counter_id, parts in spans.items():
                if counter_id != visitor and any(a <= minute < b for a, b in parts):
                    out.add(counter_id)
        return out

    def _staff(self, now: datetime, tally: DemoStep) -> None:
        queues = self.fd.queues
        duty = self._on_duty(now)
        for counter_id in sorted(duty - set(self._desks)):
            state = queues.counter(counter_id)
            if state.is_open:
                continue  # someone (a visitor) is signed in there
            ref = f"{EMPLOYEE_PREFIX}{len(self._desks) + 1}"
            queues.sign_in(counter_id, ref)
            self._desks[counter_id] = _Desk(counter_id, ref)
        for counter_id, desk in list(self._desks.items()):
            state = queues.counter(counter_id)
            if state.employee_ref != desk.ref:
                del self._desks[counter_id]  # signed out or taken over from a dashboard
                continue
            if desk.ticket_id is not None and state.ticket_id != desk.ticket_id:
                desk.ticket_id = desk.started_at = desk.done_at = None  # closed elsewhere
            if desk.ticket_id is not None and desk.started_at is not None:
                if now >= desk.started_at and desk.done_at is None:
                    queues.start(counter_id)
                    desk.done_at = now + self._service_time(desk.ticket_id)
                elif desk.done_at is not None and now >= desk.done_at:
                    queues.finish(counter_id)
                    tally.finished += 1
                    desk.ticket_id = desk.started_at = desk.done_at = None
            if desk.ticket_id is None:
                if counter_id not in duty:
                    queues.sign_out(counter_id)
                    del self._desks[counter_id]
                    continue
                called = queues.call_next(counter_id)
                if called is not None:
                    tally.called += 1
                    desk.ticket_id = called.id
                    desk.started_at = now + WALK_TO_COUNTER

    def _service_time(self, ticket_id: str) -> timedelta:
        ticket = self.fd.queues.ticket(ticket_id)
        times = self.scenario.service_times
        chosen = times.get(ticket.service_id or "") or times.get(ticket.queue_id)
        chosen = chosen or times.get("default")
        minutes = chosen.sample(self.rng) if chosen is not None else 8.0
        return timedelta(minutes=max(1.0, minutes))


__all__ = ["EMPLOYEE_PREFIX", "DemoDriver", "DemoStep"]
