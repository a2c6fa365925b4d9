"""Publish and subscribe for Server-Sent Events, fed from any thread.

Hooks fire on the core's thread; browsers listen on the event loop. A
subscriber that cannot keep up is dropped (its stream ends), and its browser
reconnects and receives the whole current state again, so nothing is lost.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

QUEUE_SIZE = 64


@dataclass(frozen=True)
class Message:
    """One Server-Sent Event: its ``event`` name and JSON ``data``."""

    event: str
    data: str

    @classmethod
    def of(cls, event: str, payload: Any) -> Message:
        """A message carrying ``payload`` as JSON."""
        return cls(event, json.dumps(payload, separators=(",", ":"), ensure_ascii=False))

    def encode(self) -> bytes:
        """The event as it goes on the wire."""
        return f"event: {self.event}\ndata: {self.data}\n\n".encode()


CLOSE = Message("close", "null")


class Broadcaster:
    """Topics (``screen:<centre>``, ``staff:<centre>``) with any number of subscribers."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._topics: dict[str, set[asyncio.Queue[Message]]] = {}
        self._lock = threading.Lock()

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Deliver on ``loop`` (the server's event loop)."""
        self._loop = loop

    @property
    def loop(self) -> asyncio.AbstractEventLoop | None:
        """The loop messages are delivered on, once bound."""
        return self._loop

    def subscribers(self, topic: str) -> int:
        """How many subscribers ``topic`` has."""
        with self._lock:
            return len(self._topics.get(topic, ()))

    @asynccontextmanager
    async def subscribe(self, topic: str) -> AsyncIterator[asyncio.Queue[Message]]:
        """A queue receiving every message published to ``topic`` while the block runs."""
        queue: asyncio.Queue[Message] = asyncio.Queue(QUEUE_SIZE)
        with self._lock:
            self._topics.setdefault(topic, set()).add(queue)
        try:
            yield queue
        finally:
            with self._lock:
                self._topics.get(topic, set()).discard(queue)

    def publish(self, topic: str, event: str, payload: Any) -> None:
        """Send ``payload`` as JSON to every subscriber of ``topic`` (from any thread)."""
        message = Message.of(event, payload)
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._deliver(topic, message)
        else:
            loop.call_soon_threadsafe(self._deliver, topic, message)

    def close_all(self) -> None:
        """End every stream (the server is stopping)."""
        with self._lock:
            queues = [q for subs in self._topics.values() for q in subs]
        for queue in queues:
            _force(queue, CLOSE)

    def _deliver(self, topic: str, message: Message) -> None:
        with self._lock:
            queues = list(self._topics.get(topic, ()))
        for queue in queues:
            if queue.full():
                # Too slow: end its stream; the browser reconnects and gets the full state.
                _force(queue, CLOSE)
            else:
                queue.put_nowait(message)


def _force(queue: asyncio.Queue[Message], message: Message) -> None:
    while queue.full():
        queue.get_nowait()
    queue.put_nowait(message)
