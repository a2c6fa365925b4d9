"""A design study: how fast can the queue engine's four commands be in CPython?

Run:  .venv/bin/python benchmarks/lean_engine_design.py   (needs the ``bench`` extra, Ciw)

The same M/M/c day as ``bench_simulation.py`` (one queue, eight counters) and the
same four commands per citizen (issue, call next, start, finish) as its "engine
alone" figure, on an engine cut to what the contract requires and no more:

- every command is validated (unknown queue or counter, a closed counter, a
  counter that still has a ticket, a ticket in the wrong state);
- tickets are numbered per queue and service day from a counter;
- every change is a typed, versioned event appended to a log with a sequence
  number, and state changes only in the reducer that applies it;
- commands hand out immutable ticket snapshots;
- the call-next choice is the default policy's (booked on time, priority, share
  of the target used, arrival) with its one-queue shortcut.

What it leaves out, against the real engine, is what the printed figures put a
price on: datetimes on the records (here moments stay integer microseconds and a
snapshot makes datetimes only when asked), the engine's and the store's locks,
the store behind an interface (the engine's lean path writes its one event
through ``EventStore.write_one``, checked against the log it decided on), a
full frozen record per change (the engine fills a slotted draft and seals it;
here a mutable slot record inside, a snapshot outside), the call-next policy as
a plugin, hooks and day-reset checks. It is a measurement, not a second engine:
nothing imports it.

It also puts this engine in the simulator's floor (SimPy processes and nothing
else, as ``bench_floor``) and estimates a simulator on it: that floor plus the
simulator's own work per citizen today (drawing citizens, statistics by hour,
shifts), measured as the simulator's time less its floor's in the same run.
"""

from __future__ import annotations

import gc
import random
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any
from zoneinfo import ZoneInfo

from frontdesk_core.drafts import Drafts
from frontdesk_core.queues.tickets import Ticket as Record
from frontdesk_core.queues.tickets import TicketState

RATE, SERVICE, SERVERS = 1.8, 4.0, 8


class Issued:
    """``ticket.issued`` v1 (the fields the four commands need)."""

    __slots__ = ("number", "priority", "queue_id")
    KIND = "ticket.issued"
    VERSION = 1

    def __init__(self, number: str, queue_id: str, priority: int) -> None:
        self.number = number
        self.queue_id = queue_id
        self.priority = priority


class AtCounter:
    """``ticket.called`` / ``ticket.started`` / ``ticket.finished`` v1: a counter id."""

    __slots__ = ("counter_id", "kind")
    VERSION = 1

    def __init__(self, kind: str, counter_id: str) -> None:
        self.kind = kind
        self.counter_id = counter_id


class Event:
    """An appended event: position, kind, version, subject, moment (µs) and payload."""

    __slots__ = ("at_us", "key", "kind", "payload", "seq", "version")

    def __init__(self, seq: int, kind: str, key: str, at_us: int, payload: Any) -> None:
        self.seq = seq
        self.kind = kind
        self.version = 1
        self.key = key
        self.at_us = at_us
        self.payload = payload


class Slot:
    """A ticket inside the engine: mutable, moments in microseconds."""

    __slots__ = (
        "arrived",
        "called",
        "counter",
        "ended",
        "id",
        "number",
        "priority",
        "queue",
        "state",
    )

    def __init__(self, key: str, number: str, queue: str, priority: int, at: int) -> None:
        self.id = key
        self.number = number
        self.queue = queue
        self.priority = priority
        self.state = "waiting"
        self.arrived = at
        self.called = 0
        self.ended = 0
        self.counter: str | None = None


class Ticket:
    """The immutable snapshot a command hands out; datetimes are made when read."""

    __slots__ = ("_values",)
    _values: tuple[Any, ...]

    def __init__(self, slot: Slot) -> None:
        object.__setattr__(
            self,
            "_values",
            (slot.id, slot.number, slot.queue, slot.state, slot.arrived, slot.called, slot.counter),
        )

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a ticket is a snapshot; it does not change")

    @property
    def id(self) -> str:
        return str(self._values[0])

    @property
    def state(self) -> str:
        return str(self._values[3])

    @property
    def arrived_at(self) -> datetime:
        return datetime.fromtimestamp(self._values[4] / 1e6, UTC)


