"""Staff sessions kept by the server, in the event log, so they end when told to.

A browser's cookie and an API bearer token carry a random session id; the
session lives while the log says so. Signing out ends one session; a manager's
"sign out everywhere" ends every session of a user, browsers and tokens alike;
a changed password ends them too (the cookie and token carry a fingerprint of
the password hash, see :func:`password_mark`). The log keeps a digest of each id,
never the id itself, so reading the event table opens no session.

Several servers on one database share the sessions: before a signed-in request
is answered, the log is read after the last ``seq`` seen (:meth:`StaffSessions.refresh`),
so a sign-out through one server is seen by the others at once. Every method
except :meth:`StaffSessions.live` runs on the core's thread.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict

from frontdesk_core.api import Frontdesk, NewEvent
from frontdesk_display.live.events import (
    StaffSessionEnded,
    StaffSessionStarted,
    StaffSignedOutEverywhere,
)

KINDS = (StaffSessionStarted.KIND, StaffSessionEnded.KIND, StaffSignedOutEverywhere.KIND)
MAX_LIVE = 50_000
"""Sessions remembered at most (the oldest are forgotten first: they are signed out)."""


def digest(session_id: str) -> str:
    """What the log records for a session id."""
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()[:40]


def password_mark(password_hash: str) -> str:
    """A short fingerprint of a user's password hash: a new password, a new mark."""
    return hashlib.sha256(password_hash.encode("utf-8")).hexdigest()[:16]


class StaffSessions:
    """The live staff sessions of the log: digest -> the user's ref."""

    def __init__(self, fd: Frontdesk) -> None:
        self.fd = fd
        self._live: OrderedDict[str, str] = OrderedDict()
        self._seq = 0
        self._lock = threading.Lock()

    def refresh(self) -> None:
        """Read the session events written since the last look (by any process).

        Only the events appended since then are looked at (one cheap query when there
        are none), however long the log has grown.
        """
        newest = self.fd.store.last_seq()
        if newest == self._seq:
            return
        for event in self.fd.store.read(after=self._seq, kinds=KINDS):
            payload = event.payload
            with self._lock:
                if isinstance(payload, StaffSessionStarted):
                    self._live[event.key] = payload.user
                    while len(self._live) > MAX_LIVE:
                        self._live.popitem(last=False)
                elif isinstance(payload, StaffSessionEnded):
                    self._live.pop(event.key, None)
                elif isinstance(payload, StaffSignedOutEverywhere):
                    for key in [k for k, user in self._live.items() if user == event.key]:
                        del self._live[key]
            newest = max(newest, event.seq)
        self._seq = newest

    def start(self, user: str, via: str = "browser") -> str:
        """Start a session of ``user`` (a ref); returns its secret id."""
        session_id = secrets.token_urlsafe(32)
        self._append(digest(session_id), StaffSessionStarted(user=user, via=via))
        return session_id

    def end(self, session_id: str) -> None:
        """End one session (signing out); an unknown id is no error."""
        self._append(digest(session_id), StaffSessionEnded())

    def end_all(self, user: str, *, by: str | None = None) -> None:
        """End every session of ``user`` (a ref) started so far."""
        self._append(user, StaffSignedOutEverywhere(by=by))

    def live(self, session_id: object) -> str | None:
        """The ref of the user whose live session this is, or ``None`` (any thread;
        as of the last :meth:`refresh`)."""
        if not isinstance(session_id, str) or not session_id:
            return None
        with self._lock:
            return self._live.get(digest(session_id))

    def _append(
        self, key: str, payload: StaffSessionStarted | StaffSessionEnded | StaffSignedOutEverywhere
    ) -> None:
        self.fd.store.append([NewEvent(payload.KIND, key, self.fd.clock.now(), "", payload)])
        self.refresh()
