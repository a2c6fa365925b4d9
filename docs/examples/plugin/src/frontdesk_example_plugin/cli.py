"""``frontdesk audit SETTINGS``: check the audit settings and count the log's lines.

``SETTINGS`` is a YAML file holding the ``audit:`` section alone (kept beside the
configuration, say, by whoever reads the log). It is read with
:func:`frontdesk_core.api.load_section`, so a mistake is reported at its
``file:line:column`` like any configuration problem.
"""

from __future__ import annotations

import argparse
import sys

from frontdesk_core.api import ConfigError, load_section
from frontdesk_example_plugin.audit import SECTION, AuditSettings, summary


def configure(parser: argparse.ArgumentParser) -> None:
    """The command's arguments."""
    parser.add_argument("settings", help="a YAML file with the audit: section")


def run(args: argparse.Namespace) -> int:
    """Print ``event queue count`` per line; 1 when the settings have a problem."""
    try:
        settings = load_section(args.settings, SECTION, AuditSettings)
    except ConfigError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    try:
        counts = summary(settings.path)
    except FileNotFoundError:
        print(f"no audit log yet at {settings.path}")
        return 0
    for (event, queue_id), count in counts.items():
        print(f"{event} {queue_id} {count}")
    return 0
