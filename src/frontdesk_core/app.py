"""The integrator's entry point: one object for a whole reception.

    from frontdesk_core import Frontdesk
    with Frontdesk.open("examples/kobenhavn", store=":memory:") as fd:
        ...

It holds the validated configuration, the durable store, the clock and the
plugin hooks, and from it the engines of every part are reached. Plugins keep
what belongs to one Frontdesk in :meth:`Frontdesk.plugin_state`.
"""

from __future__ import annotations

import os
import random
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from frontdesk_core.clock import Clock, SystemClock
from frontdesk_core.config.loader import load_config
from frontdesk_core.config.models import Config
from frontdesk_core.errors import EventLogError
from frontdesk_core.events import check_kinds
from frontdesk_core.forecast.records import FORECAST_STATE
from frontdesk_core.plugins import Hooks, PluginManager, make_plugin_manager
from frontdesk_core.store import EventStore, open_store

if TYPE_CHECKING:
    from frontdesk_core.booking.engine import BookingEngine
    from frontdesk_core.housekeeping import Housekeeper, HousekeepingReport
    from frontdesk_core.queues.engine import QueueEngine
    from frontdesk_core.referral.engine import ReferralEngine
    from frontdesk_core.stats import Stats


class Frontdesk:
    """A configured reception: config, store, clock and hooks, and the engines on top."""

    def __init__(
        self,
        config: Config,
        *,
        store: EventStore,
        clock: Clock,
        hooks: Hooks,
        randomness: random.Random | None = None,
    ) -> None:
        """Take a loaded configuration, an open store, a clock and the plugins' facade.

        The Frontdesk binds a facade of its own on ``hooks``' plugin manager, so
        the hooks it fires receive it as ``frontdesk``; then plugins are told it
        is open (``frontdesk_startup``). ``randomness`` is where booking ids and
        codes are drawn from (see :class:`~frontdesk_core.booking.engine.BookingEngine`):
        leave it out on a live site.
        """
        self.config = config
        self.store = store
        self.clock = clock
        self.randomness = randomness
        self.hooks = hooks.bound(self)
        self.tz = ZoneInfo(config.site.timezone)
        self._engines: dict[str, Any] = {}
        self._plugin_state: dict[str, dict[str, Any]] = {}
        self._closed = False
        self.hooks.startup()

    @classmethod
    def open(
        cls,
        config: str | os.PathLike[str] | Config,
        *,
        store: str | EventStore = "frontdesk.db",
        clock: Clock | None = None,
        plugins: PluginManager | None = None,
        randomness: random.Random | None = None,
    ) -> Frontdesk:
        """Load (or take) a configuration and open the store.

        ``config`` is a path to a file or directory, or already loaded models.
        ``store`` is a SQLite file path, ``":memory:"``, or an open store.
        ``clock`` defaults to the wall clock in the site's timezone.
        ``plugins`` defaults to a manager with every installed plugin.
        ``randomness`` draws booking ids and codes; the operating system's secure
        source unless given (a simulation gives a seeded one, so that a day books
        alike every time; a live site never should: its codes could be guessed).
        Raises :class:`~frontdesk_core.errors.ConfigError` for a bad configuration,
        and :class:`~frontdesk_core.errors.EventLogError` for a log holding an
        event this release cannot read (nothing is changed then).
        """
        hooks = Hooks(plugins if plugins is not None else make_plugin_manager())
        if not isinstance(config, Config):
            config = load_config(config, hooks.load_context())
        opened = open_store(store) if isinstance(store, str) else store
        try:
            check_kinds(opened.kind_versions())
        except EventLogError:
            if isinstance(store, str):
                opened.close()
            raise
        return cls(
            config,
            store=opened,
            clock=clock if clock is not None else SystemClock(config.site.timezone),
            hooks=hooks,
            randomness=randomness,
        )

    @property
    def queues(self) -> QueueEngine:
        """The queue engine: tickets, queues and counters (built on first use)."""
        if "queues" not in self._engines:
            from frontdesk_core.queues.engine import QueueEngine

            self._engines["queues"] = QueueEngine(self.config, self.store, self.clock, self.hooks)
        engine: QueueEngine = self._engines["queues"]
        return engine

    @property
    def stats(self) -> Stats:
        """Figures from the event log, as frozen records."""
        if "stats" not in self._engines:
            from frontdesk_core.stats import Stats

            self._engines["stats"] = Stats(self.store, self.config)
        stats: Stats = self._engines["stats"]
        return stats

    @property
    def booking(self) -> BookingEngine:
        """The booking engine: free slots, bookings, check-in, reminders (built on first use)."""
        if "booking" not in self._engines:
            from frontdesk_core.booking.engine import BookingEngine

            # The queue engine is handed over when check-in first needs it, so that
            # booking alone never builds it.
            self._engines["booking"] = BookingEngine(
                self.config,
                self.store,
                self.clock,
                self.hooks,
                queues=lambda: self.queues,
                randomness=self.randomness,
            )
        engine: BookingEngine = self._engines["booking"]
        return engine

    @property
    def referral(self) -> ReferralEngine:
        """The referral engine: kiosk sessions and their outcomes (built on first use)."""
        if "referral" not in self._engines:
            from frontdesk_core.referral.engine import ReferralEngine

            self._engines["referral"] = ReferralEngine(
                self.config,
                self.store,
                self.clock,
                self.hooks,
                queues=lambda: self.queues,
                booking=lambda: self.booking,
                forecast=lambda: self.plugin_state(FORECAST_STATE).get("forecaster"),
            )
        engine: ReferralEngine = self._engines["referral"]
        return engine

    def housekeeping(self, now: datetime | None = None) -> HousekeepingReport:
        """Run every timed rule once and report what each did.

        The rules (see :mod:`frontdesk_core.housekeeping`): called tickets past
        their queue's ``no_show_after`` become no-shows; due booking reminders
        are sent through the ``booking_reminder_due`` hook; in-person bookings
        not checked in in time become no-shows; personal data past retention is
        deleted; now and then the booking checkpoint is written.

        Call it every so often (``frontdesk serve`` does every 30 s): it is cheap
        when nothing is due, a second call changes nothing that the first did,
        and several processes on one store may call it. Time comes from the
        injected clock. ``now``, when given, is the time the caller wants the
        rules done by: a time the clock has not reached yet raises
        :class:`ValueError`. A rule that raises is reported in
        ``report.failures`` (and logged); the others still run.
        """
        if "housekeeping" not in self._engines:
            from frontdesk_core.housekeeping import Housekeeper

            self._engines["housekeeping"] = Housekeeper(self)
        keeper: Housekeeper = self._engines["housekeeping"]
        return keeper.run(now)

    def plugin_state(self, plugin: str) -> dict[str, Any]:
        """The plugin's own state on this Frontdesk: a dict, empty until the plugin fills it.

        A plugin module is loaded once per process but may serve several
        Frontdesks (one per configuration); what belongs to one of them (its
        printers, its SMS gateway, its screens) lives here, under the plugin's
        name, and is read from the ``frontdesk`` argument of each hook::

            @hookimpl
            def frontdesk_startup(frontdesk):
                frontdesk.plugin_state("my_plugin")["sender"] = Sender(frontdesk.config)

            @hookimpl
            def frontdesk_ticket_called(frontdesk, ticket, counter_id):
                sender = frontdesk.plugin_state("my_plugin").get("sender")
        """
        return self._plugin_state.setdefault(plugin, {})

    def close(self) -> None:
        """Tell plugins, then close the store. Closing twice is harmless.

        A closed Frontdesk also lets go of its engines, and its hooks of it: they
        refer to each other, so without this they would wait for the cycle collector
        (a program that opens many, as the simulator does one a day, would keep each
        day's log and tickets until a collection, and the collection would go over
        them all).
        """
        if self._closed:
            return
        self._closed = True
        self.hooks.shutdown()
        self.store.close()
        self._engines.clear()
        self.hooks.frontdesk = None

    def __enter__(self) -> Frontdesk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
