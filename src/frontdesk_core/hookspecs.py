"""Every hook frontdesk calls. Plugins implement them with ``@hookimpl``.

Hooks come in three kinds:

* **events** (``frontdesk_ticket_issued`` ...): told after a state change is
  durable. Their return value is ignored; a failing plugin is logged and
  reported, and never undoes the change.
* **services** (``frontdesk_print_ticket``, ``frontdesk_send_sms``): the first
  plugin that returns something answers (``firstresult``).
* **registrations** (``frontdesk_config_sections`` ...): called once when the
  plugin manager is built, with a ``register`` callback, so the core keeps the
  validation and duplicate checks.

Event and service hooks receive ``frontdesk``, the open
:class:`~frontdesk_core.app.Frontdesk` the change happened in (as datasette
passes ``datasette``). An implementation takes only the arguments it names, so
one that does not need ``frontdesk`` leaves it out. A plugin keeps what belongs
to one Frontdesk (its printers, its SMS gateway) in
``frontdesk.plugin_state("my_plugin")``, never in a module global, so two
Frontdesks in one process never see each other's state.

Hooks are called through pluggy, so ``@hookimpl(wrapper=True)``,
``tryfirst``/``trylast`` and ``PluginManager.add_hookcall_monitoring`` behave as
pluggy documents. A plain implementation that raises is isolated: the others
still run, and the failure is logged and reported with the plugin's name, the
hook, the error class and its message.

Event hooks are told of changes as they happen, in this process. The durable
record of every change is the event log: typed, versioned records per kind
(``frontdesk.store.read(kinds=[...])``, see the event reference). A plugin that
must not miss a change written by another process (a second server on the same
database) reads the log after the last ``seq`` it handled; a plugin with durable
state of its own writes events of its own kinds (``@event_kind``), which the log
keeps with their version and upcasts when their shape changes.

No hook receives personal data except where its docstring says so.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import pluggy

from frontdesk_core.booking.records import Booking, Contact
from frontdesk_core.devices import DeviceFault, PrintResult, ScreenState, TicketPrint
from frontdesk_core.notify import SmsReceipt, SmsRequest
from frontdesk_core.queues.policy import CallPolicy
from frontdesk_core.queues.tickets import Ticket
from frontdesk_core.referral.outcomes import Referred, SentHome

if TYPE_CHECKING:
    from frontdesk_core.app import Frontdesk
    from frontdesk_core.config.loader import Reporter
    from frontdesk_core.config.models import Config

NAME = "frontdesk"
hookspec = pluggy.HookspecMarker(NAME)
"""Marks the hook specifications below (for the core only)."""
hookimpl = pluggy.HookimplMarker(NAME)
"""Marks a plugin's hook implementation: ``@hookimpl`` or ``@hookimpl(tryfirst=True)``, ...

Takes pluggy's options (``tryfirst``, ``trylast``, ``wrapper``, ``specname``); the
function's name (or ``specname``) must be one of the hooks below, and its arguments
a subset of the hook's, in any order.
"""

ConditionFunction = Callable[[dict[str, Any], dict[str, Any]], bool]
"""A condition function: ``(args, variables) -> bool``, pure and fast."""

CommandRun = Callable[[argparse.Namespace], int]
"""A sub-command's body: ``(parsed arguments) -> exit code``."""


@dataclass(frozen=True)
class Command:
    """A ``frontdesk`` sub-command, as ``frontdesk_cli_commands`` registers it."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: CommandRun


ConfigCheck = Callable[["Config", "Reporter"], None]
"""A configuration cross-check: ``(config, reporter) -> None``."""


# --- registrations ---------------------------------------------------------------


@hookspec
def frontdesk_config_sections(register: Callable[[str, Any], None]) -> None:
    """Register a top-level YAML section of the plugin's own: ``register(name, type)``.

    ``type`` is a pydantic model (or any type pydantic validates, such as
    ``list[Model]``). A section written as a list may be split across files. The
    section is validated with positioned messages like the core's and reaches
    the plugin as ``config.sections[name]``.
    """


@hookspec
def frontdesk_config_checks(register: Callable[[ConfigCheck], None]) -> None:
    """Register a cross-check of the plugin's section against the rest: ``register(check)``.

    ``check(config, reporter)`` runs after every section is valid in shape, like
    the core's own reference checks; it reports problems with
    ``reporter.error(loc, message)``, where ``loc`` is the path from the top of
    the configuration (``("printers", 0, "kiosk")``), so each problem gets its
    ``file:line:column``.
    """


@hookspec
def frontdesk_call_policies(register: Callable[[str, CallPolicy], None]) -> None:
    """Register call-next policies by name: ``register("my_policy", policy)``.

    Centres and counters choose a policy by name in YAML (``call_policy:``). A
    policy is any object with the :class:`~frontdesk_core.api.CallPolicy` method
    ``choose(waiting, counter, now, config) -> Ticket | None``: ``waiting`` holds
    the tickets the counter may call, ``counter`` is its configuration
    (``counter.queues`` in the order written), ``now`` the clock's time and
    ``config`` the whole configuration; it returns the ticket to call, or ``None``
    to call nobody. It runs on every call: keep it quick and free of side effects.
    ``waiting`` is a list with one more attribute, ``alike``: true when the engine
    knows that the tickets wait in one queue, at one priority, none of them booked
    (so their arrival alone may order them).
    """


@hookspec
def frontdesk_condition_functions(register: Callable[[str, ConditionFunction], None]) -> None:
    """Register condition functions for referral trees: ``register(name, function)``.

    A tree uses one as ``when: {call: name, args: {...}}``; the function gets the
    ``args`` and the session's variables and returns a bool.
    """


@hookspec
def frontdesk_cli_commands(
    register: Callable[[str, str, Callable[[argparse.ArgumentParser], None], CommandRun], None],
) -> None:
    """Add a ``frontdesk`` sub-command: ``register(name, help, configure, run)``.

    ``configure`` adds arguments to the sub-command's parser; ``run`` gets the
    parsed arguments and returns the exit code.
    """


# --- life cycle --------------------------------------------------------------------


@hookspec
def frontdesk_startup(frontdesk: Frontdesk) -> None:
    """Called once a :class:`~frontdesk_core.app.Frontdesk` is open: start workers here."""


@hookspec
def frontdesk_shutdown(frontdesk: Frontdesk) -> None:
    """Called when a :class:`~frontdesk_core.app.Frontdesk` is closed: stop workers here."""


# --- ticket events -------------------------------------------------------------------


@hookspec
def frontdesk_ticket_issued(frontdesk: Frontdesk, ticket: Ticket) -> None:
    """A ticket was issued (at a kiosk, by a check-in or by an integrator)."""


@hookspec
def frontdesk_ticket_called(frontdesk: Frontdesk, ticket: Ticket, counter_id: str) -> None:
    """A ticket was called to a counter (shown on info screens)."""


@hookspec
def frontdesk_ticket_recalled(frontdesk: Frontdesk, ticket: Ticket, counter_id: str) -> None:
    """A called ticket was called again; ``ticket.recalls`` counts the recalls."""


@hookspec
def frontdesk_ticket_finished(frontdesk: Frontdesk, ticket: Ticket) -> None:
    """A ticket was served to the end."""


@hookspec
def frontdesk_ticket_no_show(frontdesk: Frontdesk, ticket: Ticket) -> None:
    """A called citizen did not come (after the recalls or the timeout)."""


@hookspec
def frontdesk_ticket_transferred(frontdesk: Frontdesk, ticket: Ticket, from_queue: str) -> None:
    """A ticket moved to another queue; ``ticket.arrived_at`` keeps the first arrival."""


# --- citizens at the kiosk -------------------------------------------------------------


@hookspec
def frontdesk_citizen_checked_in(frontdesk: Frontdesk, booking: Booking, ticket: Ticket) -> None:
    """A booked citizen checked in; the employee's pop-up. ``ticket`` is their place."""


