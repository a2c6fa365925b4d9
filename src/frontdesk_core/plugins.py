"""The plugin manager factory and the typed facade the core calls hooks through.

Plugins are found through the entry-point group ``frontdesk``. Two environment
variables choose which load:

* ``FRONTDESK_LOAD_PLUGINS``: a comma-separated list of entry-point names; only
  those load (an empty value loads none).
* ``FRONTDESK_DISABLE_PLUGINS``: a comma-separated list of names never to load.

Hooks are called through pluggy (``pm.hook.<name>(...)``), so wrappers,
``firstresult`` and hook-call monitoring behave as pluggy documents. A plugin
that raises in a hook never takes the core down: :class:`PluginManager` guards
each plain implementation when it is registered, so pluggy's own loop goes on
with the next one; the failure is logged (without personal data) and reported
in the call's :class:`HookReport`.

Why guard at registration: pluggy stops a hook call at the first exception and
hands it to the wrappers, so isolating one implementation from the others can
only happen around that implementation. Guarding the ``HookImpl``'s function
keeps pluggy's ordering, argument selection, ``firstresult`` and wrappers
untouched; re-implementing the call loop (as this module once did) lost them.
Wrappers (``wrapper=True``/``hookwrapper=True``) are left as they are: they
see the guarded results, and a wrapper that raises fails the whole call, which
the facade reports.
"""

from __future__ import annotations

import argparse
import functools
import logging
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

import pluggy
from pluggy import HookCaller, HookImpl

from frontdesk_core import hookspecs
from frontdesk_core.booking.records import Booking, Contact
from frontdesk_core.config.loader import LoadContext
from frontdesk_core.default_plugins import DEFAULT_PLUGINS
from frontdesk_core.devices import (
    UNPRINTED,
    DeviceFault,
    PrintResult,
    ScreenState,
    TicketPrint,
)
from frontdesk_core.errors import PluginError
from frontdesk_core.hookspecs import NAME, Command, CommandRun, ConditionFunction, ConfigCheck
from frontdesk_core.logs import plugin_failure_fields
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


@dataclass(frozen=True)
class HookFailure:
    """A plugin that raised while a hook was called."""

    plugin: str
    """The name the plugin is registered under."""
    hook: str
    """The hook's name, e.g. ``frontdesk_ticket_issued``."""
    error_class: str
    """The exception's class name, e.g. ``OSError``."""
    message: str
    """The exception's text (may hold personal data: report it, never log it)."""

    @property
    def error(self) -> str:
        """``"ErrorClass: message"``."""
        return f"{self.error_class}: {self.message}"


# The failures of the hook call in progress, per thread and task: the facade
# opens a list around each call and the guarded implementations add to it.
_failures: ContextVar[list[HookFailure] | None] = ContextVar("frontdesk_failures", default=None)


def _personal(arguments: Iterable[object]) -> list[str | None]:
    """The contact details among a hook's arguments: masked in the failure's log line."""
    found: list[str | None] = []
    for value in arguments:
        if isinstance(value, Contact):
            found += [value.name, value.phone]
        elif isinstance(value, SmsRequest):
            found.append(value.to)
    return found


def _report(failure: HookFailure, exc: Exception, arguments: Iterable[object]) -> None:
    # The exception's text may quote a phone number or a name: logged masked, and cut short.
    fields = plugin_failure_fields(failure.plugin, failure.hook, exc, personal=_personal(arguments))
    log.error("plugin failed", extra=fields)
    collecting = _failures.get()
    if collecting is not None:
        collecting.append(failure)


def _guarded(impl: HookImpl, hook: str) -> Callable[..., object]:
    """``impl``'s function, answering ``None`` (and reporting) instead of raising."""
    function = impl.function
    plugin = impl.plugin_name

    @functools.wraps(function)
    def guarded(*args: object, **kwargs: object) -> object:
        try:
            return function(*args, **kwargs)
        except Exception as exc:
            # pluggy passes the arguments by position.
            failure = HookFailure(plugin, hook, type(exc).__name__, str(exc))
            _report(failure, exc, [*args, *kwargs.values()])
            return None

    return guarded


