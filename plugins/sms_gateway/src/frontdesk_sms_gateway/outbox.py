"""The durable SMS outbox: one SQLite table, every message stored before it is sent.

A message moves ``queued -> sending -> sent``, or back to ``queued`` with a later
``next_attempt_at`` after a failure, or to ``failed`` for good. The idempotency
key is ``UNIQUE``: adding a key twice returns the first message and sends
nothing new, also after a restart. A sender *claims* due messages in one
``BEGIN IMMEDIATE`` transaction and holds a lease with a random token; only the
holder of the token may record the outcome, so two senders (two processes on
one file) never send one message at the same time. A message still ``sending``
when its lease runs out was interrupted (a crash): it is claimed again, or given
up, as the configuration says.

Recipient numbers and texts are personal data: they are kept only until the
message is finished plus the retention period, then blanked (``purge``), while
the anonymous delivery record stays.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Literal

SCHEMA = """
CREATE TABLE IF NOT EXISTS sms_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    template TEXT NOT NULL,
    language TEXT NOT NULL,
    centre_id TEXT NOT NULL DEFAULT '',
    recipient TEXT,
    body TEXT,
    state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    next_attempt_at TEXT,
    last_attempt_at TEXT,
    lease_until TEXT,
    lease_token TEXT,
    sent_at TEXT,
    failed_at TEXT,
    error TEXT,
    purged_at TEXT
);
CREATE INDEX IF NOT EXISTS sms_outbox_due ON sms_outbox(state, next_attempt_at);
CREATE TABLE IF NOT EXISTS sms_turn_soon (
    ticket_id TEXT PRIMARY KEY,
    queue_id TEXT NOT NULL,
    number TEXT NOT NULL,
    centre_id TEXT NOT NULL,
    language TEXT NOT NULL,
    recipient TEXT NOT NULL,
    created_at TEXT NOT NULL
);
"""

_COLUMNS = (
    "id, key, template, language, centre_id, recipient, body, state, attempts, created_at, "
    "next_attempt_at, last_attempt_at, lease_until, sent_at, failed_at, error, purged_at"
)
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
INTERRUPTED_ERROR = "interrupted while sending; not retried (at most once)"


class State(StrEnum):
    """Where a message is in its delivery."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


def _text(moment: datetime) -> str:
    """Fixed-width UTC text, so that text order is time order in SQL."""
    if moment.tzinfo is None:
        raise ValueError("the outbox needs timezone-aware times")
    return moment.astimezone(UTC).strftime(_TIME_FORMAT)


def _time(value: str | None) -> datetime | None:
    if value is None:
        return None
    return datetime.strptime(value, _TIME_FORMAT).replace(tzinfo=UTC)


@dataclass(frozen=True)
class OutboxMessage:
    """One message and its delivery record. ``recipient`` and ``body`` are personal data."""

    id: int
    key: str
    template: str
    language: str
    centre_id: str
    recipient: str | None
    body: str | None
    state: State
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    lease_until: datetime | None
    sent_at: datetime | None
    failed_at: datetime | None
    error: str | None
    purged_at: datetime | None
    lease_token: str | None = None

    def __repr__(self) -> str:  # the number and the text never reach a log line
        return (
            f"OutboxMessage(id={self.id}, key={self.key!r}, state={self.state.value!r}, "
            f"attempts={self.attempts})"
        )

    __str__ = __repr__


@dataclass(frozen=True)
class Waiting:
    """A citizen waiting for "your turn soon": their ticket and number until it is sent."""

    ticket_id: str
    queue_id: str
    number: str
    """The ticket's number (``A012``), for the text."""
    centre_id: str
    language: str
    recipient: str
    """The citizen's phone number: personal data."""
    created_at: datetime

    def __repr__(self) -> str:  # the number never reaches a log line
        return f"Waiting(ticket_id={self.ticket_id!r})"

    __str__ = __repr__


_WAITING = "ticket_id, queue_id, number, centre_id, language, recipient, created_at"


def _waiting(row: tuple[Any, ...]) -> Waiting:
    created = _time(row[6]) or datetime.min.replace(tzinfo=UTC)
    return Waiting(row[0], row[1], row[2], row[3], row[4], row[5], created)


def _row(row: tuple[Any, ...], token: str | None = None) -> OutboxMessage:
    return OutboxMessage(
        id=row[0],
        key=row[1],
        template=row[2],
        language=row[3],
        centre_id=row[4],
        recipient=row[5],
        body=row[6],
        state=State(row[7]),
        attempts=row[8],
        created_at=_time(row[9]) or datetime.min.replace(tzinfo=UTC),
        next_attempt_at=_time(row[10]),
        last_attempt_at=_time(row[11]),
        lease_until=_time(row[12]),
        sent_at=_time(row[13]),
        failed_at=_time(row[14]),
        error=row[15],
        purged_at=_time(row[16]),
        lease_token=token,
    )


