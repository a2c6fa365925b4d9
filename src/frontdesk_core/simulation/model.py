"""One simulated opening day: SimPy processes driving the live engines.

Citizens arrive, queue at a finite number of kiosks, walk the real referral
tree in a real kiosk session, and get a real ticket; counters on duty sign in,
call the next ticket with the real call-next policy, serve, finish and sign out.
Booked citizens are booked in the real booking engine and check in there. The
engines run on a :class:`~frontdesk_core.simulation.clock.SimClock` over an
in-memory store: the simulator decides only what citizens and employees do,
never what the system does in reply.

Time inside the simulation is minutes after local midnight of the simulated day.

Random numbers come from :mod:`~frontdesk_core.simulation.streams`: a stream per
purpose for what is drawn when citizens are generated, in arrival order, and each
citizen's own counter-based draws for what depends on how the day goes. Two plans
run on the same seed therefore meet the same citizens (common random numbers).
"""

from __future__ import annotations

import gc
import math
import os
import random
import weakref
from bisect import bisect_left
from collections import deque
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import partial
from operator import attrgetter
from typing import Any
from zoneinfo import ZoneInfo

import simpy

from frontdesk_core.app import Frontdesk
from frontdesk_core.booking.records import Contact
from frontdesk_core.booking.slots import Slot
from frontdesk_core.config.models import Config
from frontdesk_core.errors import CapacityError, CommandError, InvalidStateError
from frontdesk_core.opening.hours import WEEKDAYS, OpeningCalendar
from frontdesk_core.plugins import LOAD_ENV, Hooks, PluginManager, make_plugin_manager
from frontdesk_core.queues.tickets import Ticket
from frontdesk_core.referral.engine import KioskResult
from frontdesk_core.referral.outcomes import BookTime
from frontdesk_core.referral.outcomes import CheckIn as CheckInOutcome
from frontdesk_core.referral.session import CompiledTree
from frontdesk_core.simulation.answers import AnswerStrategy, Goal, Plans, StepPlans, TreeMap
from frontdesk_core.simulation.clock import SimClock
from frontdesk_core.simulation.distributions import Distribution, minutes, normal
from frontdesk_core.simulation.results import Cell, DayObservations
from frontdesk_core.simulation.scenario import (
    ArrivalStream,
    LoadedScenario,
    counters_on_duty,
    minute_of,
)
from frontdesk_core.simulation.staffed import staffed_config
from frontdesk_core.simulation.streams import CitizenDraws, DayStreams, Purpose
from frontdesk_core.store.base import EventStore

Process = Generator[simpy.Event, Any, None]
_ARRIVAL = attrgetter("arrival")
_KIOSK, _ANSWERS = Purpose.KIOSK, Purpose.ANSWERS
"""The purposes every kiosk citizen draws for, read once (a member read off its enum
class costs as much as a call)."""
DAY_END = 24 * 60.0
"""Overtime stops at midnight: whoever still waits then is closed by the end of the day."""
EMPLOYEE = "sim"
"""The employee reference simulated counters sign in with (no person behind it)."""


@dataclass(slots=True)
class Citizen:
    """One simulated citizen and what became of them (times in minutes after midnight).

    Everything random about a citizen is drawn when they are generated, in arrival
    order, or from their own :attr:`key`; never in the order the engine serves
    people, so two plans on the same seed see the same citizens.
    """

    centre_id: str
    stream: ArrivalStream
    service: str | None
    arrival: float
    counted: bool
    wish: float = 0.0
    """The arrival time drawn for them; a citizen who booked from home books the free time
    nearest it, so their :attr:`arrival` depends on what the plan could offer."""
    patience: float = math.inf
    key: int = 0
    """Seeds the citizen's own draws (:class:`~frontdesk_core.simulation.streams.CitizenDraws`)."""
    service_model: Distribution | None = None
    """The service-time model of the errand the citizen came with, if it has one."""
    service_time: float | None = None
    """Their service time under :attr:`service_model`, drawn when they were generated."""
    errand_queue: str | None = None
    """The queue of the service they came for when :attr:`service_model` was looked up for
    the two (none for one coming back for a time booked at the kiosk)."""
    no_show: bool = False
    """Booked from home, and will not come."""
    early: float = 0.0
    """Minutes before a time booked from home that they arrive (negative: late)."""
    booked: bool = False
    code: str | None = None
    appointment: float | None = None
    ticket_id: str | None = None
    queue_id: str | None = None
    ready: float = 0.0
    """From when a wait counts: the ticket, or the appointment if that is later."""


@dataclass
class CounterRun:
    """A counter's bookkeeping: its queues and the event that wakes it when idle."""

    counter_id: str
    centre_id: str
    queues: tuple[str, ...]
    wake: simpy.Event | None = None


@dataclass(slots=True)
class Line:
    """A queue's waiting line as the simulator counts it: its length, since when it has
    had that length, and the cell of the hour it last changed in (most changes follow
    one in the same hour)."""

    length: int = 0
    since: float = 0.0
    hour: float = -math.inf
    """The hour (``minute // 60``) of :attr:`cell`; none to begin with."""
    cell: Cell = field(default_factory=Cell)


