"""The same engine on the PostgreSQL store: two engines (a kiosk, a counter) on one database."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter as Tally
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pgserver import PostgresServer, create_database, running_postgres

from frontdesk_core.clock import ManualClock
from frontdesk_core.config.models import Config
from frontdesk_core.errors import InvalidStateError, StaleWrite, StoreError
from frontdesk_core.queues.state import CALLED, DAY_ENDED, FINISHED, ISSUED, load, rebuild
from frontdesk_core.queues.tickets import TicketState
from frontdesk_core.store import EventStore, open_store
from queues.conftest import START, open_engine, write_config
from queues.test_crash import WORKER, _acks


def test_kiosks_and_a_counter_on_postgres(config: Config, postgres_database: str) -> None:
    clock = ManualClock(START)
    stores: list[EventStore] = [open_store(postgres_database) for _ in range(3)]
    kiosks = [open_engine(config, stores[i], clock) for i in range(2)]
    counter = open_engine(config, stores[2], clock)
    per_kiosk = 15
    errors: list[BaseException] = []

    def kiosk(index: int) -> None:
        try:
            for _ in range(per_kiosk):
                kiosks[index].issue("pass")
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=kiosk, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    counter.sign_in("c3", "AB")
    served = 0
    while served < 2 * per_kiosk:
        if counter.call_next("c3") is not None:
            counter.finish("c3")
            served += 1
    for thread in threads:
        thread.join()
    assert not errors, errors

    log = list(stores[2].read())
    issued = [e for e in log if e.kind == ISSUED]
    numbers = Tally(e.payload.number for e in issued)
    assert len(numbers) == 2 * per_kiosk and set(numbers.values()) == {1}
    assert set(Tally(e.key for e in log if e.kind == FINISHED).values()) == {1}
    counter.end_of_day()
    rebuilt = rebuild(config, stores[0].read())
    for engine in (*kiosks, counter):
        engine.refresh()
        assert engine.state == rebuilt
    assert load(config, stores[1]) == rebuilt
    assert all(t.state is not TicketState.WAITING for t in rebuilt.tickets.values())
    for store in stores:
        store.close()


@pytest.fixture(scope="module")
def own_server() -> Iterator[PostgresServer]:
    """A server of these tests' own: they stop and start it (and leave it running)."""
    with running_postgres() as server:
        yield server


def test_the_next_command_after_a_restart_works(config: Config, own_server: PostgresServer) -> None:
    store = open_store(create_database(own_server.url))
    engine = open_engine(config, store, ManualClock(START))
    engine.issue("pass")
    # Down: the command fails with the store's own error, and changes nothing.
    own_server.stop("immediate")
    with pytest.raises(StoreError, match="PostgreSQL server") as failed:
        engine.issue("pass")
    assert not isinstance(failed.value.__cause__, StoreError)
    own_server.start()
    assert engine.issue("pass").number == "P002"
    # Restarted between two commands: the dropped connection is replaced unseen.
    own_server.stop("immediate")
    own_server.start()
    assert engine.issue("pass").number == "P003"
    assert [e.payload.number for e in store.read(kinds=[ISSUED])] == ["P001", "P002", "P003"]
    store.close()


def test_a_restart_under_load_loses_nothing_acknowledged(
    config: Config, own_server: PostgresServer
) -> None:
    clock = ManualClock(START)
    database = create_database(own_server.url)
    stores = [open_store(database) for _ in range(3)]
    kiosks = [open_engine(config, stores[i], clock) for i in range(2)]
    counter = open_engine(config, stores[2], clock)
    counter.sign_in("c3", "AB")
    issued: list[list[str]] = [[], []]
    served: list[str] = []
    failures: list[BaseException] = []
    restarted = threading.Event()
    after: Tally[str] = Tally()
    stop = threading.Event()

    def acknowledged(worker: str) -> None:
        if restarted.is_set():
            after[worker] += 1

    def kiosk(index: int) -> None:
        while not stop.is_set():
            try:
                issued[index].append(kiosks[index].issue("pass").id)
                acknowledged(f"kiosk{index}")
            except BaseException as exc:  # every one is checked below
                failures.append(exc)
                time.sleep(0.02)

    def serve() -> None:
        while not stop.is_set():
            try:
                called = counter.call_next("c3")
                if called is not None:
                    served.append(counter.finish("c3").id)
                    acknowledged("counter")
            except InvalidStateError:
                # A call whose commit was cut off may have been recorded after all:
                # the engine has caught up with it, so finish that ticket.
                with contextlib.suppress(StoreError):
                    served.append(counter.finish("c3").id)
            except BaseException as exc:
                failures.append(exc)
                time.sleep(0.02)

    workers = [threading.Thread(target=kiosk, args=(i,)) for i in range(2)]
    workers.append(threading.Thread(target=serve))
    for worker in workers:
        worker.start()
    try:
        _wait_until(lambda: min(len(issued[0]), len(issued[1]), len(served)) >= 5)
        own_server.stop("immediate")
        time.sleep(0.3)
        own_server.start()
        restarted.set()
        _wait_until(lambda: min(after["kiosk0"], after["kiosk1"], after["counter"]) >= 5)
    finally:
        stop.set()
        for worker in workers:
            worker.join(30)
    assert failures, "no command was caught by the restart"
    assert all(isinstance(f, StoreError) for f in failures), {type(f) for f in failures}
    log = list(stores[0].read())
    tickets = [e for e in log if e.kind == ISSUED]
    assert {e.key for e in tickets} >= {*issued[0], *issued[1]}
    assert len({e.payload.number for e in tickets}) == len(tickets)
    assert set(Tally(e.key for e in log if e.kind == FINISHED).values()) == {1}
    assert {e.key for e in log if e.kind == FINISHED} >= set(served)
    rebuilt = rebuild(config, log)
    for engine in (*kiosks, counter):
        engine.refresh()
        assert engine.state == rebuilt
    for store in stores:
        store.close()


