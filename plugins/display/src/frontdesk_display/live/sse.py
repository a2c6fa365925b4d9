"""Server-Sent Event streams: the current state first, then every change.

A browser's ``EventSource`` reconnects by itself (``retry``), and each new
connection starts with the whole current state, so a screen that lost its
connection is right again as soon as it is back.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

from starlette.responses import StreamingResponse

from frontdesk_display.live.broadcast import CLOSE, Broadcaster, Message

RETRY_MS = 1000
KEEP_ALIVE_SECONDS = 15.0


def event_stream(
    broadcaster: Broadcaster,
    topic: str,
    initial: Callable[[], Awaitable[list[Message]]],
) -> StreamingResponse:
    """A streaming response for ``topic`` that opens with ``initial()``."""

    async def body() -> AsyncIterator[bytes]:
        # Subscribe before reading the state, so no change between the two is lost.
        async with broadcaster.subscribe(topic) as queue:
            yield f"retry: {RETRY_MS}\n\n".encode()
            for message in await initial():
                yield message.encode()
            while True:
                try:
                    message = await asyncio.wait_for(queue.get(), KEEP_ALIVE_SECONDS)
                except TimeoutError:
                    yield b": keep-alive\n\n"
                    continue
                if message is CLOSE:
                    return
                yield message.encode()

    return StreamingResponse(
        body(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
