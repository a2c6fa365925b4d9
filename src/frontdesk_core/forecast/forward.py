"""One forward run: the rest of the day simulated from a live snapshot.

A :class:`ForwardRun` is the planner's
:class:`~frontdesk_core.simulation.model.DaySimulation` started at the snapshot's
minute on a fresh in-memory store that holds the snapshot's waiting tickets and
open counters (:func:`~frontdesk_core.forecast.snapshot.seed_events`).
The real queue engine and the real call-next policy decide who is called; the
simulator's own processes play the counters and the citizens:

* every open counter serves on until its time on duty in the model's staffing
  plan ends, or else until its centre closes, and a closed counter comes when
  the plan has it on duty (a counter busy with a citizen starts once that
  service is likely over, a paused one after :data:`RESUME_AFTER` minutes);
* walk-ins arrive as the scenario (calibrated from the store's log) says, from
  now on, and take a ticket in their errand's queue;
* the day's bookings still to come arrive around their time (the scenario's
  ``booked`` behaviour: early, spread, no-shows) and are queued for their time,
  as a check-in queues them;
* a waiting citizen gives up as the scenario's patience says, except those the
  forecast follows: a forecast is for a citizen who stays;
* ``probe`` queues get one new ticket each at the start: the forecast for a
  citizen who takes a ticket now. A probe is a measurement, not a citizen: its
  call is noted and it leaves at once, so it takes no counter time from the
  tickets waiting behind it or in the other queues the counter serves.

The run stops as soon as every followed ticket has been called (or at the end of
the day), so a forecast costs the part of the day it needs.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterable
from typing import Any

import simpy

from frontdesk_core.events import NewEvent
from frontdesk_core.forecast.snapshot import LiveSnapshot, seed_events, seeded_code
from frontdesk_core.opening.hours import OpeningCalendar
from frontdesk_core.plugins import Hooks
from frontdesk_core.queues.counters import CounterStatus
from frontdesk_core.queues.tickets import Ticket
from frontdesk_core.simulation.distributions import minutes, normal
from frontdesk_core.simulation.model import DAY_END, Citizen, CounterRun, DaySimulation, Process
from frontdesk_core.simulation.scenario import LoadedScenario, counters_on_duty
from frontdesk_core.simulation.streams import CitizenDraws, Purpose
from frontdesk_core.store.memory import MemoryStore

RESUME_AFTER = 10.0
"""Minutes after which a paused counter is assumed to call again."""
TRIES = 64
"""Draws of a late booked citizen's arrival before they count as not coming."""


