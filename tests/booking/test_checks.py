"""The booking checks report every problem with its exact position."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from frontdesk_core import check
from frontdesk_core.booking.checks import check_booking
from frontdesk_core.config.models import Config
from frontdesk_core.plugins import builtin_context

HEAD = """\
site:
  id: testby
  name: Testby
  languages: [da]
centres:
  - id: main
    name: {da: Borgerservice}
    address: Torvet 1
"""

EVERYTHING_WRONG = (
    HEAD
    + """\
    opening_hours:
      mon: ["09:00-12:00", "11:00-15:00"]
      tue: "09:00-10:00"
    exceptions:
      - date: 2026-12-23
        hours: "09:00-12:00"
      - date: 2026-12-23
        hours: closed
    queues:
      - {id: pass, name: {da: Pas}, prefix: P}
      - {id: tax, name: {da: Skat}, prefix: S}
    counters:
      - id: c1
        name: {da: Skranke 1}
        queues: [pass]
        booking_hours:
          mon: ["10:00-11:00", "10:30-12:00"]
      - id: c2
        name: {da: Skranke 2}
        queues: [tax]
    booking:
      late_arrival: rebook
      walk_in_queue: pas
      breaks:
        - {time: "12:00-12:30", counters: [c1, c9]}
        - {weekdays: [mon], time: "12:15-13:00"}
services:
  - id: passport
    name: {da: Pas}
    queue: pass
    booking:
      duration: 7 h
      channels: [in_person, phone, phone]
  - id: tax
    name: {da: Skat}
    queue: tax
    booking:
      duration: 15 min
      counters: [c1, c3]
      min_notice: 40 days
  - id: pension
    name: {da: Pension}
    queue: tax
    booking:
      duration: 0 min
  - id: permit
    name: {da: Byggesag}
    queue: pass
    booking:
      duration: 2 h
      buffer_after: 30 min
      counters: [c1]
"""
)

EXPECTED = """\
frontdesk.yaml:10:28: opening hours on mon: 11:00-15:00 overlaps 09:00-12:00
frontdesk.yaml:15:15: 2026-12-23 already has an exception (at frontdesk.yaml:13); \
give each date once
frontdesk.yaml:25:32: booking hours of counter 'c1' on mon: 10:30-12:00 overlaps 10:00-11:00
frontdesk.yaml:31:22: unknown queue 'pas' in centre 'main'; did you mean 'pass'?
frontdesk.yaml:33:48: unknown counter 'c9' in centre 'main'; known: 'c1', 'c2'
frontdesk.yaml:34:35: the break 12:15-13:00 overlaps the break 12:00-12:30 on mon
frontdesk.yaml:40:17: an appointment of 7 h is longer than any time a counter serving it \
takes bookings in centre 'main' (the longest is 1 h 30 min)
frontdesk.yaml:41:36: the channel 'phone' is listed twice
frontdesk.yaml:47:18: counter 'c1' does not serve the queue 'tax' of this service, so it \
could not call the booked citizens; add the queue to it
frontdesk.yaml:47:22: unknown counter 'c3' in centre 'main'; known: 'c1', 'c2'
frontdesk.yaml:48:19: nothing can ever be booked: the minimum notice (40 days) is not \
shorter than the horizon (30 days)
frontdesk.yaml:53:17: the duration must be longer than zero
frontdesk.yaml:58:17: an appointment of 2 h (2 h 30 min with buffers) is longer than any \
time a counter serving it takes bookings in centre 'main' (the longest is 1 h 30 min)
"""


def problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> str:
    """Every problem found in ``text`` (as ``frontdesk.yaml``), one per line."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "frontdesk.yaml").write_text(text, encoding="utf-8")
    config, found = check("frontdesk.yaml", builtin_context())
    assert (config is None) == bool(found)
    return "".join(f"{p}\n" for p in found)


def test_every_booking_problem_with_its_position(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert problems(tmp_path, monkeypatch, EVERYTHING_WRONG) == EXPECTED


SMALL = (
    HEAD
    + """\
    opening_hours: {mon: "09:00-15:00"}
    queues:
      - {id: pass, name: {da: Pas}, prefix: P}
      - {id: tax, name: {da: Skat}, prefix: S}
    counters:
      - id: c1
        name: {da: Skranke 1}
        queues: [%(queues)s]
        booking_hours: {mon: "%(hours)s"}
services:
  - id: tax
    name: {da: Skat}
    queue: tax
    booking:
      duration: 15 min
"""
)


def test_a_bookable_service_no_counter_serves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = SMALL % {"queues": "pass", "hours": "09:00-15:00"}
    assert problems(tmp_path, monkeypatch, text) == (
        "frontdesk.yaml:12:14: no counter of centre 'main' serves the queue 'tax', so its "
        "tickets would never be called; add it to the 'queues' of a counter\n"
        "frontdesk.yaml:22:5: service 'tax' can be booked but no counter of centre 'main' "
        "serves its queue 'tax'; add the queue to a counter or list booking.counters\n"
    )


def test_counters_that_take_bookings_only_while_the_centre_is_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = SMALL % {"queues": "tax, pass", "hours": "16:00-18:00"}
    assert problems(tmp_path, monkeypatch, text) == (
        "frontdesk.yaml:22:5: no counter that serves this service takes bookings while "
        "centre 'main' is open, so nothing can be booked\n"
    )


def test_a_misspelt_queue_of_a_counter_is_reported_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = SMALL % {"queues": "taks", "hours": "09:00-15:00"}
    assert problems(tmp_path, monkeypatch, text) == (
        "frontdesk.yaml:16:18: unknown queue 'taks' in centre 'main'; known: 'pass', 'tax'\n"
    )


def test_the_test_configuration_is_clean(config: Config, data: dict[str, Any]) -> None:
    # Loading it at all ran every check; run them again directly to see they stay quiet.
    class Quiet:
        problems: list[object] = []

        def error(self, loc: object, message: str, *, at_key: bool = False) -> None:
            self.problems.append((loc, message))

    reporter = Quiet()
    check_booking(config, builtin_context(), reporter)  # type: ignore[arg-type]
    assert reporter.problems == []
