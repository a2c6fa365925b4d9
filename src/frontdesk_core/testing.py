"""A pytest plugin for people writing frontdesk plugins (loaded automatically).

Fixtures:

* ``frontdesk_clock() -> ManualClock``: a :class:`~frontdesk_core.clock.ManualClock`
  on Monday 23 November 2026, 09:00 in Copenhagen.
* ``hook_recorder() -> HookRecorder``: records every hook call; pass it among the
  ``plugins`` of ``make_frontdesk`` (or call :meth:`HookRecorder.attach`).
* ``make_frontdesk() -> MakeFrontdesk``: a function
  ``make(config, *, plugins=(), clock=None, store=":memory:") -> Frontdesk`` that
  opens a :class:`~frontdesk_core.app.Frontdesk` with the built-in plugins and only
  the ``plugins`` you pass (installed ones are not loaded); every Frontdesk it made
  is closed after the test.

Helpers: :func:`walk_kiosk` takes a citizen through the kiosk's tree.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pluggy
import pytest

from frontdesk_core.app import Frontdesk
from frontdesk_core.clock import Clock, ManualClock
from frontdesk_core.config.models import Config
from frontdesk_core.plugins import PluginManager, make_plugin_manager
from frontdesk_core.referral.engine import KioskResult


class HookRecorder:
    """Records every hook call of a plugin manager as ``(hook, arguments)``.

    It sits on pluggy's hook-call monitoring (as pytest's ``HookRecorder`` does),
    so it sees every hook the core calls, implemented or not, with exactly the
    arguments the core passed (``frontdesk`` included), without a list of hooks
    of its own.
    """

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        """Every call recorded so far, in order."""
        self._undo: list[Callable[[], None]] = []

    def attach(self, pm: pluggy.PluginManager) -> HookRecorder:
        """Start recording the hook calls of ``pm``; returns the recorder."""
        self._undo.append(pm.add_hookcall_monitoring(self._before, self._after))
        return self

    def detach(self) -> None:
        """Stop recording (newest attachment first)."""
        while self._undo:
            self._undo.pop()()

    def named(self, hook: str) -> list[dict[str, Any]]:
        """The arguments of every call of ``hook``, in order."""
        return [args for name, args in self.calls if name == hook]

    def _before(
        self, hook: str, impls: Sequence[pluggy.HookImpl], kwargs: Mapping[str, Any]
    ) -> None:
        self.calls.append((hook, dict(kwargs)))

    def _after(
        self,
        outcome: pluggy.Result[Any],
        hook: str,
        impls: Sequence[pluggy.HookImpl],
        kwargs: Mapping[str, Any],
    ) -> None:
        """Nothing to do after a call: the arguments were recorded before it."""


MakeFrontdesk = Callable[..., Frontdesk]
"""``make(config, *, plugins=(), clock=None, store=":memory:") -> Frontdesk``."""


def plugin_manager_with(plugins: Sequence[object] = ()) -> PluginManager:
    """A plugin manager with the built-in plugins and ``plugins`` only.

    A :class:`HookRecorder` among ``plugins`` is attached rather than registered.
    """
    recorders = [p for p in plugins if isinstance(p, HookRecorder)]
    others = [p for p in plugins if not isinstance(p, HookRecorder)]
    pm = make_plugin_manager(load_entrypoints=False, plugins=others)
    for recorder in recorders:
        recorder.attach(pm)
    return pm


def walk_kiosk(
    fd: Frontdesk,
    centre_id: str,
    answers: Sequence[str | Sequence[str]],
    language: str = "da",
    *,
    kiosk_id: str | None = None,
) -> KioskResult:
    """One kiosk session at ``centre_id``, completed (at ``kiosk_id``, which prints): each
    answer an option id, or (a list) the documents the citizen has at a checklist."""
    session = fd.referral.start(centre_id, language=language)
    for answer in answers:
        if isinstance(answer, str):
            session.answer(answer)
        else:
            session.check(list(answer))
    return fd.referral.complete(session, kiosk_id=kiosk_id)


@pytest.fixture
def frontdesk_clock() -> ManualClock:
    """A manual clock on Monday 23 November 2026, 09:00 in Copenhagen."""
    return ManualClock(datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen")))


@pytest.fixture
def hook_recorder() -> Iterator[HookRecorder]:
    """A recorder of every hook call; pass it among ``make_frontdesk``'s plugins."""
    recorder = HookRecorder()
    yield recorder
    recorder.detach()


@pytest.fixture
def make_frontdesk(frontdesk_clock: ManualClock) -> Iterator[MakeFrontdesk]:
    """Build Frontdesks on in-memory stores with only the given plugins; closed after the test."""
    opened: list[Frontdesk] = []

    def make(
        config: str | os.PathLike[str] | Config,
        *,
        plugins: Sequence[object] = (),
        clock: Clock | None = None,
        store: str = ":memory:",
    ) -> Frontdesk:
        pm = plugin_manager_with(plugins)
        fd = Frontdesk.open(config, store=store, clock=clock or frontdesk_clock, plugins=pm)
        opened.append(fd)
        return fd

    yield make
    for fd in opened:
        fd.close()