class ForwardRun(DaySimulation):
    """The rest of the day from ``snapshot``, one replication (``seed``).

    ``extra`` adds what-ifs on the same citizens: counters to open now (counter
    id to the queues it serves), in ``closed`` counters to leave closed, and in
    ``breaks`` a counter's break (from, to, in minutes after midnight).
    ``seeded`` is :func:`seed_events` of the snapshot, when the caller has it.
    ``whole_day`` runs to the end of the day instead of stopping once every
    followed ticket is called, for the service level of the rest of the day
    (:attr:`waits`).
    """

    def __init__(
        self,
        loaded: LoadedScenario,
        snapshot: LiveSnapshot,
        seed: str,
        *,
        hooks: Hooks,
        probe: Iterable[str] = (),
        extra: dict[str, tuple[str, ...]] | None = None,
        closed: Iterable[str] = (),
        breaks: dict[str, tuple[float, float]] | None = None,
        through_kiosk: bool = False,
        seeded: tuple[list[NewEvent], dict[str, int]] | None = None,
        whole_day: bool = False,
    ) -> None:
        if not through_kiosk:
            # Walk-ins come with their errand's ticket: the kiosk's own time and the
            # citizens it sends home are in the calibrated ticket arrivals already.
            kiosks = loaded.scenario.kiosks.model_copy(
                update={"count": dict.fromkeys(loaded.centres, 0)}
            )
            loaded = loaded.with_changes(kiosks=kiosks)
        store = MemoryStore()
        # The seed is the same for every replication: made once by the caller.
        events, numbers = seeded if seeded is not None else seed_events(snapshot)
        with store.transaction() as tx:
            tx.append(events)
        store.counters.update(numbers)
        super().__init__(
            loaded, snapshot.day, seed, hooks=hooks, store=store, start=snapshot.minute
        )
        self.snapshot = snapshot
        self.probe_queues = tuple(probe)
        self.extra = dict(extra or {})
        self.closed_ids = frozenset(closed)
        self.breaks = dict(breaks or {})
        self.called: dict[str, float] = {}
        """Minute each followed ticket was called."""
        self.probes: dict[str, str] = {}
        """The probe ticket of each probed queue."""
        self.probe_ids: set[str] = set()
        self.follow: set[str] = set()
        self.done: simpy.Event = self.env.event()
        self.whole_day = whole_day
        self.waits: list[tuple[str, float, float, bool]] = []
        """Every call after the start: queue, ready (minute), wait (minutes), gave up."""

    def run_forward(self) -> dict[str, float]:
        """Simulate until every followed ticket is called; the minute each was called."""
        env = self.env
        now = env.now
        try:
            self._seed_citizens(now)
            citizens = [c for c in self._generate() if not c.booked and c.arrival >= now]
            citizens += self._booked_to_come(now)
            for queue_id in self.probe_queues:
                ticket = self.fd.queues.issue(queue_id)
                self.probes[queue_id] = ticket.id
                self.probe_ids.add(ticket.id)
                self.follow.add(ticket.id)
                self._ticketed(self._stayer(ticket, now), ticket)
            if not self.follow and not self.whole_day:
                return {}
            env.process(self._arrivals(citizens))
            self._start_counters(now)
            env.process(self._day_end())
            env.run(until=self.done)
        finally:
            self.fd.close()
        return self.called

    # -- the state at the start ----------------------------------------------------------

    def _stayer(self, ticket: Ticket, now: float) -> Citizen:
        """A citizen the forecast follows: waits whatever it takes."""
        return Citizen(
            ticket.centre_id,
            self.scenario.arrivals[0],
            ticket.service_id,
            now,
            False,
            key=self.streams.citizens.getrandbits(64),
        )

    def _seed_citizens(self, now: float) -> None:
        """The citizens behind the snapshot's waiting tickets (their tickets are seeded).

        Each has the model's patience from their ticket on, drawn afresh: the live
        system does not see who has left, so a citizen who has waited longer than
        their draw has already gone, and a counter that calls them is soon free again
        (as in the day itself, where the longest waiters are the likeliest gone). A
        ticket's call time is followed either way.
        """
        patience = self.scenario.patience
        for ticket in self.snapshot.tickets:
            citizen = self._stayer(ticket, now)
            entered = ticket.entered_at or ticket.issued_at
            citizen.ready = self.clock.minutes(entered)
            if ticket.appointment_at is not None:
                citizen.ready = max(citizen.ready, self.clock.minutes(ticket.appointment_at))
            if patience is not None:
                draws = CitizenDraws(citizen.key, Purpose.RETURN)
                citizen.patience = patience.sample(draws)
            citizen.ticket_id, citizen.queue_id = ticket.id, ticket.queue_id
            self.citizens[ticket.id] = citizen
            self.follow.add(ticket.id)
            self._queue_change(ticket.queue_id, +1, now)

    def _booked_to_come(self, now: float) -> list[Citizen]:
        """The day's bookings still to come, arriving as the scenario's booked citizens do,
        given that they have not come yet.

        A booking whose citizen would have been here by now under the first draw is
        drawn again until the draw agrees with what is known (not come yet: a no-show,
        or an arrival from now on), so a booking long past its time is almost surely a
        no-show and one due in a minute comes in a minute, not at once.
        """
        booked = self.scenario.booked
        early, spread = minutes(booked.early), minutes(booked.spread)
        patience = self.scenario.patience
        out = []
        for index, booking in enumerate(self.snapshot.bookings):
            if not booking.comes:
                continue
            key = self.streams.citizens.getrandbits(64)
            draws = CitizenDraws(key, Purpose.RETURN)
            appointment = self.clock.minutes(booking.start)
            arrival = _still_to_come(draws, booked.no_show, appointment, early, spread, now)
            if arrival is None:
                continue
            citizen = Citizen(
                booking.centre_id,
                self.scenario.arrivals[0],
                booking.service_id,
                arrival,
                False,
                key=key,
                booked=True,
                appointment=appointment,
                patience=patience.sample(draws) if patience is not None else math.inf,
            )
            citizen.code = seeded_code(index)
            out.append(citizen)
        return out

    def _arrive(self, citizen: Citizen) -> None:
        """A walk-in walks the tree (or takes their ticket); a booked citizen checks in
        with the booking's code, at the kiosk or without one, under the real check-in
        rules (too early, late, passed)."""
        if self.kiosks.get(citizen.centre_id) is not None:
            # The real tree at once: a run that stops early leaves nobody at a kiosk,
            # and a kiosk's minute matters little to a call an hour away.
            self._walk(citizen, None)
        else:
            super()._arrive(citizen)

    def _plan(self) -> dict[str, list[tuple[float, float]]]:
        """Each counter's planned time on duty today: the model's staffing plan, or, when
        it has none for a centre, every counter through the opening hours (as the
        planner's day staffs it)."""
        plan: dict[str, list[tuple[float, float]]] = {}
        only = len(self.centres) == 1
        for centre in self.centres:
            hours = OpeningCalendar(centre, self.tz).hours_on(self.day)
            plan.update(counters_on_duty(self.scenario, centre, self.day, hours, only))
        return plan

    def _start_counters(self, now: float) -> None:
        """Every counter open now (or opened by a what-if) serves until its planned time
        on duty ends, or its centre closes; a closed counter comes when the plan says."""
        plan = self._plan()
        for counter in self.snapshot.counters:
            # As in the planner's day, the last crew serves everyone still waiting.
            ends = [
                b
                for c in self.snapshot.counters
                if c.centre_id == counter.centre_id
                for _, b in plan.get(c.id, [])
            ]
            if ends:
                self.closing[counter.centre_id] = max(ends)
            if counter.id in self.closed_ids:
                continue
            planned = plan.get(counter.id, [])
            queues = self.extra.pop(counter.id, None) or counter.queue_ids
            closing = self.closing[counter.centre_id]
            if counter.status is CounterStatus.CLOSED and queues is counter.queue_ids:
                spans = [(a, b) for a, b in planned if a > now]
            else:
                start = now
                if counter.status is CounterStatus.PAUSED and counter.id not in self.breaks:
                    start = now + RESUME_AFTER
                elif counter.busy_since is not None:
                    called = self.clock.minutes(counter.busy_since)
                    start = self._busy_until(counter.busy_queue, counter.busy_service, called)
                end = next((b for a, b in planned if a <= now < b), closing)
                spans = [(start, max(end, start))]
                spans += [(a, b) for a, b in planned if a > end]
            pause = self.breaks.get(counter.id)
            if pause is not None:
                spans = [
                    piece
                    for a, b in spans
                    for piece in ((a, min(b, pause[0])), (max(a, pause[1]), b))
                    if piece[1] > piece[0]
                ]
            if not spans:
                continue
            if queues != counter.queue_ids:
                self.fd.queues.assign_queues(counter.id, queues)
            self.counter_queues[counter.id] = queues
            run = CounterRun(counter.id, counter.centre_id, queues)
            self.env.process(self._counter(run, spans))

    def _busy_until(self, queue_id: str | None, service_id: str | None, called: float) -> float:
        """When the service under way since ``called`` likely ends: a service time drawn
        given that it has lasted until now (drawn again until it is longer than what has
        passed; a service longer than nearly all the model's ends now)."""
        model = self._service_model(service_id, queue_id or "")
        now = self.env.now
        if model is None:
            return now
        for _ in range(TRIES):
            end = called + model.sample(self.streams.spare)
            if end >= now:
                return end
        return now

    # -- following ------------------------------------------------------------------------

    def _on_call(self, ticket: Ticket, now: float) -> None:
        citizen = self.citizens.get(ticket.id)
        if citizen is not None:
            wait = max(0.0, now - citizen.ready)
            self.waits.append((ticket.queue_id, citizen.ready, wait, wait > citizen.patience))
        if ticket.id in self.follow and ticket.id not in self.called:
            self.called[ticket.id] = now
            done = len(self.called) == len(self.follow) and not self.whole_day
            if done and not self.done.triggered:
                self.done.succeed()

    def _service_time(self, ticket: Ticket, citizen: Citizen | None) -> float:
        if ticket.id in self.probe_ids:
            return 0.0
        return super()._service_time(ticket, citizen)

    def _day_end(self) -> Process:
        yield self.env.timeout(max(DAY_END - self.env.now, 0.0))
        if not self.done.triggered:
            self.done.succeed()


