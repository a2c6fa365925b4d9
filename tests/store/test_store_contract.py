"""Both stores keep the same contract: SQLite (embedded) and PostgreSQL (server)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from frontdesk_core.errors import StaleWrite, StoreError
from frontdesk_core.events.base import to_us
from frontdesk_core.store import EventStore, NewEvent, open_store
from store import records

CPH = ZoneInfo("Europe/Copenhagen")
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=CPH)


@pytest.fixture(params=["sqlite", "postgres", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[EventStore]:
    if request.param == "memory":
        opened = open_store("memory://")
    elif request.param == "sqlite":
        opened = open_store(str(tmp_path) + "/events.db")  # type: ignore[operator]
    else:
        opened = open_store(request.getfixturevalue("postgres_database"))
    yield opened
    opened.close()


def event(kind: str, key: str, minutes: int = 0, **data: object) -> NewEvent:
    return NewEvent(kind, key, T0 + timedelta(minutes=minutes), "main", data)


def test_append_and_read_in_order_with_filters(store: EventStore) -> None:
    appended = store.append([event("test.noted", "t1"), event("test.seen", "t1", 5)])
    store.append([event("test.noted", "t2", 10, number="P002")])
    assert [e.seq for e in appended] == [1, 2]
    assert [e.kind for e in store.read()] == ["test.noted", "test.seen", "test.noted"]
    assert [e.key for e in store.read(kinds=["test.noted"])] == ["t1", "t2"]
    assert [e.seq for e in store.read(after=2)] == [3]
    assert [e.seq for e in store.read(key="t1")] == [1, 2]
    assert [e.seq for e in store.read(since=T0 + timedelta(minutes=5))] == [2, 3]
    assert [e.seq for e in store.read(until=T0 + timedelta(minutes=5))] == [1]
    last = list(store.read())[-1]
    assert last.payload == records.Noted(number="P002") and last.at == T0 + timedelta(minutes=10)
    assert store.last_seq() == 3


def test_emit_appends_one_event_as_append_would(store: EventStore) -> None:
    store.append([event("test.noted", "t1")])
    at_us = to_us(T0 + timedelta(minutes=3))
    with store.transaction() as tx:
        emitted = tx.emit(records.Seen(n=2), "t1", "main", at_us)
        assert (emitted.seq, emitted.kind, emitted.version) == (2, "test.seen", 1)
        assert [e.seq for e in tx.read(after=1)] == [2]
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.emit(records.Seen(n=3), "t1", "main", at_us)
        raise RuntimeError("refused after all")
    alone = store.emit(records.Noted(number="P002"), "t2", "main", at_us)
    stored = list(store.read())
    assert [e.seq for e in stored] == [1, 2, 3] and alone.seq == 3
    assert stored[1].payload == records.Seen(n=2) and stored[1].at_us == at_us
    assert (stored[2].key, stored[2].centre_id) == ("t2", "main")


def test_write_one_appends_only_onto_the_log_it_was_decided_on(store: EventStore) -> None:
    at_us = to_us(T0 + timedelta(minutes=1))
    first = store.write_one(0, records.Noted(number="P001"), "t1", "main", at_us)
    assert (first.seq, first.kind, first.version, first.key) == (1, "test.noted", 1, "t1")
    # Decided on the empty log, which has moved on since: nothing is written.
    with pytest.raises(StaleWrite):
        store.write_one(0, records.Seen(n=1), "t1", "main", at_us)
    store.append([event("test.seen", "t1", 2)])  # another writer
    with pytest.raises(StaleWrite):
        store.write_one(1, records.Seen(n=2), "t1", "main", at_us)
    assert [e.seq for e in store.read()] == [1, 2]
    assert store.write_one(2, records.Seen(n=3), "t1", "main", at_us).seq == 3
    stored = list(store.read())
    assert stored[2].payload == records.Seen(n=3) and stored[2].at_us == at_us


def test_write_one_takes_a_counter_only_at_the_value_expected(store: EventStore) -> None:
    assert store.counter("pass:2026-11-23") == 1
    at_us = to_us(T0)
    written = store.write_one(
        0, records.Noted(number="P002"), "t2", "main", at_us, ("pass:2026-11-23", 2)
    )
    assert written.seq == 1
    # Expecting 2 again (another command took it): neither the event nor the count.
    with pytest.raises(StaleWrite):
        store.write_one(
            1, records.Noted(number="P002"), "t3", "main", at_us, ("pass:2026-11-23", 2)
        )
    assert store.last_seq() == 1
    assert store.counter("pass:2026-11-23") == 3
    # A counter never counted starts at 1.
    store.write_one(1, records.Noted(number="X001"), "t4", "main", at_us, ("other", 1))
    assert store.counter("other") == 2


def test_a_failing_transaction_leaves_nothing(store: EventStore) -> None:
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.append([event("test.noted", "t1")])
        tx.counter("pass:2026-11-23")
        raise RuntimeError("the command was invalid after all")
    assert list(store.read()) == []
    assert store.counter("pass:2026-11-23") == 1


def test_a_transaction_reads_its_own_appends_and_a_failed_one_lets_others_write(
    store: EventStore,
) -> None:
    store.append([event("test.noted", "t1")])
    with store.transaction() as tx:
        assert list(tx.read(after=1)) == []
        tx.append([event("test.seen", "t1", 1)])
        assert [e.seq for e in tx.read(after=1)] == [2]
        assert list(tx.read(after=2)) == []
    with pytest.raises(RuntimeError), store.transaction() as tx:
        raise RuntimeError("refused")
    # Another thread (another kiosk) must not be locked out by the failed command.
    writer = threading.Thread(target=lambda: store.append([event("test.noted", "t2", 2)]))
    writer.start()
    writer.join(timeout=10)
    assert not writer.is_alive()
    assert [e.seq for e in store.read(after=2)] == [3]


def test_counters_are_unique_under_concurrency(store: EventStore) -> None:
    got: list[int] = []
    lock = threading.Lock()

    def take() -> None:
        for _ in range(25):
            value = store.counter("pass")
            with lock:
                got.append(value)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == list(range(1, 101))


def test_personal_data_is_kept_apart_and_purged(store: EventStore) -> None:
    store.put_personal("booking:b1", {"phone": "+4512345678"}, T0 + timedelta(days=30))
    store.put_personal("booking:b2", {"phone": "+4587654321"}, T0 + timedelta(days=1))
    assert store.get_personal("booking:b1") == {"phone": "+4512345678"}
    assert store.purge_personal(T0 + timedelta(days=2)) == 1
    assert store.get_personal("booking:b2") is None
    store.delete_personal("booking:b1")
    assert store.get_personal("booking:b1") is None
    assert list(store.read()) == []  # personal data never becomes an event


def test_a_checkpoint_is_kept_and_never_replaced_by_an_older_one(store: EventStore) -> None:
    assert store.get_checkpoint("booking") is None
    store.put_checkpoint("booking", 5, {"version": 1, "entries": [{"id": "b1", "start": 12}]})
    assert store.get_checkpoint("booking") == (
        5,
        {"version": 1, "entries": [{"id": "b1", "start": 12}]},
    )
    store.put_checkpoint("booking", 3, {"version": 1, "entries": []})  # a slower process
    assert store.get_checkpoint("booking") == (
        5,
        {"version": 1, "entries": [{"id": "b1", "start": 12}]},
    )
    store.put_checkpoint("booking", 9, {"version": 1, "entries": []})
    assert store.get_checkpoint("booking") == (9, {"version": 1, "entries": []})
    assert store.get_checkpoint("queues") is None
    assert list(store.read()) == []  # a checkpoint is not an event


def test_naive_times_are_refused(store: EventStore) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        store.append([NewEvent("test.noted", "k", datetime(2026, 1, 1), "main")])


def test_bad_store_urls_give_clear_errors(tmp_path: object) -> None:
    with pytest.raises(StoreError, match="no store for 'redis://'"):
        open_store("redis://localhost")
    with pytest.raises(StoreError, match="cannot open the SQLite store"):
        open_store("/no/such/directory/events.db")
    with pytest.raises(StoreError, match="cannot open the PostgreSQL store"):
        open_store("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_an_optimistic_transaction_counts_appends_and_rolls_back_alike(store: EventStore) -> None:
    store.append([event("test.noted", "t0")])
    for _ in range(2):  # the second time alone since its last write: PostgreSQL's one statement
        with store.optimistic() as tx:
            number = tx.counter("pass:2026-11-23")
            assert tx.last_seq() == number
            (appended,) = tx.append([event("test.noted", f"t{number}", number=f"P{number:03d}")])
            assert appended.seq == number + 1 and tx.last_seq() == number + 1
    with pytest.raises(RuntimeError), store.optimistic() as tx:
        tx.counter("pass:2026-11-23")
        tx.append([event("test.noted", "t3")])
        raise RuntimeError("the command was invalid after all")
    with store.optimistic() as tx:  # two events and two counts
        numbers = [tx.counter("pass:2026-11-23"), tx.counter("tax:2026-11-23")]
        appended = tx.append([event("test.noted", f"n{n}", number=f"X{n}") for n in numbers])
    assert numbers == [3, 1] and [e.seq for e in appended] == [4, 5]
    assert [e.payload.number for e in store.read()] == [None, "P001", "P002", "X3", "X1"]
    assert store.counter("pass:2026-11-23") == 4


def test_batches_hold_the_events_a_read_gives(store: EventStore) -> None:
    """A replay's batches are the events ``read`` gives, column by column."""
    store.append(
        [
            event("test.seen" if i % 3 == 0 else "test.noted", f"t{i}", i // 2, n=i % 4)
            for i in range(2500)  # more than one batch of the SQLite store's
        ]
    )
    for after, kinds in ((0, None), (700, ["test.noted"]), (2499, ["test.seen"]), (2500, None)):
        batches = list(store.read_batches(after=after, kinds=kinds))
        read = list(store.read(after=after, kinds=kinds))
        assert all(len(batch) for batch in batches)
        assert [e for batch in batches for e in batch.events()] == read
        assert [v for batch in batches for v in batch.versions] == [e.version for e in read]
        moments = [m for batch in batches for m in batch.moments]
        assert moments == [e.at for e in read]


def test_last_seqs_name_each_centres_newest_event_of_a_kind(store: EventStore) -> None:
    centres = ["main", "job", "north", "main", "job", "main"]
    store.append(
        [
            NewEvent(kind, f"k{i}", T0, centre, {"n": i})
            for i, centre in enumerate(centres)
            for kind in ("test.seen", "test.noted")
        ]
    )
    assert store.last_seqs("test.seen", ["main", "job", "south"]) == {"main": 11, "job": 9}
    assert store.last_seqs("test.noted", {"north"}) == {"north": 6}
    assert store.last_seqs("test.other", ["main"]) == {}
    assert store.last_seqs("test.seen", []) == {}
