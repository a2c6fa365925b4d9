"""The application's own middleware: proxy headers, the session cookie and live sessions.

- :func:`trusted_proxies` applies ``X-Forwarded-For`` and ``X-Forwarded-Proto``
  only when the connection comes from a configured proxy address (uvicorn's
  ``--forwarded-allow-ips``; none by default), so a client cannot pick its own
  address to dodge the guessing limits.
- :class:`CookieSessions` is Starlette's session cookie, marked ``Secure``
  whenever the request came over HTTPS (directly or through a trusted proxy),
  and always when the server is set to HTTPS-only cookies.
- :class:`LiveSessions` reads the staff sessions' events from the log before a
  request that carries a session id is answered (on the core's thread), so a
  sign-out through another server on the same database counts at once.
"""

from __future__ import annotations

from typing import Literal

from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware


def trusted_proxies(app: ASGIApp, allow: str | list[str] | None) -> ASGIApp:
    """``app`` behind uvicorn's proxy-header middleware when ``allow`` names proxies,
    else ``app`` itself.

    ``allow`` is uvicorn's ``--forwarded-allow-ips``: addresses, networks or ``*``,
    comma-separated or as a list.
    """
    hosts = [h.strip() for h in (allow.split(",") if isinstance(allow, str) else allow or [])]
    hosts = [h for h in hosts if h]
    if not hosts:
        return app
    return ProxyHeadersMiddleware(app, trusted_hosts=hosts)  # type: ignore[arg-type,return-value]


class CookieSessions:
    """A signed session cookie, ``Secure`` over HTTPS (and always when ``https_only``)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        secret_key: str,
        session_cookie: str,
        max_age: int,
        same_site: Literal["lax", "strict", "none"],
        https_only: bool,
    ) -> None:
        options = {
            "secret_key": secret_key,
            "session_cookie": session_cookie,
            "max_age": max_age,
            "same_site": same_site,
        }
        self._secure = SessionMiddleware(app, https_only=True, **options)  # type: ignore[arg-type]
        self._plain = (
            self._secure if https_only else SessionMiddleware(app, https_only=False, **options)  # type: ignore[arg-type]
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        secure = scope.get("scheme") in ("https", "wss")
        await (self._secure if secure else self._plain)(scope, receive, send)


class LiveSessions:
    """Refresh the staff sessions from the log before a request carrying a session id."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            connection = HTTPConnection(scope)
            state = connection.app.state
            if state.auth.session_id(connection) is not None:
                await state.hub.core.run(state.auth.sessions.refresh)
        await self.app(scope, receive, send)
