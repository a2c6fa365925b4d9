"""The server store: PostgreSQL, for several centres sharing one installation.

The same event log as the SQLite store, with the same guarantees: every write
transaction takes one transaction-scoped advisory lock first, so commands are
serialised across every process and machine using the database exactly as
SQLite's ``BEGIN IMMEDIATE`` serialises them on one machine. Readers never wait.
Needs the ``postgres`` extra (psycopg 3).

A command costs few round trips to the server: ``BEGIN`` goes with the lock,
which answers the newest ``seq`` (read after the lock is granted); appended
events take the next numbers themselves (nobody else writes meanwhile) and go
with the ``COMMIT``. A simple command (call, finish) is two round trips.

An *optimistic* transaction (:meth:`PostgresStore.optimistic`, for the queue
engine, which runs a command again when told) is one round trip: the block
sees the log as this store last saw it, and its appends and ticket counters go
to the server function ``frontdesk_append`` in one statement, which takes the
writers' lock, checks that the newest ``seq`` and the counters are still what
the block saw, and writes, or writes nothing and raises ``StaleWrite``. The
store goes optimistic only while nobody else has written since its own last
command, so a second server sharing the database costs few second runs.

Every transaction that appends events tells listeners on the channel
:data:`CHANNEL` the newest ``seq``, in the same transaction (PostgreSQL sends
the notification only once it is committed). :meth:`PostgresStore.listen`
hears the other processes' on a connection and a thread of its own, and
connects again when the connection is lost.

The store outlives the server's restarts and fail-overs: a lost connection
fails the command that was using it with a :class:`StoreError` (rolled back
by the server, so nothing of it is half applied), and the next command
connects afresh. Nothing psycopg raises reaches the caller as it is.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

import psycopg
from psycopg import ClientCursor
from psycopg.pq import TransactionStatus

from frontdesk_core.errors import StaleWrite, StoreError
from frontdesk_core.events.base import Payload, from_us, to_us
from frontdesk_core.events.log import Event, NewEvent
from frontdesk_core.events.registry import decode, decode_json, encode
from frontdesk_core.store.base import LogStore, Transaction, as_utc, select_events

T = TypeVar("T")
WRITE_LOCK = 0x46524F4E  # any fixed number: the one lock all frontdesk writers take
CONNECT_TIMEOUT = 5
"""Seconds to wait for the server when (re)connecting, unless the URL says otherwise."""
CHANNEL = "frontdesk_events"
"""The channel every committed append is announced on, with the newest ``seq``."""
LISTEN_TICK = 0.25
"""Seconds between a listener's looks at whether it is to stop."""
RELISTEN_SECONDS = 1.0
"""Seconds a listener waits before connecting again after losing its connection."""
log = logging.getLogger("frontdesk.store")
STALE = "40001"  # serialization_failure: what frontdesk_append raises when the log moved on

