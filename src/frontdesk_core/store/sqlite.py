"""The embedded default store: SQLite in WAL mode with ``synchronous=FULL``.

Every command is one ``BEGIN IMMEDIATE`` transaction, so several processes
(kiosks, counters) can share one file: writers queue up, readers never block,
and a command that returned has reached the disk.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from frontdesk_core.events.base import EPOCH, Payload, from_us, to_us
from frontdesk_core.events.log import Event, EventBatch, NewEvent
from frontdesk_core.events.registry import decode_json, decode_rows, encode
from frontdesk_core.store.base import LogStore, as_utc, select_events

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    centre_id TEXT NOT NULL,
    data TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS events_key ON events(key);
CREATE INDEX IF NOT EXISTS events_at ON events(at);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS personal (
    ref TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS checkpoints (
    name TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL
);
"""


def _utc(moment: datetime) -> str:
    """Times are stored in UTC so that text order is time order."""
    return as_utc(moment).isoformat()


def _select(after: int, kinds: Sequence[str] | None, *filters: Any) -> tuple[str, list[object]]:
    """The query for the events matching every filter given (times kept as UTC text)."""
    return select_events("?", after, kinds, *filters, moment=_utc)


def _row_event(row: tuple[Any, ...]) -> Event:
    seq, at, kind, key, centre_id, data, version = row
    payload = decode_json(kind, version, data, seq=seq)
    return Event(kind, key, to_us(datetime.fromisoformat(at)), centre_id, payload, seq, version)


BATCH = 1000
"""Rows read as one :class:`EventBatch` (their payloads decoded together)."""


def _batch(rows: Sequence[tuple[Any, ...]]) -> EventBatch:
    """The events of ``rows`` (as :func:`_row_event` reads them one by one), column by column."""
    seqs, ats, kinds, keys, centre_ids, texts, versions = zip(*rows, strict=True)
    try:
        payloads = decode_rows(kinds, versions, texts, seqs)
        moments = _moments(ats)
    except Exception:
        # Raise what a read raises: the first row it cannot read, read by itself.
        for row in rows:
            _row_event(row)
        raise
    return EventBatch(seqs, kinds, keys, centre_ids, moments, payloads, versions)


def _moments(texts: Sequence[str]) -> list[datetime]:
    """The stored times read, each run of one text as one shared object (a command's
    events share their moment)."""
    parse = datetime.fromisoformat
    moments: list[datetime] = []
    last: str | None = None
    moment = EPOCH
    for text in texts:
        if text != last:
            moment = parse(text)
            if moment.tzinfo is None:
                to_us(moment)  # refuses it, as a read does
            last = text
        moments.append(moment)
    return moments


def migrate(conn: sqlite3.Connection) -> None:
    """Bring a log written before events carried a version up to today's table.

    Its events are all of version 1, the shapes that release wrote.
    """
    columns = {row[1] for row in conn.execute("PRAGMA table_info(events)")}
    if "version" not in columns:
        conn.execute("ALTER TABLE events ADD COLUMN version INTEGER NOT NULL DEFAULT 1")


class _SqliteTransaction:
    """The statements of one transaction on the store's connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def emit(self, payload: Payload, key: str, centre_id: str, at_us: int) -> Event:
        """Append one event of ``payload``'s kind (see ``Transaction.emit``)."""
        return self.append((NewEvent.of(payload, key, centre_id, at_us),))[0]

    def append(self, events: Sequence[NewEvent]) -> list[Event]:
        """Insert the events; others see them once the transaction commits."""
        out = []
        for event in events:
            at = from_us(event.at_us).isoformat()
            payload = json.dumps(encode(event.payload), separators=(",", ":"))
            version = event.version
            cursor = self.conn.execute(
                "INSERT INTO events (at, kind, key, centre_id, data, version) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (at, event.kind, event.key, event.centre_id, payload, version),
            )
            # Handed back exactly as a later read gives it, so the live state and
            # one rebuilt from the log are equal.
            row = (cursor.lastrowid, at, event.kind, event.key, event.centre_id, payload, version)
            out.append(_row_event(row))
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
        """Events (committed, or appended in this transaction) matching every filter."""
        sql, args = _select(after, kinds, key, centre_id, since, until)
        # :func:`_row_event`, written out: a start-up reads a day's events through here.
        parse, micros = datetime.fromisoformat, to_us
        for seq, at, kind, key_, centre, data, version in self.conn.execute(sql, args):
            payload = decode_json(kind, version, data, seq=seq)
            yield Event(kind, key_, micros(parse(at)), centre, payload, seq, version)

    def last_seq(self) -> int:
        """The newest ``seq``, appends of this transaction included."""
        row = self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()
        return int(row[0])

    def counter(self, name: str) -> int:
        """Increment and return a named counter; rolled back with the transaction."""
        row = self.conn.execute(
            "INSERT INTO counters (name, value) VALUES (?, 1) "
            "ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value",
            (name,),
        ).fetchone()
        return int(row[0])


