"""The ``frontdesk`` command.

Each group of sub-commands lives in its own module listed in ``COMMAND_MODULES``
and exposes ``COMMANDS``; plugins add more through ``frontdesk_cli_commands``.
A consultant never sees a traceback: errors print as plain messages.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from frontdesk_core.errors import ConfigError, FrontdeskError
from frontdesk_core.plugins import Command, Hooks, make_plugin_manager

COMMAND_MODULES = (
    "frontdesk_core.cli.config_commands",
    "frontdesk_core.cli.referral_commands",
    "frontdesk_core.cli.booking_commands",
    "frontdesk_core.cli.simulation_commands",
    "frontdesk_core.cli.stats_commands",
)
DEBUG_ENV = "FRONTDESK_DEBUG"


def core_commands() -> list[Command]:
    """The sub-commands of the core, in the order ``--help`` lists them."""
    commands: list[Command] = []
    for module_name in COMMAND_MODULES:
        commands += importlib.import_module(module_name).COMMANDS
    return commands


def build_parser(hooks: Hooks | None) -> argparse.ArgumentParser:
    """The argument parser with the core's and the plugins' sub-commands."""
    parser = argparse.ArgumentParser(
        prog="frontdesk", description="Citizen reception for public service centres."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    commands = core_commands() + (hooks.cli_commands() if hooks is not None else [])
    for command in commands:
        if command.name in sub.choices:
            continue  # the first registration wins; the core's come first
        command_parser = sub.add_parser(command.name, help=command.help, description=command.help)
        command.configure(command_parser)
        command_parser.set_defaults(run=command.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``frontdesk``; returns the exit code (0 ok, 1 a problem found, 2 usage/internal)."""
    try:
        hooks: Hooks | None = Hooks(make_plugin_manager())
    except FrontdeskError as exc:
        print(f"frontdesk: {exc}", file=sys.stderr)
        hooks = None
    for error in hooks.load_errors if hooks is not None else []:
        print(f"frontdesk: warning: {error}", file=sys.stderr)
    parser = build_parser(hooks)
    args = parser.parse_args(argv)
    args.hooks = hooks if hooks is not None else Hooks(make_plugin_manager(load_entrypoints=False))
    try:
        code: int = args.run(args)
        return code
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem)
        print(f"{len(exc.problems)} problem(s) found", file=sys.stderr)
        return 1
    except FrontdeskError as exc:
        print(f"frontdesk: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if os.environ.get(DEBUG_ENV):
            raise
        print(
            f"frontdesk: internal error: {type(exc).__name__}: {exc} "
            f"(set {DEBUG_ENV}=1 for details)",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
