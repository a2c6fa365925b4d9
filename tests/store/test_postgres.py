"""What only the PostgreSQL store does: tell other processes of appends as they commit,
and send a command lost on its way again without writing it twice."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest
from pgserver import PostgresServer, create_database, running_postgres

from frontdesk_core.errors import StaleWrite
from frontdesk_core.store import EventStore, NewEvent, open_store, postgres
from store import records

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
PATIENCE = 10  # seconds: generous on a busy machine; the benchmark measures the speed


def noted(n: int) -> NewEvent:
    return NewEvent(records.Noted.KIND, f"t{n}", T0, "main", records.Noted(n=n))


def _heard(store: EventStore) -> tuple[queue.Queue[int], object]:
    heard: queue.Queue[int] = queue.Queue()
    stop = store.listen(heard.put)
    assert stop is not None
    assert heard.get(timeout=PATIENCE) == 0  # listening: "look" once
    return heard, stop


def test_a_listener_hears_other_connections_appends_not_its_own(postgres_database: str) -> None:
    listening, writing = open_store(postgres_database), open_store(postgres_database)
    heard, _ = _heard(listening)
    listening.append([noted(1)])  # its own: the process knows already
    (first,) = writing.append([noted(2)])
    with writing.transaction() as tx:  # a locked transaction announces too
        tx.append([noted(3), noted(4)])
    with writing.optimistic() as tx:
        tx.append([noted(5)])
    assert [heard.get(timeout=PATIENCE) for _ in range(3)] == [first.seq, 4, 5]
    with writing.transaction() as tx:
        tx.counter("nothing appended")  # no event, no announcement
    listening.append([noted(6)])
    writing.append([noted(7)])
    assert heard.get(timeout=PATIENCE) == 7
    for store in (listening, writing):
        store.close()


@pytest.fixture(scope="module")
def own_server() -> Iterator[PostgresServer]:
    """A server of this module's own: a test stops and starts it."""
    with running_postgres() as server:
        yield server


def test_a_listener_connects_again_after_a_restart(own_server: PostgresServer) -> None:
    database = create_database(own_server.url)
    listening, writing = open_store(database), open_store(database)
    heard, stop = _heard(listening)
    own_server.stop("immediate")
    own_server.start()
    assert heard.get(timeout=PATIENCE) == 0  # back: "look", appends may have been missed
    (event,) = writing.append([noted(1)])
    assert heard.get(timeout=PATIENCE) == event.seq
    stop()  # type: ignore[operator]
    writing.append([noted(2)])
    with pytest.raises(queue.Empty):
        heard.get(timeout=1)
    for store in (listening, writing):
        store.close()


def test_an_embedded_store_cannot_listen(tmp_path: object) -> None:
    for store in (open_store("memory://"), open_store(f"{tmp_path}/events.db")):
        assert store.listen(lambda seq: None) is None
        store.close()


@pytest.mark.parametrize("written", [True, False])
def test_a_command_cut_off_on_its_way_is_written_once(
    postgres_database: str, monkeypatch: pytest.MonkeyPatch, written: bool
) -> None:
    """The connection is lost while the one statement is on its way: after (it was
    written) or before the server ran it. Sent again, it is written exactly once."""
    store = open_store(postgres_database)
    for n in (1, 2):  # alone since its last write: the next transaction is optimistic
        store.append([noted(n)])
    send = postgres._append
    cut: list[bool] = []

    def cut_off(conn: psycopg.Connection[Any], statement: tuple[str, tuple[object, ...]]) -> int:
        if not cut:
            cut.append(True)
            if written:
                send(conn, statement)
            conn.close()
            raise psycopg.OperationalError("the connection is lost")
        return send(conn, statement)

    monkeypatch.setattr(postgres, "_append", cut_off)
    with store.optimistic() as tx:
        assert tx.counter("pass") == 1
        (event,) = tx.append([noted(3)])
    assert cut and event.seq == 3
    assert [e.payload.n for e in store.read()] == [1, 2, 3]
    assert store.counter("pass") == 2
    store.close()


def test_after_a_stale_write_the_threads_next_command_takes_the_lock(
    postgres_database: str,
) -> None:
    store, other = open_store(postgres_database), open_store(postgres_database)
    for n in (1, 2):  # alone since its last write: optimistic
        store.append([noted(n)])
    other.append([noted(3)])
    with pytest.raises(StaleWrite), store.optimistic() as tx:
        tx.append([noted(4)])
    with store.transaction():  # finds the log as it left it: would go optimistic again
        pass
    with store.optimistic() as tx:  # but the run after a stale one takes the lock first
        assert isinstance(tx, postgres._PostgresTransaction)
        tx.append([noted(4)])
    assert [e.payload.n for e in store.read()] == [1, 2, 3, 4]
    for opened in (store, other):
        opened.close()
