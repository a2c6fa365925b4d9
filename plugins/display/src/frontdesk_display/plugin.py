"""The plugin: the ``display:`` section, the ``serve`` commands and the live hooks.

The live hooks (tickets called, citizens checked in, device faults) hand each
change to the :class:`~frontdesk_display.hub.Hub` of the Frontdesk it happened
in. A running application keeps its hub in that Frontdesk's plugin state
(``frontdesk.plugin_state("display")["hub"]``), so two applications in one
process never see each other's events; a Frontdesk without a running
application has no hub and the hooks do nothing. Hooks arrive on the core's
thread (or a device plugin's own thread); the hub hands them to its event loop.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from frontdesk_core.api import Booking, Config, DeviceFault, ScreenState, Ticket, did_you_mean
from frontdesk_core.hookspecs import CommandRun, hookimpl
from frontdesk_display import cli
from frontdesk_display.common.icons import SET_NAME, icon_names
from frontdesk_display.live import events as events  # registers the display's event kinds
from frontdesk_display.settings import SECTION, DisplaySettings

if TYPE_CHECKING:
    from frontdesk_core.api import Frontdesk
    from frontdesk_display.hub import Hub

STATE = "display"
"""The name of this plugin's state on a Frontdesk."""


def hub_of(frontdesk: Frontdesk | None) -> Hub | None:
    """The hub of the application running on ``frontdesk``, if one runs."""
    if frontdesk is None:
        return None
    hub: Hub | None = frontdesk.plugin_state(STATE).get("hub")
    return hub


@hookimpl
def frontdesk_config_sections(register: Callable[[str, Any], None]) -> None:
    """Register the ``display:`` section."""
    register(SECTION, DisplaySettings)


def check_icons(config: Config, reporter: Any) -> None:
    """Every icon a tree names is one the kiosk can show (a Lucide icon)."""
    names = icon_names()
    for t, tree in enumerate(config.trees):
        for n, node in enumerate(tree.nodes):
            for o, option in enumerate(getattr(node, "options", None) or ()):
                if option.icon is not None and option.icon not in names:
                    hint = did_you_mean(option.icon, names) or (
                        "; the names are those listed on https://lucide.dev/icons"
                    )
                    reporter.error(
                        ("trees", t, "nodes", n, "options", o, "icon"),
                        f"the icon set ({SET_NAME}) has no icon '{option.icon}'{hint}",
                    )


@hookimpl
def frontdesk_config_checks(register: Callable[[Any], None]) -> None:
    """Check the icons the trees name, and that spoken calls name info screens and languages
    that exist."""
    from frontdesk_display.speech.checks import check_speech

    register(check_icons)
    register(check_speech)


@hookimpl
def frontdesk_cli_commands(
    register: Callable[[str, str, Callable[[argparse.ArgumentParser], None], CommandRun], None],
) -> None:
    """Add ``frontdesk serve`` and ``frontdesk hash-password``."""
    register(
        "serve", "serve the kiosk, info screens and dashboards", cli.configure_serve, cli.run_serve
    )
    register(
        "hash-password",
        "hash a staff password for the display section",
        cli.configure_hash_password,
        cli.run_hash_password,
    )


@hookimpl
def frontdesk_ticket_issued(frontdesk: Frontdesk, ticket: Ticket) -> None:
    """A new ticket changes the waiting counts (and its call can be made ready to say)."""
    hub = hub_of(frontdesk)
    if hub is not None:
        hub.issued(ticket)


@hookimpl
def frontdesk_ticket_called(frontdesk: Frontdesk, ticket: Ticket, counter_id: str) -> None:
    """Announce the number on the screens at once, then refresh them."""
    hub = hub_of(frontdesk)
    if hub is not None:
        hub.announce(ticket, counter_id, recall=False)


@hookimpl
def frontdesk_ticket_recalled(frontdesk: Frontdesk, ticket: Ticket, counter_id: str) -> None:
    """Announce the number again."""
    hub = hub_of(frontdesk)
    if hub is not None:
        hub.announce(ticket, counter_id, recall=True)


@hookimpl
def frontdesk_ticket_finished(frontdesk: Frontdesk, ticket: Ticket) -> None:
    """The counter is free again."""
    hub = hub_of(frontdesk)
    if hub is not None:
        hub.changed(ticket.centre_id)


@hookimpl
def frontdesk_ticket_no_show(frontdesk: Frontdesk, ticket: Ticket) -> None:
    """The number leaves the screen."""
    hub = hub_of(frontdesk)
    if hub is not None:
        hub.changed(ticket.centre_id)


@hookimpl
def frontdesk_ticket_transferred(frontdesk: Frontdesk, ticket: Ticket, from_queue: str) -> None:
    """Two queues' counts change."""
    hub = hub_of(frontdesk)
    if hub is not None:
        hub.changed(ticket.centre_id)


@hookimpl
def frontdesk_citizen_checked_in(frontdesk: Frontdesk, booking: Booking, ticket: Ticket) -> None:
    """The employee's pop-up."""
    hub = hub_of(frontdesk)
    if hub is not None:
        hub.checked_in(booking, ticket)


@hookimpl
def frontdesk_render_display(frontdesk: Frontdesk, screen: ScreenState) -> None:
    """The core says a centre's screens changed."""
    hub = hub_of(frontdesk)
    if hub is not None:
        hub.changed(screen.centre_id)


@hookimpl
def frontdesk_device_fault(frontdesk: Frontdesk, fault: DeviceFault) -> None:
    """Keep the fault and show it to the managers."""
    hub = hub_of(frontdesk)
    if hub is not None:
        hub.fault(fault)
