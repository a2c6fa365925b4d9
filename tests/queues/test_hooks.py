"""Hooks fire after the change is durable, and a failing plugin undoes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from frontdesk_core.app import Frontdesk
from frontdesk_core.clock import ManualClock
from frontdesk_core.config.models import Config
from frontdesk_core.hookspecs import hookimpl
from frontdesk_core.queues.tickets import TicketState
from frontdesk_core.store import SqliteStore
from queues.conftest import START, Recorder, hooks_with


class Witness:
    """Looks into the file from its own connection when told of a ticket."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.seen: list[tuple[str, list[str]]] = []

    def _look(self, hook: str, ticket: Any) -> None:
        other = SqliteStore(self.path)
        self.seen.append((hook, [e.kind for e in other.read(key=ticket.id)]))
        other.close()

    @hookimpl
    def frontdesk_ticket_issued(self, ticket: Any) -> None:
        self._look("issued", ticket)

    @hookimpl
    def frontdesk_ticket_called(self, ticket: Any, counter_id: str) -> None:
        self._look("called", ticket)

    @hookimpl
    def frontdesk_ticket_finished(self, ticket: Any) -> None:
        self._look("finished", ticket)


class Broken:
    """A plugin that fails on every call."""

    @hookimpl
    def frontdesk_ticket_called(self, ticket: Any, counter_id: str) -> None:
        raise RuntimeError("the screen is unplugged")


def test_hooks_see_the_change_already_committed(config: Config, tmp_path: Path) -> None:
    path = str(tmp_path / "log.db")
    witness = Witness(path)
    fd = Frontdesk(
        config, store=SqliteStore(path), clock=ManualClock(START), hooks=hooks_with(witness)
    )
    fd.queues.issue("pass")
    fd.queues.sign_in("c1", "AB")
    fd.queues.call_next("c1")
    fd.queues.finish("c1")
    assert witness.seen == [
        ("issued", ["ticket.issued"]),
        ("called", ["ticket.issued", "ticket.called"]),
        ("finished", ["ticket.issued", "ticket.called", "ticket.finished"]),
    ]
    fd.close()


def test_a_failing_plugin_never_undoes_the_command(config: Config) -> None:
    fd = Frontdesk(
        config,
        store=SqliteStore(":memory:"),
        clock=ManualClock(START),
        hooks=hooks_with(Broken()),
    )
    fd.queues.issue("pass")
    fd.queues.sign_in("c1", "AB")
    called = fd.queues.call_next("c1")
    assert called is not None and called.state is TicketState.CALLED
    assert [e.kind for e in fd.store.read(key=called.id)] == ["ticket.issued", "ticket.called"]
    fd.close()


def test_a_plugin_registered_after_commands_ran_hears_the_next_ones(
    config: Config, clock: ManualClock
) -> None:
    # The engine remembers which hooks nobody implements; a plugin added later is heard.
    hooks = hooks_with()
    desk = Frontdesk(config, store=SqliteStore(":memory:"), clock=clock, hooks=hooks)
    desk.queues.sign_in("c1", "AB")
    desk.queues.issue("pass")
    desk.queues.call_next("c1")
    desk.queues.finish("c1")
    late = Recorder()
    hooks.pm.register(late)
    desk.queues.issue("pass")
    desk.queues.call_next("c1")
    desk.queues.finish("c1")
    heard = [name for name, _ in late.calls if name != "render"]
    assert heard == ["issued", "called", "finished"]
    desk.close()
