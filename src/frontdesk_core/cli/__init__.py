"""The ``frontdesk`` command.

Each group of sub-commands lives in its own module and exposes ``COMMANDS``; the
core's are registered by the built-in plugin
:mod:`frontdesk_core.default_plugins.cli_commands` through
``frontdesk_cli_commands``, the hook other plugins add theirs with.
A consultant never sees a traceback: errors print as plain messages.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from frontdesk_core.default_plugins import cli_commands
from frontdesk_core.errors import ConfigError, FrontdeskError
from frontdesk_core.plugins import Hooks, PluginManager, make_plugin_manager

DEBUG_ENV = "FRONTDESK_DEBUG"
CLI_PLUGIN = "frontdesk.cli_commands"


def plugin_manager(*, load_entrypoints: bool = True) -> PluginManager:
    """The plugin manager of the command line: the core's sub-commands included."""
    pm = make_plugin_manager(load_entrypoints=load_entrypoints)
    if not pm.is_registered(cli_commands):
        pm.register(cli_commands, name=CLI_PLUGIN)
    return pm


def build_parser(hooks: Hooks) -> argparse.ArgumentParser:
    """The argument parser with the core's and the plugins' sub-commands."""
    parser = argparse.ArgumentParser(
        prog="frontdesk", description="Citizen reception for public service centres."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in hooks.cli_commands():
        if command.name in sub.choices:
            continue  # the first registration wins; the core's are asked first
        command_parser = sub.add_parser(command.name, help=command.help, description=command.help)
        command.configure(command_parser)
        command_parser.set_defaults(run=command.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``frontdesk``; returns the exit code (0 ok, 1 a problem found, 2 usage/internal)."""
    try:
        hooks = Hooks(plugin_manager())
    except FrontdeskError as exc:
        # A broken installed plugin: the core's commands still work.
        print(f"frontdesk: {exc}", file=sys.stderr)
        hooks = Hooks(plugin_manager(load_entrypoints=False))
    for error in hooks.load_errors:
        print(f"frontdesk: warning: {error}", file=sys.stderr)
    parser = build_parser(hooks)
    args = parser.parse_args(argv)
    args.hooks = hooks
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
