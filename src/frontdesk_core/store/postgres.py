"""The server store: PostgreSQL, for several centres sharing one installation.

The same event log as the SQLite store, with the same guarantees: every write
transaction takes one transaction-scoped advisory lock first, so commands are
serialised across every process and machine using the database exactly as
SQLite's ``BEGIN IMMEDIATE`` serialises them on one machine. Readers never wait.
Needs the ``postgres`` extra (psycopg 3).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import psycopg

from frontdesk_core.events.base import to_us
from frontdesk_core.events.log import Event, NewEvent
from frontdesk_core.events.registry import decode, encode
from frontdesk_core.store.base import LogStore, as_utc

WRITE_LOCK = 0x46524F4E  # any fixed number: the one lock all frontdesk writers take

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq BIGSERIAL PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    centre_id TEXT NOT NULL,
    data JSONB NOT NULL
);
ALTER TABLE events ADD COLUMN IF NOT EXISTS version INTEGER NOT NULL DEFAULT 1;
CREATE INDEX IF NOT EXISTS events_key ON events(key);
CREATE INDEX IF NOT EXISTS events_at ON events(at);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS personal (
    ref TEXT PRIMARY KEY,
    data JSONB NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS checkpoints (
    name TEXT PRIMARY KEY,
    seq BIGINT NOT NULL,
    data JSONB NOT NULL
);
"""


class _PostgresTransaction:
    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    def append(self, events: Sequence[NewEvent]) -> list[Event]:
        out = []
        for event in events:
            data = json.dumps(encode(event.payload), separators=(",", ":"))
            version = event.version
            row = self.conn.execute(
                "INSERT INTO events (at, kind, key, centre_id, data, version) "
                "VALUES (%s, %s, %s, %s, %s, %s) RETURNING seq",
                (event.at, event.kind, event.key, event.centre_id, data, version),
            ).fetchone()
            assert row is not None  # INSERT ... RETURNING always returns the row
            # Handed back exactly as a later read gives it (see the SQLite store).
            payload = decode(event.kind, version, json.loads(data), seq=row[0])
            out.append(Event(event.kind, event.key, event.at_us, event.centre_id, payload, row[0]))
        return out

    def read(
        self,
        *,
        after: int = 0,
        kinds: Sequence[str] | None = None,
        key: str | None = None,
        centre_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> Iterator[Event]:
        clauses: list[str] = ["seq > %s"]
        args: list[object] = [after]
        if kinds is not None:
            clauses.append("kind = ANY(%s)")
            args.append(list(kinds))
        for column, value in (("key", key), ("centre_id", centre_id)):
            if value is not None:
                clauses.append(f"{column} = %s")
                args.append(value)
        if since is not None:
            clauses.append("at >= %s")
            args.append(as_utc(since))
        if until is not None:
            clauses.append("at < %s")
            args.append(as_utc(until))
        sql = (
            "SELECT seq, at, kind, key, centre_id, data, version FROM events "
            f"WHERE {' AND '.join(clauses)} ORDER BY seq"
        )
        for seq, at, kind, key_, centre, data, version in self.conn.execute(sql, args).fetchall():
            payload = decode(kind, version, data, seq=seq)
            yield Event(kind, key_, to_us(at), centre, payload, seq, version)

    def last_seq(self) -> int:
        row = self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()
        return int(row[0]) if row else 0

    def counter(self, name: str) -> int:
        row = self.conn.execute(
            "INSERT INTO counters (name, value) VALUES (%s, 1) "
            "ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value",
            (name,),
        ).fetchone()
        assert row is not None
        return int(row[0])


class PostgresStore(LogStore):
    """The event log in a PostgreSQL database, given by a ``postgresql://`` URL."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._lock = threading.RLock()
        self._conn = psycopg.connect(url, autocommit=True)
        with self._lock, self._conn.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            self._conn.execute(SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[_PostgresTransaction]:
        """A write transaction holding the writers' lock; rolled back if the block raises."""
        with self._lock, self._conn.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            yield _PostgresTransaction(self._conn)

    @contextmanager
    def _snapshot(self) -> Iterator[_PostgresTransaction]:
        with self._lock:
            yield _PostgresTransaction(self._conn)

    def last_seq(self) -> int:
        """The ``seq`` of the newest event (0 when the log is empty)."""
        with self._lock:
            row = self._conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()
        return int(row[0]) if row else 0

    def kind_versions(self) -> list[tuple[str, int, int]]:
        """Each (kind, version) the log holds, with the ``seq`` of its first event."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT kind, version, MIN(seq) FROM events GROUP BY kind, version"
            ).fetchall()
        return [(str(k), int(v), int(s)) for k, v, s in rows]

    def put_personal(self, ref: str, data: Mapping[str, str], expires_at: datetime) -> None:
        """Keep personal data under ``ref`` until ``expires_at``."""
        with self.transaction() as tx:
            tx.conn.execute(
                "INSERT INTO personal (ref, data, expires_at) VALUES (%s, %s, %s) "
                "ON CONFLICT (ref) DO UPDATE SET data = EXCLUDED.data, "
                "expires_at = EXCLUDED.expires_at",
                (ref, json.dumps(dict(data)), as_utc(expires_at)),
            )

    def get_personal(self, ref: str) -> dict[str, str] | None:
        """Personal data kept under ``ref``."""
        with self._lock:
            row = self._conn.execute("SELECT data FROM personal WHERE ref = %s", (ref,)).fetchone()
        return dict(row[0]) if row else None

    def delete_personal(self, ref: str) -> None:
        """Forget the personal data under ``ref``."""
        with self.transaction() as tx:
            tx.conn.execute("DELETE FROM personal WHERE ref = %s", (ref,))

    def purge_personal(self, now: datetime) -> int:
        """Delete personal data whose retention has run out."""
        with self.transaction() as tx:
            cursor = tx.conn.execute("DELETE FROM personal WHERE expires_at <= %s", (as_utc(now),))
            return cursor.rowcount

    def put_checkpoint(self, name: str, seq: int, data: Mapping[str, Any]) -> None:
        """Keep a checkpoint after event ``seq``, unless a newer one is kept already."""
        with self.transaction() as tx:
            tx.conn.execute(
                "INSERT INTO checkpoints (name, seq, data) VALUES (%s, %s, %s) "
                "ON CONFLICT (name) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data "
                "WHERE EXCLUDED.seq >= checkpoints.seq",
                (name, seq, json.dumps(dict(data))),
            )

    def get_checkpoint(self, name: str) -> tuple[int, dict[str, Any]] | None:
        """The checkpoint kept under ``name``."""
        with self._lock:
            row = self._conn.execute(
                "SELECT seq, data FROM checkpoints WHERE name = %s", (name,)
            ).fetchone()
        return (int(row[0]), dict(row[1])) if row else None

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()
