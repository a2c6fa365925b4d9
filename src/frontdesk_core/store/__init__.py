"""The durable event log: SQLite by default, behind the :class:`EventStore` interface."""

from __future__ import annotations

import sqlite3

from frontdesk_core.errors import StoreError
from frontdesk_core.store.base import Event, EventBatch, EventStore, NewEvent, Transaction
from frontdesk_core.store.memory import MemoryStore
from frontdesk_core.store.sqlite import SqliteStore


def open_store(url: str = ":memory:") -> EventStore:
    """Open a store from a URL.

    A SQLite file path, ``sqlite:///PATH`` or ``:memory:`` gives the embedded
    store; ``postgresql://user@host:port/db`` the server store (``postgres`` extra);
    ``memory://`` a store that keeps nothing after the process (simulations).
    """
    if url == "memory://":
        return MemoryStore()
    if url.startswith(("postgresql://", "postgres://")):
        try:
            from frontdesk_core.store.postgres import PostgresStore
        except ImportError as exc:
            raise StoreError(
                "the PostgreSQL store needs psycopg: pip install 'frontdesk-core[postgres]'"
            ) from exc
        try:
            return PostgresStore(url)
        except Exception as exc:  # psycopg's errors name the server, never personal data
            raise StoreError(f"cannot open the PostgreSQL store: {exc}") from exc
    if url.startswith("sqlite:///"):
        url = url.removeprefix("sqlite:///")
    if "://" in url:
        scheme = url.split("://", 1)[0]
        raise StoreError(
            f"no store for '{scheme}://' URLs; use a SQLite file path, ':memory:' "
            "or a postgresql:// URL"
        )
    try:
        return SqliteStore(url)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the SQLite store '{url}': {exc}") from exc


__all__ = [
    "Event",
    "EventBatch",
    "EventStore",
    "MemoryStore",
    "NewEvent",
    "SqliteStore",
    "Transaction",
    "open_store",
]
