"""The start page and the info screens (public: no personal data on them)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from frontdesk_core.api import Centre, InfoScreen, text_in
from frontdesk_display.common.pages import not_found, render
from frontdesk_display.hub import Hub, screen_topic
from frontdesk_display.live.broadcast import Message
from frontdesk_display.live.snapshot import screen_payload
from frontdesk_display.live.sse import event_stream
from frontdesk_display.speech.screen import screen_speech


def _centre(hub: Hub, centre_id: str) -> Centre | None:
    try:
        return hub.fd.config.centre(centre_id)
    except KeyError:
        return None


async def index(request: Request) -> Response:
    """Links to every kiosk, info screen and dashboard."""
    hub: Hub = request.app.state.hub
    return render(request, "index.html", {"centres": hub.fd.config.centres})


async def info_screen(request: Request) -> Response:
    """The info screen of a centre (optionally one configured screen's queues)."""
    hub: Hub = request.app.state.hub
    centre = _centre(hub, request.path_params["centre_id"])
    if centre is None:
        return not_found(request, "There is no such centre.")
    screen: InfoScreen | None = None
    screen_id = request.query_params.get("screen")
    if screen_id is not None:
        screen = next((s for s in centre.info_screens if s.id == screen_id), None)
        if screen is None:
            return not_found(request, "There is no such info screen.")
    payload = await hub.core.run(screen_payload, hub.fd, hub.state, centre.id)
    language = hub.fd.config.site.languages[0]
    return render(
        request,
        "screen.html",
        {
            "centre": centre,
            "centre_name": text_in(centre.name, language),
            "state": payload,
            "only_queues": screen.queues if screen and screen.queues else None,
            "announce_ms": int(hub.settings.announce.total_seconds() * 1000),
            "speech": screen_speech(hub, screen.id if screen else None, centre.id),
        },
        public=True,
    )


async def screen_events(request: Request) -> Response:
    """The live stream of a centre's info screens."""
    hub: Hub = request.app.state.hub
    centre = _centre(hub, request.path_params["centre_id"])
    if centre is None:
        return HTMLResponse("no such centre", status_code=404)

    async def initial() -> list[Message]:
        payload = await hub.core.run(screen_payload, hub.fd, hub.state, centre.id)
        return [Message.of("state", payload)]

    return event_stream(hub.broadcaster, screen_topic(centre.id), initial)


def routes() -> list[BaseRoute]:
    """The routes of this module."""
    return [
        Route("/", index, name="index"),
        Route("/screen/{centre_id}", info_screen, name="screen"),
        Route("/events/screen/{centre_id}", screen_events, name="screen_events"),
    ]
