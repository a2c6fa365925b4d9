"""The sound the screens and kiosks play: ``/speech/<key>.wav`` and ``/speech/say``.

``/speech/<key>.wav`` serves a sentence made before (a call's, or the chime);
the key is a hash of language, voice and text, so the file never changes and
may be cached by the browser. ``/speech/say?lang=da&text=...`` is the talking
kiosk's: it makes a sentence of the kiosk's page on demand (short texts in the
site's languages only, a limited number of new sentences per address a minute)
and answers with the sound.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict, deque

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from frontdesk_display.hub import Hub

MAX_TEXT = 400
"""The longest sentence the kiosk may ask for."""
NEW_PER_MINUTE = 300
"""How many sentences not in the cache one address may have made a minute."""
CACHED = "public, max-age=31536000, immutable"


class Limiter:
    """At most ``limit`` events per address in a sliding minute."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._seen: defaultdict[str, deque[float]] = defaultdict(deque)

    def allow(self, address: str) -> bool:
        """Count one event for ``address``; ``False`` if it is over the limit."""
        now = time.monotonic()
        seen = self._seen[address]
        while seen and now - seen[0] > 60:
            seen.popleft()
        if len(seen) >= self.limit:
            return False
        seen.append(now)
        return True


async def sound(request: Request) -> Response:
    """A sound made before."""
    hub: Hub = request.app.state.hub
    file = hub.speech.path(request.path_params["key"])
    if file is None:
        return PlainTextResponse("no such sound", status_code=404)
    return FileResponse(file, media_type="audio/wav", headers={"Cache-Control": CACHED})


async def say(request: Request) -> Response:
    """A sentence of the kiosk said in a site language (made now unless cached)."""
    hub: Hub = request.app.state.hub
    language = request.query_params.get("lang", "")
    text = " ".join(request.query_params.get("text", "").split())
    if language not in hub.fd.config.site.languages or not text or len(text) > MAX_TEXT:
        return PlainTextResponse("a site language and a short text, please", status_code=422)
    if not hub.settings.speech.kiosk or not hub.speech.speaks:
        return PlainTextResponse("speech is not available here", status_code=404)
    key = hub.speech.key(text, language)
    if hub.speech.path(key) is None:
        address = request.client.host if request.client else "-"
        limiter: Limiter = request.app.state.speech_limiter
        if not limiter.allow(address):
            return PlainTextResponse("too many new sentences; wait a minute", status_code=429)
        made = await asyncio.to_thread(hub.speech.sound, text, language)
        if made is None:
            return PlainTextResponse("the sentence could not be spoken", status_code=503)
    file = hub.speech.path(key)
    if file is None:  # pruned in between: rare, and the kiosk shows the text anyway
        return PlainTextResponse("the sentence could not be spoken", status_code=503)
    return FileResponse(file, media_type="audio/wav", headers={"Cache-Control": CACHED})


def routes() -> list[BaseRoute]:
    """The routes of this module."""
    return [
        Route("/speech/say", say, name="speech_say"),
        Route("/speech/{key}.wav", sound, name="speech_sound"),
    ]
