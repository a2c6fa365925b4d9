"""Spoken calls: each call and recall in the event log becomes a ``speak`` message.

The announcer follows the event log from where it started, so a call made by
this server or by another one on the same database is said the same way, and
each message carries the call event's ``seq``: a screen plays a ``seq`` it has
not played before, whichever server it hears it from. The sound is made right
after the call, on a worker thread (never on a screen's request), and the
message goes out when it is ready; the screen then fetches the cached files.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from frontdesk_core.api import Frontdesk, FrontdeskError, TicketCalled, TicketRecalled, text_in
from frontdesk_display.live.core import CoreRunner
from frontdesk_display.settings import SpeechSettings
from frontdesk_display.speech.sentences import spoken_call
from frontdesk_display.speech.service import CHIME, Speech

log = logging.getLogger("frontdesk.display.speech")
KINDS = (TicketCalled.KIND, TicketRecalled.KIND)
STALE = timedelta(minutes=1)
"""A call older than this when the announcer reads it (a server that was away) is not said."""


def sound_url(key: str) -> str:
    """Where a screen fetches a sound."""
    return f"/speech/{key}.wav"


@dataclass(frozen=True)
class Call:
    """A call to be said: read from the log on the core's thread."""

    seq: int
    centre_id: str
    queue_id: str
    number: str
    recall: bool
    at: str
    counters: dict[str, str]


class Announcer:
    """Turns calls in the log into ``speak`` messages, published with ``publish``."""

    def __init__(
        self,
        fd: Frontdesk,
        core: CoreRunner,
        speech: Speech,
        settings: SpeechSettings,
        publish: Callable[[str, dict[str, Any]], None],
    ) -> None:
        self.fd = fd
        self.core = core
        self.speech = speech
        self.settings = settings
        self.publish = publish
        self.languages = self._languages()
        self._cursor: int | None = None
        self._dirty = False
        self._running: asyncio.Task[None] | None = None

    def _languages(self) -> list[str]:
        """Every language some screen says calls in (each sentence is made once for all)."""
        site = list(self.fd.config.site.languages)
        found: list[str] = []
        for screen in (self.settings.screens, *self.settings.screen.values()):
            if screen.enabled:
                for language in screen.languages or site:
                    if language not in found:
                        found.append(language)
        return found

    async def start(self) -> None:
        """Start after the newest event: calls made before the server started are not said."""
        self._cursor = await self.core.run(self.fd.store.last_seq)

    def poke(self) -> None:
        """A call may have been made: read the log (on the running loop; coalesced)."""
        self._dirty = True
        if self._running is None or self._running.done():
            self._running = asyncio.get_running_loop().create_task(self._catch_up())

    async def _catch_up(self) -> None:
        while self._dirty and self._cursor is not None:
            self._dirty = False
            try:
                calls, self._cursor = await self.core.run(self.read, self._cursor)
                for call in calls:
                    message = await asyncio.to_thread(self.message, call)
                    self.publish(call.centre_id, message)
            except Exception:  # a failed announcement must not stop the next one
                log.exception("a call could not be announced aloud")

    def read(self, after: int) -> tuple[list[Call], int]:
        """The fresh calls after ``after`` and the newest ``seq`` read (on the core's thread)."""
        newest = after
        now = self.fd.clock.now()
        calls: list[Call] = []
        for event in self.fd.store.read(after=after, kinds=KINDS):
            newest = max(newest, event.seq)
            payload = event.payload
            if now - event.at > STALE or not isinstance(payload, TicketCalled | TicketRecalled):
                continue
            try:
                ticket = self.fd.queues.ticket(event.key)
                centre = self.fd.config.centre(event.centre_id)
            except (FrontdeskError, KeyError):
                continue
            counter = next((c for c in centre.counters if c.id == payload.counter_id), None)
            names = {
                language: text_in(counter.name, language) if counter else payload.counter_id
                for language in self.languages
            }
            calls.append(
                Call(
                    seq=event.seq,
                    centre_id=event.centre_id,
                    queue_id=ticket.queue_id,
                    number=ticket.number,
                    recall=isinstance(payload, TicketRecalled),
                    at=event.at.astimezone(self.fd.tz).strftime("%H:%M"),
                    counters=names,
                )
            )
        return calls, newest

    def message(self, call: Call) -> dict[str, Any]:
        """The ``speak`` message of a call: its sentences and their sound (made here if new)."""
        parts = []
        for language in self.languages:
            text = spoken_call(call.number, call.counters[language], language, recall=call.recall)
            key = self.speech.sound(text, language)
            parts.append(
                {"language": language, "text": text, "audio": sound_url(key) if key else None}
            )
        spoken = any(part["audio"] for part in parts)
        return {
            "seq": call.seq,
            "number": call.number,
            "queue_id": call.queue_id,
            "recall": call.recall,
            "at": call.at,
            "chime": sound_url(CHIME) if spoken else None,
            "parts": parts,
        }