class CommandError(Exception):
    """A command refused: nothing changed."""


class LeanEngine:
    """Four commands on one log; the reducer is :meth:`_apply`."""

    def __init__(self, queues: dict[str, str], counters: dict[str, tuple[str, ...]]) -> None:
        self.prefixes = queues
        self.counters = counters
        self.log: list[Event] = []
        self.numbers: dict[str, int] = {}
        self.tickets: dict[str, Slot] = {}
        self.lines: dict[str, dict[str, Slot]] = {q: {} for q in queues}
        self.at_counter: dict[str, Slot | None] = dict.fromkeys(counters)
        self.open: set[str] = set(counters)
        self.now_us = 0
        self.day = "20260303"

    def _append(self, kind: str, key: str, payload: Any) -> Event:
        event = self._write(kind, key, payload)
        self._apply(event)
        return event

    def _write(self, kind: str, key: str, payload: Any) -> Event:
        """The event appended to the log with the next sequence number."""
        log = self.log
        event = Event(len(log) + 1, kind, key, self.now_us, payload)
        log.append(event)
        return event

    def _apply(self, event: Event) -> None:
        kind = event.kind
        if kind == "ticket.issued":
            p = event.payload
            slot = Slot(event.key, p.number, p.queue_id, p.priority, event.at_us)
            self.tickets[slot.id] = slot
            self.lines[slot.queue][slot.id] = slot
            return
        slot = self.tickets[event.key]
        counter = event.payload.counter_id
        if kind == "ticket.called":
            del self.lines[slot.queue][slot.id]
            slot.state, slot.called, slot.counter = "called", event.at_us, counter
            self.at_counter[counter] = slot
        elif kind == "ticket.started":
            slot.state = "serving"
        else:
            slot.state, slot.ended = "done", event.at_us
            self.at_counter[counter] = None

    def issue(self, queue_id: str) -> Ticket:
        prefix = self.prefixes.get(queue_id)
        if prefix is None:
            raise CommandError(f"unknown queue '{queue_id}'")
        name = f"{queue_id}:{self.day}"
        value = self.numbers.get(name, 0) + 1
        self.numbers[name] = value
        key = f"{queue_id}-{self.day}-{value}"
        self._append("ticket.issued", key, Issued(f"{prefix}{value:03d}", queue_id, 0))
        return self._handed(self.tickets[key])

    def call_next(self, counter_id: str) -> Ticket | None:
        queues = self.counters.get(counter_id)
        if queues is None:
            raise CommandError(f"unknown counter '{counter_id}'")
        if counter_id not in self.open:
            raise CommandError(f"counter '{counter_id}' is closed")
        if self.at_counter[counter_id] is not None:
            raise CommandError(f"counter '{counter_id}' still has a ticket")
        waiting = [s for q in queues for s in self.lines[q].values()]
        if not waiting:
            return None
        chosen = min(waiting, key=self.arrival)  # one queue at one priority: earliest arrival
        self._append("ticket.called", chosen.id, AtCounter("ticket.called", counter_id))
        return self._handed(chosen)

    def _at(self, counter_id: str, states: tuple[str, ...], kind: str) -> Ticket:
        if counter_id not in self.counters:
            raise CommandError(f"unknown counter '{counter_id}'")
        slot = self.at_counter[counter_id]
        if slot is None or slot.state not in states:
            raise CommandError(f"counter '{counter_id}' has no ticket to {kind}")
        self._append(kind, slot.id, AtCounter(kind, counter_id))
        return self._handed(slot)

    def start(self, counter_id: str) -> Ticket:
        return self._at(counter_id, ("called",), "ticket.started")

    def finish(self, counter_id: str) -> Ticket:
        return self._at(counter_id, ("called", "serving"), "ticket.finished")

    def _handed(self, slot: Slot) -> Ticket:
        """What a command hands out: an immutable snapshot of the ticket."""
        return Ticket(slot)

    arrival: Callable[[Any], Any] = staticmethod(lambda slot: slot.arrived)
    """What orders a queue's waiting tickets (the default policy's one-queue shortcut)."""