@hookspec
def frontdesk_citizen_sent_home(frontdesk: Frontdesk, outcome: SentHome) -> None:
    """A citizen was sent home from the kiosk with the list of missing documents."""


@hookspec
def frontdesk_citizen_referred(frontdesk: Frontdesk, outcome: Referred) -> None:
    """A citizen was referred to another authority or centre."""


# --- bookings --------------------------------------------------------------------------


@hookspec
def frontdesk_booking_created(frontdesk: Frontdesk, booking: Booking, contact: Contact) -> None:
    """A booking was made. ``contact`` is personal data: use it to confirm, never log it."""


@hookspec
def frontdesk_booking_rescheduled(
    frontdesk: Frontdesk, booking: Booking, contact: Contact, previous_start: datetime
) -> None:
    """A booking moved from ``previous_start`` to ``booking.start``; confirm the new time."""


@hookspec
def frontdesk_booking_cancelled(
    frontdesk: Frontdesk, booking: Booking, contact: Contact, reason: str
) -> None:
    """A booking was cancelled (``reason``: ``citizen``, ``sms``, ``staff`` ...)."""


@hookspec
def frontdesk_booking_reminder_due(
    frontdesk: Frontdesk, booking: Booking, contact: Contact, before: timedelta
) -> None:
    """A reminder is due ``before`` the booked time (``site.booking.reminders``)."""


# --- services ----------------------------------------------------------------------------


@hookspec(firstresult=True)
def frontdesk_print_ticket(frontdesk: Frontdesk, ticket: TicketPrint) -> PrintResult | None:
    """Print a ticket at ``ticket.kiosk_id``; return a :class:`PrintResult`, ``None`` if not ours.

    Printing may fail (paper out, unreachable): return ``PrintResult(ok=False, fault=...)``
    rather than raise. The ticket is issued either way; the kiosk shows the number.
    """


@hookspec(firstresult=True)
def frontdesk_send_sms(frontdesk: Frontdesk, message: SmsRequest) -> SmsReceipt | None:
    """Queue an SMS for sending; ``message.to`` is personal data. ``None`` if not ours."""


@hookspec(firstresult=True)
def frontdesk_sms_available(frontdesk: Frontdesk) -> bool | None:
    """Whether a plugin sends SMS for ``frontdesk`` now (installed *and* configured), so a
    page offers an SMS only where one can go; ``None`` if not ours."""


@hookspec(firstresult=True)
def frontdesk_turn_soon_requested(
    frontdesk: Frontdesk, ticket: Ticket, phone: str, language: str
) -> SmsReceipt | None:
    """A citizen with a waiting ``ticket`` asks for an SMS when their turn is near (typed at
    the kiosk, or the number of their booking when they checked in). ``phone`` is personal
    data: keep it only with the outgoing messages, never on a ticket, event or log line.
    Return a receipt (accepted: the message will be sent once, when the forecast's call
    time comes near or the ticket is called); ``None`` if not ours."""


@hookspec
def frontdesk_render_display(frontdesk: Frontdesk, screen: ScreenState) -> None:
    """What an info screen of ``screen.centre_id`` shows has changed: push it to the screens."""


@hookspec
def frontdesk_device_fault(frontdesk: Frontdesk, fault: DeviceFault) -> None:
    """A device (printer, SMS gateway) reported a fault: show it to the manager."""
