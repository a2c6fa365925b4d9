"""The same engine on the PostgreSQL store: two engines (a kiosk, a counter) on one database."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter as Tally
from collections.abc import Callable, Iterator

import pytest
from pgserver import PostgresServer, create_database, running_postgres

from frontdesk_core.clock import ManualClock
from frontdesk_core.config.models import Config
from frontdesk_core.errors import InvalidStateError, StoreError
from frontdesk_core.queues.state import FINISHED, ISSUED, load, rebuild
from frontdesk_core.queues.tickets import TicketState
from frontdesk_core.store import EventStore, open_store
from queues.conftest import START, open_engine


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