class SqliteStore(LogStore):
    """The event log in one SQLite file (or ``:memory:``), safe across threads and processes."""

    def __init__(self, path: str = ":memory:", *, timeout: float = 30.0) -> None:
        self.url = f"sqlite:///{path}"
        self.path = path
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(
            path, timeout=timeout, isolation_level=None, check_same_thread=False
        )
        if path != ":memory:":
            self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        with self._lock:
            self._conn.executescript(SCHEMA)
            migrate(self._conn)

    @contextmanager
    def transaction(self) -> Iterator[_SqliteTransaction]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT``; rolled back if the block raises."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield _SqliteTransaction(self._conn)
                self._conn.execute("COMMIT")
            except BaseException:
                # A failed COMMIT leaves the transaction open: end it so the
                # connection is usable and nothing half-done stays.
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    @contextmanager
    def _snapshot(self) -> Iterator[_SqliteTransaction]:
        with self._lock:
            yield _SqliteTransaction(self._conn)

    def read_batches(
        self, *, after: int = 0, kinds: Sequence[str] | None = None
    ) -> Iterator[EventBatch]:
        """Committed events after ``after`` (of ``kinds``), in log order, as batches.

        Each batch's rows are fetched by a statement of their own under the store's
        lock (the next one reads after the last ``seq`` read; commits come in ``seq``
        order, so nothing is skipped) and read (payloads, times) outside it. A replay
        holds one batch of rows at a time, not the whole log: a start-up in a new
        process touches half the fresh memory it did.
        """
        while True:
            sql, args = _select(after, kinds)
            with self._lock:
                rows = self._conn.execute(f"{sql} LIMIT {BATCH}", args).fetchall()
            if not rows:
                return
            yield _batch(rows)
            if len(rows) < BATCH:
                return
            after = rows[-1][0]

    def last_seq(self) -> int:
        """The ``seq`` of the newest event (0 when the log is empty)."""
        with self._lock:
            row = self._conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()
        return int(row[0])

    def last_seqs(self, kind: str, centre_ids: Collection[str]) -> dict[str, int]:
        """Per centre of ``centre_ids``, the ``seq`` of its newest event of ``kind``.

        Read from the end of the log back, and only until every centre is found: a
        start-up looks for the day ends, and the last ones are near the end. Each look
        back is a statement with a limit (a cursor reads a row ahead, which would be a
        scan to the next older event), twice as long as the one before.
        """
        wanted = set(centre_ids)
        found: dict[str, int] = {}
        select = "SELECT seq, centre_id FROM events WHERE kind = ? {}ORDER BY seq DESC LIMIT ?"
        limit = len(wanted)
        older_than: int | None = None  # None: from the newest event
        while len(found) < len(wanted):
            args: tuple[object, ...]
            if older_than is None:
                sql, args = select.format(""), (kind, limit)
            else:
                sql, args = select.format("AND seq < ? "), (kind, older_than, limit)
            with self._lock:
                rows = self._conn.execute(sql, args).fetchall()
            for seq, centre_id in rows:
                if centre_id in wanted and centre_id not in found:
                    found[centre_id] = seq
            if len(rows) < limit:
                break
            older_than, limit = rows[-1][0], 2 * limit
        return found

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
                "INSERT OR REPLACE INTO personal (ref, data, expires_at) VALUES (?, ?, ?)",
                (ref, json.dumps(dict(data)), _utc(expires_at)),
            )

    def get_personal(self, ref: str) -> dict[str, str] | None:
        """Personal data kept under ``ref``."""
        with self._lock:
            row = self._conn.execute("SELECT data FROM personal WHERE ref = ?", (ref,)).fetchone()
        return dict(json.loads(row[0])) if row else None

    def delete_personal(self, ref: str) -> None:
        """Forget the personal data under ``ref``."""
        with self.transaction() as tx:
            tx.conn.execute("DELETE FROM personal WHERE ref = ?", (ref,))

    def purge_personal(self, now: datetime) -> int:
        """Delete personal data whose retention has run out."""
        with self.transaction() as tx:
            cursor = tx.conn.execute("DELETE FROM personal WHERE expires_at <= ?", (_utc(now),))
            return cursor.rowcount

    def put_checkpoint(self, name: str, seq: int, data: Mapping[str, Any]) -> None:
        """Keep a checkpoint after event ``seq``, unless a newer one is kept already."""
        with self.transaction() as tx:
            tx.conn.execute(
                "INSERT INTO checkpoints (name, seq, data) VALUES (?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET seq = excluded.seq, data = excluded.data "
                "WHERE excluded.seq >= checkpoints.seq",
                (name, seq, json.dumps(dict(data), separators=(",", ":"))),
            )

    def get_checkpoint(self, name: str) -> tuple[int, dict[str, Any]] | None:
        """The checkpoint kept under ``name``."""
        with self._lock:
            row = self._conn.execute(
                "SELECT seq, data FROM checkpoints WHERE name = ?", (name,)
            ).fetchone()
        return (int(row[0]), dict(json.loads(row[1]))) if row else None

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()
