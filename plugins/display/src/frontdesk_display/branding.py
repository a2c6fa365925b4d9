"""The theme as the browser gets it: ``/theme.css`` (the configured colours and font as
CSS custom properties, so the pages carry no inline style) and ``/theme/logo``."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Route

from frontdesk_display.hub import Hub
from frontdesk_display.theme import LOGO_TYPES, stylesheet


async def theme_css(request: Request) -> Response:
    """The theme's colours and font."""
    hub: Hub = request.app.state.hub
    response = Response(stylesheet(hub.settings.theme), media_type="text/css")
    response.headers["Cache-Control"] = "max-age=300"
    return response


async def logo(request: Request) -> Response:
    """The municipality's logo (404 when none is configured or the file is gone)."""
    hub: Hub = request.app.state.hub
    configured = hub.settings.theme.logo
    if configured is None or not Path(configured).is_file():
        return Response("no logo", status_code=404, media_type="text/plain")
    path = Path(configured)
    response = FileResponse(path, media_type=LOGO_TYPES[path.suffix.lower()])
    response.headers["Cache-Control"] = "max-age=300"
    return response


def routes() -> list[BaseRoute]:
    """The routes of this module."""
    return [
        Route("/theme.css", theme_css, name="theme_css", methods=["GET"]),
        Route("/theme/logo", logo, name="theme_logo", methods=["GET"]),
    ]
