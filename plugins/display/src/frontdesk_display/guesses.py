"""One limit on guessing the secrets people type: booking codes and staff passwords.

A wrong booking code is counted against the client's address and, at a kiosk,
against the kiosk, whichever route it came through: the kiosk page, the kiosk
API, ``POST /api/v1/check-in``, the booking API and the booking pages share the
count. A wrong password is counted against the address (every username, so
trying many names does not help). Once one of a try's keys has had too many
wrong tries lately, the try is refused until a pause has passed.

The address is the one the server sees: a proxy's ``X-Forwarded-For`` counts
only when the proxy is trusted (``frontdesk serve --forwarded-allow-ips``).
Kept in memory (a restart forgets it); wall-clock time here is no domain time.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from starlette.requests import Request

from frontdesk_core.api import NotFoundError

T = TypeVar("T")
Secret = Literal["code", "password"]
Key = tuple[str, str]
"""What a try is counted against: ``("address", "10.0.0.7")``, ``("kiosk", "k1")``."""
MAX_KEYS = 10_000
"""Keys remembered at most: a flood from many addresses never grows memory without bound."""


@dataclass(frozen=True)
class Limit:
    """``failures`` wrong tries within ``window`` seconds, then ``pause`` seconds per try."""

    failures: int
    window: float
    pause: float


LIMITS: dict[Secret, Limit] = {
    "code": Limit(failures=10, window=300.0, pause=60.0),
    "password": Limit(failures=5, window=300.0, pause=60.0),
}


class TooManyGuesses(Exception):
    """A try refused: too many wrong ones lately; ``retry_after`` seconds to wait."""

    def __init__(self, secret: Secret, retry_after: int) -> None:
        super().__init__(f"too many wrong {secret}s; wait {retry_after} s and try again")
        self.secret = secret
        self.retry_after = retry_after


class Guesses:
    """Wrong tries per secret and key, shared by every route of one application.

    ``monotonic`` tells the time in seconds (:func:`time.monotonic`; a test moves its own).
    Safe to use from any thread.
    """

    def __init__(
        self,
        limits: dict[Secret, Limit] | None = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = dict(LIMITS if limits is None else limits)
        self.monotonic = monotonic
        self._seen: dict[tuple[Secret, Key], list[float]] = {}
        self._lock = threading.Lock()

    def wait(self, secret: Secret, keys: Sequence[Key]) -> float:
        """Seconds until another try is allowed (0: now)."""
        limit = self.limits[secret]
        now = self.monotonic()
        longest = 0.0
        with self._lock:
            for key in keys:
                recent = [t for t in self._seen.get((secret, key), []) if now - t < limit.window]
                if len(recent) >= limit.failures:
                    longest = max(longest, recent[-1] + limit.pause - now)
        return longest

    def check(self, secret: Secret, keys: Sequence[Key]) -> None:
        """Raise :class:`TooManyGuesses` while any of ``keys`` is paused."""
        wait = self.wait(secret, keys)
        if wait > 0:
            raise TooManyGuesses(secret, max(1, math.ceil(wait)))

    def failed(self, secret: Secret, keys: Sequence[Key]) -> None:
        """Count a wrong try against every key."""
        limit = self.limits[secret]
        now = self.monotonic()
        with self._lock:
            if len(self._seen) > MAX_KEYS:
                self._seen.clear()
            for key in keys:
                recent = [t for t in self._seen.get((secret, key), []) if now - t < limit.window]
                self._seen[(secret, key)] = [*recent, now][-limit.failures :]

    def clear(self) -> None:
        """Forget every wrong try."""
        with self._lock:
            self._seen.clear()

    def succeeded(self, secret: Secret, keys: Sequence[Key]) -> None:
        """Forget the wrong tries of ``keys`` after a right one."""
        with self._lock:
            for key in keys:
                self._seen.pop((secret, key), None)


def client_address(request: Request) -> str:
    """The client's address (a trusted proxy's ``X-Forwarded-For`` already applied)."""
    return request.client.host if request.client else ""


def keys_of(request: Request, kiosk_id: str | None = None) -> list[Key]:
    """What a try from ``request`` counts against: its address, and its kiosk if any."""
    keys: list[Key] = [("address", client_address(request))]
    if kiosk_id is not None:
        keys.append(("kiosk", kiosk_id))
    return keys


def guesses_of(request: Request) -> Guesses:
    """The application's limiter."""
    guesses: Guesses = request.app.state.guesses
    return guesses


@dataclass(frozen=True)
class CodeTries:
    """One client's tries of booking codes: checked before, counted when wrong.

    ``exempt`` callers (signed in with a bearer token: a booking site's or an
    integrator's server, one address for all its citizens) are not counted: they
    answer for their own users.
    """

    guesses: Guesses
    keys: tuple[Key, ...]
    exempt: bool = False

    @classmethod
    def of(
        cls, request: Request, *, kiosk_id: str | None = None, exempt: bool = False
    ) -> CodeTries:
        """The tries of ``request``'s client (and kiosk)."""
        return cls(guesses_of(request), tuple(keys_of(request, kiosk_id)), exempt)

    def check(self) -> None:
        """Raise :class:`TooManyGuesses` while this client or kiosk is paused."""
        if not self.exempt:
            self.guesses.check("code", self.keys)

    def attempt(self, run: Callable[[], T]) -> T:
        """``run()``, which looks a code up; an unknown code (:class:`NotFoundError`)
        is counted, then raised. A right code resets nothing: one booking of one's own
        must not buy more guesses."""
        try:
            return run()
        except NotFoundError:
            if not self.exempt:
                self.guesses.failed("code", self.keys)
            raise
