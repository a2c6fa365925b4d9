"""The plugin manager factory and the typed facade the core calls hooks through.

Plugins are found through the entry-point group ``frontdesk``. Two environment
variables choose which load:

* ``FRONTDESK_LOAD_PLUGINS``: a comma-separated list of entry-point names; only
  those load (an empty value loads none).
* ``FRONTDESK_DISABLE_PLUGINS``: a comma-separated list of names never to load.

A plugin that raises in a hook never takes the core down: the error is logged
(without personal data) and reported in the call's :class:`HookReport`.
"""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

import pluggy
from pluggy import HookImpl

from frontdesk_core import hookspecs
from frontdesk_core.booking.records import Booking, Contact
from frontdesk_core.config.loader import LoadContext
from frontdesk_core.devices import NO_PRINTER, DeviceFault, PrintResult, ScreenState, TicketPrint
from frontdesk_core.errors import PluginError
from frontdesk_core.hookspecs import NAME, CommandRun, ConditionFunction, ConfigCheck
from frontdesk_core.notify import SmsReceipt, SmsRequest
from frontdesk_core.queues.policy import CallPolicy
from frontdesk_core.queues.tickets import Ticket
from frontdesk_core.referral.outcomes import Referred, SentHome

if TYPE_CHECKING:
    from frontdesk_core.app import Frontdesk

LOAD_ENV = "FRONTDESK_LOAD_PLUGINS"
DISABLE_ENV = "FRONTDESK_DISABLE_PLUGINS"
log = logging.getLogger("frontdesk.plugins")


def _names(value: str) -> set[str]:
    return {part.strip() for part in value.split(",") if part.strip()}


class PluginManager(pluggy.PluginManager):
    """pluggy's manager, remembering the installed plugins that could not be loaded."""

    def __init__(self) -> None:
        super().__init__(NAME)
        self.load_errors: list[str] = []
        self.generation = 0
        """Bumped by every (un)registration, so callers may cache who implements a hook."""

    def register(self, plugin: object, name: str | None = None) -> str | None:
        """Register ``plugin`` (pluggy's ``register``), invalidating cached implementations."""
        try:
            return super().register(plugin, name)
        finally:
            # After the change, so a cache filled meanwhile is refreshed on the next call.
            self.generation += 1

    def unregister(self, plugin: object | None = None, name: str | None = None) -> Any | None:
        """Unregister a plugin (pluggy's ``unregister``), invalidating cached implementations."""
        try:
            return super().unregister(plugin, name)
        finally:
            self.generation += 1


def make_plugin_manager(
    *, load_entrypoints: bool = True, plugins: Iterable[object] = ()
) -> PluginManager:
    """Build a plugin manager with the built-in plugins, the installed ones and ``plugins``.

    An installed plugin that cannot be imported is left out and reported in
    ``load_errors`` (the rest of the reception keeps working); a plugin that
    implements a hook that does not exist raises :class:`PluginError`.
    """
    from frontdesk_core.default_plugins import DEFAULT_PLUGINS

    pm = PluginManager()
    pm.add_hookspecs(hookspecs)
    for builtin in DEFAULT_PLUGINS:
        pm.register(builtin, name=f"frontdesk.{builtin.__name__.rsplit('.', 1)[-1]}")
    if load_entrypoints:
        only = _names(os.environ[LOAD_ENV]) if LOAD_ENV in os.environ else None
        blocked = _names(os.environ.get(DISABLE_ENV, ""))
        for ep in entry_points(group=NAME):
            if ep.name in blocked or (only is not None and ep.name not in only):
                continue
            if pm.get_plugin(ep.name) is not None:
                continue
            try:
                loaded: object = ep.load()
            except Exception as exc:
                message = f"plugin '{ep.name}' ({ep.value}) cannot be loaded: {exc}"
                log.error("plugin not loaded", extra={"plugin": ep.name, "error": str(exc)})
                pm.load_errors.append(message)
                continue
            pm.register(loaded, name=ep.name)
    for plugin in plugins:
        pm.register(plugin)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"a plugin implements a hook that does not exist: {exc}") from exc
    return pm


@dataclass
class HookFailure:
    """A plugin that raised while a hook was called."""

    plugin: str
    hook: str
    error: str


