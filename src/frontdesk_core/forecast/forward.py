"""One forward run: the rest of the day simulated from a live snapshot.

A :class:`ForwardRun` is the planner's
:class:`~frontdesk_core.simulation.model.DaySimulation` started at the snapshot's
minute on a fresh in-memory store that holds the snapshot's waiting tickets and
open counters (:func:`~frontdesk_core.forecast.snapshot.seed_events`).
The real queue engine and the real call-next policy decide who is called; the
simulator's own processes play the counters and the citizens:

* every open counter serves on until its centre closes (a counter busy with a
  citizen starts once that service is likely over, a paused one after
  ``resume_after`` minutes);
* walk-ins arrive as the scenario (calibrated from the store's log) says, from
  now on, and take a ticket in their errand's queue;
* the day's bookings still to come arrive around their time (the scenario's
  ``booked`` behaviour: early, spread, no-shows) and are queued for their time,
  as a check-in queues them;
* a waiting citizen gives up as the scenario's patience says, except those the
  forecast follows: a forecast is for a citizen who stays;
* ``probe`` queues get one new ticket each at the start: the forecast for a
  citizen who takes a ticket now.

The run stops as soon as every followed ticket has been called (or at the end of
the day), so a forecast costs the part of the day it needs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import simpy

from frontdesk_core.errors import CommandError
from frontdesk_core.events import NewEvent
from frontdesk_core.forecast.snapshot import LiveSnapshot, seed_events
from frontdesk_core.plugins import Hooks
from frontdesk_core.queues.counters import CounterStatus
from frontdesk_core.queues.tickets import Ticket
from frontdesk_core.simulation.distributions import minutes, normal
from frontdesk_core.simulation.model import DAY_END, Citizen, CounterRun, DaySimulation, Process
from frontdesk_core.simulation.scenario import LoadedScenario
from frontdesk_core.simulation.streams import CitizenDraws, Purpose
from frontdesk_core.store.memory import MemoryStore

RESUME_AFTER = 10.0
"""Minutes after which a paused counter is assumed to call again."""


class ForwardRun(DaySimulation):
    """The rest of the day from ``snapshot``, one replication (``seed``).

    ``extra`` adds what-ifs on the same citizens: counters to open now (counter
    id to the queues it serves), in ``closed`` counters to leave closed, and in
    ``breaks`` a counter's break (from, to, in minutes after midnight).
    ``seeded`` is :func:`seed_events` of the snapshot, when the caller has it.
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
        self.follow: set[str] = set()
        self.done: simpy.Event = self.env.event()

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
                self.follow.add(ticket.id)
                self._ticketed(self._stayer(ticket, now), ticket)
            if not self.follow:
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
        """The citizens behind the snapshot's waiting tickets (their tickets are seeded)."""
        for ticket in self.snapshot.tickets:
            citizen = self._stayer(ticket, now)
            entered = ticket.entered_at or ticket.issued_at
            citizen.ready = self.clock.minutes(entered)
            if ticket.appointment_at is not None:
                citizen.ready = max(citizen.ready, self.clock.minutes(ticket.appointment_at))
            citizen.ticket_id, citizen.queue_id = ticket.id, ticket.queue_id
            self.citizens[ticket.id] = citizen
            self.follow.add(ticket.id)
            self._queue_change(ticket.queue_id, +1, now)

    def _booked_to_come(self, now: float) -> list[Citizen]:
        """The day's bookings still to come, arriving as the scenario's booked citizens do."""
        booked = self.scenario.booked
        early, spread = minutes(booked.early), minutes(booked.spread)
        patience = self.scenario.patience
        out = []
        for booking in self.snapshot.bookings:
            key = self.streams.citizens.getrandbits(64)
            draws = CitizenDraws(key, Purpose.RETURN)
            if draws.random() < booked.no_show:
                continue
            appointment = self.clock.minutes(booking.start)
            arrival = max(now, appointment - normal(draws, early, spread))
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
            citizen.code = None
            out.append(citizen)
        return out

    def _arrive(self, citizen: Citizen) -> None:
        """A booking still to come is queued for its time, as its check-in would queue it."""
        if not (citizen.booked and citizen.code is None and citizen.appointment is not None):
            super()._arrive(citizen)
            return
        service = self.services.get(citizen.service or "")
        if service is None:
            return
        at = self.clock.at(citizen.appointment)
        try:
            ticket = self.fd.queues.issue(service.queue, service_id=service.id, appointment_at=at)
        except CommandError:
            return
        self._ticketed(citizen, ticket)

    def _start_counters(self, now: float) -> None:
        """Every counter open now (or opened by a what-if) serves until its centre closes."""
        for counter in self.snapshot.counters:
            if counter.id in self.closed_ids:
                continue
            queues = self.extra.pop(counter.id, None) or counter.queue_ids
            if counter.status is CounterStatus.CLOSED and queues is counter.queue_ids:
                continue
            start = now
            if counter.status is CounterStatus.PAUSED:
                start = now + RESUME_AFTER
            elif counter.busy_since is not None:
                start = self._busy_until(counter.busy_queue, counter.busy_service, now)
                start = max(now, start - (now - self.clock.minutes(counter.busy_since)))
            if queues != counter.queue_ids:
                self.fd.queues.assign_queues(counter.id, queues)
            self.counter_queues[counter.id] = queues
            end = max(self.closing[counter.centre_id], start)
            spans = [(start, end)]
            pause = self.breaks.get(counter.id)
            if pause is not None:
                spans = [(a, b) for a, b in ((start, pause[0]), (pause[1], end)) if b > a]
            run = CounterRun(counter.id, counter.centre_id, queues)
            self.env.process(self._counter(run, spans))

    def _busy_until(self, queue_id: str | None, service_id: str | None, now: float) -> float:
        """When the service under way likely ends: now plus a draw of its full length."""
        model = self._service_model(service_id, queue_id or "")
        return now + (model.sample(self.streams.spare) if model is not None else 0.0)

    # -- following ------------------------------------------------------------------------

    def _serve(self, run: CounterRun, ticket: Ticket) -> Process:
        if ticket.id in self.follow and ticket.id not in self.called:
            self.called[ticket.id] = self.env.now
            if len(self.called) == len(self.follow) and not self.done.triggered:
                self.done.succeed()
        yield from super()._serve(run, ticket)

    def _day_end(self) -> Process:
        yield self.env.timeout(max(DAY_END - self.env.now, 0.0))
        if not self.done.triggered:
            self.done.succeed()


__all__ = ["RESUME_AFTER", "ForwardRun"]
