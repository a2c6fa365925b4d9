"""The durable event log: SQLite by default, behind the :class:`EventStore` interface."""

from __future__ import annotations

from frontdesk_core.store.base import Event, EventStore, NewEvent, Transaction
from frontdesk_core.store.sqlite import SqliteStore


def open_store(url: str = ":memory:") -> EventStore:
    """Open a store from a URL: a SQLite file path, ``sqlite:///PATH`` or ``:memory:``."""
    if url.startswith("sqlite:///"):
        url = url.removeprefix("sqlite:///")
    if "://" in url:
        scheme = url.split("://", 1)[0]
        raise ValueError(f"no store for '{scheme}://' URLs; use a SQLite file path or ':memory:'")
    return SqliteStore(url)


__all__ = ["Event", "EventStore", "NewEvent", "SqliteStore", "Transaction", "open_store"]
