"""The plugin's registrations: the ``display:`` section and the ``serve`` commands.

The live hooks (tickets called, citizens checked in, device faults) are
implemented by :class:`frontdesk_display.listener.Listener`, one per running
application, so that two applications in one process never see each other's
events.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from frontdesk_core.hookspecs import CommandRun, hookimpl
from frontdesk_display import cli
from frontdesk_display import events as events  # registers the display's event kinds
from frontdesk_display.settings import SECTION, DisplaySettings


@hookimpl
def frontdesk_config_sections(register: Callable[[str, Any], None]) -> None:
    """Register the ``display:`` section."""
    register(SECTION, DisplaySettings)


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
