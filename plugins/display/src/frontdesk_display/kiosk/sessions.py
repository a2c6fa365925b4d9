"""Kiosk sessions in progress, kept in memory and forgotten when left alone.

A session is one citizen's walk through the referral tree; nothing in it is
durable until its outcome is carried out (a ticket, a check-in), which goes
through the core and its store. A session id is random and unguessable, so it
also stands in for a CSRF token on the public kiosk pages.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

MAX_SESSIONS = 2000


@dataclass
class KioskEntry:
    """One session: where it runs, the engine's session object, and its result once done."""

    id: str
    centre_id: str
    kiosk_id: str | None
    language: str
    session: Any
    result: dict[str, Any] | None = None
    touched: float = field(default_factory=time.monotonic)


class KioskSessions:
    """Sessions by id; idle ones expire (wall-clock time here is no domain time).

    ``monotonic`` tells the time in seconds (:func:`time.monotonic`; a test moves its own).
    """

    def __init__(
        self,
        idle: timedelta,
        *,
        limit: int = MAX_SESSIONS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        # A little longer than the page's own idle reset, so a slow citizen is not cut off.
        self.ttl = idle.total_seconds() * 3
        self.limit = limit
        self.monotonic = monotonic
        self._entries: OrderedDict[str, KioskEntry] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, centre_id: str, kiosk_id: str | None, language: str, session: Any) -> KioskEntry:
        """Keep a new session and return its entry."""
        entry = KioskEntry(
            secrets.token_urlsafe(16),
            centre_id,
            kiosk_id,
            language,
            session,
            None,
            self.monotonic(),
        )
        with self._lock:
            self._expire()
            self._entries[entry.id] = entry
            while len(self._entries) > self.limit:
                self._entries.popitem(last=False)
        return entry

    def get(self, session_id: str) -> KioskEntry | None:
        """The live session with this id (touching it), or ``None``."""
        with self._lock:
            self._expire()
            entry = self._entries.get(session_id)
            if entry is not None:
                entry.touched = self.monotonic()
                self._entries.move_to_end(session_id)
            return entry

    def drop(self, session_id: str) -> None:
        """Forget a session."""
        with self._lock:
            self._entries.pop(session_id, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def _expire(self) -> None:
        limit = self.monotonic() - self.ttl
        while self._entries:
            oldest = next(iter(self._entries.values()))
            if oldest.touched >= limit:
                break
            self._entries.popitem(last=False)