class Outbox:
    """The outbox table in a SQLite file (or ``:memory:``), safe across threads and processes."""

    def __init__(self, path: str = ":memory:", *, timeout: float = 30.0) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(
            path, timeout=timeout, isolation_level=None, check_same_thread=False
        )
        if path != ":memory:":
            self._conn.execute("PRAGMA journal_mode=WAL")
        # Per connection, so set here: a message the caller was told is queued is on disk.
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        with self._lock:
            self._conn.executescript(SCHEMA)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    # -- adding -------------------------------------------------------------------------

    def add(
        self,
        *,
        key: str,
        template: str,
        language: str,
        now: datetime,
        recipient: str | None,
        body: str | None,
        centre_id: str = "",
        error: str | None = None,
    ) -> tuple[OutboxMessage, bool]:
        """Store a message (``failed`` at once when ``error`` is given).

        Returns the message under ``key`` and whether it is new: for a key already
        stored, nothing changes and the existing message is returned.
        """
        state = State.FAILED if error is not None else State.QUEUED
        at = _text(now)
        with self._transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO sms_outbox (key, template, language, centre_id, recipient, body, "
                "state, created_at, next_attempt_at, failed_at, error) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO NOTHING",
                (
                    key,
                    template,
                    language,
                    centre_id,
                    recipient,
                    body,
                    state.value,
                    at,
                    at if error is None else None,
                    at if error is not None else None,
                    error,
                ),
            )
            created = cursor.rowcount == 1
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM sms_outbox WHERE key = ?", (key,)
            ).fetchone()
        return _row(row), created

    # -- reading ----------------------------------------------------------------------------

    def get(self, message_id: int) -> OutboxMessage | None:
        """The message with this id."""
        with self._lock:
            row = self._conn.execute(
                f"SELECT {_COLUMNS} FROM sms_outbox WHERE id = ?", (message_id,)
            ).fetchone()
        return _row(row) if row else None

    def by_key(self, key: str) -> OutboxMessage | None:
        """The message stored under idempotency key ``key``."""
        with self._lock:
            row = self._conn.execute(
                f"SELECT {_COLUMNS} FROM sms_outbox WHERE key = ?", (key,)
            ).fetchone()
        return _row(row) if row else None

    def messages(self, state: State | None = None) -> list[OutboxMessage]:
        """Every message (in ``state``), oldest first."""
        sql = f"SELECT {_COLUMNS} FROM sms_outbox"
        args: tuple[str, ...] = ()
        if state is not None:
            sql += " WHERE state = ?"
            args = (state.value,)
        with self._lock:
            rows = self._conn.execute(sql + " ORDER BY id", args).fetchall()
        return [_row(row) for row in rows]

    def counts(self) -> dict[State, int]:
        """How many messages are in each state."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT state, COUNT(*) FROM sms_outbox GROUP BY state"
            ).fetchall()
        found = {State(state): count for state, count in rows}
        return {state: found.get(state, 0) for state in State}

    def next_due(self) -> datetime | None:
        """When the earliest queued message is due (``None`` when nothing is queued)."""
        with self._lock:
            row = self._conn.execute(
                "SELECT MIN(next_attempt_at) FROM sms_outbox WHERE state = 'queued'"
            ).fetchone()
        return _time(row[0])

    # -- sending ----------------------------------------------------------------------------

    def claim(
        self,
        now: datetime,
        *,
        lease: timedelta,
        limit: int = 10,
        interrupted: Literal["retry", "give_up"] = "retry",
    ) -> list[OutboxMessage]:
        """Take up to ``limit`` due messages for sending; each counts one more attempt.

        Due are queued messages whose ``next_attempt_at`` has come, and messages
        whose sending lease ran out (interrupted): those are claimed again with
        ``interrupted="retry"``, or failed with ``"give_up"``.
        """
        at = _text(now)
        token = uuid.uuid4().hex
        with self._transaction() as conn:
            if interrupted == "give_up":
                conn.execute(
                    "UPDATE sms_outbox SET state = 'failed', failed_at = ?, error = ?, "
                    "lease_until = NULL, lease_token = NULL "
                    "WHERE state = 'sending' AND lease_until <= ?",
                    (at, INTERRUPTED_ERROR, at),
                )
            ids = [
                row[0]
                for row in conn.execute(
                    "SELECT id FROM sms_outbox WHERE (state = 'queued' AND next_attempt_at <= ?) "
                    "OR (state = 'sending' AND lease_until <= ?) "
                    "ORDER BY COALESCE(next_attempt_at, lease_until), id LIMIT ?",
                    (at, at, limit),
                )
            ]
            if not ids:
                return []
            marks = ",".join("?" * len(ids))
            conn.execute(
                "UPDATE sms_outbox SET state = 'sending', attempts = attempts + 1, "
                f"last_attempt_at = ?, lease_until = ?, lease_token = ? WHERE id IN ({marks})",
                (at, _text(now + lease), token, *ids),
            )
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM sms_outbox WHERE id IN ({marks})", ids
            ).fetchall()
        by_id = {row[0]: row for row in rows}
        return [_row(by_id[message_id], token) for message_id in ids]  # due order

    def _finish(self, message: OutboxMessage, sql: str, args: tuple[Any, ...]) -> bool:
        with self._transaction() as conn:
            cursor = conn.execute(
                f"UPDATE sms_outbox SET {sql}, lease_until = NULL, lease_token = NULL "
                "WHERE id = ? AND state = 'sending' AND lease_token = ?",
                (*args, message.id, message.lease_token),
            )
        # False: the lease ran out and someone else holds the message now.
        return cursor.rowcount == 1

    def mark_sent(self, message: OutboxMessage, now: datetime) -> bool:
        """Record that the claimed ``message`` was accepted by the gateway."""
        return self._finish(
            message,
            "state = 'sent', sent_at = ?, next_attempt_at = NULL, error = NULL",
            (_text(now),),
        )

    def mark_retry(self, message: OutboxMessage, next_attempt_at: datetime, error: str) -> bool:
        """Record a failed attempt of the claimed ``message``; try again at ``next_attempt_at``."""
        return self._finish(
            message,
            "state = 'queued', next_attempt_at = ?, error = ?",
            (_text(next_attempt_at), error),
        )

    def release(self, message: OutboxMessage, next_attempt_at: datetime) -> bool:
        """Give back a claimed ``message`` that was not tried; its attempt does not count."""
        return self._finish(
            message,
            "state = 'queued', next_attempt_at = ?, attempts = attempts - 1",
            (_text(next_attempt_at),),
        )

    def mark_failed(self, message: OutboxMessage, now: datetime, error: str) -> bool:
        """Record that the claimed ``message`` will never be sent, and why."""
        return self._finish(
            message,
            "state = 'failed', failed_at = ?, next_attempt_at = NULL, error = ?",
            (_text(now), error),
        )

    # -- "your turn soon": held until the turn is near ---------------------------------------

    def wait(self, waiting: Waiting) -> None:
        """Keep ``waiting`` until its message is due (a second request for the ticket replaces
        the number)."""
        with self._transaction() as conn:
            conn.execute(
                f"INSERT INTO sms_turn_soon ({_WAITING}) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(ticket_id) DO UPDATE SET recipient = excluded.recipient, "
                "language = excluded.language",
                (
                    waiting.ticket_id,
                    waiting.queue_id,
                    waiting.number,
                    waiting.centre_id,
                    waiting.language,
                    waiting.recipient,
                    _text(waiting.created_at),
                ),
            )

    def waiting(self) -> list[Waiting]:
        """Every citizen still waiting for "your turn soon", oldest first."""
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {_WAITING} FROM sms_turn_soon ORDER BY created_at"
            ).fetchall()
        return [_waiting(row) for row in rows]

    def take_waiting(self, ticket_id: str) -> Waiting | None:
        """Remove and return the citizen waiting on ``ticket_id`` (``None``: none, or another
        thread took it first), so their message is queued once."""
        with self._lock:
            # Every call asks: a read answers "nobody" without a write transaction.
            known = self._conn.execute(
                "SELECT 1 FROM sms_turn_soon WHERE ticket_id = ?", (ticket_id,)
            ).fetchone()
        if known is None:
            return None
        with self._transaction() as conn:
            row = conn.execute(
                f"DELETE FROM sms_turn_soon WHERE ticket_id = ? RETURNING {_WAITING}",
                (ticket_id,),
            ).fetchone()
        return _waiting(row) if row else None

    # -- retention ----------------------------------------------------------------------------

    def purge(self, now: datetime, retention: timedelta) -> int:
        """Blank the number and text of messages finished more than ``retention`` ago."""
        cutoff = _text(now - retention)
        with self._transaction() as conn:
            cursor = conn.execute(
                "UPDATE sms_outbox SET recipient = NULL, body = NULL, purged_at = ? "
                "WHERE purged_at IS NULL AND ("
                "(state = 'sent' AND sent_at <= ?) OR (state = 'failed' AND failed_at <= ?))",
                (_text(now), cutoff, cutoff),
            )
        return cursor.rowcount

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()
