"""The durable event log every state change is appended to, behind one interface.

The live state (tickets, counters, bookings) is derived from the events and
rebuilt from them on start. Personal data never goes into events: it lives in a
separate table keyed by a reference, so it can be purged after the retention
period while the anonymous events stay for statistics.

An engine may keep a *checkpoint* of its state as it was after some event, so a
start-up reads only the events after it. A checkpoint is a cache: the log stays
the truth, and an engine that finds no usable checkpoint replays the log.

Events are typed (:mod:`frontdesk_core.events`): a store writes each payload's
plain form and its version, and reads back today's record, upcast if the
stored version is older.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol, TypeVar

from frontdesk_core.errors import StaleWrite
from frontdesk_core.events.base import Payload
from frontdesk_core.events.log import Event, EventBatch, NewEvent


class Transaction(Protocol):
    """One exclusive write transaction: read what is committed, then append."""

    def append(self, events: Sequence[NewEvent]) -> list[Event]:
        """Append events; they become visible when the transaction commits."""
        ...

    def emit(self, payload: Payload, key: str, centre_id: str, at_us: int) -> Event:
        """Append one event of ``payload``'s kind: ``append`` of one new event, without
        building it first (an engine's command appends one, and this is its hot path)."""
        ...

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
        """Events in log order matching every filter given."""
        ...

    def counter(self, name: str) -> int:
        """Increment and return a named counter (ticket numbers), inside the transaction."""
        ...

    def last_seq(self) -> int:
        """The ``seq`` of the newest event, this transaction's own appends included."""
        ...


class EventStore(Transaction, Protocol):
    """The durable log. Each ``append`` outside ``transaction()`` is its own transaction."""

    url: str

    def transaction(self) -> AbstractContextManager[Transaction]:
        """An exclusive write transaction: commit on success, roll back on error."""
        ...

    def optimistic(self) -> AbstractContextManager[Transaction]:
        """A write transaction for a caller that runs its block again on ``StaleWrite``."""
        ...

    def last_seq(self) -> int:
        """The ``seq`` of the newest event (0 when the log is empty)."""
        ...

    def write_one(
        self,
        known: int,
        payload: Payload,
        key: str,
        centre_id: str,
        at_us: int,
        counted: tuple[str, int] | None = None,
    ) -> Event:
        """Append one event if the newest ``seq`` is still ``known``, else raise ``StaleWrite``."""
        ...

    def listen(self, heard: Callable[[int], None]) -> Callable[[], None] | None:
        """Have ``heard`` told when other processes append; ``None``: this store cannot."""
        ...

    def read_batches(
        self, *, after: int = 0, kinds: Sequence[str] | None = None
    ) -> Iterator[EventBatch]:
        """Committed events after ``after`` (of ``kinds``), in log order, as batches of
        columns: what a replay reads (the events :meth:`read` gives, without an object each)."""
        ...

    def kind_versions(self) -> list[tuple[str, int, int]]:
        """Each (kind, version) the log holds, with the ``seq`` of its first event."""
        ...

    def last_seqs(self, kind: str, centre_ids: Collection[str]) -> dict[str, int]:
        """Per centre of ``centre_ids``, the ``seq`` of its newest event of ``kind``
        (a centre with none is left out)."""
        ...

    def put_personal(self, ref: str, data: Mapping[str, str], expires_at: datetime) -> None:
        """Keep personal data under ``ref`` until ``expires_at``."""
        ...

    def get_personal(self, ref: str) -> dict[str, str] | None:
        """Personal data kept under ``ref`` (``None`` when purged or never kept)."""
        ...

    def delete_personal(self, ref: str) -> None:
        """Forget the personal data under ``ref`` now."""
        ...

    def purge_personal(self, now: datetime) -> int:
        """Delete personal data whose retention has run out; return how many were deleted."""
        ...

    def put_checkpoint(self, name: str, seq: int, data: Mapping[str, Any]) -> None:
        """Keep an engine's state as it was after event ``seq`` (a newer one is kept)."""
        ...

    def get_checkpoint(self, name: str) -> tuple[int, dict[str, Any]] | None:
        """The checkpoint kept under ``name``: its ``seq`` and data (``None``: none kept)."""
        ...

    def close(self) -> None:
        """Close the store's connections."""
        ...


__all__ = [
    "Event",
    "EventBatch",
    "EventStore",
    "LogStore",
    "NewEvent",
    "Transaction",
    "as_utc",
    "newest_seqs",
]

T = TypeVar("T")


def as_utc(moment: datetime) -> datetime:
    """``moment`` in UTC; every store refuses naive times (their zone would be a guess)."""
    if moment.tzinfo is None:
        raise ValueError("the store needs timezone-aware times")
    return moment.astimezone(UTC)


def newest_seqs(
    reader: Transaction | LogStore, kind: str, centre_ids: Collection[str]
) -> dict[str, int]:
    """Per centre of ``centre_ids``, the ``seq`` of its newest event of ``kind`` that
    ``reader`` holds (a centre with none is left out), read from the log's start."""
    found: dict[str, int] = {}
    for event in reader.read(kinds=[kind]):
        if event.centre_id in centre_ids:
            found[event.centre_id] = event.seq
    return found


EVENT_COLUMNS = "seq, at, kind, key, centre_id, data, version"
"""The columns of an event row, in the order the stores read them."""


def select_events(
    mark: str,
    after: int,
    kinds: Sequence[str] | None = None,
    key: str | None = None,
    centre_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    *,
    kinds_as_array: bool = False,
    moment: Callable[[datetime], object] = as_utc,
) -> tuple[str, list[object]]:
    """The SQL query for the events matching every filter given, and its arguments.

    ``mark`` is the driver's placeholder (``?`` or ``%s``); ``kinds_as_array`` passes
    the kinds as one array argument (``kind = ANY(%s)``) instead of one each;
    ``moment`` writes a time as the table keeps it.
    """
    clauses: list[str] = [f"seq > {mark}"]
    args: list[object] = [after]
    if kinds is not None:
        if kinds_as_array:
            clauses.append(f"kind = ANY({mark})")
            args.append(list(kinds))
        else:
            clauses.append(f"kind IN ({','.join([mark] * len(kinds))})")
            args += list(kinds)
    for column, value in (("key", key), ("centre_id", centre_id)):
        if value is not None:
            clauses.append(f"{column} = {mark}")
            args.append(value)
    if since is not None:
        clauses.append(f"at >= {mark}")
        args.append(moment(since))
    if until is not None:
        clauses.append(f"at < {mark}")
        args.append(moment(until))
    sql = f"SELECT {EVENT_COLUMNS} FROM events WHERE {' AND '.join(clauses)} ORDER BY seq"
    return sql, args


class LogStore:
    """What every store does the same way on top of its own transactions.

    A store supplies ``transaction()`` (exclusive, commit or roll back) and
    ``_snapshot()`` (a read view of what is committed, under the store's lock);
    appending, reading and counting outside a transaction are built from them.
    """

    def transaction(self) -> AbstractContextManager[Transaction]:
        """An exclusive write transaction: commit on success, roll back on error."""
        raise NotImplementedError

    optimistic_writes: ClassVar[bool] = False
    """Whether :meth:`optimistic` may raise ``StaleWrite`` (a server store's one round
    trip); an embedded store's is its ordinary transaction, and callers need no retry."""

    def optimistic(self) -> AbstractContextManager[Transaction]:
        """A write transaction for a caller that runs its block again when the commit
        raises :class:`~frontdesk_core.errors.StaleWrite`.

        A server store may then save the round trip for the lock: the block sees the
        log as the store last saw it, and the commit checks, under the writers' lock,
        that nobody wrote since (if somebody did, nothing is written and it raises
        ``StaleWrite``). An embedded store gives its ordinary transaction.
        """
        return self.transaction()

    def write_one(
        self,
        known: int,
        payload: Payload,
        key: str,
        centre_id: str,
        at_us: int,
        counted: tuple[str, int] | None = None,
    ) -> Event:
        """Append one event of ``payload``'s kind, provided the log's newest ``seq`` is
        still ``known`` (and, with ``counted = (name, value)``, the counter ``name``
        still one below ``value``, which it then takes); otherwise write nothing and
        raise :class:`~frontdesk_core.errors.StaleWrite`.

        The lean path of a command decided on the state its engine holds after
        ``known``: one call, no transaction for the caller to hold. A caller told
        ``StaleWrite`` looks at what the others wrote and decides again.
        """
        with self.optimistic() as tx:
            if tx.last_seq() != known:
                raise StaleWrite("others wrote since the command's look; nothing was written")
            if counted is not None and tx.counter(counted[0]) != counted[1]:
                raise StaleWrite("the counter moved since the command's look; nothing was written")
            return tx.emit(payload, key, centre_id, at_us)

    def listen(self, heard: Callable[[int], None]) -> Callable[[], None] | None:
        """Call ``heard`` (on a thread of the store's) soon after another process has
        appended events, with the newest ``seq`` (0: "look, something may have been
        missed"); return the function that stops it.

        A store that cannot hear other processes returns ``None``: its readers look
        at :meth:`last_seq` from time to time instead.
        """
        return None

    def _snapshot(self) -> AbstractContextManager[Transaction]:
        raise NotImplementedError

    def _view(self, work: Callable[[Transaction], T]) -> T:
        """``work`` done on a read view of what is committed.

        A server store may do it again on a new connection when it finds the
        old one dropped: ``work`` only reads.
        """
        with self._snapshot() as view:
            return work(view)

    def append(self, events: Sequence[NewEvent]) -> list[Event]:
        """Append events in one transaction."""
        with self.transaction() as tx:
            return tx.append(events)

    def emit(self, payload: Payload, key: str, centre_id: str, at_us: int) -> Event:
        """Append one event of ``payload``'s kind in its own transaction."""
        with self.transaction() as tx:
            return tx.emit(payload, key, centre_id, at_us)

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
        """Committed events in log order matching every filter given."""
        found = self._view(
            lambda view: list(
                view.read(
                    after=after, kinds=kinds, key=key, centre_id=centre_id, since=since, until=until
                )
            )
        )
        return iter(found)

    def last_seqs(self, kind: str, centre_ids: Collection[str]) -> dict[str, int]:
        """Per centre of ``centre_ids``, the ``seq`` of its newest event of ``kind``
        (a centre with none is left out); a store that can read its log from the end
        gives its own."""
        return newest_seqs(self, kind, centre_ids)

    def read_batches(
        self, *, after: int = 0, kinds: Sequence[str] | None = None
    ) -> Iterator[EventBatch]:
        """Committed events after ``after`` (of ``kinds``), in log order, as batches of
        columns; a store that reads rows faster than it makes events gives its own."""
        events = list(self.read(after=after, kinds=kinds))
        if events:
            yield EventBatch.of(events)

    def counter(self, name: str) -> int:
        """Increment and return a named counter in its own transaction."""
        with self.transaction() as tx:
            return tx.counter(name)
