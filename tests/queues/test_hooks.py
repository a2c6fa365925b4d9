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


class _AsksFromAnotherThread:
    """A plugin that, on each hook, has another thread ask the engine something (as a
    screen server's thread would), and records whether the answer came."""

    def __init__(self) -> None:
        self.engine: Any = None
        self.answered: list[str] = []

    def _ask(self, hook: str) -> None:
        import threading

        worker = threading.Thread(target=lambda: self.engine.queue_status("main"), daemon=True)
        worker.start()
        worker.join(timeout=5)
        self.answered.append(hook if not worker.is_alive() else f"{hook}: blocked")

    @hookimpl
    def frontdesk_ticket_issued(self, ticket: Any) -> None:
        self._ask("issued")

    @hookimpl
    def frontdesk_ticket_called(self, ticket: Any, counter_id: str) -> None:
        self._ask("called")

    @hookimpl
    def frontdesk_ticket_finished(self, ticket: Any) -> None:
        self._ask("finished")


def test_plugins_hear_of_commands_after_the_engine_lets_its_lock_go(config: Config) -> None:
    asker = _AsksFromAnotherThread()
    fd = Frontdesk(
        config, store=SqliteStore(":memory:"), clock=ManualClock(START), hooks=hooks_with(asker)
    )
    engine = asker.engine = fd.queues
    engine.sign_in("c1", "AB")
    engine.issue("pass")
    engine.call_next("c1")
    engine.start("c1")
    engine.finish("c1")
    assert asker.answered == ["issued", "called", "finished"]
