"""``frontdesk validate``, ``frontdesk schema`` and ``frontdesk plugins``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from frontdesk_core.config.loader import check_with_warnings
from frontdesk_core.config.schema import config_schema
from frontdesk_core.config.syntax import display_name
from frontdesk_core.errors import Problem
from frontdesk_core.hookspecs import Command
from frontdesk_core.simulation.scenario import check_scenario, scenario_files


def _configure_validate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path", help="a configuration file or directory, a scenario, or a folder of scenarios"
    )


def run_validate(args: argparse.Namespace) -> int:
    """Exit 0 with a summary when valid (warnings first); exit 1 with one problem per line."""
    scenarios = scenario_files(Path(args.path))
    if scenarios is not None:
        return _validate_scenarios(scenarios)
    config, problems, warnings = check_with_warnings(args.path, args.hooks.load_context())
    if config is None:
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    for warning in warnings:
        print(warning)
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


def _validate_scenarios(paths: list[Path]) -> int:
    """Check each scenario (and the configuration it names); every problem with its place."""
    problems: list[Problem] = []
    for path in paths:
        loaded, found = check_scenario(path)
        problems += found
        if loaded is not None:
            streams = len(loaded.scenario.arrivals)
            print(
                f"{display_name(path)}: valid: scenario '{loaded.scenario.name}' with "
                f"{plural(len(loaded.dates), 'day')}, {plural(streams, 'arrival stream')}, "
                f"centre(s) {', '.join(loaded.centres)}"
            )
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
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


PLUGIN_PARTS = (
    ("call_policies", "policies"),
    ("condition_functions", "condition functions"),
    ("config_sections", "config sections"),
    ("config_checks", "config checks"),
    ("commands", "commands"),
)


def run_plugins(args: argparse.Namespace) -> int:
    """List each registered plugin: what it registers, then the hooks it implements."""
    for info in args.hooks.registrations():
        print(info.name)
        for attribute, label in PLUGIN_PARTS:
            names = getattr(info, attribute)
            if names:
                print(f"  {label}: {', '.join(names)}")
        print(f"  hooks: {', '.join(info.hooks)}")
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
        "list the plugins: what each registers (policies, sections, commands) and its hooks",
        lambda p: None,
        run_plugins,
    ),
]
