"""A store that lives in the process's memory only: for simulations and quick tests.

It keeps the same contract as the durable stores (log order, transactions that
either commit whole or leave nothing, counters, personal data apart) but keeps
nothing after the process ends. The simulator runs the real engine on it, so a
simulated day costs no disk or SQL work. Never use it for a live reception.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from functools import partial
from types import TracebackType
from typing import Any

from frontdesk_core.errors import StaleWrite
from frontdesk_core.events.base import Payload, to_us
from frontdesk_core.events.log import Event, NewEvent
from frontdesk_core.store.base import LogStore, as_utc


def _matches(
    event: Event,
    kinds: Sequence[str] | None,
    key: str | None,
    centre_id: str | None,
    since: int | None,
    until: int | None,
) -> bool:
    return (
        (kinds is None or event.kind in kinds)
        and (key is None or event.key == key)
        and (centre_id is None or event.centre_id == centre_id)
        and (since is None or event.at_us >= since)
        and (until is None or event.at_us < until)
    )


def _filtered(
    events: list[Event],
    kinds: Sequence[str] | None,
    key: str | None,
    centre_id: str | None,
    since: datetime | None,
    until: datetime | None,
) -> list[Event]:
    """The events of ``events`` (a list of the caller's own) that match every filter given."""
    since_us = to_us(since) if since is not None else None  # a naive time is refused
    until_us = to_us(until) if until is not None else None
    if key is None and centre_id is None and since_us is None and until_us is None:
        if kinds is None:
            return events
        # Only kinds asked for (an engine catching up): one test per event, no call.
        wanted = frozenset(kinds)
        return [event for event in events if event.kind in wanted]
    return [e for e in events if _matches(e, kinds, key, centre_id, since_us, until_us)]


class _MemoryTransaction:
    """Appends and counters kept aside until the transaction commits.

    It is its own context manager (the store's lock held inside, the pending
    appends and counters committed on a clean exit): a generator-based one
    costs as much as the rest of an in-memory command's transaction. Its
    counters' dict is made only when a counter is drawn.
    """

    __slots__ = ("commits", "counters", "pending", "store")

    def __init__(self, store: MemoryStore, *, commits: bool = True) -> None:
        self.store = store
        self.commits = commits
        self.pending: list[Event] = []
        self.counters: dict[str, int] | None = None

    def __enter__(self) -> _MemoryTransaction:
        self.store._lock.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        store = self.store
        try:
            if exc_type is None and self.commits:
                store.events += self.pending
                if self.counters:
                    store.counters.update(self.counters)
        finally:
            store._lock.release()

    def append(self, events: Sequence[NewEvent]) -> list[Event]:
        # Payloads are frozen records: the log keeps them as they are, uncopied.
        pending = self.pending
        seq = len(self.store.events) + len(pending)
        out = []
        for e in events:
            seq += 1
            out.append(Event(e.kind, e.key, e.at_us, e.centre_id, e.payload, seq))
        pending += out
        return out

    def emit(self, payload: Payload, key: str, centre_id: str, at_us: int) -> Event:
        pending = self.pending
        event = Event(
            payload.KIND, key, at_us, centre_id, payload, len(self.store.events) + len(pending) + 1
        )
        pending.append(event)
        return event

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
        if since is None and until is None and after >= len(self.store.events) + len(self.pending):
            # Nothing newer than ``after``: the common case of an engine catching up
            # before every command, answered without walking the log.
            return iter(())
        events = self.store.events_after(after)
        if self.pending:
            events += [event for event in self.pending if event.seq > after]
        return iter(_filtered(events, kinds, key, centre_id, since, until))

    def last_seq(self) -> int:
        return len(self.store.events) + len(self.pending)

    def counter(self, name: str) -> int:
        counters = self.counters
        if counters is None:
            counters = self.counters = {}
        value = counters.get(name, self.store.counters.get(name, 0)) + 1
        counters[name] = value
        return value


_new_event = partial(object.__new__, Event)


class MemoryStore(LogStore):
    """The event log in a list: the store contract without durability."""

    def __init__(self) -> None:
        self.url = "memory://"
        self.events: list[Event] = []
        self.counters: dict[str, int] = {}
        self._personal: dict[str, tuple[dict[str, str], datetime]] = {}
        self._checkpoints: dict[str, tuple[int, str]] = {}
        self._lock = threading.RLock()
        # Bound once: a command's write takes and lets go of the lock without the
        # special-method lookups and bound methods a ``with`` block makes each time.
        self._acquire = self._lock.acquire
        self._release = self._lock.release

    def events_after(self, seq: int) -> list[Event]:
        """Committed events with a ``seq`` above ``seq`` (the log is dense: seq = index + 1)."""
        # Only this store appends, so seq n is at index n - 1.
        return self.events[max(seq, 0) :]

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
        """Committed events in log order matching every filter given.

        The newer part of the list is taken under the lock and filtered outside it (the
        log only grows, and its events are frozen): no read view is opened, as none is
        needed for what a booking command's catch-up asks before it decides.
        """
        self._acquire()
        try:
            events = self.events_after(after)
        finally:
            self._release()
        return iter(_filtered(events, kinds, key, centre_id, since, until))

    def transaction(self) -> _MemoryTransaction:
        """Exclusive; the appends and counters take effect only if the block succeeds."""
        return _MemoryTransaction(self)

    def _snapshot(self) -> _MemoryTransaction:
        return _MemoryTransaction(self, commits=False)

    def last_seq(self) -> int:
        """The ``seq`` of the newest event (0 when the log is empty)."""
        return len(self.events)

    def write_one(
        self,
        known: int,
        payload: Payload,
        key: str,
        centre_id: str,
        at_us: int,
        counted: tuple[str, int] | None = None,
    ) -> Event:
        """:meth:`LogStore.write_one` without a transaction: the check and the append
        under the store's lock."""
        self._acquire()
        try:
            events = self.events
            if len(events) != known:
                raise StaleWrite("others wrote since the command's look; nothing was written")
            if counted is not None:
                name, value = counted
                counters = self.counters
                if counters.get(name, 0) != value - 1:
                    raise StaleWrite("the counter moved since the command's look")
                counters[name] = value
            # Filled slot by slot: calling the class costs as much again (every command).
            event = _new_event()
            event.kind = payload.KIND
            event.key = key
            event.at_us = at_us
            event.centre_id = centre_id
            event.payload = payload
            event.seq = known + 1
            event.version = payload.VERSION
            events.append(event)
            return event
        finally:
            self._release()

    def kind_versions(self) -> list[tuple[str, int, int]]:
        """Each (kind, version) the log holds, with the ``seq`` of its first event."""
        first: dict[tuple[str, int], int] = {}
        with self._lock:
            for event in self.events:
                first.setdefault((event.kind, event.version), event.seq)
        return [(kind, version, seq) for (kind, version), seq in first.items()]

    def put_personal(self, ref: str, data: Mapping[str, str], expires_at: datetime) -> None:
        """Keep personal data under ``ref`` until ``expires_at``."""
        with self._lock:
            self._personal[ref] = (dict(data), as_utc(expires_at))

    def get_personal(self, ref: str) -> dict[str, str] | None:
        """Personal data kept under ``ref``."""
        kept = self._personal.get(ref)
        return dict(kept[0]) if kept else None

    def delete_personal(self, ref: str) -> None:
        """Forget the personal data under ``ref``."""
        with self._lock:
            self._personal.pop(ref, None)

    def purge_personal(self, now: datetime) -> int:
        """Delete personal data whose retention has run out."""
        limit = as_utc(now)
        with self._lock:
            expired = [ref for ref, (_, until) in self._personal.items() if until <= limit]
            for ref in expired:
                del self._personal[ref]
        return len(expired)

    def put_checkpoint(self, name: str, seq: int, data: Mapping[str, Any]) -> None:
        """Keep a checkpoint after event ``seq``, unless a newer one is kept already."""
        # Kept as JSON, as the durable stores keep it: the same types come back.
        with self._lock:
            kept = self._checkpoints.get(name)
            if kept is None or seq >= kept[0]:
                self._checkpoints[name] = (seq, json.dumps(dict(data)))

    def get_checkpoint(self, name: str) -> tuple[int, dict[str, Any]] | None:
        """The checkpoint kept under ``name``."""
        kept = self._checkpoints.get(name)
        return (kept[0], dict(json.loads(kept[1]))) if kept else None

    def close(self) -> None:
        """Nothing to close."""
