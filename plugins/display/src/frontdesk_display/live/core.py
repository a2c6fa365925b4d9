"""One worker thread through which every call into the core goes.

The engines keep their state in memory on top of the event log and are not
written for concurrent use; the web server is asynchronous. Running every
command on one thread keeps commands in order and the event loop free, and
the hooks a command fires (ticket called, ...) run on that thread too. A
kiosk's ticket is printed afterwards on a thread of its own
(:func:`frontdesk_display.kiosk.flow.finish`), so a slow printer does not hold
up the other kiosks, screens and dashboards.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from frontdesk_core.api import Frontdesk

P = ParamSpec("P")
T = TypeVar("T")


class CoreRunner:
    """Runs functions on the core's thread and awaits their result."""

    def __init__(self, fd: Frontdesk) -> None:
        self.fd = fd
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="frontdesk-core")

    async def run(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``function(*args, **kwargs)`` on the core's thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._executor, functools.partial(function, *args, **kwargs)
        )

    def close(self) -> None:
        """Finish the commands already submitted, then stop the thread."""
        self._executor.shutdown(wait=True)
