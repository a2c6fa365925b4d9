"""The start page and the info screens (public: no personal data on them)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from frontdesk_core.api import Centre, InfoScreen, text_in
from frontdesk_display.common.pages import not_found, render, words_of
from frontdesk_display.hub import Hub, screen_topic
from frontdesk_display.i18n import N_
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
        return not_found(request, N_("There is no such centre."))
    screen: InfoScreen | None = None
    screen_id = request.query_params.get("screen")
    if screen_id is not None:
        screen = next((s for s in centre.info_screens if s.id == screen_id), None)
        if screen is None:
            return not_found(request, N_("There is no such info screen."))
    payload = await hub.core.run(screen_payload, hub.fd, hub.state, centre.id)
    languages = hub.fd.config.site.languages
    language = languages[0]
    words = words_of(request, language)
    # The waiting room reads the site's first two languages at once.
    also = words_of(request, languages[1]) if len(languages) > 1 else None
    return render(
        request,
        "screen.html",
        {
            "lang": language,
            "also": also,
            "tz": str(hub.fd.tz),
            "clock": words.time(hub.fd.clock.now()),
            "centre": centre,
            "centre_name": text_in(centre.name, language),
            "state": payload,
            "only_queues": screen.queues if screen and screen.queues else None,
            "announce_ms": int(hub.settings.announce.total_seconds() * 1000),
            "speech": screen_speech(hub, screen.id if screen else None, centre.id),
        },
        public=True,
    )


SCREEN_WORDS = (N_("Now calling"), N_("Number"), N_("Counter"), N_("Queues"), N_("Queue"))
SCREEN_WORDS_2 = (N_("Waiting"), N_("Wait"), N_("Closed"))
"""The info screen's headings, said in two languages by the template's ``both``."""


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
