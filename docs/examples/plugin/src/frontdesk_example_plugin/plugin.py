"""The hook implementations, found through the entry point ``example`` in group ``frontdesk``.

This module is loaded once per process and may serve several Frontdesks, so it
keeps nothing of its own: the audit log of one Frontdesk lives in that
Frontdesk's plugin state, ``frontdesk.plugin_state("example")``, built at start-up
from its configuration and dropped at shut-down.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from frontdesk_core.api import CallPolicy, CommandRun, Frontdesk, Ticket, hookimpl
from frontdesk_example_plugin import cli
from frontdesk_example_plugin.audit import SECTION, AuditLog, AuditSettings
from frontdesk_example_plugin.policy import QueueOrderPolicy

STATE = "example"
"""The name of this plugin's state on a Frontdesk."""


def audit_log(frontdesk: Frontdesk) -> AuditLog | None:
    """The audit log of ``frontdesk`` (``None`` without an ``audit:`` section)."""
    found = frontdesk.plugin_state(STATE).get("log")
    return found if isinstance(found, AuditLog) else None


@hookimpl
def frontdesk_call_policies(register: Callable[[str, CallPolicy], None]) -> None:
    """Add the ``queue_order`` policy (``call_policy: queue_order`` on a centre or counter)."""
    register("queue_order", QueueOrderPolicy())


@hookimpl
def frontdesk_config_sections(register: Callable[[str, Any], None]) -> None:
    """Add the ``audit:`` section; the core validates it with positioned messages."""
    register(SECTION, AuditSettings)


@hookimpl
def frontdesk_cli_commands(
    register: Callable[[str, str, Callable[[Any], None], CommandRun], None],
) -> None:
    """Add ``frontdesk audit``."""
    register("audit", "check the audit settings and count the audit log", cli.configure, cli.run)


@hookimpl
def frontdesk_startup(frontdesk: Frontdesk) -> None:
    """Open this Frontdesk's audit log, when its configuration has an ``audit:`` section."""
    settings = frontdesk.config.sections.get(SECTION)
    if isinstance(settings, AuditSettings):
        frontdesk.plugin_state(STATE)["log"] = AuditLog(settings)


@hookimpl
def frontdesk_ticket_issued(frontdesk: Frontdesk, ticket: Ticket) -> None:
    """One line per ticket issued."""
    log = audit_log(frontdesk)
    if log is not None:
        log.record("issued", ticket, ticket.issued_at)


@hookimpl
def frontdesk_ticket_called(frontdesk: Frontdesk, ticket: Ticket, counter_id: str) -> None:
    """One line per call (a recall is a hook of its own and is not recorded)."""
    log = audit_log(frontdesk)
    if log is not None:
        log.record("called", ticket, ticket.called_at or frontdesk.clock.now(), counter_id)


@hookimpl
def frontdesk_shutdown(frontdesk: Frontdesk) -> None:
    """Forget the log (every line is already on disk)."""
    frontdesk.plugin_state(STATE).pop("log", None)