class Kiosks:
    """A centre's kiosks: a citizen takes a free one at once, or waits for one to be given
    back; the waiting take their turns as they came (a SimPy store of kiosk ids, without
    an event for a kiosk that is free, or for giving one back)."""

    def __init__(self, env: simpy.Environment, ids: Sequence[str]) -> None:
        self.env = env
        self.free: deque[str] = deque(ids)
        self.waiting: deque[simpy.Event] = deque()

    def take(self) -> str | None:
        """A free kiosk's id (the one given back longest ago), or ``None``: all are taken."""
        free = self.free
        return free.popleft() if free else None

    def wait(self) -> simpy.Event:
        """An event that gives the waiting citizen the next kiosk given back."""
        event = self.env.event()
        self.waiting.append(event)
        return event

    def give_back(self, kiosk_id: str) -> None:
        """A citizen leaves ``kiosk_id``: to whoever waits longest, else it is free."""
        if self.waiting:
            self.waiting.popleft().succeed(kiosk_id)
        else:
            self.free.append(kiosk_id)


_PLUGINS: dict[str, PluginManager] = {}


def simulation_plugins() -> PluginManager:
    """The plugins a simulated day runs with: the built-in ones, and only those installed
    that ``FRONTDESK_LOAD_PLUGINS`` names (a call-next policy the configuration needs).

    Installed plugins print tickets, send SMS and serve screens: none of that belongs in
    a simulation. Made once per process for each value of the variable and shared by
    the days it simulates (a day registers nothing in it; making it is most of a
    day's set-up).
    """
    chosen = os.environ.get(LOAD_ENV, "").strip()
    found = _PLUGINS.get(chosen)
    if found is None:
        found = _PLUGINS[chosen] = make_plugin_manager(load_entrypoints=bool(chosen))
    return found


def _nearest(times: Sequence[float], wish: float) -> int:
    """The index of the time in ``times`` (ascending) nearest ``wish``: of two as near, the
    earlier, and of equal times the first (what ``min`` over the list by distance gives)."""
    index = bisect_left(times, wish)
    if index == len(times) or (index > 0 and wish - times[index - 1] <= times[index] - wish):
        index = bisect_left(times, times[index - 1])
    return index


@dataclass
class _WorkedOut:
    """What the days of one scenario work out alike, kept while the scenario lives: each
    tree's map of outcomes, and the answer plans of each stream's citizens by goal."""

    tree_maps: dict[str, TreeMap] = field(default_factory=dict)
    plans: dict[tuple[str, str | None, bool, int, int], tuple[Goal, Plans, StepPlans]] = field(
        default_factory=dict
    )
    trees: dict[int, dict[str, CompiledTree]] = field(default_factory=dict)
    """The referral trees compiled for the kiosks, with the steps and outcomes they have
    made, by the plugin manager whose condition functions they call: a day's staffing
    changes nothing a tree reads (see ``ReferralEngine.share_trees``)."""


_WORKED_OUT: dict[int, tuple[weakref.ref[LoadedScenario], _WorkedOut]] = {}


def _worked_out(loaded: LoadedScenario) -> _WorkedOut:
    """The days of ``loaded`` share what they work out alike (a year's days, or a batch's
    in a worker): by the scenario object, as the plans are keyed by its streams."""
    key = id(loaded)
    found = _WORKED_OUT.get(key)
    if found is not None and found[0]() is loaded:
        return found[1]
    shared = _WorkedOut()
    _WORKED_OUT[key] = (weakref.ref(loaded, lambda _ref: _WORKED_OUT.pop(key, None)), shared)
    return shared


