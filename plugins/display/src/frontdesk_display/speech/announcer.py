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
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from frontdesk_core.api import Frontdesk, FrontdeskError, TicketCalled, TicketRecalled, text_in
from frontdesk_display.live.core import CoreRunner
from frontdesk_display.settings import SpeechSettings
from frontdesk_display.speech.sentences import spoken_call
from frontdesk_display.speech.service import CHIME, PAUSE, Speech

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
    """Turns calls in the log into ``speak`` messages, published with
    ``publish(centre_id, name, message)``; a ticket just issued into a ``prepare`` message
    naming the sounds its call will need, so the screens have them before the call."""

    def __init__(
        self,
        fd: Frontdesk,
        core: CoreRunner,
        speech: Speech,
        settings: SpeechSettings,
        publish: Callable[[str, str, dict[str, Any]], None],
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
        self._tasks: set[asyncio.Task[Any]] = set()

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
        """Start after the newest event: calls made before the server started are not said.

        Then make the counters' phrases ("skranke 3") ahead of the first call."""
        self._cursor = await self.core.run(self.fd.store.last_seq)
        if self.languages and self.speech.speaks:
            await asyncio.to_thread(self._make_counters)

    def _make_counters(self) -> None:
        for centre in self.fd.config.centres:
            for counter in centre.counters:
                for language in self.languages:
                    self.speech.sound(text_in(counter.name, language), language)

    def prepare(self, centre_id: str, queue_id: str, number: str) -> None:
        """A ticket was issued: make its call's sound now (on the running loop), so the call
        itself only joins phrases that are ready. The counter is not known yet; the number's
        phrase is what takes the time, and it is the same for every counter."""
        if not self.languages or not self.speech.speaks:
            return
        try:
            centre = self.fd.config.centre(centre_id)
        except KeyError:
            return
        counter = next((c for c in centre.counters if queue_id in c.queues), None)
        if counter is None:
            return
        call = Call(
            0,
            centre_id,
            queue_id,
            number,
            False,
            "",
            {language: text_in(counter.name, language) for language in self.languages},
        )
        self._spawn(self._prepare(call))

    async def _prepare(self, call: Call) -> None:
        """Make a call's phrases and let the screens fetch them before the call."""
        message = await self.message(call)
        sounds = [url for part in message["parts"] for url in part["audio"]]
        if sounds:
            self.publish(call.centre_id, "prepare", {"sounds": sounds})

    def _spawn(self, work: Any) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

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
                    self.publish(call.centre_id, "speak", await self.message(call))
                    if not call.recall:  # ready for the counter's recall too
                        self._spawn(self.message(replace(call, recall=True)))
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

    def sentences(self, call: Call) -> list[tuple[str, str]]:
        """``(language, text)`` of each sentence that says ``call``."""
        return [
            (
                language,
                spoken_call(call.number, call.counters[language], language, recall=call.recall),
            )
            for language in self.languages
        ]

    async def message(self, call: Call) -> dict[str, Any]:
        """The ``speak`` message of a call: each sentence and the sound of its phrases, made
        now if new (one worker thread per language, so two languages take the time of one)."""
        sentences = self.sentences(call)
        keys = await asyncio.gather(
            *(
                asyncio.to_thread(self.speech.phrases, text, language)
                for language, text in sentences
            )
        )
        parts = [
            {"language": language, "text": text, "audio": [sound_url(k) for k in phrase_keys or []]}
            for (language, text), phrase_keys in zip(sentences, keys, strict=True)
        ]
        spoken = any(part["audio"] for part in parts)
        return {
            "seq": call.seq,
            "number": call.number,
            "queue_id": call.queue_id,
            "recall": call.recall,
            "at": call.at,
            "chime": sound_url(CHIME) if spoken else None,
            "pause_ms": int(PAUSE * 1000),
            "parts": parts,
        }

    def preload(self, centre_id: str) -> list[str]:
        """The sounds a screen of ``centre_id`` fetches when it opens: the chime and the
        counters' phrases (those made already)."""
        sounds = [sound_url(CHIME)]
        try:
            centre = self.fd.config.centre(centre_id)
        except KeyError:
            return sounds
        for counter in centre.counters:
            for language in self.languages:
                key = self.speech.key(text_in(counter.name, language), language)
                if self.speech.path(key) is not None:
                    sounds.append(sound_url(key))
        return sounds
