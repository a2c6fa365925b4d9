"""The SQLite event store: durability settings, transactions, filters, counters, personal data."""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from frontdesk_core.errors import EventLogError
from frontdesk_core.store import NewEvent, SqliteStore, open_store
from frontdesk_core.store.sqlite import BATCH

CPH = ZoneInfo("Europe/Copenhagen")
AT = datetime(2026, 11, 23, 9, 0, tzinfo=CPH)


def _event(kind: str, key: str, minutes: int = 0, centre: str = "main") -> NewEvent:
    return NewEvent(kind, key, AT + timedelta(minutes=minutes), centre, {"n": minutes})


def test_a_file_store_is_in_wal_mode_with_full_sync(tmp_path: Path) -> None:
    store = SqliteStore(str(tmp_path / "log.db"))
    with store.transaction() as tx:
        mode = tx.conn.execute("PRAGMA journal_mode").fetchone()[0]  # type: ignore[attr-defined]
        sync = tx.conn.execute("PRAGMA synchronous").fetchone()[0]  # type: ignore[attr-defined]
    assert (mode, sync) == ("wal", 2)
    store.close()


def test_append_gives_what_a_read_gives(tmp_path: Path) -> None:
    store = SqliteStore(str(tmp_path / "log.db"))
    appended = store.append([_event("test.noted", "t1"), _event("test.seen", "t1", 3)])
    assert [e.seq for e in appended] == [1, 2]
    assert list(store.read()) == appended
    assert appended[0].at == AT and appended[0].at.utcoffset() == timedelta(0)
    assert store.last_seq() == 2
    store.close()


def test_read_filters(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "log.db"))
    store.append(
        [
            _event("test.noted", "t1", 0),
            _event("test.noted", "t2", 10, centre="job"),
            _event("test.seen", "t1", 20),
            _event("test.other", "b1", 30),
        ]
    )
    assert [e.seq for e in store.read(after=2)] == [3, 4]
    assert [e.key for e in store.read(kinds=["test.noted"])] == ["t1", "t2"]
    assert [e.seq for e in store.read(key="t1")] == [1, 3]
    assert [e.key for e in store.read(centre_id="job")] == ["t2"]
    since, until = AT + timedelta(minutes=10), AT + timedelta(minutes=30)
    assert [e.seq for e in store.read(since=since, until=until)] == [2, 3]
    store.close()


def test_a_failing_transaction_leaves_nothing(tmp_path: Path) -> None:
    store = SqliteStore(str(tmp_path / "log.db"))
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.append([_event("test.noted", "t1")])
        assert tx.counter("ticket:pass:2026-11-23") == 1
        raise RuntimeError("the command was refused")
    assert list(store.read()) == []
    assert store.counter("ticket:pass:2026-11-23") == 1  # the failed draw was rolled back
    store.close()


def test_naive_times_are_refused() -> None:
    store = SqliteStore()
    with pytest.raises(ValueError, match="timezone-aware"):
        store.append([NewEvent("test.noted", "k", datetime(2026, 11, 23, 9), "main")])
    store.close()


def test_counters_are_unique_across_connections_and_threads(tmp_path: Path) -> None:
    path = str(tmp_path / "log.db")
    SqliteStore(path).close()
    drawn: list[int] = []
    lock = threading.Lock()

    def draw() -> None:
        store = SqliteStore(path)
        for _ in range(50):
            value = store.counter("ticket:pass:2026-11-23")
            with lock:
                drawn.append(value)
        store.close()

    threads = [threading.Thread(target=draw) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(drawn) == list(range(1, 201))


def test_personal_data_lives_apart_and_is_purged(tmp_path: Path) -> None:
    store = SqliteStore(str(tmp_path / "log.db"))
    store.put_personal("b1", {"phone": "+4512345678"}, AT + timedelta(days=30))
    store.put_personal("b2", {"phone": "+4587654321"}, AT + timedelta(days=1))
    assert store.get_personal("b1") == {"phone": "+4512345678"}
    assert store.purge_personal(AT + timedelta(days=2)) == 1
    assert store.get_personal("b2") is None
    store.delete_personal("b1")
    assert store.get_personal("b1") is None
    conn = sqlite3.connect(tmp_path / "log.db")
    assert conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0
    conn.close()
    store.close()


def test_open_store_takes_a_sqlite_url(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'x.db'}")
    assert isinstance(store, SqliteStore) and store.path == str(tmp_path / "x.db")
    store.close()


def _spoil(path: Path, column: str, value: str, seq: int) -> None:
    """Write ``value`` into one stored event, as a damaged file or a stray tool might."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(f"UPDATE events SET {column} = ? WHERE seq = ?", (value, seq))
    conn.close()


def test_batches_read_the_log_a_batch_at_a_time(tmp_path: Path) -> None:
    """Each batch is fetched when it is asked for (a replay holds one batch of rows, not
    the whole log): an event committed between two batches is read too, in its place."""
    store = SqliteStore(str(tmp_path / "log.db"))
    store.append([_event("test.noted", f"t{i}", i) for i in range(2500)])
    batches = store.read_batches(after=100, kinds=["test.noted"])
    first = next(batches)
    assert len(first) == BATCH and first.seqs[0] == 101
    store.append([_event("test.seen", "other", 1), _event("test.noted", "late", 1)])
    rest = list(batches)
    assert [len(batch) for batch in rest] == [BATCH, 401]
    assert rest[-1].keys[-2:] == ("t2499", "late") and rest[-1].seqs[-1] == 2502
    store.close()


def test_batches_stop_where_a_read_stops(tmp_path: Path) -> None:
    """The first event a read cannot read stops the batches too, with the same error:
    a payload that holds no record names its event; a time without a zone is refused."""
    path = tmp_path / "log.db"
    store = SqliteStore(str(path))
    store.append([_event("test.noted", f"t{i}", i) for i in range(2500)])
    _spoil(path, "data", '{"n":1', 1234)
    _spoil(path, "data", '{"n":"one"}', 1240)
    _spoil(path, "at", "2026-11-23T09:00:00", 1300)  # no zone
    for after, first in ((0, "event 1234 "), (1234, "event 1240 ")):
        with pytest.raises(EventLogError, match=first) as caught:
            list(store.read_batches(after=after))
        with pytest.raises(EventLogError) as read:
            list(store.read(after=after))
        assert str(caught.value) == str(read.value)
    with pytest.raises(ValueError, match="timezone-aware"):
        list(store.read_batches(after=1240))
    _spoil(path, "at", "2026-11-23T09:00:00", 1001)  # in the same batch, before the payloads
    with pytest.raises(ValueError, match="timezone-aware"):
        list(store.read_batches())
    with pytest.raises(ValueError, match="timezone-aware"):
        list(store.read())
    store.close()