def _still_to_come(
    draws: CitizenDraws,
    no_show: float,
    appointment: float,
    early: float,
    spread: float,
    now: float,
) -> float | None:
    """When a booked citizen not come by ``now`` arrives (``None``: does not come).

    Draws (no-show, arrival) as the model does until one agrees with "not come yet"
    (rejection sampling: the draw given what is known).
    """
    for _ in range(TRIES):
        if draws.random() < no_show:
            return None
        arrival = appointment - normal(draws, early, spread)
        if arrival >= now:
            return arrival
    return None


def replicate(
    loaded: LoadedScenario,
    snapshot: LiveSnapshot,
    *,
    hooks: Hooks,
    replications: int,
    seed: str,
    **options: Any,
) -> list[ForwardRun]:
    """``replications`` forward runs from ``snapshot`` (seeds ``seed/0``, ``seed/1``, ...),
    each run to its end; ``options`` are :class:`ForwardRun`'s."""
    seeded = seed_events(snapshot)
    runs = []
    collecting = gc.isenabled()
    gc.disable()  # a run's objects live until its end anyway (as in the planner's runs)
    try:
        for index in range(replications):
            run = ForwardRun(
                loaded, snapshot, f"{seed}/{index}", hooks=hooks, seeded=seeded, **options
            )
            run.run_forward()
            runs.append(run)
    finally:
        if collecting:
            gc.enable()
    return runs


__all__ = ["RESUME_AFTER", "ForwardRun", "replicate"]