SCHEMA = f"""
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
-- The writers' lock, and the newest seq as it is once the lock is granted (a
-- volatile function reads with a new snapshot per statement, so it sees every
-- write committed before the lock was given).
CREATE OR REPLACE FUNCTION frontdesk_write_lock() RETURNS BIGINT
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock({WRITE_LOCK});
    RETURN (SELECT COALESCE(MAX(seq), 0) FROM events);
END $$;
-- An optimistic command in one statement: under the writers' lock, if the log
-- and the counters are as the command saw them, count, append and announce.
-- The same for the common command, one event and at most one count, in typed
-- arguments (cheaper to send and read than JSON).
CREATE OR REPLACE FUNCTION frontdesk_append_one(
    known BIGINT, new_at TIMESTAMPTZ, new_kind TEXT, new_key TEXT, new_centre TEXT,
    new_data JSONB, new_version INTEGER, counter_name TEXT, counter_value BIGINT
) RETURNS BIGINT
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    counted BIGINT;
BEGIN
    PERFORM pg_advisory_xact_lock({WRITE_LOCK});
    IF (SELECT COALESCE(MAX(seq), 0) FROM events) <> known THEN
        RAISE EXCEPTION 'the log moved on' USING ERRCODE = '{STALE}';
    END IF;
    IF counter_name IS NOT NULL THEN
        INSERT INTO counters (name, value) VALUES (counter_name, 1)
        ON CONFLICT (name) DO UPDATE SET value = counters.value + 1
        RETURNING value INTO counted;
        IF counted <> counter_value THEN
            RAISE EXCEPTION 'a counter moved on' USING ERRCODE = '{STALE}';
        END IF;
    END IF;
    INSERT INTO events (seq, at, kind, key, centre_id, data, version)
    VALUES (known + 1, new_at, new_kind, new_key, new_centre, new_data, new_version);
    PERFORM pg_notify('{CHANNEL}', (known + 1)::text);
    RETURN known + 1;
END $$;
-- The events are a JSON array of [at, kind, key, centre_id, data, version], the
-- counts one of [name, the value the command took].
CREATE OR REPLACE FUNCTION frontdesk_append(known BIGINT, appended JSONB, counts JSONB)
RETURNS BIGINT
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    counted BIGINT;
    item JSONB;
    added INTEGER := jsonb_array_length(appended);
BEGIN
    PERFORM pg_advisory_xact_lock({WRITE_LOCK});
    IF (SELECT COALESCE(MAX(seq), 0) FROM events) <> known THEN
        RAISE EXCEPTION 'the log moved on' USING ERRCODE = '{STALE}';
    END IF;
    FOR item IN SELECT value FROM jsonb_array_elements(counts) LOOP
        INSERT INTO counters (name, value) VALUES (item->>0, 1)
        ON CONFLICT (name) DO UPDATE SET value = counters.value + 1
        RETURNING value INTO counted;
        IF counted <> (item->>1)::BIGINT THEN
            RAISE EXCEPTION 'a counter moved on' USING ERRCODE = '{STALE}';
        END IF;
    END LOOP;
    INSERT INTO events (seq, at, kind, key, centre_id, data, version)
    SELECT known + n, (e->>0)::TIMESTAMPTZ, e->>1, e->>2, e->>3, e->4, (e->>5)::INTEGER
    FROM jsonb_array_elements(appended) WITH ORDINALITY AS t(e, n);
    IF added > 0 THEN
        PERFORM pg_notify('{CHANNEL}', (known + added)::text);
    END IF;
    RETURN known + added;
END $$;
"""

BEGIN = "BEGIN; SELECT frontdesk_write_lock()"
INSERT = (
    "INSERT INTO events (seq, at, kind, key, centre_id, data, version) VALUES "
    "(%s, %s, %s, %s, %s, %s, %s)"
)
APPEND = "SELECT frontdesk_append(%s, %s::jsonb, %s::jsonb)"
APPEND_ONE = "SELECT frontdesk_append_one(%s, %s, %s, %s, %s, %s::jsonb, %s, %s::text, %s::bigint)"
Row = tuple[datetime, str, str, str, str, int]
"""An event as it is written: at, kind, key, centre, data (JSON text), version."""


def _written(event: NewEvent, seq: int) -> tuple[Row, Event]:
    """The row to write for ``event`` at ``seq``, and the event as a later read gives it."""
    data = json.dumps(encode(event.payload), separators=(",", ":"))
    version = event.version
    # Handed back exactly as a later read gives it (see the SQLite store); most
    # payloads repeat, and a read remembers the ones it saw lately.
    payload = decode_json(event.kind, version, data, seq=seq)
    row = (from_us(event.at_us), event.kind, event.key, event.centre_id, data, version)
    return row, Event(event.kind, event.key, event.at_us, event.centre_id, payload, seq)