def _wait_until(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the workers made no progress"
        time.sleep(0.01)


def test_a_killed_writer_loses_nothing_acknowledged(
    config: Config, postgres_database: str, tmp_path: Path
) -> None:
    """A process cycling tickets is killed at random while another issues tickets."""
    config_path = write_config(tmp_path)
    rng = random.Random(20261207)
    acknowledged: list[tuple[str, str]] = []
    for _ in range(3):
        cycling, issuing = (
            subprocess.Popen(
                [sys.executable, str(WORKER), str(config_path), postgres_database, *role],
                stdout=subprocess.PIPE,
                text=True,
            )
            for role in (["cycle"], ["kiosk", "tax", "15"])
        )
        assert cycling.stdout is not None
        first = cycling.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.3))
        os.kill(cycling.pid, signal.SIGKILL)
        rest, _ = cycling.communicate()
        kiosk_output, _ = issuing.communicate(timeout=120)
        assert issuing.returncode == 0
        acknowledged += _acks(first + rest) + _acks(kiosk_output)
    store = open_store(postgres_database)
    log = list(store.read())
    stored = {(e.kind, e.key) for e in log}
    names = {"issue": ISSUED, "call": CALLED, "finish": FINISHED, "eod": DAY_ENDED}
    assert [(c, t) for c, t in acknowledged if (names[c], t) not in stored] == []
    numbers = Tally(
        (e.payload.queue_id, e.payload.day, e.payload.number) for e in log if e.kind == ISSUED
    )
    assert set(numbers.values()) == {1}, "a number was given twice"
    assert [e.seq for e in log] == list(range(1, len(log) + 1))
    assert load(config, store) == rebuild(config, log)
    store.close()


class _Tries:
    """Counts how the store's write transactions went (each pair is one command)."""

    def __init__(self, store: EventStore) -> None:
        self.optimistic = 0
        self.stale = 0
        inner = store.optimistic

        @contextlib.contextmanager
        def counted() -> Iterator[object]:
            self.optimistic += 1
            try:
                with inner() as tx:
                    yield tx
            except StaleWrite:
                self.stale += 1
                raise

        store.optimistic = counted  # type: ignore[method-assign]


def test_a_command_decided_on_a_stale_look_runs_again(
    config: Config, postgres_database: str
) -> None:
    clock = ManualClock(START)
    stores = [open_store(postgres_database) for _ in range(2)]
    tries = _Tries(stores[0])  # before the engine, which takes the store's way to write
    a, b = (open_engine(config, store, clock) for store in stores)
    a.sign_in("c3", "AB")
    a.issue("pass")
    a.issue("pass")  # alone since its last command: a goes optimistic
    # b writes behind a's back; a's next commands are decided on an old look.
    b.issue("pass")
    assert a.issue("pass").number == "P004"  # its counter had moved on
    assert tries.stale == 1
    a.issue("pass")
    a.issue("pass")
    b.call_next("c3")  # c3 is a's counter, but b calls P001 at it
    assert a.finish("c3").number == "P001"  # a saw nobody at c3: refused on an old look
    assert tries.stale == 2
    a.call_next("c3")
    a.issue("pass")
    b.finish("c3")
    with pytest.raises(InvalidStateError):  # refused again after the second look
        a.finish("c3")
    assert tries.stale == 3
    log = list(stores[0].read())
    numbers = [e.payload.number for e in log if e.kind == ISSUED]
    assert numbers == [f"P{n:03d}" for n in range(1, 8)]
    assert set(Tally(e.key for e in log if e.kind in (CALLED, FINISHED)).values()) == {2}
    for engine in (a, b):
        engine.refresh()
        assert engine.state == rebuild(config, log)
    for store in stores:
        store.close()


def test_a_lone_writer_sends_one_statement_per_command(
    config: Config, postgres_database: str
) -> None:
    store = open_store(postgres_database)
    engine = open_engine(config, store, ManualClock(START))
    engine.sign_in("c3", "AB")
    engine.issue("pass")
    sent: list[str] = []
    conn = store._conn  # type: ignore[attr-defined]
    execute = conn.execute

    def counted(query: str, *args: object, **kwargs: object) -> object:
        sent.append(query)
        return execute(query, *args, **kwargs)

    conn.execute = counted
    engine.issue("pass")
    engine.call_next("c3")
    engine.finish("c3")
    assert len(sent) == 3, sent
    assert all("frontdesk_append" in query for query in sent)
    store.close()
