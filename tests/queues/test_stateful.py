"""Random command sequences against two engines sharing one store (a kiosk and a counter app).

Invariants after every step: no ticket lost, none served twice, a counter holds
at most one ticket and that ticket is at it, numbers are unique per queue and
day, every waiting list holds exactly the waiting tickets, the state rebuilt
from the store equals each engine's live state, and an invalid command changed
nothing.
"""

from __future__ import annotations

import copy
import functools
import tempfile
from collections import Counter as Tally
from datetime import timedelta
from pathlib import Path

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from frontdesk_core.clock import ManualClock
from frontdesk_core.config.loader import load_config
from frontdesk_core.config.models import Config
from frontdesk_core.errors import CommandError
from frontdesk_core.queues.engine import QueueEngine
from frontdesk_core.queues.state import (
    CANCELLED,
    CLOSED,
    FINISHED,
    ISSUED,
    NO_SHOW,
    load,
    rebuild,
)
from frontdesk_core.queues.tickets import AT_COUNTER_STATES, TicketState
from frontdesk_core.store import SqliteStore
from queues.conftest import START, open_engine, write_config

QUEUES = ["pass", "tax", "cash", "jobs"]
COUNTERS = ["c1", "c2", "c3", "j1"]
END_STATES = {TicketState.DONE, TicketState.NO_SHOW, TicketState.CANCELLED, TicketState.CLOSED}
END_KINDS = {FINISHED, NO_SHOW, CANCELLED, CLOSED}


@functools.cache
def _config() -> Config:
    return load_config(write_config(Path(tempfile.mkdtemp(prefix="frontdesk-queues-"))))


