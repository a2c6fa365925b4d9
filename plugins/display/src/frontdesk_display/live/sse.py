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
CHECK_SECONDS = 1.0
"""How often a signed-in stream asks whether its session still lives."""
SIGNED_OUT = Message("signed_out", "null")
"""The last message of a stream whose session ended: the page goes to sign in."""


def event_stream(
    broadcaster: Broadcaster,
    topic: str,
    initial: Callable[[], Awaitable[list[Message]]],
    *,
    allowed: Callable[[], Awaitable[bool]] | None = None,
) -> StreamingResponse:
    """A streaming response for ``topic`` that opens with ``initial()``.

    A stream for signed-in staff passes ``allowed``: asked every
    :data:`CHECK_SECONDS` and before every message, and the stream ends (with
    :data:`SIGNED_OUT`) as soon as it says no, so signing out, a manager's "sign
    out everywhere" or a new password also end the dashboards already open.
    """
    wait = CHECK_SECONDS if allowed is not None else KEEP_ALIVE_SECONDS

    async def body() -> AsyncIterator[bytes]:
        # Subscribe before reading the state, so no change between the two is lost.
        async with broadcaster.subscribe(topic) as queue:
            yield f"retry: {RETRY_MS}\n\n".encode()
            for first in await initial():
                yield first.encode()
            quiet = 0.0
            while True:
                try:
                    message: Message | None = await asyncio.wait_for(queue.get(), wait)
                except TimeoutError:
                    message = None
                if allowed is not None and not await allowed():
                    yield SIGNED_OUT.encode()
                    return
                if message is None:
                    quiet += wait
                    if quiet >= KEEP_ALIVE_SECONDS:
                        quiet = 0.0
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
