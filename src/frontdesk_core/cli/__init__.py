"""The ``frontdesk`` command.

Each group of sub-commands lives in its own module and exposes ``COMMANDS``; the
core's are registered by the built-in plugin
:mod:`frontdesk_core.default_plugins.cli_commands` through
``frontdesk_cli_commands``, the hook other plugins add theirs with.
A consultant never sees a traceback: errors print as plain messages.

Every sub-command (a plugin's ``serve`` too) runs with the structured logging of
:mod:`frontdesk_core.logs` installed on standard error, personal data masked:
``--log-format json|text`` and ``--log-level`` (before or after the sub-command;
defaults from ``FRONTDESK_LOG_FORMAT`` and ``FRONTDESK_LOG_LEVEL``, else JSON
lines at ``warning``). Standard output stays the command's own.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

from frontdesk_core.default_plugins import cli_commands
from frontdesk_core.errors import ConfigError, FrontdeskError
from frontdesk_core.logs import LOG_FORMATS, installed_logging
from frontdesk_core.plugins import Hooks, PluginManager, make_plugin_manager

DEBUG_ENV = "FRONTDESK_DEBUG"
LOG_FORMAT_ENV = "FRONTDESK_LOG_FORMAT"
LOG_LEVEL_ENV = "FRONTDESK_LOG_LEVEL"
LOG_LEVELS = ("debug", "info", "warning", "error")
DEFAULT_LOG_LEVEL = "warning"
"""Warnings and errors (a failing plugin, a rule that failed) by default: at ``info``
every counter change is a line, which a simulation of a year would drown in."""
CLI_PLUGIN = "frontdesk.cli_commands"


def plugin_manager(*, load_entrypoints: bool = True) -> PluginManager:
    """The plugin manager of the command line: the core's sub-commands included."""
    pm = make_plugin_manager(load_entrypoints=load_entrypoints)
    if not pm.is_registered(cli_commands):
        pm.register(cli_commands, name=CLI_PLUGIN)
    return pm


def add_log_options(parser: argparse.ArgumentParser, *, defaults: bool = True) -> None:
    """``--log-format`` and ``--log-level``; without ``defaults`` they only override."""
    parser.add_argument(
        "--log-format",
        choices=LOG_FORMATS,
        default=_env_choice(LOG_FORMAT_ENV, LOG_FORMATS, "json") if defaults else argparse.SUPPRESS,
        help="log lines as JSON objects (default) or as text, on standard error",
    )
    parser.add_argument(
        "--log-level",
        type=str.lower,
        choices=LOG_LEVELS,
        default=(
            _env_choice(LOG_LEVEL_ENV, LOG_LEVELS, DEFAULT_LOG_LEVEL)
            if defaults
            else argparse.SUPPRESS
        ),
        help=f"the least important lines logged (default: {DEFAULT_LOG_LEVEL})",
    )


def _env_choice(variable: str, choices: Sequence[str], default: str) -> str:
    value = os.environ.get(variable, "").strip().lower()
    return value if value in choices else default


def log_options(argv: Sequence[str] | None) -> argparse.Namespace:
    """The log options alone, read before the plugins load, so their loading is logged."""
    # No abbreviations: a sub-command's own option (``--log FILE``, say) is not one of these.
    parser = argparse.ArgumentParser(prog="frontdesk", add_help=False, allow_abbrev=False)
    add_log_options(parser)
    known, _ = parser.parse_known_args(argv)
    return known


def build_parser(hooks: Hooks) -> argparse.ArgumentParser:
    """The argument parser with the core's and the plugins' sub-commands."""
    parser = argparse.ArgumentParser(
        prog="frontdesk", description="Citizen reception for public service centres."
    )
    add_log_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in hooks.cli_commands():
        if command.name in sub.choices:
            continue  # the first registration wins; the core's are asked first
        command_parser = sub.add_parser(command.name, help=command.help, description=command.help)
        command.configure(command_parser)
        # A command with options of these names keeps them; the ones before it still work.
        with contextlib.suppress(argparse.ArgumentError):
            add_log_options(command_parser, defaults=False)
        command_parser.set_defaults(run=command.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``frontdesk``; returns the exit code (0 ok, 1 a problem found, 2 usage/internal)."""
    options = log_options(argv)
    with installed_logging(options.log_level, log_format=options.log_format):
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
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