class ContractEngine(LeanEngine):
    """The lean engine with two parts of the real engine's contract put back: its state
    holds the public frozen ``Ticket`` records (22 fields, a sealed copy per change, the
    site's datetimes made once per moment), which its commands hand out, and every
    command and every append runs under a lock (the engine's and the store's). The
    commands are the lean engine's. What it still leaves out is the real engine's
    structure: a store behind an interface, the policy as a plugin, hook and day-roll
    checks, counter records, the per-queue counts the state keeps."""

    arrival = staticmethod(attrgetter("arrived_at"))

    def __init__(self, queues: dict[str, str], counters: dict[str, tuple[str, ...]]) -> None:
        super().__init__(queues, counters)
        self.lock = threading.RLock()
        self.store_lock = threading.Lock()
        self.drafts = Drafts(Record)  # the engine's own record, drafted as its reducer does
        self.tz = ZoneInfo("Europe/Copenhagen")
        self.moment: tuple[int, datetime] = (-1, datetime.min)
        origin = datetime.fromtimestamp(0, self.tz)
        self.blank = Record("", "", "", "main", TicketState.WAITING, origin, origin)

    def _site(self, at_us: int) -> datetime:
        if self.moment[0] != at_us:
            self.moment = (at_us, datetime.fromtimestamp(at_us / 1_000_000, self.tz))
        return self.moment[1]

    def _write(self, kind: str, key: str, payload: Any) -> Event:
        with self.store_lock:
            return super()._write(kind, key, payload)

    def _apply(self, event: Event) -> None:
        """The lean reducer's changes, made on the public records (the lines and the
        counters hold the records too)."""
        at = self._site(event.at_us)
        kind = event.kind
        tickets: dict[str, Any] = self.tickets
        if kind == "ticket.issued":
            draft = self.drafts.copy(self.blank)
            draft.id = event.key
            draft.number = event.payload.number
            draft.queue_id = event.payload.queue_id
            draft.priority = event.payload.priority
            draft.issued_at = draft.arrived_at = draft.entered_at = at
            draft.__class__ = Record
            tickets[event.key] = self.lines[draft.queue_id][event.key] = draft
            return
        ticket = tickets[event.key]
        counter = event.payload.counter_id
        draft = self.drafts.copy(ticket)
        if kind == "ticket.called":
            del self.lines[ticket.queue_id][ticket.id]
            draft.state, draft.counter_id, draft.called_at = TicketState.CALLED, counter, at
        elif kind == "ticket.started":
            draft.state, draft.started_at = TicketState.SERVING, at
        else:
            draft.state, draft.ended_at = TicketState.DONE, at
        draft.__class__ = Record
        tickets[event.key] = draft
        self.at_counter[counter] = draft if kind != "ticket.finished" else None

    def _handed(self, slot: Any) -> Any:
        return self.tickets[slot.id]  # the state's record now: frozen already

    def issue(self, queue_id: str) -> Any:
        with self.lock:
            return super().issue(queue_id)

    def call_next(self, counter_id: str) -> Any:
        with self.lock:
            return super().call_next(counter_id)

    def _at(self, counter_id: str, states: tuple[str, ...], kind: str) -> Any:
        with self.lock:
            return super()._at(counter_id, states, kind)


def lean(citizens: int, engine_class: type[LeanEngine] = LeanEngine) -> float:
    """Citizens per second of the four commands, six tickets waiting (as the engine bench)."""
    engine = engine_class({"q": "A"}, {"c1": ("q",)})
    for _ in range(6):
        engine.issue("q")
    gc.disable()  # as bench_engine_alone does
    started = time.perf_counter()
    for _ in range(citizens):
        engine.now_us += 1_000_000
        engine.issue("q")
        engine.call_next("c1")
        engine.start("c1")
        engine.finish("c1")
    seconds = time.perf_counter() - started
    gc.enable()
    return citizens / seconds


def lean_floor(replications: int, engine_class: type[LeanEngine] = LeanEngine) -> float:
    """Citizens per second of the simulator's floor (``bench_floor`` in
    ``bench_simulation.py``: the M/M/8 day's arrivals and counters as SimPy processes,
    each wait kept in a list, nothing else) with this file's engine in the loop."""
    import simpy
    from bench_simulation import floor_day

    citizens = 0
    started = time.perf_counter()
    for rep in range(replications):
        gc.disable()  # as bench_floor does for each day
        citizens += floor_day(simpy.Environment(), LeanDesk(engine_class), random.Random(rep))
        gc.enable()
    return citizens / (time.perf_counter() - started)


