"""The outbox table: stored before sending, once per key, leases, restarts and retention."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from frontdesk_sms_gateway.outbox import INTERRUPTED_ERROR, Outbox, State
from hypothesis import given, settings
from hypothesis import strategies as st

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=1)


def add(outbox: Outbox, key: str, *, now: datetime = T0, error: str | None = None):
    return outbox.add(
        key=key,
        template="confirmation",
        language="da",
        now=now,
        recipient=None if error else "+4512345678",
        body=None if error else "Din tid er i morgen",
        error=error,
    )


def test_a_key_is_stored_once(tmp_path: Path) -> None:
    outbox = Outbox(str(tmp_path / "sms.db"))
    first, created = add(outbox, "k1")
    again, created_again = add(outbox, "k1", now=T0 + timedelta(hours=1))
    assert created and not created_again
    assert again.id == first.id and again.created_at == T0
    assert len(outbox.messages()) == 1
    assert first.state is State.QUEUED and first.attempts == 0
    outbox.close()


def test_the_file_is_wal_with_full_sync(tmp_path: Path) -> None:
    outbox = Outbox(str(tmp_path / "sms.db"))
    with outbox._lock:
        assert outbox._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert outbox._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    outbox.close()


def test_claim_takes_due_messages_and_counts_the_attempt() -> None:
    outbox = Outbox()
    add(outbox, "k1")
    add(outbox, "k2", now=T0 + timedelta(minutes=5))
    claimed = outbox.claim(T0, lease=LEASE)
    assert [m.key for m in claimed] == ["k1"]
    assert claimed[0].state is State.SENDING and claimed[0].attempts == 1
    assert claimed[0].lease_until == T0 + LEASE and claimed[0].lease_token
    # Held by a lease: nobody else claims it.
    assert outbox.claim(T0 + timedelta(seconds=30), lease=LEASE) == []


def test_only_the_lease_holder_records_the_outcome() -> None:
    outbox = Outbox()
    add(outbox, "k1")
    (first,) = outbox.claim(T0, lease=LEASE)
    # The lease runs out (the sender hung): another sender takes the message over.
    (second,) = outbox.claim(T0 + 2 * LEASE, lease=LEASE)
    assert second.attempts == 2
    assert not outbox.mark_sent(first, T0 + 2 * LEASE)
    assert outbox.mark_sent(second, T0 + 2 * LEASE)
    message = outbox.by_key("k1")
    assert message is not None and message.state is State.SENT
    assert message.sent_at == T0 + 2 * LEASE and message.lease_until is None


def test_retry_puts_it_back_with_a_due_time_and_the_error() -> None:
    outbox = Outbox()
    add(outbox, "k1")
    (message,) = outbox.claim(T0, lease=LEASE)
    assert outbox.mark_retry(message, T0 + timedelta(seconds=30), "HTTP 503")
    queued = outbox.by_key("k1")
    assert queued is not None and queued.state is State.QUEUED and queued.error == "HTTP 503"
    assert outbox.next_due() == T0 + timedelta(seconds=30)
    assert outbox.claim(T0 + timedelta(seconds=29), lease=LEASE) == []
    assert [m.attempts for m in outbox.claim(T0 + timedelta(seconds=30), lease=LEASE)] == [2]


def test_failed_is_final() -> None:
    outbox = Outbox()
    add(outbox, "k1")
    (message,) = outbox.claim(T0, lease=LEASE)
    assert outbox.mark_failed(message, T0, "HTTP 400")
    assert outbox.claim(T0 + timedelta(days=1), lease=LEASE) == []
    failed = outbox.by_key("k1")
    assert failed is not None and failed.failed_at == T0 and failed.error == "HTTP 400"
    assert outbox.counts() == {State.QUEUED: 0, State.SENDING: 0, State.SENT: 0, State.FAILED: 1}


def test_a_message_added_with_an_error_is_failed_at_once() -> None:
    outbox = Outbox()
    message, _ = add(outbox, "bad", error="invalid phone number: the number is empty")
    assert message.state is State.FAILED and message.recipient is None
    assert outbox.claim(T0, lease=LEASE) == []


def test_after_a_crash_in_sending_the_message_is_claimed_again(tmp_path: Path) -> None:
    path = str(tmp_path / "sms.db")
    outbox = Outbox(path)
    add(outbox, "k1")
    outbox.claim(T0, lease=LEASE)
    outbox.close()  # the process dies while sending

    reopened = Outbox(path)
    assert reopened.claim(T0 + timedelta(seconds=59), lease=LEASE) == []
    (again,) = reopened.claim(T0 + LEASE, lease=LEASE)
    assert again.key == "k1" and again.attempts == 2 and again.body == "Din tid er i morgen"
    reopened.close()


def test_give_up_fails_an_interrupted_message_instead() -> None:
    outbox = Outbox()
    add(outbox, "k1")
    outbox.claim(T0, lease=LEASE)
    assert outbox.claim(T0 + LEASE, lease=LEASE, interrupted="give_up") == []
    message = outbox.by_key("k1")
    assert message is not None and message.state is State.FAILED
    assert message.error == INTERRUPTED_ERROR


def test_two_outboxes_on_one_file_never_claim_the_same_message(tmp_path: Path) -> None:
    path = str(tmp_path / "sms.db")
    writer = Outbox(path)
    for n in range(60):
        add(writer, f"k{n}")
    outboxes = [Outbox(path) for _ in range(3)]
    taken: list[list[str]] = [[] for _ in outboxes]

    def drain(index: int) -> None:
        while batch := outboxes[index].claim(T0, lease=LEASE, limit=4):
            taken[index].extend(m.key for m in batch)

    threads = [threading.Thread(target=drain, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    keys = [key for part in taken for key in part]
    assert sorted(keys) == sorted(f"k{n}" for n in range(60))
    assert len(set(keys)) == 60
    for outbox in [writer, *outboxes]:
        outbox.close()


def test_purge_blanks_personal_data_after_retention_and_keeps_the_record() -> None:
    outbox = Outbox()
    add(outbox, "sent")
    add(outbox, "queued")
    (first, second) = outbox.claim(T0, lease=LEASE)
    outbox.mark_sent(first, T0)
    outbox.mark_retry(second, T0 + timedelta(days=40), "HTTP 503")
    assert outbox.purge(T0 + timedelta(days=29), timedelta(days=30)) == 0
    assert outbox.purge(T0 + timedelta(days=31), timedelta(days=30)) == 1
    sent = outbox.by_key("sent")
    waiting = outbox.by_key("queued")
    assert sent is not None and sent.recipient is None and sent.body is None
    assert sent.state is State.SENT and sent.purged_at is not None
    assert waiting is not None and waiting.recipient == "+4512345678"


def test_repr_hides_the_number_and_the_text() -> None:
    message, _ = add(Outbox(), "k1")
    assert "12345678" not in repr(message) and "morgen" not in str(message)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        add(Outbox(), "k1", now=datetime(2026, 11, 23, 9, 0))


def test_times_with_and_without_microseconds_order_correctly() -> None:
    outbox = Outbox()
    add(outbox, "late", now=T0 + timedelta(seconds=1))
    add(outbox, "early", now=T0 + timedelta(microseconds=500_000))
    claimed = outbox.claim(T0 + timedelta(seconds=1), lease=LEASE)
    assert [m.key for m in claimed] == ["early", "late"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=20))
def test_one_row_per_distinct_key_whatever_the_order(keys: list[str]) -> None:
    outbox = Outbox()
    for n, key in enumerate(keys):
        add(outbox, key, now=T0 + timedelta(seconds=n))
    assert sorted(m.key for m in outbox.messages()) == sorted(set(keys))
    outbox.close()


def test_the_schema_refuses_an_unknown_state() -> None:
    outbox = Outbox()
    add(outbox, "k1")
    with pytest.raises(sqlite3.IntegrityError), outbox._lock:
        outbox._conn.execute("UPDATE sms_outbox SET state = 'lost'")