class PluginManager(pluggy.PluginManager):
    """pluggy's manager, isolating failing implementations and remembering load errors."""

    def __init__(self) -> None:
        super().__init__(NAME)
        self.load_errors: list[str] = []
        """Installed plugins that could not be loaded, and why."""
        self.monitors = 0
        """How many hook-call monitors are active (then every call goes through pluggy)."""
        self.changes = 0
        """Counts registrations, unregistrations and monitors: who answers a hook is
        fixed between two changes, so the facade may remember it."""

    def unregister(self, plugin: object | None = None, name: str | None = None) -> Any | None:
        """pluggy's ``unregister``, counted as a change."""
        try:
            return super().unregister(plugin, name)
        finally:
            self.changes += 1

    def register(self, plugin: object, name: str | None = None) -> str | None:
        """Register ``plugin`` (pluggy's ``register``), guarding its plain implementations."""
        registered = super().register(plugin, name)
        self.changes += 1
        if registered is None:
            return None
        for caller in self.get_hookcallers(plugin) or []:
            for impl in caller.get_hookimpls():
                if impl.plugin is plugin and not (impl.wrapper or impl.hookwrapper):
                    # HookImpl declares ``function`` final for type checkers only; pluggy
                    # reads it at every call, so the guard takes part in pluggy's own loop.
                    object.__setattr__(impl, "function", _guarded(impl, caller.name))
        return registered

    def add_hookcall_monitoring(
        self,
        before: Callable[[str, Sequence[HookImpl], Mapping[str, Any]], None],
        after: Callable[[pluggy.Result[Any], str, Sequence[HookImpl], Mapping[str, Any]], None],
    ) -> Callable[[], None]:
        """pluggy's monitoring; while one is active, hooks nobody implements are called too."""
        undo = super().add_hookcall_monitoring(before, after)
        self.monitors += 1
        self.changes += 1
        done = False

        def undo_and_count() -> None:
            nonlocal done
            undo()
            if not done:
                done = True
                self.monitors -= 1
                self.changes += 1

        return undo_and_count


