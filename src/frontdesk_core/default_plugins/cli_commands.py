"""The core's own ``frontdesk`` sub-commands, as a plugin.

They are registered through ``frontdesk_cli_commands`` like a third party's.
``tryfirst`` makes pluggy ask this plugin before the others, so a core command
keeps its name when a plugin registers the same one, and ``--help`` lists the
core's commands first. The command line registers this plugin itself (see
:func:`frontdesk_core.cli.plugin_manager`): the commands open Frontdesks, so the
plugin sits above :mod:`frontdesk_core.app` and the plugin manager factory
below it cannot import it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from frontdesk_core.cli.booking_commands import COMMANDS as BOOKING
from frontdesk_core.cli.config_commands import COMMANDS as CONFIG
from frontdesk_core.cli.referral_commands import COMMANDS as REFERRAL
from frontdesk_core.cli.simulation_commands import COMMANDS as SIMULATION
from frontdesk_core.cli.stats_commands import COMMANDS as STATS
from frontdesk_core.hookspecs import Command, CommandRun, hookimpl

COMMANDS: tuple[Command, ...] = (*CONFIG, *REFERRAL, *BOOKING, *SIMULATION, *STATS)
"""The core's sub-commands, in the order ``--help`` lists them."""


@hookimpl(tryfirst=True)
def frontdesk_cli_commands(
    register: Callable[[str, str, Callable[[argparse.ArgumentParser], None], CommandRun], None],
) -> None:
    """Register ``validate``, ``schema``, ``plugins``, ``tree``, ``booking``, ``simulate`` ..."""
    for command in COMMANDS:
        register(command.name, command.help, command.configure, command.run)