class _PostgresTransaction:
    """One write transaction: appends wait to go with the next statement or the commit."""

    def __init__(self, conn: psycopg.Connection[Any], last: int) -> None:
        self.conn = conn
        self._last = last
        self._pending: list[str] = []
        """INSERT statements, bound already, not sent yet."""
        self.appended = False
        self.counted: dict[str, int] = {}
        """The counters this transaction counted, and their values."""

    def emit(self, payload: Payload, key: str, centre_id: str, at_us: int) -> Event:
        """Append one event of ``payload``'s kind (see ``Transaction.emit``)."""
        return self.append((NewEvent.of(payload, key, centre_id, at_us),))[0]

    def append(self, events: Sequence[NewEvent]) -> list[Event]:
        out = []
        cursor = ClientCursor(self.conn)
        for event in events:
            self._last += 1
            row, written = _written(event, self._last)
            self._pending.append(cursor.mogrify(INSERT, (self._last, *row)))
            out.append(written)
        self.appended = self.appended or bool(out)
        return out

    def flush(self, then: str = "") -> None:
        """Send the pending appends (with ``then``, a statement without parameters)."""
        statements = [*self._pending, then] if then else self._pending
        if statements:
            self._pending = []
            self.conn.execute("; ".join(statements))

    def commit(self) -> None:
        """Send the pending appends, the announcement of the newest ``seq``, and COMMIT."""
        if self.appended:
            self._pending.append(f"SELECT pg_notify('{CHANNEL}', '{self._last}')")
        self.flush(then="COMMIT")

    def execute(self, sql: str, args: Sequence[object] = ()) -> psycopg.Cursor[Any]:
        """Run a statement after the pending appends."""
        self.flush()
        return self.conn.execute(sql, args)

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
        sql, args = select_events(
            "%s", after, kinds, key, centre_id, since, until, kinds_as_array=True
        )
        for seq, at, kind, key_, centre, data, version in self.execute(sql, args).fetchall():
            payload = decode(kind, version, data, seq=seq)
            yield Event(kind, key_, to_us(at), centre, payload, seq, version)

    def last_seq(self) -> int:
        return self._last

    def counter(self, name: str) -> int:
        row = self.execute(
            "INSERT INTO counters (name, value) VALUES (%s, 1) "
            "ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value",
            (name,),
        ).fetchone()
        if row is None:  # INSERT ... RETURNING always returns the row
            raise StoreError(f"the counter '{name}' was not counted")
        self.counted[name] = int(row[0])
        return int(row[0])


class _OptimisticTransaction:
    """A command decided on the log as the store last saw it; sent whole at the commit."""

    def __init__(self, store: PostgresStore, known: int) -> None:
        self.store = store
        self.known = known
        self.rows: list[Row] = []
        self.events: list[Event] = []
        self.counted: list[tuple[str, int]] = []
        """Each counting, in order, and the value the command took from it."""

    def emit(self, payload: Payload, key: str, centre_id: str, at_us: int) -> Event:
        """Append one event of ``payload``'s kind (see ``Transaction.emit``)."""
        return self.append((NewEvent.of(payload, key, centre_id, at_us),))[0]

    def append(self, events: Sequence[NewEvent]) -> list[Event]:
        out = []
        for event in events:
            row, written = _written(event, self.known + len(self.rows) + 1)
            self.rows.append(row)
            out.append(written)
        self.events += out
        return out

    def read(self, **filters: Any) -> Iterator[Event]:
        """Committed events matching ``filters`` (those of :meth:`Transaction.read`)."""
        if self.rows:
            raise StoreError("an optimistic command reads the log before it appends, not after")
        return self.store.read(**filters)

    def last_seq(self) -> int:
        return self.known + len(self.rows)

    def counter(self, name: str) -> int:
        taken = [value for counted, value in self.counted if counted == name]
        if taken:
            value = taken[-1] + 1
        elif name in self.store._counters:
            value = self.store._counters[name] + 1
        else:
            value = self.store._counter_value(name) + 1
        self.counted.append((name, value))
        return value

    def statement(self) -> tuple[str, tuple[object, ...]]:
        """The call of ``frontdesk_append`` for this command and its arguments: typed
        for one event and at most one count, else the events and counts as JSON (one
        text each is far cheaper to send and to read than arrays)."""
        if len(self.rows) == 1 and len(self.counted) <= 1:
            name, value = self.counted[0] if self.counted else (None, None)
            return APPEND_ONE, (self.known, *self.rows[0], name, value)
        quote = json.dumps
        events = ",".join(
            f"[{quote(at.isoformat())},{quote(kind)},{quote(key)},{quote(centre)},{data},{version}]"
            for at, kind, key, centre, data, version in self.rows
        )
        return APPEND, (self.known, f"[{events}]", quote(self.counted))


class _Snapshot(_PostgresTransaction):
    """Reads outside a write transaction: each statement sees what is committed."""

    def last_seq(self) -> int:
        row = self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()
        return int(row[0]) if row else 0


