"""A pytest plugin for people writing frontdesk plugins (loaded automatically).

Fixtures:

* ``frontdesk_clock``: a :class:`~frontdesk_core.clock.ManualClock` on a Monday
  morning in Copenhagen.
* ``hook_recorder``: a plugin that records every event hook call.
* ``make_frontdesk``: builds a :class:`~frontdesk_core.app.Frontdesk` on an
  in-memory store with only the plugins you pass (installed ones are not loaded),
  and closes it after the test.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from frontdesk_core.app import Frontdesk
from frontdesk_core.booking.records import Booking, Contact
from frontdesk_core.clock import Clock, ManualClock
from frontdesk_core.config.models import Config
from frontdesk_core.devices import DeviceFault, ScreenState
from frontdesk_core.hookspecs import hookimpl
from frontdesk_core.plugins import make_plugin_manager
from frontdesk_core.queues.tickets import Ticket
from frontdesk_core.referral.outcomes import Referred, SentHome


class HookRecorder:
    """A plugin that records every event hook it receives as ``(hook, arguments)``."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def named(self, hook: str) -> list[dict[str, Any]]:
        """The arguments of every call of ``hook``, in order."""
        return [args for name, args in self.calls if name == hook]

    def _record(self, hook: str, **kwargs: Any) -> None:
        self.calls.append((hook, kwargs))

    @hookimpl
    def frontdesk_ticket_issued(self, ticket: Ticket) -> None:
        """Record it."""
        self._record("frontdesk_ticket_issued", ticket=ticket)

    @hookimpl
    def frontdesk_ticket_called(self, ticket: Ticket, counter_id: str) -> None:
        """Record it."""
        self._record("frontdesk_ticket_called", ticket=ticket, counter_id=counter_id)

    @hookimpl
    def frontdesk_ticket_recalled(self, ticket: Ticket, counter_id: str) -> None:
        """Record it."""
        self._record("frontdesk_ticket_recalled", ticket=ticket, counter_id=counter_id)

    @hookimpl
    def frontdesk_ticket_finished(self, ticket: Ticket) -> None:
        """Record it."""
        self._record("frontdesk_ticket_finished", ticket=ticket)

    @hookimpl
    def frontdesk_ticket_no_show(self, ticket: Ticket) -> None:
        """Record it."""
        self._record("frontdesk_ticket_no_show", ticket=ticket)

    @hookimpl
    def frontdesk_ticket_transferred(self, ticket: Ticket, from_queue: str) -> None:
        """Record it."""
        self._record("frontdesk_ticket_transferred", ticket=ticket, from_queue=from_queue)

    @hookimpl
    def frontdesk_citizen_checked_in(self, booking: Booking, ticket: Ticket) -> None:
        """Record it."""
        self._record("frontdesk_citizen_checked_in", booking=booking, ticket=ticket)

    @hookimpl
    def frontdesk_citizen_sent_home(self, outcome: SentHome) -> None:
        """Record it."""
        self._record("frontdesk_citizen_sent_home", outcome=outcome)

    @hookimpl
    def frontdesk_citizen_referred(self, outcome: Referred) -> None:
        """Record it."""
        self._record("frontdesk_citizen_referred", outcome=outcome)

    @hookimpl
    def frontdesk_booking_created(self, booking: Booking, contact: Contact) -> None:
        """Record it."""
        self._record("frontdesk_booking_created", booking=booking, contact=contact)

    @hookimpl
    def frontdesk_booking_rescheduled(
        self, booking: Booking, contact: Contact, previous_start: datetime
    ) -> None:
        """Record it."""
        self._record(
            "frontdesk_booking_rescheduled",
            booking=booking,
            contact=contact,
            previous_start=previous_start,
        )

    @hookimpl
    def frontdesk_booking_cancelled(self, booking: Booking, contact: Contact, reason: str) -> None:
        """Record it."""
        self._record("frontdesk_booking_cancelled", booking=booking, contact=contact, reason=reason)

    @hookimpl
    def frontdesk_booking_reminder_due(
        self, booking: Booking, contact: Contact, before: timedelta
    ) -> None:
        """Record it."""
        self._record(
            "frontdesk_booking_reminder_due", booking=booking, contact=contact, before=before
        )

    @hookimpl
    def frontdesk_render_display(self, screen: ScreenState) -> None:
        """Record it."""
        self._record("frontdesk_render_display", screen=screen)

    @hookimpl
    def frontdesk_device_fault(self, fault: DeviceFault) -> None:
        """Record it."""
        self._record("frontdesk_device_fault", fault=fault)


MakeFrontdesk = Callable[..., Frontdesk]


@pytest.fixture
def frontdesk_clock() -> ManualClock:
    """A manual clock on Monday 23 November 2026, 09:00 in Copenhagen."""
    return ManualClock(datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen")))


@pytest.fixture
def hook_recorder() -> HookRecorder:
    """A plugin recording every event hook call; pass it to ``make_frontdesk``."""
    return HookRecorder()


@pytest.fixture
def make_frontdesk(frontdesk_clock: ManualClock) -> Iterator[MakeFrontdesk]:
    """Build Frontdesks on in-memory stores with only the given plugins; closed after the test."""
    opened: list[Frontdesk] = []

    def make(
        config: str | os.PathLike[str] | Config,
        *,
        plugins: tuple[object, ...] | list[object] = (),
        clock: Clock | None = None,
        store: str = ":memory:",
    ) -> Frontdesk:
        pm = make_plugin_manager(load_entrypoints=False, plugins=plugins)
        fd = Frontdesk.open(config, store=store, clock=clock or frontdesk_clock, plugins=pm)
        opened.append(fd)
        return fd

    yield make
    for fd in opened:
        fd.close()