def make_plugin_manager(
    *, load_entrypoints: bool = True, plugins: Iterable[object] = ()
) -> PluginManager:
    """Build a plugin manager with the built-in plugins, the installed ones and ``plugins``.

    An installed plugin that cannot be imported is left out and reported in
    ``load_errors`` (the rest of the reception keeps working); a plugin that
    implements a hook that does not exist raises :class:`PluginError`.
    """
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
class HookReport:
    """What calling a hook gave: the results, and the plugins that failed."""

    results: list[Any] = field(default_factory=list)
    failures: list[HookFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether no plugin failed."""
        return not self.failures


_SILENT = HookReport()
"""What a hook nobody implements gives: shared, so the engines' hot path builds nothing
(a report is read, never changed, by whoever gets it)."""


@dataclass(frozen=True)
class PluginInfo:
    """What one registered plugin adds: for ``frontdesk plugins``."""

    name: str
    hooks: tuple[str, ...]
    """Every hook it implements."""
    call_policies: tuple[str, ...] = ()
    condition_functions: tuple[str, ...] = ()
    config_sections: tuple[str, ...] = ()
    config_checks: tuple[str, ...] = ()
    commands: tuple[str, ...] = ()


def builtin_context() -> LoadContext:
    """The configuration language of the core and its built-in plugins, no installed ones.

    What ``load_config(path)`` of the package root checks: the built-in call
    policies and the core's cross-checks of referral trees and booking rules.
    """
    return Hooks(make_plugin_manager(load_entrypoints=False)).load_context()


def _receipt(report: HookReport) -> SmsReceipt:
    """The SMS plugin's receipt; refused when no plugin answered or it failed."""
    if report.results:
        receipt: SmsReceipt = report.results[0]
        return receipt
    if report.failures:
        return SmsReceipt(accepted=False, error=report.failures[0].error)
    return SmsReceipt(accepted=False, error="no SMS plugin is installed")


class Hooks:
    """The typed facade over the plugin manager: the only way the core calls hooks.

    A facade may be bound to a :class:`~frontdesk_core.app.Frontdesk` (each
    Frontdesk binds its own, see :meth:`bound`); event and service hooks then
    receive it as ``frontdesk``. An unbound facade (the CLI's, or an engine built
    by hand in a test) passes ``frontdesk=None``.
    """

    def __init__(self, pm: PluginManager | None = None, frontdesk: Frontdesk | None = None) -> None:
        manager = pm if pm is not None else make_plugin_manager()
        if not isinstance(manager, PluginManager):
            # A plain pluggy manager would let one failing plugin take the core down.
            raise TypeError("Hooks needs a manager from frontdesk_core.make_plugin_manager()")
        self.pm: PluginManager = manager
        self.frontdesk = frontdesk
        self._callers: dict[str, tuple[HookCaller, bool]] = {}
        self._silence: dict[str, bool] = {}
        self._silence_at = -1
        """The plugin manager's ``changes`` the remembered silences hold for."""

    def bound(self, frontdesk: Frontdesk) -> Hooks:
        """A facade on the same plugin manager that passes ``frontdesk`` to the hooks."""
        return Hooks(self.pm, frontdesk)

    @property
    def load_errors(self) -> list[str]:
        """Installed plugins that could not be loaded, and why."""
        return list(self.pm.load_errors)

    # -- calling --------------------------------------------------------------------

    def _caller(self, hook: str) -> tuple[HookCaller, bool]:
        """The hook's caller and whether it is ``firstresult`` (both fixed by the spec)."""
        found = self._callers.get(hook)
        if found is None:
            caller: HookCaller = getattr(self.pm.hook, hook)
            first = bool(caller.spec is not None and caller.spec.opts.get("firstresult"))
            found = self._callers[hook] = (caller, first)
        return found

    def implemented(self, hook: str) -> bool:
        """Whether any plugin implements ``hook`` (so a costly payload is worth building)."""
        return bool(self._caller(hook)[0].get_hookimpls())

    def silent(self, hook: str) -> bool:
        """Whether nobody implements ``hook`` and no monitor watches: remembered until
        the plugin manager changes, so the engines' hot path asks one dict."""
        if self._silence_at != self.pm.changes:
            self._silence.clear()
            self._silence_at = self.pm.changes
        known = self._silence.get(hook)
        if known is None:
            known = not self._caller(hook)[0].get_hookimpls() and not self.pm.monitors
            self._silence[hook] = known
        return known

    def _call(self, hook: str, **kwargs: Any) -> HookReport:
        # The engines fire events on every command: a hook nobody implements (and no
        # monitor watches) costs one look at a dict.
        if self.silent(hook):
            return _SILENT
        caller, first = self._callers.get(hook) or self._caller(hook)
        report = HookReport()
        token = _failures.set(report.failures)
        try:
            outcome = caller(**kwargs)
        except Exception as exc:
            # Plain implementations are guarded, so a wrapper raised (or pluggy refused
            # the call): the whole call failed, the core goes on.
            wrappers = [i.plugin_name for i in caller.get_hookimpls() if i.wrapper or i.hookwrapper]
            failure = HookFailure(", ".join(wrappers) or NAME, hook, type(exc).__name__, str(exc))
            _report(failure, exc, kwargs.values())
            return report
        finally:
            _failures.reset(token)
        if first:
            if outcome is not None:
                report.results.append(outcome)
        else:
            report.results.extend(outcome)
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

    def startup(self) -> HookReport:
        """Tell plugins the bound Frontdesk is open."""
        return self._call("frontdesk_startup", frontdesk=self.frontdesk)

    def shutdown(self) -> HookReport:
        """Tell plugins the bound Frontdesk is closing."""
        return self._call("frontdesk_shutdown", frontdesk=self.frontdesk)

    # -- events -------------------------------------------------------------------------

    def ticket_issued(self, ticket: Ticket) -> HookReport:
        """Fire ``frontdesk_ticket_issued``."""
        return self._call("frontdesk_ticket_issued", frontdesk=self.frontdesk, ticket=ticket)

    def ticket_called(self, ticket: Ticket, counter_id: str) -> HookReport:
        """Fire ``frontdesk_ticket_called``."""
        return self._call(
            "frontdesk_ticket_called",
            frontdesk=self.frontdesk,
            ticket=ticket,
            counter_id=counter_id,
        )

    def ticket_recalled(self, ticket: Ticket, counter_id: str) -> HookReport:
        """Fire ``frontdesk_ticket_recalled``."""
        return self._call(
            "frontdesk_ticket_recalled",
            frontdesk=self.frontdesk,
            ticket=ticket,
            counter_id=counter_id,
        )

    def ticket_finished(self, ticket: Ticket) -> HookReport:
        """Fire ``frontdesk_ticket_finished``."""
        return self._call("frontdesk_ticket_finished", frontdesk=self.frontdesk, ticket=ticket)

    def ticket_no_show(self, ticket: Ticket) -> HookReport:
        """Fire ``frontdesk_ticket_no_show``."""
        return self._call("frontdesk_ticket_no_show", frontdesk=self.frontdesk, ticket=ticket)

    def ticket_transferred(self, ticket: Ticket, from_queue: str) -> HookReport:
        """Fire ``frontdesk_ticket_transferred``."""
        return self._call(
            "frontdesk_ticket_transferred",
            frontdesk=self.frontdesk,
            ticket=ticket,
            from_queue=from_queue,
        )

    def citizen_checked_in(self, booking: Booking, ticket: Ticket) -> HookReport:
        """Fire ``frontdesk_citizen_checked_in``."""
        return self._call(
            "frontdesk_citizen_checked_in", frontdesk=self.frontdesk, booking=booking, ticket=ticket
        )

    def citizen_sent_home(self, outcome: SentHome) -> HookReport:
        """Fire ``frontdesk_citizen_sent_home``."""
        return self._call("frontdesk_citizen_sent_home", frontdesk=self.frontdesk, outcome=outcome)

    def citizen_referred(self, outcome: Referred) -> HookReport:
        """Fire ``frontdesk_citizen_referred``."""
        return self._call("frontdesk_citizen_referred", frontdesk=self.frontdesk, outcome=outcome)

    def booking_created(self, booking: Booking, contact: Contact) -> HookReport:
        """Fire ``frontdesk_booking_created``."""
        return self._call(
            "frontdesk_booking_created", frontdesk=self.frontdesk, booking=booking, contact=contact
        )

    def booking_rescheduled(
        self, booking: Booking, contact: Contact, previous_start: datetime
    ) -> HookReport:
        """Fire ``frontdesk_booking_rescheduled``."""
        return self._call(
            "frontdesk_booking_rescheduled",
            frontdesk=self.frontdesk,
            booking=booking,
            contact=contact,
            previous_start=previous_start,
        )

    def booking_cancelled(self, booking: Booking, contact: Contact, reason: str) -> HookReport:
        """Fire ``frontdesk_booking_cancelled``."""
        return self._call(
            "frontdesk_booking_cancelled",
            frontdesk=self.frontdesk,
            booking=booking,
            contact=contact,
            reason=reason,
        )

    def booking_reminder_due(
        self, booking: Booking, contact: Contact, before: timedelta
    ) -> HookReport:
        """Fire ``frontdesk_booking_reminder_due``."""
        return self._call(
            "frontdesk_booking_reminder_due",
            frontdesk=self.frontdesk,
            booking=booking,
            contact=contact,
            before=before,
        )

    def render_display(self, screen: ScreenState) -> HookReport:
        """Fire ``frontdesk_render_display``."""
        return self._call("frontdesk_render_display", frontdesk=self.frontdesk, screen=screen)

    def device_fault(self, fault: DeviceFault) -> HookReport:
        """Fire ``frontdesk_device_fault``."""
        return self._call("frontdesk_device_fault", frontdesk=self.frontdesk, fault=fault)

    # -- services -----------------------------------------------------------------------

    def print_ticket(self, ticket: TicketPrint) -> PrintResult:
        """Print a ticket; a missing or failing printer plugin gives a failed result."""
        report = self._call("frontdesk_print_ticket", frontdesk=self.frontdesk, ticket=ticket)
        if report.results:
            result: PrintResult = report.results[0]
            return result
        if report.failures:
            return PrintResult(ok=False, fault="plugin_error", detail=report.failures[0].error)
        return UNPRINTED

    def send_sms(self, message: SmsRequest) -> SmsReceipt:
        """Queue an SMS; a missing or failing SMS plugin gives a refused receipt."""
        return _receipt(self._call("frontdesk_send_sms", frontdesk=self.frontdesk, message=message))

    def sms_available(self) -> bool:
        """Whether an SMS plugin sends messages for this Frontdesk (``False`` without one)."""
        report = self._call("frontdesk_sms_available", frontdesk=self.frontdesk)
        return bool(report.results and report.results[0])

    def turn_soon_requested(self, ticket: Ticket, phone: str, language: str) -> SmsReceipt:
        """Ask for a "your turn soon" SMS; without a plugin that sends it, a refused receipt."""
        report = self._call(
            "frontdesk_turn_soon_requested",
            frontdesk=self.frontdesk,
            ticket=ticket,
            phone=phone,
            language=language,
        )
        return _receipt(report)

    # -- introspection --------------------------------------------------------------------

    def plugins(self) -> list[tuple[str, list[str]]]:
        """Each registered plugin's name and the hooks it implements."""
        return [(info.name, list(info.hooks)) for info in self.registrations()]

    def registrations(self) -> list[PluginInfo]:
        """What each registered plugin adds (policies, sections, checks, commands, hooks).

        Each plugin's registration hooks are called on their own, through pluggy's
        ``subset_hook_caller``, so the answer says who registered what.
        """
        infos: list[PluginInfo] = []
        plugins = [(n, p) for n, p in self.pm.list_name_plugin() if p is not None]
        for name, plugin in sorted(plugins, key=lambda item: item[0]):
            others = [p for _, p in plugins if p is not plugin]
            names: dict[str, list[str]] = {}
            for hook in (
                "frontdesk_call_policies",
                "frontdesk_condition_functions",
                "frontdesk_config_sections",
                "frontdesk_config_checks",
                "frontdesk_cli_commands",
            ):
                found = names[hook] = []

                def register(first: Any, *rest: Any, found: list[str] = found) -> None:
                    # Checks are registered as a function alone; the rest by name first.
                    label = first if isinstance(first, str) else getattr(first, "__name__", "")
                    found.append(label or repr(first))

                self.pm.subset_hook_caller(hook, remove_plugins=others)(register=register)
            hooks = sorted(c.name for c in self.pm.get_hookcallers(plugin) or [])
            infos.append(
                PluginInfo(
                    name,
                    tuple(hooks),
                    call_policies=tuple(names["frontdesk_call_policies"]),
                    condition_functions=tuple(names["frontdesk_condition_functions"]),
                    config_sections=tuple(names["frontdesk_config_sections"]),
                    config_checks=tuple(names["frontdesk_config_checks"]),
                    commands=tuple(names["frontdesk_cli_commands"]),
                )
            )
        return infos
