"""``frontdesk validate``, ``frontdesk schema`` and ``frontdesk plugins``."""

from __future__ import annotations

import argparse
import json
import sys

from frontdesk_core.config.loader import check
from frontdesk_core.config.schema import config_schema
from frontdesk_core.plugins import Command


def _configure_validate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="a configuration file or directory")


def run_validate(args: argparse.Namespace) -> int:
    """Exit 0 with a summary when valid; exit 1 with one problem per line when not."""
    config, problems = check(args.path, args.hooks.load_context())
    if config is None:
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    queues = sum(len(c.queues) for c in config.centres)
    counters = sum(len(c.counters) for c in config.centres)
    parts = [
        plural(len(config.centres), "centre"),
        plural(queues, "queue"),
        plural(counters, "counter"),
        plural(len(config.services), "service"),
        plural(len(config.trees), "referral tree"),
    ]
    if config.sections:
        parts.append("plugin sections: " + ", ".join(sorted(config.sections)))
    print(f"{args.path}: valid: site '{config.site.id}' with {', '.join(parts)}")
    return 0


def plural(count: int, word: str) -> str:
    """``"1 queue"``, ``"4 queues"``."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def _configure_schema(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--indent", type=int, default=2, help="indentation of the JSON output")


def run_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of the whole configuration (plugins' sections included)."""
    schema = config_schema(args.hooks.config_sections())
    print(json.dumps(schema, indent=args.indent, ensure_ascii=False))
    return 0


def run_plugins(args: argparse.Namespace) -> int:
    """List the registered plugins and the hooks each implements."""
    for name, hooks in args.hooks.plugins():
        print(name)
        for hook in hooks:
            print(f"  {hook}")
    return 0


COMMANDS = [
    Command(
        "validate",
        "check a configuration and report every problem",
        _configure_validate,
        run_validate,
    ),
    Command("schema", "print the JSON Schema of the configuration", _configure_schema, run_schema),
    Command(
        "plugins",
        "list installed plugins and the hooks they implement",
        lambda p: None,
        run_plugins,
    ),
]
