"""Staff sign-in: server-side sessions, CSRF tokens and bearer tokens for the API.

A signed-in browser's cookie (signed with the server's key: HttpOnly,
SameSite=strict, Secure over HTTPS and unless served on loopback) and a bearer
token both carry a session id that the server keeps in the event log
(:mod:`frontdesk_display.live.sessions`): signing out, a manager's "sign out
everywhere" and a new password end the session at once.
Every state-changing request of a signed-in browser must carry the session's
CSRF token, in the form field ``csrf`` or the header ``X-CSRF-Token``, and a
foreign ``Origin`` is refused. Integrators' programs use bearer tokens instead,
which browsers never send on their own.
"""

from __future__ import annotations

import hmac
import os
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Literal

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response

from frontdesk_display.guesses import Guesses
from frontdesk_display.i18n import N_
from frontdesk_display.live.sessions import StaffSessions, password_mark
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


class Authenticator:
    """Checks passwords, reads sessions and tokens, and guards handlers."""

    def __init__(
        self, settings: DisplaySettings, secret: str, guesses: Guesses, sessions: StaffSessions
    ) -> None:
        self.settings = settings
        self._tokens = URLSafeTimedSerializer(secret, salt="frontdesk-display-api")
        self.guesses = guesses
        self.sessions = sessions

    @property
    def max_age(self) -> int:
        """Seconds a session or token stays valid."""
        return int(self.settings.session.max_age.total_seconds())

    def check_password(self, username: str, password: str, address: str = "") -> User | None:
        """The user, when the password is right (and not too many were wrong just before).

        Wrong passwords are counted per address, whatever the username (a right one
        resets nothing, so a colleague's password is not guessed between one's own
        sign-ins). Raises :class:`AuthError` 429 while the address is paused.
        """
        keys = [("address", address)]
        if self.guesses.wait("password", keys) > 0:
            raise AuthError(429, N_("too many wrong passwords; wait a minute and try again"))
        user = self.settings.user(username)
        ok = verify_password(password, user.password_hash if user else _DUMMY_HASH)
        if ok and user is not None:
            return user
        self.guesses.failed("password", keys)
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

    def sign_in(self, request: Request, user: User, session_id: str) -> None:
        """Start a fresh browser session (a new CSRF token, nothing carried over);
        ``session_id`` from :meth:`StaffSessions.start`."""
        request.session.clear()
        request.session.update(
            {
                "user": user.username,
                "sid": session_id,
                "pw": password_mark(user.password_hash),
                "csrf": secrets.token_urlsafe(24),
            }
        )

    def issue_token(self, user: User, session_id: str) -> str:
        """A bearer token for the API (``session_id`` from :meth:`StaffSessions.start`)."""
        return self._tokens.dumps(
            {"u": user.username, "s": session_id, "p": password_mark(user.password_hash)}
        )

    def token_session(self, request: HTTPConnection) -> str | None:
        """The session id of the request's bearer token, if it has a good one."""
        data = self._token(request)
        return str(data["s"]) if data is not None else None

    def session_id(self, request: HTTPConnection) -> str | None:
        """The session id the request carries (a bearer token's, else the cookie's)."""
        token = self.token_session(request)
        if token is not None:
            return token
        sid = request.session.get("sid") if "session" in request.scope else None
        return sid if isinstance(sid, str) else None

    def current(self, request: Request) -> Staff | None:
        """Who the request comes from: a bearer token, else the session cookie; only
        while the session lives and the password is the one signed in with."""
        if _bearer(request) is not None:
            data = self._token(request)
            if data is None:
                return None
            user = self._live_user(data.get("u"), data.get("s"), data.get("p"))
            return self.staff(user, via_token=True) if user else None
        if "session" not in request.scope:
            return None
        session = request.session
        user = self._live_user(session.get("user"), session.get("sid"), session.get("pw"))
        return self.staff(user) if user else None

    def _token(self, request: HTTPConnection) -> dict[str, object] | None:
        token = _bearer(request)
        if token is None:
            return None
        try:
            data = self._tokens.loads(token, max_age=self.max_age)
        except BadSignature:
            return None
        return data if isinstance(data, dict) and isinstance(data.get("s"), str) else None

    def _live_user(self, username: object, session_id: object, mark: object) -> User | None:
        user = self.settings.user(username) if isinstance(username, str) else None
        if user is None or mark != password_mark(user.password_hash):
            return None
        if self.sessions.live(session_id) != (user.ref or user.username):
            return None
        return user


def _bearer(request: HTTPConnection) -> str | None:
    header = request.headers.get("authorization", "")
    return header[7:].strip() if header[:7].lower() == "bearer " else None


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


def still_signed_in(request: Request) -> Callable[[], Awaitable[bool]]:
    """For a stream opened by signed-in staff: whether its session still lives and the
    password is still the one signed in with. The log is read again first, so a
    sign-out through another server on the same database counts at once."""
    state = request.app.state
    auth: Authenticator = state.auth

    async def check() -> bool:
        await state.hub.core.run(auth.sessions.refresh)
        return auth.current(request) is not None

    return check


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