class QueueMachine(RuleBasedStateMachine):
    """Two engines on one store; the model is what the commands' answers promised."""

    @initialize()
    def open_engines(self) -> None:
        self.clock = ManualClock(START)
        self.store = SqliteStore(":memory:")
        self.engines = [open_engine(_config(), self.store, self.clock) for _ in range(2)]
        self.model: dict[str, TicketState] = {}
        self.ended_days: set[str] = set()

    def teardown(self) -> None:
        if hasattr(self, "store"):
            self.store.close()

    # -- running a command -------------------------------------------------------------

    def _engine(self, which: int) -> QueueEngine:
        engine = self.engines[which % 2]
        engine.refresh()
        return engine

    def _try(self, engine: QueueEngine, command: str, *args: object) -> object:
        before_seq = self.store.last_seq()
        before = copy.deepcopy(engine.state)
        try:
            return getattr(engine, command)(*args)
        except CommandError:
            assert self.store.last_seq() == before_seq, f"a refused {command} wrote to the log"
            assert engine.state == before, f"a refused {command} changed the live state"
            return None

    def _track(self, engine: QueueEngine) -> None:
        """Take every ticket's state from the engine, checking the moves are allowed."""
        for ticket in engine.state.tickets.values():
            old = self.model.get(ticket.id)
            if old in END_STATES:
                assert ticket.state is old, f"ended ticket {ticket.number} came back"
            self.model[ticket.id] = ticket.state

    # -- rules --------------------------------------------------------------------------

    @rule(which=st.integers(0, 1), queue=st.sampled_from(QUEUES), vip=st.booleans())
    def issue(self, which: int, queue: str, vip: bool) -> None:
        engine = self._engine(which)
        ticket = engine.issue(queue, priority=5 if vip else None)
        assert ticket.id not in self.model
        assert ticket.state is TicketState.WAITING
        self.model[ticket.id] = ticket.state

    @rule(which=st.integers(0, 1), counter=st.sampled_from(COUNTERS))
    def sign_in(self, which: int, counter: str) -> None:
        engine = self._engine(which)
        self._try(engine, "sign_in", counter, f"E{counter}")

    @rule(which=st.integers(0, 1), counter=st.sampled_from(COUNTERS))
    def call_next(self, which: int, counter: str) -> None:
        engine = self._engine(which)
        state = engine.state.counters[counter]
        waiting = [t for q in state.queue_ids for t in engine.state.waiting.get(q, {})]
        result = self._try(engine, "call_next", counter)
        if state.can_call and waiting:
            assert result is not None, "an open, free counter called nobody while people waited"
        self._track(engine)

    @rule(which=st.integers(0, 1), counter=st.sampled_from(COUNTERS), pick=st.integers(0, 50))
    def call_specific(self, which: int, counter: str, pick: int) -> None:
        engine = self._engine(which)
        ids = sorted(self.model)
        if ids:
            self._try(engine, "call", counter, ids[pick % len(ids)])
            self._track(engine)

    @rule(
        which=st.integers(0, 1),
        counter=st.sampled_from(COUNTERS),
        command=st.sampled_from(["recall", "start", "finish", "no_show", "put_back"]),
    )
    def at_counter(self, which: int, counter: str, command: str) -> None:
        engine = self._engine(which)
        had = engine.state.counters[counter].ticket_id
        result = self._try(engine, command, counter)
        if command in ("finish", "put_back") and had is not None:
            assert result is not None, f"{command} refused with a ticket at the counter"
        self._track(engine)

    @rule(which=st.integers(0, 1), pick=st.integers(0, 50), queue=st.sampled_from(QUEUES))
    def transfer(self, which: int, pick: int, queue: str) -> None:
        engine = self._engine(which)
        ids = sorted(self.model)
        if ids:
            ticket_id = ids[pick % len(ids)]
            before = engine.state.tickets.get(ticket_id)
            moved = self._try(engine, "transfer", ticket_id, queue)
            if moved is not None and before is not None:
                assert moved.arrived_at == before.arrived_at  # type: ignore[attr-defined]
                assert moved.number == before.number  # type: ignore[attr-defined]
            self._track(engine)

    @rule(which=st.integers(0, 1), pick=st.integers(0, 50))
    def cancel(self, which: int, pick: int) -> None:
        engine = self._engine(which)
        ids = sorted(self.model)
        if ids:
            self._try(engine, "cancel", ids[pick % len(ids)])
            self._track(engine)

    @rule(
        which=st.integers(0, 1),
        counter=st.sampled_from(COUNTERS),
        command=st.sampled_from(["pause", "resume", "sign_out", "close_counter", "open_counter"]),
    )
    def counter_command(self, which: int, counter: str, command: str) -> None:
        self._try(self._engine(which), command, counter)

    @rule(which=st.integers(0, 1), counter=st.sampled_from(["c1", "c2", "c3"]))
    def move_counter(self, which: int, counter: str) -> None:
        self._try(self._engine(which), "assign_queues", counter, ["cash", "pass"])

    @rule(which=st.integers(0, 1))
    def expire_calls(self, which: int) -> None:
        engine = self._engine(which)
        for ticket in engine.expire_calls():
            assert ticket.state is TicketState.NO_SHOW and ticket.end_reason == "timeout"
        self._track(engine)

    @rule(minutes=st.integers(1, 20))
    def wait(self, minutes: int) -> None:
        self.clock.advance(timedelta(minutes=minutes))

    @rule(which=st.integers(0, 1))
    def close_the_day(self, which: int) -> None:
        engine = self._engine(which)
        engine.end_of_day()
        self._track(engine)
        assert not any(t.is_open for t in engine.state.tickets.values())

    @rule()
    def next_morning(self) -> None:
        local = self.clock.now()
        self.clock.set(local.replace(hour=8, minute=30) + timedelta(days=1))
        # Commands roll the day first, refused or not; do it here so that a
        # refused command's "nothing changed" is checked on its own.
        self.engines[0].roll_day()

    # -- invariants ---------------------------------------------------------------------

    @invariant()
    def consistent(self) -> None:
        if not hasattr(self, "store"):
            return
        log = list(self.store.read())
        issued = [e for e in log if e.kind == ISSUED]
        finished = Tally(e.key for e in log if e.kind == FINISHED)
        assert all(n == 1 for n in finished.values()), "a ticket was served twice"
        numbers = Tally((e.payload.queue_id, e.payload.day, e.payload.number) for e in issued)
        assert all(n == 1 for n in numbers.values()), "a number was given twice"
        assert {e.key for e in issued} == set(self.model), "a ticket was lost or invented"
        rebuilt = rebuild(_config(), log)
        # A start-up replays only from the last day end: it must come to the same state.
        assert load(_config(), self.store) == rebuilt
        for engine in self.engines:
            engine.refresh()
            assert engine.state == rebuilt
        state = rebuilt
        ended = {e.key for e in log if e.kind in END_KINDS}
        for ticket_id, expected in self.model.items():
            ticket = state.tickets.get(ticket_id)
            if ticket is None:
                # Only an ended ticket of an earlier day may be forgotten by the live state.
                assert ticket_id in ended, "an open ticket disappeared"
                continue
            assert ticket.state is expected or expected not in END_STATES
        for counter in state.counters.values():
            if counter.ticket_id is not None:
                ticket = state.tickets[counter.ticket_id]
                assert ticket.state in AT_COUNTER_STATES and ticket.counter_id == counter.id
        at_counters = [c.ticket_id for c in state.counters.values() if c.ticket_id]
        assert len(at_counters) == len(set(at_counters))
        for ticket in state.tickets.values():
            in_line = ticket.id in state.waiting.get(ticket.queue_id, {})
            assert in_line == (ticket.state is TicketState.WAITING)
            if ticket.state in AT_COUNTER_STATES:
                assert ticket.id in at_counters
        # What a call-next policy is told of a line is what the line holds.
        for queue_id, line in state.waiting.items():
            ranks = Tally(t.priority for t in line.values())
            booked = sum(t.appointment_at is not None for t in line.values())
            assert state.ranks.get(queue_id, {}) == ranks
            assert state.booked.get(queue_id, 0) == booked
            assert state.alike(queue_id) == (len(ranks) <= 1 and booked == 0)


QueueMachine.TestCase.settings = settings(
    max_examples=100,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestQueueMachine = QueueMachine.TestCase