class _Listener:
    """Hears other connections' appends on :data:`CHANNEL`, on a thread and a
    connection of its own; connects again (and says "look") when it loses it."""

    def __init__(self, store: PostgresStore, heard: Callable[[int], None]) -> None:
        self.store = store
        self.heard = heard
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._listen, name="frontdesk-listener", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Stop listening (the thread ends within a tick)."""
        self.stopped.set()

    def _tell(self, seq: int) -> None:
        try:
            self.heard(seq)
        except Exception:  # a listener's caller must not end the listening
            log.exception("a store listener failed")

    def _listen(self) -> None:
        while not self.stopped.is_set():
            try:
                with psycopg.connect(
                    self.store.url, autocommit=True, **self.store.connect_options()
                ) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._tell(0)  # what was written while nobody listened
                    while not self.stopped.is_set():
                        for note in conn.notifies(timeout=LISTEN_TICK):
                            if self.stopped.is_set():
                                return
                            if note.pid != self.store.backend_pid():
                                self._tell(int(note.payload))
            except (psycopg.Error, OSError):
                self.stopped.wait(RELISTEN_SECONDS)


def _lost(conn: psycopg.Connection[Any] | None) -> bool:
    return conn is None or conn.closed or conn.broken


class PostgresStore(LogStore):
    """The event log in a PostgreSQL database, given by a ``postgresql://`` URL."""

    optimistic_writes = True

    def __init__(self, url: str) -> None:
        self.url = url
        self._lock = threading.RLock()
        self._conn: psycopg.Connection[Any] | None = None
        self._known = 0
        """The newest ``seq`` as this store's last write transaction left it."""
        self._quiet = False
        """Whether nobody else had written when this store last looked: then an
        optimistic transaction is worth trying."""
        self._counters: dict[str, int] = {}
        """Counter values as this store last counted them (checked at the commit)."""
        self._listeners: list[_Listener] = []
        self._stale: set[int] = set()
        """Threads told StaleWrite: their next optimistic transaction takes the lock."""
        self._run(_create)

    # -- the connection -----------------------------------------------------------------

    def _connect(self) -> psycopg.Connection[Any]:
        """The open connection, or a new one if there is none or it was lost."""
        conn = self._conn
        if conn is not None and not _lost(conn):
            return conn
        if conn is not None:
            conn.close()
            self._conn = None
        try:
            self._conn = psycopg.connect(self.url, autocommit=True, **self.connect_options())
        except psycopg.Error as exc:
            raise StoreError(f"cannot reach the PostgreSQL server: {_reason(exc)}") from exc
        return self._conn

    def connect_options(self) -> dict[str, Any]:
        """Options of every connection the store opens, besides its URL's."""
        return {} if "connect_timeout" in self.url else {"connect_timeout": CONNECT_TIMEOUT}

    def backend_pid(self) -> int | None:
        """The server process of the store's own connection (its notifications are its own)."""
        conn = self._conn
        return None if _lost(conn) else conn.info.backend_pid  # type: ignore[union-attr]

    def listen(self, heard: Callable[[int], None]) -> Callable[[], None]:
        """Call ``heard`` with the newest ``seq`` when another connection's append
        commits, and with 0 whenever the listener (re)connects; see :meth:`LogStore.listen`."""
        listener = _Listener(self, heard)
        self._listeners.append(listener)
        return listener.stop

    def _run(self, work: Callable[[psycopg.Connection[Any]], T]) -> T:
        """``work`` on the connection (under the store's lock); errors become :class:`StoreError`.

        A connection the server dropped since the last command (a restart, a
        fail-over) is found dead only when used: ``work`` is then run once more on
        a new connection. Only a command's first statement, or a read, is run
        this way: nothing of it can have been applied.
        """
        with self._lock:
            conn = self._connect()
            try:
                try:
                    return work(conn)
                except psycopg.Error:
                    if not _lost(conn):
                        raise
                conn = self._connect()
                return work(conn)
            except psycopg.Error as exc:
                raise self._failed(conn, exc) from exc

    def _failed(
        self, conn: psycopg.Connection[Any], exc: psycopg.Error, *, committing: bool = False
    ) -> StoreError:
        """The :class:`StoreError` for ``exc``; a lost connection is dropped for the next one."""
        if not (_lost(conn) or isinstance(exc, psycopg.OperationalError)):
            return StoreError(f"the PostgreSQL store refused the command: {_reason(exc)}")
        conn.close()
        if committing:
            outcome = "it was recorded whole or not at all, and the log says which"
        else:
            outcome = "nothing of it was recorded"
        return StoreError(
            f"lost the connection to the PostgreSQL server during a command; {outcome}; "
            f"the next command connects again ({_reason(exc)})"
        )

    @contextmanager
    def transaction(self) -> Iterator[_PostgresTransaction]:
        """A write transaction holding the writers' lock; rolled back if the block raises."""
        with self._lock:
            conn, last = self._run(_begin)
            self._look(last)
            tx = _PostgresTransaction(conn, last)
            try:
                try:
                    yield tx
                except psycopg.Error as exc:
                    raise self._failed(conn, exc) from exc
                try:
                    tx.commit()
                except psycopg.Error as exc:
                    raise self._failed(conn, exc, committing=True) from exc
            except BaseException:
                _rollback(conn)
                raise
            self._known = tx.last_seq()
            self._counters.update(tx.counted)

    def _look(self, last: int) -> None:
        """What the newest ``seq`` under the lock says: has anybody else written since
        this store did?"""
        self._quiet = last == self._known
        if not self._quiet:
            self._counters.clear()  # others may have counted too
        self._known = last

    @contextmanager
    def optimistic(self) -> Iterator[Transaction]:
        """A write transaction in one round trip while nobody else writes (see the module).

        The block may be run again: when the commit finds that others wrote since
        the look it was decided on, nothing is written and :class:`StaleWrite` is
        raised. So is it when the block raises and the log has moved on (its refusal
        may rest on what it did not see). The next transaction then takes the lock
        first in the same thread, so a second run is never stale.
        """
        with self._lock:
            again = threading.get_ident() in self._stale
            if again or not self._quiet:
                self._stale.discard(threading.get_ident())
                with self.transaction() as locked:
                    yield locked
                return
            tx = _OptimisticTransaction(self, self._known)
            try:
                yield tx
            except Exception as exc:
                if self._moved_on(tx.known):
                    raise self._stale_write() from exc
                raise
            if tx.rows or tx.counted:
                self._known = self._commit(tx)
                self._counters.update(tx.counted)
            elif self._moved_on(tx.known):
                raise self._stale_write()

    def _stale_write(self) -> StaleWrite:
        """The error that has the command run again; this thread's next one takes the lock."""
        self._quiet = False
        self._stale.add(threading.get_ident())
        return StaleWrite("others wrote meanwhile; nothing of the command was written")

    def _moved_on(self, known: int) -> bool:
        """Whether the log has events after ``known`` (an unreachable server: no)."""
        try:
            moved = self.last_seq() != known
        except StoreError:
            return False
        if moved:
            self._quiet = False
        return moved

    def _counter_value(self, name: str) -> int:
        """A counter's committed value (0: never counted)."""
        row = self._run(
            lambda conn: conn.execute(
                "SELECT value FROM counters WHERE name = %s", (name,)
            ).fetchone()
        )
        return int(row[0]) if row else 0

    def _commit(self, tx: _OptimisticTransaction) -> int:
        """Send an optimistic command; the newest ``seq`` after it.

        When the connection is lost on the way, it is sent again on a new one: it
        is written at most once, as the function checks the newest ``seq`` under the
        lock; if the second sending finds the log moved on, the events after the
        command's look say whether they are the command's own.
        """
        statement = tx.statement()
        conn = self._connect()
        try:
            return _append(conn, statement)
        except psycopg.Error as exc:
            if not _lost(conn):
                raise self._refused(exc) from exc
            first = exc
            lost = self._failed(conn, exc, committing=True)  # and the connection is dropped
        try:
            conn = self._connect()
            try:
                return _append(conn, statement)
            except psycopg.Error as exc:
                if exc.sqlstate != STALE:
                    raise
                if self._ours(conn, tx):
                    return tx.last_seq()
                raise self._refused(exc) from exc
        except psycopg.Error as exc:
            raise self._failed(conn, exc, committing=True) from exc
        except StaleWrite:
            raise
        except StoreError:  # the server is not back yet
            raise lost from first

    def _refused(self, exc: psycopg.Error) -> StoreError:
        """StaleWrite when the function found the log moved on, else the refusal."""
        if exc.sqlstate == STALE:
            self._quiet = False
            self._counters.clear()
            return self._stale_write()
        return StoreError(f"the PostgreSQL store refused the command: {_reason(exc)}")

    def _ours(self, conn: psycopg.Connection[Any], tx: _OptimisticTransaction) -> bool:
        """Whether the events right after the command's look are the command's own."""
        rows = conn.execute(
            "SELECT at, kind, key, centre_id, data, version FROM events "
            "WHERE seq > %s AND seq <= %s ORDER BY seq",
            (tx.known, tx.last_seq()),
        ).fetchall()
        mine = [(*row[:4], json.loads(row[4]), row[5]) for row in tx.rows]
        return [tuple(row) for row in rows] == mine

    def _view(self, work: Callable[[Transaction], T]) -> T:
        return self._run(lambda conn: work(_Snapshot(conn, 0)))

    def last_seq(self) -> int:
        """The ``seq`` of the newest event (0 when the log is empty)."""
        last = self._run(lambda conn: _Snapshot(conn, 0).last_seq())
        if last != self._known:
            self._quiet = False
        return last

    def kind_versions(self) -> list[tuple[str, int, int]]:
        """Each (kind, version) the log holds, with the ``seq`` of its first event."""
        rows = self._run(
            lambda conn: conn.execute(
                "SELECT kind, version, MIN(seq) FROM events GROUP BY kind, version"
            ).fetchall()
        )
        return [(str(k), int(v), int(s)) for k, v, s in rows]

    def put_personal(self, ref: str, data: Mapping[str, str], expires_at: datetime) -> None:
        """Keep personal data under ``ref`` until ``expires_at``."""
        with self.transaction() as tx:
            tx.execute(
                "INSERT INTO personal (ref, data, expires_at) VALUES (%s, %s, %s) "
                "ON CONFLICT (ref) DO UPDATE SET data = EXCLUDED.data, "
                "expires_at = EXCLUDED.expires_at",
                (ref, json.dumps(dict(data)), as_utc(expires_at)),
            )

    def get_personal(self, ref: str) -> dict[str, str] | None:
        """Personal data kept under ``ref``."""
        row = self._run(
            lambda conn: conn.execute("SELECT data FROM personal WHERE ref = %s", (ref,)).fetchone()
        )
        return dict(row[0]) if row else None

    def delete_personal(self, ref: str) -> None:
        """Forget the personal data under ``ref``."""
        with self.transaction() as tx:
            tx.execute("DELETE FROM personal WHERE ref = %s", (ref,))

    def purge_personal(self, now: datetime) -> int:
        """Delete personal data whose retention has run out."""
        with self.transaction() as tx:
            cursor = tx.execute("DELETE FROM personal WHERE expires_at <= %s", (as_utc(now),))
            return cursor.rowcount

    def put_checkpoint(self, name: str, seq: int, data: Mapping[str, Any]) -> None:
        """Keep a checkpoint after event ``seq``, unless a newer one is kept already."""
        with self.transaction() as tx:
            tx.execute(
                "INSERT INTO checkpoints (name, seq, data) VALUES (%s, %s, %s) "
                "ON CONFLICT (name) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data "
                "WHERE EXCLUDED.seq >= checkpoints.seq",
                (name, seq, json.dumps(dict(data))),
            )

    def get_checkpoint(self, name: str) -> tuple[int, dict[str, Any]] | None:
        """The checkpoint kept under ``name``."""
        row = self._run(
            lambda conn: conn.execute(
                "SELECT seq, data FROM checkpoints WHERE name = %s", (name,)
            ).fetchone()
        )
        return (int(row[0]), dict(row[1])) if row else None

    def close(self) -> None:
        """Close the connection and stop the listeners."""
        for listener in self._listeners:
            listener.stop()
        with self._lock:
            if self._conn is not None:
                self._conn.close()