def _split_hours(start: float, end: float) -> Generator[tuple[int, float], None, None]:
    """``(hour, minutes)`` pieces of the span ``start..end`` (minutes after midnight)."""
    while end > start:
        hour = int(start // 60)
        stop = min(end, (hour + 1) * 60.0)
        yield hour, stop - start
        start = stop


class DaySimulation:
    """One day of a scenario, for one replication, with its own engines and random streams.

    ``seed`` names the day's random streams; a :class:`random.Random` given instead
    is asked once for a seed. ``store`` may hold the day so far, and ``start`` is
    then the minute the run begins at. The same seed gives the same citizens whatever the
    staffing, kiosks or call-next policy.
    """

    def __init__(
        self,
        loaded: LoadedScenario,
        day: date,
        seed: str | random.Random,
        *,
        hooks: Hooks | None = None,
        store: str | EventStore = "memory://",
        start: float | None = None,
    ) -> None:
        self.loaded = loaded
        self.scenario = loaded.scenario
        self.config: Config = loaded.config
        self.day = day
        if isinstance(seed, random.Random):
            seed = f"random/{seed.getrandbits(64)}"
        self.streams = DayStreams(seed)
        self.generated: tuple[Citizen, ...] = ()
        """The day's citizens in arrival order, as generated (for tests and diagnostics)."""
        # The day starts early enough to book every booked citizen within each service's
        # minimum notice, the way they booked from home days before.
        # ``start`` (minutes after midnight) begins a run in the middle of the day instead,
        # on a store that already holds the day so far (the forecast's forward runs).
        lead = -self._lead(loaded.config) if start is None else start
        self.env = simpy.Environment(initial_time=lead)
        self.tz = ZoneInfo(self.config.site.timezone)
        self.clock = SimClock(self.env, datetime.combine(day, time(0), self.tz))
        plugins = simulation_plugins() if hooks is None else hooks.pm
        self._kept = store != "memory://" or plugins is not _PLUGINS.get("")
        """Whether anybody sees the day's log or hears its hooks after the day: a private
        in-memory log heard by the built-in plugins alone is dropped with the day, and
        is not closed first (closing a day is one pass over every ticket of it, about
        3% of a simulated day)."""
        # Counters take bookings only while the scenario has them on duty.
        self.config = staffed_config(self.scenario, self.config, loaded.centres, day, self.tz)
        self.fd = Frontdesk.open(
            self.config, store=store, clock=self.clock, plugins=plugins, randomness=self.streams.ids
        )
        self.queues = self.fd.queues
        """The queue engine, asked on every call and service."""
        # The configuration looks ids up by scanning lists; the simulation asks per citizen.
        self.services = {s.id: s for s in self.config.services}
        self._models: dict[tuple[str | None, str], Distribution | None] = {}
        shared = _worked_out(loaded)
        self._answer_plans = shared.plans
        self.obs = DayObservations(day.isoformat())
        self.centres = [self.config.centre(c) for c in loaded.centres]
        self.opening: dict[str, list[tuple[float, float]]] = {}
        for centre in self.centres:
            hours = OpeningCalendar(centre, self.tz).hours_on(day)
            self.opening[centre.id] = [(minute_of(r.start), minute_of(r.end)) for r in hours]
            self.obs.open_minutes[centre.id] = sum(e - b for b, e in self.opening[centre.id])
            self.obs.opening[centre.id] = self.opening[centre.id]
        self.closing = {
            c: max((e for _, e in spans), default=0.0) for c, spans in self.opening.items()
        }
        self.lines: dict[str, Line] = {}
        """Each queue's waiting line (tickets issued and not yet called)."""
        self.citizens: dict[str, Citizen] = {}
        self._sessions = 0
        self.idle: dict[str, list[CounterRun]] = {c.id: [] for c in self.centres}
        self.kiosks: dict[str, Kiosks | None] = {}
        self.language = self.config.site.languages[0]
        self.busy: dict[str, dict[int, float]] = {}
        self.duty: dict[str, dict[int, float]] = {}
        self.counter_queues: dict[str, tuple[str, ...]] = {}
        self.tree_maps = shared.tree_maps
        for centre in self.centres:
            count = self.scenario.kiosks.count.get(centre.id, len(centre.kiosks))
            use_kiosk = count > 0 and centre.tree is not None
            if use_kiosk:
                # A store of kiosk ids: a citizen waits for a free kiosk and knows which it is.
                names = [k.id for k in centre.kiosks]
                self.kiosks[centre.id] = Kiosks(
                    self.env, [names[i] if i < len(names) else "" for i in range(count)]
                )
            else:
                self.kiosks[centre.id] = None
            if centre.tree is not None and centre.tree not in self.tree_maps:
                # The tree and the services as configured: a day's staffing changes neither.
                self.tree_maps[centre.tree] = TreeMap(
                    loaded.config.tree(centre.tree), loaded.config
                )
            for queue in centre.queues:
                self.obs.centres[queue.id] = centre.id
                self.obs.targets[queue.id] = minutes(queue.target.within)
                self.lines[queue.id] = Line()
            for counter in centre.counters:
                self.counter_queues[counter.id] = tuple(counter.queues)
        if hooks is None and any(k is not None for k in self.kiosks.values()):
            # The days' plugins are shared too (simulation_plugins()): so are their trees.
            self.fd.referral.share_trees(shared.trees.setdefault(id(plugins), {}))
        self.warmup = self.obs.warmup = minutes(self.scenario.warmup)

    @staticmethod
    def _lead(config: Config) -> float:
        """Minutes before midnight at which the simulated booking ahead takes place."""
        notice = [minutes(s.booking.min_notice) for s in config.services if s.booking is not None]
        return min(max(notice, default=0.0) + 60.0, 14 * 24 * 60.0)

    # -- the day -------------------------------------------------------------------------

    def run(self) -> DayObservations:
        """Simulate the day and return what was observed."""
        try:
            citizens = self._generate()
            self._book_ahead(citizens)
            self.env.process(self._arrivals(citizens))
            for centre in self.centres:
                duty = counters_on_duty(
                    self.scenario,
                    centre,
                    self.day,
                    OpeningCalendar(centre, self.tz).hours_on(self.day),
                    only_centre=len(self.centres) == 1,
                )
                # The last crew of the day serves everyone still waiting before it leaves.
                last = max((end for spans in duty.values() for _, end in spans), default=0.0)
                self.closing[centre.id] = last
                for counter_id, spans in duty.items():
                    run = CounterRun(counter_id, centre.id, self.counter_queues[counter_id])
                    self.env.process(self._counter(run, spans))
            self.env.run()
            end = self.env.now
            for queue_id in self.lines:
                self._queue_change(queue_id, 0, end)
            if self._kept:
                # The day's end as the live system records it, for whoever reads the log
                # next (a calibration, the next simulated day on the same store).
                self.fd.queues.end_of_day()
                self.fd.booking.mark_no_shows()
            self._flush_counters()
        finally:
            self.fd.close()
        return self.obs

    # -- arrivals --------------------------------------------------------------------------

    def _generate(self) -> list[Citizen]:
        weekday = WEEKDAYS[self.day.weekday()]
        citizens: list[Citizen] = []
        for index, stream in enumerate(self.scenario.arrivals):
            if stream.weekdays is not None and weekday not in stream.weekdays:
                continue
            # Each arrival stream has its own times, so adding one leaves the others alone.
            times = self.streams.arrivals(index)
            centre_id = self.loaded.stream_centre(stream)
            opening = self.opening.get(centre_id, [])
            counted_from = min((a for a, _ in opening), default=0.0) + self.warmup
            for span, value in stream.ranges():
                start, end = minute_of(span.start), minute_of(span.end)
                pieces = [
                    (max(start, a), min(end, b)) for a, b in opening if min(end, b) > max(start, a)
                ]
                for at in self._times(times, stream, value, pieces):
                    citizens.append(
                        Citizen(centre_id, stream, stream.service, at, at >= counted_from, at)
                    )
        citizens.sort(key=_ARRIVAL)
        self._draw(citizens)
        self.generated = tuple(citizens)
        self.obs.citizens = len(citizens)
        return citizens

    def _draw(self, citizens: list[Citizen]) -> None:
        """Draw what is known of each citizen before the day starts, purpose by purpose.

        In arrival order and from one stream per purpose: how many numbers a citizen
        takes from a stream depends on the scenario alone, never on the plan, so every
        citizen gets the same draws under every plan.
        """
        streams = self.streams
        booking, patience, service = streams.booking, streams.patience, streams.service
        keys = streams.citizens
        booked = self.scenario.booked
        no_show, early, spread = booked.no_show, minutes(booked.early), minutes(booked.spread)
        default_patience = self.scenario.patience
        # A stream's citizens share its models, its share booked and their errand's
        # queue: looked up once per stream.
        models: dict[int, tuple[Distribution | None, Distribution | None, float, str | None]] = {}
        draw_key = keys.getrandbits
        for citizen in citizens:
            stream = citizen.stream
            found = models.get(id(stream))
            if found is None:
                errand, queue, model = citizen.service, None, None
                if errand is not None:
                    queue = self.services[errand].queue
                    model = self._service_model(errand, queue)
                patience_model = stream.patience or default_patience
                found = models[id(stream)] = (patience_model, model, stream.booked, queue)
            patience_model, model, share_booked, queue = found
            if patience_model is not None:
                citizen.patience = patience_model.sample(patience)
            if share_booked > 0 and booking.random() < share_booked:
                citizen.booked = True
                citizen.no_show = booking.random() < no_show
                citizen.early = normal(booking, early, spread)
            if model is not None:
                citizen.service_model = model
                citizen.service_time = model.sample(service)
                citizen.errand_queue = queue
            citizen.key = draw_key(64)

    def _times(
        self,
        rng: random.Random,
        stream: ArrivalStream,
        value: float,
        pieces: list[tuple[float, float]],
    ) -> list[float]:
        scale = self.scenario.scale
        times: list[float] = []
        if stream.per_hour is not None:
            rate = value * scale / 60.0
            if rate <= 0:
                return times
            for a, b in pieces:
                at = a + rng.expovariate(rate)
                while at < b:
                    times.append(at)
                    at += rng.expovariate(rate)
            return times
        open_minutes = sum(b - a for a, b in pieces)
        if open_minutes <= 0:
            return times
        wanted = value * scale
        count = int(wanted) + (1 if rng.random() < wanted - int(wanted) else 0)
        for _ in range(count):
            offset = rng.random() * open_minutes
            for a, b in pieces:
                if offset < b - a:
                    times.append(a + offset)
                    break
                offset -= b - a
        return times

    def _book_ahead(self, citizens: list[Citizen]) -> None:
        """Book every booked citizen before the day starts, at the free time nearest their wish."""
        # Each service's free places of the day in time order: minutes, and the start
        # booked (a time with room for two is listed twice).
        free: dict[str, tuple[list[float], list[datetime]]] = {}
        booking = self.fd.booking
        for citizen in citizens:
            service_id = citizen.service
            if not citizen.booked or service_id is None:
                continue
            service = self.services[service_id]
            if service.booking is None or "in_person" not in service.booking.channels:
                citizen.booked = False
                continue
            while True:
                if service_id not in free:
                    places: list[tuple[float, datetime]] = []
                    for s in booking.free_slots(service_id, self.day, self.day):
                        places += [(self.clock.minutes(s.start), s.start)] * s.free
                    places.sort()
                    free[service_id] = ([m for m, _ in places], [s for _, s in places])
                times, starts = free[service_id]
                if not times:
                    citizen.booked = False
                    break
                index = _nearest(times, citizen.wish)
                at, start = times.pop(index), starts.pop(index)
                try:
                    made = booking.book(service_id, start, contact=Contact())
                except CapacityError:
                    del free[service_id]  # someone else took it: ask the engine again
                    continue
                if start not in starts[max(index - 1, 0) : index + 1]:
                    # That time's last place as listed; a time that fits only by moving
                    # bookings to other counters is listed as one place, and may take more.
                    del free[service_id]
                citizen.code = made.code
                citizen.appointment = at
                break
            if citizen.booked and citizen.appointment is not None:
                if citizen.no_show:
                    citizen.arrival = math.inf
                    continue
                citizen.arrival = max(0.0, citizen.appointment - citizen.early)

    # -- a citizen ---------------------------------------------------------------------------

    def _arrivals(self, citizens: list[Citizen]) -> Process:
        """Let the citizens in at their arrival times, in order (the day's, or one coming
        back for a time booked at the kiosk).

        One process for all the day's arrivals: a citizen gets a process of their own
        only for the kiosk, where they may have to wait their turn.
        """
        env = self.env
        citizens.sort(key=_ARRIVAL)
        # With no kiosk anywhere, _arrive() is _without_kiosk() (unless a subclass says
        # otherwise): called at once.
        arrive = self._arrive
        if type(self)._arrive is DaySimulation._arrive and all(
            k is None for k in self.kiosks.values()
        ):
            arrive = self._without_kiosk
        inf = math.inf
        for citizen in citizens:
            arrival = citizen.arrival
            if arrival == inf:
                break  # booked no-shows sort last, and never come
            if arrival > env._now:
                yield env.timeout(arrival - env._now)
            arrive(citizen)

    def _arrive(self, citizen: Citizen) -> None:
        kiosks = self.kiosks[citizen.centre_id]
        if kiosks is None:
            self._without_kiosk(citizen)
            return
        kiosk_id = kiosks.take()
        if kiosk_id is None:  # every kiosk is taken: wait for the one given back first
            self.env.process(self._wait_for_kiosk(citizen, kiosks))
        else:
            self._at_kiosk(citizen, kiosks, kiosk_id)

    def _wait_for_kiosk(self, citizen: Citizen, kiosks: Kiosks) -> Process:
        kiosk_id = yield kiosks.wait()
        self._at_kiosk(citizen, kiosks, kiosk_id)

    def _at_kiosk(self, citizen: Citizen, kiosks: Kiosks, kiosk_id: str) -> None:
        """The citizen steps up to ``kiosk_id``: the walk and its outcome when the session's
        time is up. A timeout with a callback, not a process of its own: most citizens
        find a kiosk free, and a process costs two more events and a generator."""
        if citizen.counted:
            cell = self.obs.cell(self._errand_queue(citizen, None), int(citizen.arrival // 60))
            cell.kiosk_waits.append(self.env.now - citizen.arrival)
        booked = citizen.booked and citizen.code is not None
        model = self.scenario.kiosks.check_in if booked else self.scenario.kiosks.session
        ends = self.env.timeout(model.sample(CitizenDraws(citizen.key, _KIOSK)))
        ends.callbacks.append(lambda _: self._leave_kiosk(citizen, kiosks, kiosk_id))

    def _leave_kiosk(self, citizen: Citizen, kiosks: Kiosks, kiosk_id: str) -> None:
        try:
            self._walk(citizen, kiosk_id or None)
        finally:
            kiosks.give_back(kiosk_id)

    def _without_kiosk(self, citizen: Citizen) -> None:
        """No kiosk (or no tree): a booked citizen checks in, a walk-in gets a ticket at once."""
        if citizen.booked and citizen.code is not None:
            self._check_in(citizen)
            return
        if citizen.service is None:
            return
        service = self.services[citizen.service]
        ticket = self.queues.issue(service.queue, service_id=service.id)
        self._ticketed(citizen, ticket)

    def _walk(self, citizen: Citizen, kiosk_id: str | None) -> None:
        """The citizen's kiosk session: the real tree walk, and its outcome performed for real."""
        referral = self.fd.referral
        # Numbered, not random: a simulated session needs no unguessable id.
        self._sessions += 1
        session = referral.start(
            citizen.centre_id, language=self.language, session_id=f"sim-{self._sessions}"
        )
        tree = self.tree_maps[session.tree_id]
        stream = citizen.stream
        # The hours' own answers before the stream's: by the time of the walk, which is
        # when the log records a kiosk session.
        hour = stream.walk_at(self.env.now) if stream.by_hour else None
        answers: tuple[Mapping[str, Mapping[str, float]], ...] = (
            stream.answers,
            self.scenario.answers,
        )
        missing: tuple[Mapping[str, float], ...] = (
            stream.missing_documents,
            self.scenario.missing_documents,
        )
        if hour is not None:
            answers = (hour[1].answers, *answers)
            missing = (hour[1].missing_documents, *missing)
        # Citizens of one arrival stream (and range of hours) with one goal weigh the options
        # alike: they share the worked-out chances (the stream lives as long as the scenario).
        key = (
            session.tree_id,
            citizen.service,
            citizen.booked,
            id(stream),
            -1 if hour is None else hour[0],
        )
        shared = self._answer_plans.get(key)
        if shared is None:
            goal = Goal(citizen.service, booked=citizen.booked)
            shared = self._answer_plans[key] = (goal, {}, {})
        goal, memo, by_step = shared
        strategy = AnswerStrategy(
            tree, goal, answers, missing, CitizenDraws(citizen.key, _ANSWERS), memo, by_step
        )
        strategy.walk(session)
        outcome = session.outcome
        if isinstance(outcome, CheckInOutcome) and citizen.code is not None:
            try:
                result = referral.complete(session, kiosk_id=kiosk_id, booking_code=citizen.code)
            except CommandError:
                return  # the booking was cancelled or handled meanwhile: nothing to queue
        else:
            result = referral.complete(session, kiosk_id=kiosk_id)
        self._outcome(citizen, result)

    def _outcome(self, citizen: Citizen, result: KioskResult) -> None:
        kind = result.kind
        outcome = result.outcome
        hour = int(self.env.now // 60)
        if kind in ("queue", "check_in"):
            if result.ticket is not None:
                self._ticketed(citizen, result.ticket)
            elif kind == "check_in" and result.check_in is None and citizen.code is not None:
                self._check_in(citizen)  # a booked citizen pressed on without the code
        elif kind in ("send_home", "refer"):
            if citizen.counted:
                cell = self.obs.cell(self._errand_queue(citizen, outcome), hour)
                if kind == "send_home":
                    cell.sent_home += 1
                else:
                    cell.referred += 1
        elif isinstance(outcome, BookTime):
            self._book_today(citizen, outcome.service_id, result.slots)

    def _errand_queue(self, citizen: Citizen, outcome: object) -> str:
        """Where a citizen who got no ticket is counted: their errand's queue, or the kiosk."""
        service_id = citizen.service or getattr(outcome, "book_service", None)
        if service_id is not None:
            return self.services[service_id].queue
        key = f"{citizen.centre_id}/kiosk"
        self.obs.centres[key] = citizen.centre_id
        return key

    def _book_today(self, citizen: Citizen, service_id: str, slots: Sequence[Slot]) -> None:
        """A walk-in books the first free time today the kiosk offers, and comes back for it."""
        booking = self.fd.booking
        queue_id = self.services[service_id].queue
        for slot in slots:
            try:
                made = booking.book(service_id, slot.start, contact=Contact())
            except CapacityError:
                continue
            if citizen.counted:
                self.obs.cell(queue_id, int(self.env.now // 60)).booked_at_kiosk += 1
            appointment = self.clock.minutes(made.start)
            back = Citizen(
                citizen.centre_id,
                citizen.stream,
                service_id,
                arrival=max(self.env.now, appointment - self._early(citizen)),
                counted=citizen.counted,
                wish=citizen.wish,
                patience=citizen.patience,
                key=citizen.key,
                service_model=citizen.service_model,
                service_time=citizen.service_time,
                booked=True,
                code=made.code,
                appointment=appointment,
            )
            self.env.process(self._arrivals([back]))
            return
        if citizen.counted:
            self.obs.cell(queue_id, int(self.env.now // 60)).no_time_today += 1

    def _early(self, citizen: Citizen) -> float:
        """How early a citizen who booked at the kiosk comes back (from their own draws)."""
        early = minutes(self.scenario.booked.early)
        spread = minutes(self.scenario.booked.spread)
        return normal(CitizenDraws(citizen.key, Purpose.RETURN), early, spread)

    def _check_in(self, citizen: Citizen) -> None:
        if citizen.code is None:
            return
        try:
            result = self.fd.booking.check_in(citizen.code)
        except CommandError:
            return  # cancelled or already handled: nothing for the counters
        if result.ticket is not None:
            self._ticketed(citizen, result.ticket)

    def _ticketed(self, citizen: Citizen, ticket: Ticket) -> None:
        now = self.env._now
        queue_id = citizen.queue_id = ticket.queue_id
        citizen.ticket_id = ticket_id = ticket.id
        ready = now
        if ticket.appointment_at is not None:
            ready = max(now, self.clock.minutes(ticket.appointment_at))
        citizen.ready = ready
        self.citizens[ticket_id] = citizen
        line = self.lines[queue_id]
        hour = now // 60
        if citizen.counted:
            ready_hour = ready // 60
            if line.hour == ready_hour:
                line.cell.arrivals += 1
            else:
                self.obs.cell(queue_id, int(ready_hour)).arrivals += 1
        if line.hour == hour:
            # The line last changed within this hour (most do): its cell is at hand, and
            # its maximum already holds the length since then.
            cell = line.cell
            length = line.length
            if length:
                cell.queue_area += length * (now - line.since)
            line.since = now
            line.length = length = length + 1
            if length > cell.queue_max:
                cell.queue_max = length
        else:
            self._queue_change(queue_id, +1, now)
        if self.idle[citizen.centre_id]:
            self._wake(citizen.centre_id, queue_id)

    # -- queues and counters -------------------------------------------------------------------

    def _queue_change(self, queue_id: str, delta: int, now: float) -> None:
        """Keep the area under each queue's length curve, hour by hour, and its maximum."""
        line = self.lines[queue_id]
        length = line.length
        since = line.since
        hour = now // 60
        # An empty queue adds nothing, and must not invent hours nobody was there.
        if length and now > since:
            if since // 60 == hour:
                # Most changes follow one within the same hour: its cell is at hand.
                cell = line.cell if line.hour == hour else self._cell(line, queue_id, hour)
                cell.queue_area += length * (now - since)
                if length > cell.queue_max:
                    cell.queue_max = length
            else:
                for piece, span in _split_hours(since, now):
                    cell = self.obs.cell(queue_id, piece)
                    cell.queue_area += length * span
                    cell.queue_max = max(cell.queue_max, length)
        line.since = now
        if delta:
            line.length = length = length + delta
            cell = line.cell if line.hour == hour else self._cell(line, queue_id, hour)
            if length > cell.queue_max:
                cell.queue_max = length

    def _cell(self, line: Line, queue_id: str, hour: float) -> Cell:
        """The cell of ``queue_id`` in ``hour``, kept on ``line`` for the changes to come."""
        line.hour = hour
        line.cell = cell = self.obs.cell(queue_id, int(hour))
        return cell

    def _wake(self, centre_id: str, queue_id: str) -> None:
        """Wake the counter idle longest that serves ``queue_id`` (one ticket, one counter)."""
        idle = self.idle[centre_id]
        for index, run in enumerate(idle):
            if queue_id in run.queues and run.wake is not None:
                del idle[index]
                wake, run.wake = run.wake, None
                wake.succeed()
                return

    def _counter(self, run: CounterRun, spans: list[tuple[float, float]]) -> Process:
        """A counter's day: each shift signed in, tickets called and served, signed out.

        The service of a ticket is written out here rather than in a method of its
        own: it runs for every citizen, and each call and lookup saved shows in a
        planner's run (the pinned days in the tests hold it to the same figures).
        """
        env = self.env
        queues = self.queues
        counter_id = run.counter_id
        call_next, start_service, finish = queues.call_next, queues.start, queues.finish
        closing = self.closing[run.centre_id]
        idle = self.idle[run.centre_id]
        lines = self.lines
        its_queues: tuple[str, ...] = ()
        its_lines: list[Line] = []
        citizens = self.citizens
        targets = self.obs.targets
        # What a subclass follows or draws otherwise (the forecast's runs); a plain day
        # calls nothing on a call, and takes a citizen's drawn service time at once.
        on_call = self._on_call if type(self)._on_call is not DaySimulation._on_call else None
        drawn = type(self)._service_time is DaySimulation._service_time
        busy = self.busy.get(counter_id)
        if busy is None:
            busy = self.busy[counter_id] = {}
        for start, end in spans:
            if start > env._now:
                yield env.timeout(start - env._now)
            queues.sign_in(counter_id, EMPLOYEE)
            signed_in = env._now
            overtime = end >= closing
            if end > signed_in:
                # One timer per shift wakes the counter if it is idle when the shift ends
                # (cheaper than racing every idle wait against a timeout of its own).
                env.timeout(end - signed_in).callbacks.append(partial(self._nudge, run))
            while True:
                now = env._now
                if run.queues is not its_queues:  # at the start, or moved to other queues
                    its_queues = run.queues
                    its_lines = [lines[queue_id] for queue_id in its_queues]
                work = False
                for line in its_lines:
                    if line.length:
                        work = True
                        break
                if not work or now >= end:
                    if now >= end and not (overtime and now < DAY_END and work):
                        break
                    if not work:
                        run.wake = env.event()
                        idle.append(run)
                        yield run.wake  # a ticket for it, or the end of the shift
                        continue
                ticket = call_next(counter_id)
                if ticket is None:
                    # Waiting tickets the policy does not call yet: look again shortly.
                    yield env.timeout(min(1.0, max(end - now, 0.5)))
                    continue
                if on_call is not None:
                    on_call(ticket, now)
                # The ticket leaves its line (see _queue_change).
                queue_id = ticket.queue_id
                line = lines[queue_id]
                hour = now // 60
                if line.hour == hour:
                    length = line.length
                    if length:
                        line.cell.queue_area += length * (now - line.since)
                    line.since = now
                    line.length = length - 1
                else:
                    self._queue_change(queue_id, -1, now)
                citizen = citizens.get(ticket.id)
                gone = False
                if citizen is not None:
                    waited = now - citizen.ready
                    gone = waited > citizen.patience
                    if citizen.counted:
                        ready_hour = citizen.ready // 60
                        if line.hour == ready_hour:
                            cell = line.cell
                        else:
                            cell = self.obs.cell(queue_id, int(ready_hour))
                        if gone:
                            cell.abandoned += 1
                        else:
                            if not waited > 0.0:  # max(0.0, waited), without the call
                                waited = 0.0
                            cell.waits.append(waited)
                            if waited <= targets[queue_id] + 1e-9:
                                cell.within += 1
                            if waited > 1e-9:
                                cell.waited += 1
                if gone:
                    yield from self._no_show(run)
                else:
                    start_service(counter_id)
                    if (
                        drawn
                        and citizen is not None
                        and ticket.service_id == citizen.service
                        and ticket.queue_id == citizen.errand_queue
                        and citizen.service_time is not None
                    ):
                        # Their errand as drawn: _service_time()'s answer without the lookup.
                        duration = citizen.service_time
                    else:
                        duration = self._service_time(ticket, citizen)
                    yield env.timeout(duration)
                    finish(counter_id)
                done = env._now
                hour = int(now // 60)
                if done <= (hour + 1) * 60.0:  # _add(), within one hour (most services)
                    if done > now:
                        busy[hour] = busy.get(hour, 0.0) + (done - now)
                else:
                    self._add(self.busy, counter_id, now, done)
            queues.sign_out(counter_id)
            self._add(self.duty, counter_id, signed_in, env._now)

    def _on_call(self, ticket: Ticket, now: float) -> None:
        """A counter calls ``ticket`` at minute ``now``, before serving it: for subclasses
        that follow the calls (the forecast's runs); nothing here."""

    def _nudge(self, run: CounterRun, _timer: simpy.Event | None = None) -> None:
        """Wake ``run`` if it is idle, so it looks at the clock (a spare wake costs a look)."""
        wake = run.wake
        if wake is not None:
            self.idle[run.centre_id].remove(run)
            run.wake = None
            wake.succeed()

    def _no_show(self, run: CounterRun) -> Process:
        """The called citizen gave up and left: recall as the queue allows, then a no-show."""
        queues = self.queues
        ticket = queues.serving(run.counter_id)
        if ticket is None:
            return
        queue = self.config.queue(ticket.queue_id)
        wait = minutes(self.scenario.no_show_wait)
        if queue.recalls_before_no_show > 0:
            step = wait / (queue.recalls_before_no_show + 1)
            for _ in range(queue.recalls_before_no_show):
                yield self.env.timeout(step)
                queues.recall(run.counter_id)
            yield self.env.timeout(step)
        else:
            yield self.env.timeout(minutes(queue.no_show_after))
        try:
            queues.no_show(run.counter_id)
        except InvalidStateError:
            queues.finish(run.counter_id)

    def _service_time(self, ticket: Ticket, citizen: Citizen | None) -> float:
        """The called citizen's service time: drawn at generation if the errand is still theirs."""
        model = self._service_model(ticket.service_id, ticket.queue_id)
        if model is None:
            raise CommandError(
                f"the scenario has no service time for queue '{ticket.queue_id}'; add it, or "
                "'default', under 'service_times'"
            )
        if citizen is None:
            return model.sample(self.streams.spare)
        if model is citizen.service_model and citizen.service_time is not None:
            return citizen.service_time
        # The kiosk sent them to another errand: a draw of their own, in no shared order.
        return model.sample(CitizenDraws(citizen.key, Purpose.SERVICE))

    def _service_model(self, service_id: str | None, queue_id: str) -> Distribution | None:
        """The scenario's service-time model for a service in a queue (None if it has none)."""
        key = (service_id, queue_id)
        known = self._models.get(key, self)
        if known is not self:  # ``self`` marks a pair not looked up yet (None is an answer)
            return known  # type: ignore[return-value]
        times = self.scenario.service_times
        found: Distribution | None = None
        for name in (service_id, queue_id, "default"):
            if name is not None and name in times:
                found = times[name]
                break
        else:
            for service in self.config.services:
                if service.queue == queue_id and service.id in times:
                    found = times[service.id]
                    break
        self._models[key] = found
        return found

    def _add(self, into: dict[str, dict[int, float]], key: str, start: float, end: float) -> None:
        hours = into.get(key)
        if hours is None:
            hours = into[key] = {}
        hour = int(start // 60)
        if end <= (hour + 1) * 60.0:  # most spans lie within one hour: no need to split them
            if end > start:
                hours[hour] = hours.get(hour, 0.0) + (end - start)
            return
        for hour, span in _split_hours(start, end):
            hours[hour] = hours.get(hour, 0.0) + span

    def _flush_counters(self) -> None:
        """Utilisation per queue: busy over on-duty time of the counters serving it."""
        for counter_id, hours in self.duty.items():
            busy = self.busy.get(counter_id, {})
            for queue_id in self.counter_queues[counter_id]:
                for hour, span in hours.items():
                    cell = self.obs.cell(queue_id, hour)
                    cell.duty += span
                    cell.busy += busy.get(hour, 0.0)


def simulate_day(loaded: LoadedScenario, day: date, seed: str) -> DayObservations:
    """Simulate ``day`` of ``loaded`` with the random streams named by ``seed``.

    The cycle collector is paused for the day: a day's objects live until its end
    anyway, and the collector's passes over them cost about a tenth of the run.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return DaySimulation(loaded, day, seed).run()
    finally:
        if collecting:
            gc.enable()


__all__ = ["Citizen", "DaySimulation", "simulate_day"]