class LeanDesk:
    """This file's engine as the floor's desk: one queue, eight open counters."""

    def __init__(self, engine_class: type[LeanEngine] = LeanEngine) -> None:
        counters: dict[str, tuple[str, ...]] = {f"c{n}": ("q",) for n in range(1, SERVERS + 1)}
        self.engine = engine_class({"q": "A"}, counters)

    def issue(self, minute: float) -> str:
        self.engine.now_us = int(minute * 60_000_000)
        return self.engine.issue("q").id

    def call_next(self, counter_id: str, minute: float) -> str | None:
        self.engine.now_us = int(minute * 60_000_000)
        ticket = self.engine.call_next(counter_id)
        return ticket.id if ticket is not None else None

    def start(self, counter_id: str, minute: float) -> None:
        self.engine.now_us = int(minute * 60_000_000)
        self.engine.start(counter_id)

    def finish(self, counter_id: str, minute: float) -> None:
        self.engine.now_us = int(minute * 60_000_000)
        self.engine.finish(counter_id)


def ciw_speed(replications: int) -> float:
    """Citizens per second of the M/M/8 day in Ciw."""
    import ciw

    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=RATE)],
        service_distributions=[ciw.dists.Exponential(rate=1.0 / SERVICE)],
        number_of_servers=[SERVERS],
    )
    citizens = 0
    started = time.perf_counter()
    for rep in range(replications):
        ciw.seed(rep)
        sim = ciw.Simulation(network)
        sim.simulate_until_max_time(16 * 60.0)
        citizens += len(sim.get_all_records())
    return citizens / (time.perf_counter() - started)


def main() -> int:
    """Print the lean design's speed against Ciw and the real engine, in one run."""
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
    from bench_simulation import bench_engine_alone, bench_floor, bench_frontdesk

    random.seed(1)
    figures: dict[str, float] = {}
    measures: tuple[tuple[str, Callable[[], float]], ...] = (
        ("lean", lambda: lean(20_000)),
        ("contract", lambda: lean(20_000, ContractEngine)),
        ("ciw", lambda: ciw_speed(8)),
        ("engine", lambda: bench_engine_alone(20_000)[2]),
        ("lean floor", lambda: lean_floor(8)),
        ("contract floor", lambda: lean_floor(8, ContractEngine)),
        ("floor", lambda: bench_floor(8)[2]),
        ("simulator", lambda: bench_frontdesk(8, report=False)[2]),
    )
    for _ in range(3):  # each figure's best of three rounds, the figures taking turns
        for name, measure in measures:
            figures[name] = max(figures.get(name, 0.0), measure())
    ciw = figures["ciw"]
    print("Four commands per citizen (issue, call next, start, finish), best of 3 rounds:")
    for label, name in (
        ("lean design (this file)", "lean"),
        ("lean + the contract's records, locks", "contract"),
        ("the queue engine", "engine"),
    ):
        print(f"  {label:<38} {figures[name]:>9.0f} citizens/s  {figures[name] / ciw:.2f}x Ciw")
    print(f"  {'Ciw, whole M/M/8 day':<38} {ciw:>9.0f} citizens/s")
    print(f"  lean / engine {figures['lean'] / figures['engine']:.2f}x")
    # The simulator's own work (drawing citizens, statistics by hour, shifts): what the
    # simulator costs per citizen beyond its floor with today's engine.
    simulator = 1 / figures["simulator"]  # seconds a citizen, as the two below
    own = simulator - 1 / figures["floor"]
    print("The simulator's floor (SimPy + engine, nothing else), best of 3 rounds:")
    for label, name in (
        ("with the lean design", "lean floor"),
        ("with lean + the contract's records, locks", "contract floor"),
        ("with the queue engine", "floor"),
    ):
        print(f"  {label:<44} {figures[name] / ciw:.2f}x Ciw")
    print(
        f"  the simulator today {1 / simulator / ciw:.2f}x Ciw "
        f"(its own work {own * 1e6:.1f} us a citizen beyond its floor)"
    )
    for label, name in (("lean design", "lean floor"), ("lean + contract", "contract floor")):
        estimate = 1 / (1 / figures[name] + own)
        print(f"  a simulator on the {label}, est. {estimate / ciw:.2f}x Ciw (floor + that work)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