def _create(conn: psycopg.Connection[Any]) -> None:
    """Create or bring up to date the tables (one writer at a time)."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        conn.execute(SCHEMA)


def _begin(conn: psycopg.Connection[Any]) -> tuple[psycopg.Connection[Any], int]:
    """Begin a write transaction and take the writers' lock; the newest ``seq`` then."""
    cursor = conn.execute(BEGIN)
    cursor.nextset()  # past BEGIN's result to the lock's
    row = cursor.fetchone()
    return conn, int(row[0]) if row else 0


def _append(conn: psycopg.Connection[Any], statement: tuple[str, tuple[object, ...]]) -> int:
    """Run a call of ``frontdesk_append`` (its own transaction, committed when it answers)."""
    sql, args = statement
    row = conn.execute(sql, args, prepare=True).fetchone()
    return int(row[0]) if row else 0


def _rollback(conn: psycopg.Connection[Any]) -> None:
    """End a failed transaction, if the connection still can."""
    if _lost(conn) or conn.info.transaction_status == TransactionStatus.IDLE:
        return
    try:
        conn.execute("ROLLBACK")
    except psycopg.Error:
        conn.close()  # the server rolls back what a closed connection left open


def _reason(exc: psycopg.Error) -> str:
    """psycopg's message in one line (it names the server, never personal data)."""
    return " ".join(str(exc).split()) or type(exc).__name__
