"""Progress of the long commands (simulate, plan, compare, scenario-from-log) on standard error.

On a terminal, tqdm draws a live bar. Anywhere else (a log file, a CI job, a
pipe) a bar redrawn with carriage returns would be one unreadable line, so the
same figures, formatted by tqdm, are written as a plain line every few seconds,
plus one when a step finishes. Standard output stays the command's own.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from tqdm import tqdm

LINE_EVERY = 5.0
"""Seconds between progress lines when standard error is not a terminal."""


class CommandProgress:
    """A progress callback ``(done, total)`` for one step of a command after another.

    A step starts when ``done`` falls back (or ``total`` changes); ``label`` names
    the current step and may be changed between steps (``plan``'s rounds). A total of
    0 means not known yet (reading an event log): counts without a percentage.
    """

    def __init__(
        self,
        label: str,
        stream: TextIO | None = None,
        *,
        every: float = LINE_EVERY,
        clock: Callable[[], float] = time.monotonic,
        unit: str = " days",
    ) -> None:
        self.label = label
        self.unit = unit
        self.stream = stream if stream is not None else sys.stderr
        self.every = every
        self.clock = clock
        self.terminal = self.stream.isatty()
        self._bar: Any = None
        self._done = -1
        self._total = -1
        self._started = 0.0
        self._written = 0.0

    def __call__(self, done: int, total: int) -> None:
        """Show ``done`` of ``total`` tasks of the current step."""
        if done <= self._done or (total != self._total and self._total != 0):
            self._start(total)
        self._done = done
        finished = total > 0 and done >= total
        if self._bar is not None:
            self._bar.update(done - self._bar.n)
            if finished:
                self.close()
            return
        now = self.clock()
        if finished or now - self._written >= self.every:
            self._written = now
            line = tqdm.format_meter(
                done, total or None, now - self._started, prefix=self.label, unit=self.unit
            )
            self.stream.write(line + "\n")
            self.stream.flush()

    def note(self, text: str) -> None:
        """A line about the command's progress (a new round), between the bars."""
        if self._bar is not None:
            self._bar.write(text, file=self.stream)
        else:
            self.stream.write(text + "\n")
            self.stream.flush()

    def _start(self, total: int) -> None:
        self.close()
        self._total = total
        self._done = -1
        self._started = self._written = self.clock()
        if self.terminal:
            self._bar = tqdm(
                total=total or None,
                desc=self.label,
                file=self.stream,
                leave=False,
                unit=self.unit,
                mininterval=self.every / 50,
            )

    def close(self) -> None:
        """Take the bar off the terminal (nothing to do for plain lines)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None


__all__ = ["LINE_EVERY", "CommandProgress"]