@dataclass
class HookReport:
    """What calling a hook gave: the results, and the plugins that failed."""

    results: list[Any] = field(default_factory=list)
    failures: list[HookFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether no plugin failed."""
        return not self.failures


@dataclass(frozen=True)
class Command:
    """A ``frontdesk`` sub-command added by a plugin."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: CommandRun


class Hooks:
    """The typed facade over the plugin manager: the only way the core calls hooks."""

    def __init__(self, pm: pluggy.PluginManager | None = None) -> None:
        self.pm = pm if pm is not None else make_plugin_manager()
        self._impls: dict[str, tuple[int, list[HookImpl]]] = {}

    @property
    def load_errors(self) -> list[str]:
        """Installed plugins that could not be loaded, and why."""
        return list(getattr(self.pm, "load_errors", []))

    # -- calling --------------------------------------------------------------------

    def _implementations(self, hook: str) -> list[HookImpl]:
        """The implementations of ``hook``, newest registration first, as pluggy runs them.

        Cached per hook while no plugin is registered or unregistered (a plugin
        manager of this module counts those); another manager is asked every time.
        """
        generation: int | None = getattr(self.pm, "generation", None)
        if generation is not None:
            cached = self._impls.get(hook)
            if cached is not None and cached[0] == generation:
                return cached[1]
        impls: list[HookImpl] = getattr(self.pm.hook, hook).get_hookimpls()
        impls.reverse()
        if generation is not None:
            self._impls[hook] = (generation, impls)
        return impls

    def implemented(self, hook: str) -> bool:
        """Whether any plugin implements ``hook`` (so a costly payload is worth building)."""
        return bool(self._implementations(hook))

    def _call(self, hook: str, *, first: bool = False, **kwargs: Any) -> HookReport:
        report = HookReport()
        # Newest registrations run first, as pluggy does; each in isolation.
        for impl in self._implementations(hook):
            args = {name: kwargs[name] for name in impl.argnames}
            try:
                result = impl.function(**args)
            except Exception as exc:
                name = impl.plugin_name
                log.error(
                    "plugin failed",
                    extra={"plugin": name, "hook": hook, "error": type(exc).__name__},
                )
                report.failures.append(HookFailure(name, hook, f"{type(exc).__name__}: {exc}"))
                continue
            if result is not None:
                report.results.append(result)
                if first:
                    break
        return report

    def _register(self, hook: str) -> tuple[dict[str, Any], HookReport]:
        found: dict[str, Any] = {}
        clashes: list[str] = []

        def register(name: str, value: Any) -> None:
            if name in found:
                clashes.append(name)
                return
            found[name] = value

        report = self._call(hook, register=register)
        if clashes:
            names = ", ".join(f"'{n}'" for n in clashes)
            raise PluginError(f"more than one plugin registers {names} for {hook}")
        return found, report

    # -- registrations --------------------------------------------------------------

    def config_sections(self) -> dict[str, Any]:
        """Plugins' own YAML sections, by name."""
        return self._register("frontdesk_config_sections")[0]

    def config_checks(self) -> list[ConfigCheck]:
        """Plugins' cross-checks of their sections against the rest of the configuration."""
        checks: list[ConfigCheck] = []
        self._call("frontdesk_config_checks", register=checks.append)
        return checks

    def call_policies(self) -> dict[str, CallPolicy]:
        """Call-next policies, by name (the built-in ones included)."""
        return self._register("frontdesk_call_policies")[0]

    def condition_functions(self) -> dict[str, ConditionFunction]:
        """Condition functions for referral trees, by name."""
        return self._register("frontdesk_condition_functions")[0]

    def cli_commands(self) -> list[Command]:
        """Sub-commands plugins add to ``frontdesk``."""
        commands: list[Command] = []

        def register(
            name: str,
            help: str,
            configure: Callable[[argparse.ArgumentParser], None],
            run: CommandRun,
        ) -> None:
            commands.append(Command(name, help, configure, run))

        self._call("frontdesk_cli_commands", register=register)
        return commands

    def load_context(self) -> LoadContext:
        """What the configuration loader needs to know of the plugins."""
        return LoadContext(
            sections=self.config_sections(),
            call_policies=frozenset(self.call_policies()),
            condition_functions=frozenset(self.condition_functions()),
            checks=tuple(self.config_checks()),
        )

    # -- life cycle ------------------------------------------------------------------

    def startup(self, frontdesk: Frontdesk) -> HookReport:
        """Tell plugins a Frontdesk is open."""
        return self._call("frontdesk_startup", frontdesk=frontdesk)

    def shutdown(self, frontdesk: Frontdesk) -> HookReport:
        """Tell plugins a Frontdesk is closing."""
        return self._call("frontdesk_shutdown", frontdesk=frontdesk)

    # -- events -------------------------------------------------------------------------

    def ticket_issued(self, ticket: Ticket) -> HookReport:
        """Fire ``frontdesk_ticket_issued``."""
        return self._call("frontdesk_ticket_issued", ticket=ticket)

    def ticket_called(self, ticket: Ticket, counter_id: str) -> HookReport:
        """Fire ``frontdesk_ticket_called``."""
        return self._call("frontdesk_ticket_called", ticket=ticket, counter_id=counter_id)

    def ticket_recalled(self, ticket: Ticket, counter_id: str) -> HookReport:
        """Fire ``frontdesk_ticket_recalled``."""
        return self._call("frontdesk_ticket_recalled", ticket=ticket, counter_id=counter_id)

    def ticket_finished(self, ticket: Ticket) -> HookReport:
        """Fire ``frontdesk_ticket_finished``."""
        return self._call("frontdesk_ticket_finished", ticket=ticket)

    def ticket_no_show(self, ticket: Ticket) -> HookReport:
        """Fire ``frontdesk_ticket_no_show``."""
        return self._call("frontdesk_ticket_no_show", ticket=ticket)

    def ticket_transferred(self, ticket: Ticket, from_queue: str) -> HookReport:
        """Fire ``frontdesk_ticket_transferred``."""
        return self._call("frontdesk_ticket_transferred", ticket=ticket, from_queue=from_queue)

    def citizen_checked_in(self, booking: Booking, ticket: Ticket) -> HookReport:
        """Fire ``frontdesk_citizen_checked_in``."""
        return self._call("frontdesk_citizen_checked_in", booking=booking, ticket=ticket)

    def citizen_sent_home(self, outcome: SentHome) -> HookReport:
        """Fire ``frontdesk_citizen_sent_home``."""
        return self._call("frontdesk_citizen_sent_home", outcome=outcome)

    def citizen_referred(self, outcome: Referred) -> HookReport:
        """Fire ``frontdesk_citizen_referred``."""
        return self._call("frontdesk_citizen_referred", outcome=outcome)

    def booking_created(self, booking: Booking, contact: Contact) -> HookReport:
        """Fire ``frontdesk_booking_created``."""
        return self._call("frontdesk_booking_created", booking=booking, contact=contact)

    def booking_rescheduled(
        self, booking: Booking, contact: Contact, previous_start: datetime
    ) -> HookReport:
        """Fire ``frontdesk_booking_rescheduled``."""
        return self._call(
            "frontdesk_booking_rescheduled",
            booking=booking,
            contact=contact,
            previous_start=previous_start,
        )

    def booking_cancelled(self, booking: Booking, contact: Contact, reason: str) -> HookReport:
        """Fire ``frontdesk_booking_cancelled``."""
        return self._call(
            "frontdesk_booking_cancelled", booking=booking, contact=contact, reason=reason
        )

    def booking_reminder_due(
        self, booking: Booking, contact: Contact, before: timedelta
    ) -> HookReport:
        """Fire ``frontdesk_booking_reminder_due``."""
        return self._call(
            "frontdesk_booking_reminder_due", booking=booking, contact=contact, before=before
        )

    def render_display(self, screen: ScreenState) -> HookReport:
        """Fire ``frontdesk_render_display``."""
        return self._call("frontdesk_render_display", screen=screen)

    def device_fault(self, fault: DeviceFault) -> HookReport:
        """Fire ``frontdesk_device_fault``."""
        return self._call("frontdesk_device_fault", fault=fault)

    # -- services -----------------------------------------------------------------------

    def print_ticket(self, ticket: TicketPrint) -> PrintResult:
        """Print a ticket; a missing or failing printer plugin gives a failed result."""
        report = self._call("frontdesk_print_ticket", first=True, ticket=ticket)
        if report.results:
            result: PrintResult = report.results[0]
            return result
        if report.failures:
            return PrintResult(ok=False, fault="plugin_error", detail=report.failures[0].error)
        return PrintResult(
            ok=False, fault=NO_PRINTER, detail="no printer plugin handles this kiosk"
        )

    def send_sms(self, message: SmsRequest) -> SmsReceipt:
        """Queue an SMS; a missing or failing SMS plugin gives a refused receipt."""
        report = self._call("frontdesk_send_sms", first=True, message=message)
        if report.results:
            receipt: SmsReceipt = report.results[0]
            return receipt
        if report.failures:
            return SmsReceipt(accepted=False, error=report.failures[0].error)
        return SmsReceipt(accepted=False, error="no SMS plugin is installed")

    # -- introspection --------------------------------------------------------------------

    def plugins(self) -> list[tuple[str, list[str]]]:
        """Each registered plugin's name and the hooks it implements."""
        out = []
        for name, plugin in sorted(self.pm.list_name_plugin(), key=lambda item: item[0]):
            hooks = sorted(c.name for c in self.pm.get_hookcallers(plugin) or [])
            out.append((name, hooks))
        return out
