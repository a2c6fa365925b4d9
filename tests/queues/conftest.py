"""A small configuration of our own for the queue tests, and helpers to open engines on it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from frontdesk_core.app import Frontdesk
from frontdesk_core.clock import ManualClock
from frontdesk_core.config.loader import load_config
from frontdesk_core.config.models import Config
from frontdesk_core.hookspecs import hookimpl
from frontdesk_core.plugins import Hooks, make_plugin_manager
from frontdesk_core.queues.engine import QueueEngine
from frontdesk_core.store import EventStore, SqliteStore

CONFIG_YAML = """\
site:
  id: testby
  name: Testby Kommune
  languages: [da, en]
centres:
  - id: main
    name: {da: Borgerservice, en: Citizen Service}
    address: Torvet 1, 9999 Testby
    opening_hours:
      mon: "08:00-18:00"
      tue: "08:00-18:00"
      wed: "08:00-18:00"
      thu: "08:00-18:00"
      fri: "08:00-18:00"
    day_reset: "04:00"
    queues:
      - id: pass
        name: {da: Pas, en: Passport}
        prefix: P
        target: 80% within 15 minutes
        recalls_before_no_show: 2
        no_show_after: 5 min
      - id: tax
        name: {da: Skat, en: Tax}
        prefix: S
        target: 80% within 10 minutes
      - id: cash
        name: {da: Kontanthjælp, en: Cash benefit}
        prefix: K
        priority: 1
        target: 90% within 20 minutes
    counters:
      - id: c1
        name: {da: Skranke 1, en: Counter 1}
        queues: [pass, tax]
      - id: c2
        name: {da: Skranke 2, en: Counter 2}
        queues: [tax, cash]
      - id: c3
        name: {da: Skranke 3, en: Counter 3}
        queues: [pass]
        call_policy: fifo
  - id: job
    name: {da: Jobcenter, en: Job centre}
    address: Torvet 2, 9999 Testby
    opening_hours:
      mon: "08:00-15:00"
    queues:
      - id: jobs
        name: {da: Job, en: Jobs}
        prefix: J
    counters:
      - id: j1
        name: {da: Bord 1, en: Desk 1}
        queues: [jobs]
services:
  - id: passport
    name: {da: Pas, en: Passport}
    queue: pass
    booking:
      duration: 10 min
"""

START = datetime.fromisoformat("2026-11-23T09:00:00+01:00")
"""A Monday morning in Copenhagen."""


def write_config(directory: Path) -> Path:
    """Write the test configuration and return its path."""
    path = directory / "frontdesk.yaml"
    path.write_text(CONFIG_YAML, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def config(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """The test configuration, loaded once through the real loader."""
    return load_config(write_config(tmp_path_factory.mktemp("config")))


class Recorder:
    """A plugin that records every ticket hook it hears, for assertions."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    @hookimpl
    def frontdesk_ticket_issued(self, ticket: Any) -> None:
        self.calls.append(("issued", {"ticket": ticket}))

    @hookimpl
    def frontdesk_ticket_called(self, ticket: Any, counter_id: str) -> None:
        self.calls.append(("called", {"ticket": ticket, "counter_id": counter_id}))

    @hookimpl
    def frontdesk_ticket_recalled(self, ticket: Any, counter_id: str) -> None:
        self.calls.append(("recalled", {"ticket": ticket, "counter_id": counter_id}))

    @hookimpl
    def frontdesk_ticket_finished(self, ticket: Any) -> None:
        self.calls.append(("finished", {"ticket": ticket}))

    @hookimpl
    def frontdesk_ticket_no_show(self, ticket: Any) -> None:
        self.calls.append(("no_show", {"ticket": ticket}))

    @hookimpl
    def frontdesk_ticket_transferred(self, ticket: Any, from_queue: str) -> None:
        self.calls.append(("transferred", {"ticket": ticket, "from_queue": from_queue}))

    @hookimpl
    def frontdesk_render_display(self, screen: Any) -> None:
        self.calls.append(("render", {"screen": screen}))

    def kinds(self) -> list[str]:
        """The hooks heard, in order, without the screen renders."""
        return [kind for kind, _ in self.calls if kind != "render"]


def hooks_with(*plugins: object) -> Hooks:
    """Hooks with the built-in plugins and ``plugins`` only (no installed ones)."""
    return Hooks(make_plugin_manager(load_entrypoints=False, plugins=plugins))


def open_engine(
    config: Config, store: EventStore, clock: ManualClock, *plugins: object
) -> QueueEngine:
    """A queue engine on ``store``, as a second process would open one."""
    return QueueEngine(config, store, clock, hooks_with(*plugins))


@pytest.fixture
def clock() -> ManualClock:
    """A manual clock on a Monday morning in Copenhagen."""
    return ManualClock(START)


@pytest.fixture
def recorder() -> Recorder:
    """A plugin recording the hooks."""
    return Recorder()


@pytest.fixture
def fd(config: Config, clock: ManualClock, recorder: Recorder) -> Iterator[Frontdesk]:
    """A Frontdesk on an in-memory store with the recorder plugin."""
    desk = Frontdesk(config, store=SqliteStore(":memory:"), clock=clock, hooks=hooks_with(recorder))
    yield desk
    desk.close()
