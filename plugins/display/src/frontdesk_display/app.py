"""The ASGI application: kiosk, info screens, staff dashboards and the JSON API.

Build it with :func:`create_app` around an open :class:`~frontdesk_core.app.Frontdesk`.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Mount, Route
from starlette.staticfiles import StaticFiles

from frontdesk_core.api import Frontdesk
from frontdesk_display import branding
from frontdesk_display.api import routes as api
from frontdesk_display.auth import Authenticator, secret_key
from frontdesk_display.booking import pages as booking_pages
from frontdesk_display.common.pages import not_found, render, words_of
from frontdesk_display.common.templating import make_templates
from frontdesk_display.guesses import Guesses
from frontdesk_display.hub import Hub
from frontdesk_display.i18n import N_
from frontdesk_display.kiosk import pages as kiosk
from frontdesk_display.kiosk.sessions import KioskSessions
from frontdesk_display.live.sessions import StaffSessions
from frontdesk_display.middleware import CookieSessions, LiveSessions, trusted_proxies
from frontdesk_display.screens import pages as screens
from frontdesk_display.settings import DisplaySettings, settings_of
from frontdesk_display.speech import routes as speech
from frontdesk_display.speech.kiosk import kiosk_speech
from frontdesk_display.staff import employee as staff
from frontdesk_display.staff import manager, why

STATIC = Path(__file__).parent / "static"
SESSION_COOKIE = "frontdesk_session"


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def _not_found(request: Request, exc: Exception) -> Response:
    """A 404 in the API's JSON or as a page, whichever the path belongs to."""
    if request.url.path.startswith(api.PREFIX):
        return api.problem(404, "no such API path")
    return not_found(request, N_("There is no such page."))


async def _not_allowed(request: Request, exc: Exception) -> Response:
    """A 405 (a known path, another method), with every method the path has in ``Allow``
    (a page's GET and POST are two routes; Starlette names the first one's only)."""
    headers = dict(getattr(exc, "headers", None) or {})
    if request.url.path.startswith(api.PREFIX):
        # One route per API path, in an order that puts literal paths first.
        return api.problem(405, "method not allowed", headers=headers)
    methods: set[str] = set()
    for route in request.app.routes:
        match, _ = route.matches({**request.scope, "method": "OPTIONS"})
        if match is Match.PARTIAL and isinstance(route, Route) and route.methods:
            methods |= route.methods
    if methods:
        headers["Allow"] = ", ".join(sorted(methods))
    words = words_of(request)
    context = {
        "title": words.gettext(N_("Not allowed")),
        "message": words.gettext(N_("This page cannot be used that way.")),
    }
    response = render(request, "message.html", context, status_code=405)
    response.headers.update(headers)
    return response


def create_app(
    fd: Frontdesk,
    *,
    host: str = "127.0.0.1",
    settings: DisplaySettings | None = None,
    secret: str | None = None,
    demo: Callable[[], object] | None = None,
    forwarded_allow_ips: str | list[str] | None = None,
) -> Starlette:
    """The application serving ``fd``.

    Its session cookie is ``Secure`` on HTTPS requests, and on every request unless
    ``host`` is a loopback address (``display.session.secure_cookies`` decides
    otherwise). ``forwarded_allow_ips`` are the proxies whose ``X-Forwarded-For`` and
    ``X-Forwarded-Proto`` are believed (uvicorn's option of that name; none by default).
    ``demo`` is a demonstration's step (``DemoDriver.step``), run every few seconds.
    """
    settings = settings if settings is not None else settings_of(fd.config)
    hub = Hub(fd, settings, demo=demo)
    secret = secret if secret is not None else secret_key(settings)
    secure = settings.session.secure_cookies
    https_only = (not _loopback(host)) if secure == "auto" else secure

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        hub.start(asyncio.get_running_loop())
        try:
            yield
        finally:
            hub.stop()

    routes = [
        *branding.routes(),
        *screens.routes(),
        *kiosk.routes(),
        *staff.routes(),
        *manager.routes(),
        *why.routes(),
        *booking_pages.routes(),
        *speech.routes(),
        Mount("/api/v1", routes=api.routes()),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
    middleware = [
        Middleware(trusted_proxies, allow=forwarded_allow_ips),
        Middleware(
            CookieSessions,
            secret_key=secret,
            session_cookie=SESSION_COOKIE,
            max_age=int(settings.session.max_age.total_seconds()),
            same_site="strict",
            https_only=https_only,
        ),
        Middleware(LiveSessions),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={404: _not_found, 405: _not_allowed},
    )
    app.state.hub = hub
    app.state.fd = fd
    app.state.guesses = Guesses()
    app.state.auth = Authenticator(settings, secret, app.state.guesses, StaffSessions(fd))
    app.state.templates = make_templates()
    app.state.templates.env.globals["kiosk_speech"] = functools.partial(kiosk_speech, hub)
    app.state.kiosks = KioskSessions(idle=settings.kiosk_idle)
    app.state.speech_limiter = speech.Limiter(speech.NEW_PER_MINUTE)
    return app
