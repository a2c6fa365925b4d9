"""Progress of the long commands: a bar on a terminal, a line every few seconds elsewhere."""

from __future__ import annotations

import io

from frontdesk_core.cli.progress import CommandProgress


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_log_gets_a_line_every_few_seconds_and_one_at_the_end() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = CommandProgress("simulating", stream, every=5.0, clock=clock)
    for second, done in ((1, 1), (2, 2), (6, 3), (7, 4), (12, 10)):
        clock.now = second
        progress(done, 10)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2 and "\r" not in stream.getvalue()
    assert lines[0].startswith("simulating:  30%") and "3/10" in lines[0]
    assert "10/10" in lines[1]
    clock.now = 13
    progress.label = "round 2"
    progress(1, 4)  # a new step: counted from its own start
    progress(4, 4)
    assert stream.getvalue().splitlines()[-1].startswith("round 2: 100%")


def test_a_terminal_gets_a_live_bar() -> None:
    stream = Terminal()
    progress = CommandProgress("simulating", stream, every=0.0)
    for done in range(1, 6):
        progress(done, 5)
    progress.close()
    assert "\r" in stream.getvalue() and "5/5" in stream.getvalue()


def test_a_count_without_a_total_is_shown_as_a_count() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = CommandProgress("reading the event log", stream, clock=clock, unit=" events")
    progress(1000, 0)
    clock.now = 6
    progress(5000, 0)
    progress(7200, 7200)  # the end: now the total is known
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("reading the event log: 5000 events")
    assert "7200/7200" in lines[1]
