"""Staff sign-in: signed session cookies, CSRF tokens and bearer tokens for the API.

Sessions live in a cookie signed with the server's key (Starlette's session
middleware, HttpOnly and SameSite=strict, Secure unless served on loopback).
Every state-changing request of a signed-in browser must carry the session's
CSRF token, in the form field ``csrf`` or the header ``X-CSRF-Token``, and a
foreign ``Origin`` is refused. Integrators' programs use bearer tokens instead,
which browsers never send on their own.
"""

from __future__ import annotations

import hmac
import os
import secrets
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Literal

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from frontdesk_display.i18n import N_
from frontdesk_display.passwords import verify_password
from frontdesk_display.settings import DisplaySettings, User

Role = Literal["employee", "manager"]
SECRET_ENV = "FRONTDESK_SECRET_KEY"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
# A hash to compare with when the user does not exist, so timing does not tell.
_DUMMY_HASH = (
    "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
)


class AuthError(Exception):
    """A request is not allowed: ``status`` 401 (not signed in) or 403 (refused)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Staff:
    """The signed-in member of staff a request comes from."""

    username: str
    ref: str
    """What the event log records for this user (never a name)."""
    role: Role
    name: str
    centres: tuple[str, ...] | None
    via_token: bool = False
    language: str | None = None
    """The language of the user's pages until they choose another (``None``: the site's)."""

    def may(self, role: Role) -> bool:
        """Whether this user has ``role`` (a manager may do what an employee may)."""
        return self.role == "manager" or role == "employee"

    def works_at(self, centre_id: str) -> bool:
        """Whether this user may act for ``centre_id``."""
        return self.centres is None or centre_id in self.centres


def secret_key(settings: DisplaySettings, *, default_file: str | None = None) -> str:
    """The key that signs cookies and tokens.

    From ``session.secret_file``, else the ``FRONTDESK_SECRET_KEY`` environment
    variable, else ``default_file`` (made on first use, so sessions survive a
    restart), else a new key for this run only.
    """
    path = settings.session.secret_file
    if not path and not os.environ.get(SECRET_ENV):
        path = default_file
    if path:
        file = Path(path)
        if file.exists():
            return file.read_text(encoding="utf-8").strip()
        key = secrets.token_urlsafe(48)
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(key + "\n", encoding="utf-8")
        file.chmod(0o600)
        return key
    return os.environ.get(SECRET_ENV) or secrets.token_urlsafe(48)


class Throttle:
    """Slows down password guessing: a few failures per user and address, then a pause.

    Kept in memory (a restart forgets it); wall-clock time here is no domain time.
    ``monotonic`` tells the time in seconds (:func:`time.monotonic`; a test moves its own).
    """

    def __init__(
        self,
        failures: int = 5,
        window: float = 300.0,
        pause: float = 60.0,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.failures, self.window, self.pause = failures, window, pause
        self.monotonic = monotonic
        self._seen: dict[tuple[str, str], list[float]] = {}
        self._lock = threading.Lock()

    def allowed(self, username: str, address: str) -> bool:
        """Whether another try is allowed now."""
        now = self.monotonic()
        with self._lock:
            recent = [
                t for t in self._seen.get((username.lower(), address), []) if now - t < self.window
            ]
            return len(recent) < self.failures or now - recent[-1] >= self.pause

    def failed(self, username: str, address: str) -> None:
        """Count a wrong password."""
        now = self.monotonic()
        with self._lock:
            if len(self._seen) > 10_000:  # never grow without bound under a flood
                self._seen.clear()
            key = (username.lower(), address)
            recent = [t for t in self._seen.get(key, []) if now - t < self.window]
            self._seen[key] = [*recent, now][-self.failures :]

    def succeeded(self, username: str, address: str) -> None:
        """Forget the failures after a right password."""
        with self._lock:
            self._seen.pop((username.lower(), address), None)


class Authenticator:
    """Checks passwords, reads sessions and tokens, and guards handlers."""

    def __init__(self, settings: DisplaySettings, secret: str) -> None:
        self.settings = settings
        self._tokens = URLSafeTimedSerializer(secret, salt="frontdesk-display-api")
        self.throttle = Throttle()
        self.code_throttle = Throttle(failures=10, window=300.0, pause=60.0)
        """Wrong booking codes per address (the public booking API)."""

    @property
    def max_age(self) -> int:
        """Seconds a session or token stays valid."""
        return int(self.settings.session.max_age.total_seconds())

    def check_password(self, username: str, password: str, address: str = "") -> User | None:
        """The user, when the password is right (and not too many were wrong just before).

        Raises :class:`AuthError` 429 while the user and address are paused.
        """
        if not self.throttle.allowed(username, address):
            raise AuthError(429, N_("too many wrong passwords; wait a minute and try again"))
        user = self.settings.user(username)
        ok = verify_password(password, user.password_hash if user else _DUMMY_HASH)
        if ok and user is not None:
            self.throttle.succeeded(username, address)
            return user
        self.throttle.failed(username, address)
        return None

    def staff(self, user: User, *, via_token: bool = False) -> Staff:
        """The :class:`Staff` of a configured user."""
        return Staff(
            user.username,
            user.ref or user.username,
            user.role,
            user.name or user.username,
            tuple(user.centres) if user.centres is not None else None,
            via_token,
            user.language,
        )

    def sign_in(self, request: Request, user: User) -> None:
        """Start a fresh session (a new CSRF token, nothing carried over)."""
        request.session.clear()
        request.session.update({"user": user.username, "csrf": secrets.token_urlsafe(24)})

    def issue_token(self, user: User) -> str:
        """A bearer token for the API."""
        return self._tokens.dumps({"u": user.username})

    def current(self, request: Request) -> Staff | None:
        """Who the request comes from: a bearer token, else the session cookie."""
        header = request.headers.get("authorization", "")
        if header[:7].lower() == "bearer ":
            try:
                data = self._tokens.loads(header[7:].strip(), max_age=self.max_age)
            except BadSignature:
                return None
            user = self.settings.user(str(data.get("u", ""))) if isinstance(data, dict) else None
            return self.staff(user, via_token=True) if user else None
        username = request.session.get("user") if "session" in request.scope else None
        user = self.settings.user(username) if isinstance(username, str) else None
        return self.staff(user) if user else None


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use, also before sign-in)."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(24)
        request.session["csrf"] = token
    return token


async def check_csrf(request: Request) -> None:
    """Refuse a state-changing browser request without the session's token or from elsewhere."""
    if request.method not in UNSAFE:
        return
    origin = request.headers.get("origin")
    if origin and origin != "null" and origin.rstrip("/") != _own_origin(request):
        raise AuthError(403, N_("this request comes from another site"))
    expected = request.session.get("csrf")
    given = request.headers.get(CSRF_HEADER)
    if given is None and _is_form(request):
        value = (await request.form()).get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not isinstance(expected, str) or not given or not hmac.compare_digest(expected, given):
        raise AuthError(403, N_("the form has expired; reload the page and try again"))


def _own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


def _is_form(request: Request) -> bool:
    kind = request.headers.get("content-type", "")
    return kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))


Handler = Callable[[Request], Awaitable[Response]]


def require(
    role: Role, *, on_denied: Callable[[Request, AuthError], Response]
) -> Callable[[Callable[[Request, Staff], Awaitable[Response]]], Handler]:
    """Guard a handler: signed in with ``role``, and CSRF-checked when it changes state."""

    def decorate(handler: Callable[[Request, Staff], Awaitable[Response]]) -> Handler:
        @wraps(handler)
        async def guarded(request: Request) -> Response:
            auth: Authenticator = request.app.state.auth
            staff = auth.current(request)
            try:
                if staff is None:
                    raise AuthError(401, N_("please sign in"))
                if not staff.may(role):
                    raise AuthError(403, N_("this page is for managers"))
                if not staff.via_token:
                    await check_csrf(request)
            except AuthError as exc:
                return on_denied(request, exc)
            return await handler(request, staff)

        return guarded

    return decorate
