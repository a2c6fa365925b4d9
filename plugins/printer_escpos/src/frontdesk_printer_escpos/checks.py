"""Cross-references of the ``printers:`` section: every printer names a kiosk that exists.

The core's loader validates the section's shape; whether ``kiosk: nyropsgade-3``
is a kiosk of some centre needs the whole configuration. This check composes
the same document the loader does, so its problems carry the same
``file:line:column`` positions.
"""

from __future__ import annotations

import os
from pathlib import Path

from frontdesk_core.config.loader import LoadContext, Reporter, check, compose, discover
from frontdesk_core.config.models import Config
from frontdesk_core.config.suggest import unknown
from frontdesk_core.errors import Problem
from frontdesk_printer_escpos.config import SECTION, PrinterConfig


def check_printers(
    path: str | os.PathLike[str], context: LoadContext
) -> tuple[Config | None, list[Problem]]:
    """Load the configuration at ``path`` and check its printers name existing kiosks."""
    config, problems = check(path, context)
    if config is None:
        return None, problems
    printers: list[PrinterConfig] = list(config.sections.get(SECTION) or [])
    kiosks = sorted(k.id for centre in config.centres for k in centre.kiosks)
    missing = [(i, p) for i, p in enumerate(printers) if p.kiosk not in kiosks]
    if not missing:
        return config, []
    files, _ = discover(Path(path))
    document, _ = compose(files, context)
    reporter = Reporter(document)
    for index, printer in missing:
        reporter.error((SECTION, index, "kiosk"), unknown("kiosk", printer.kiosk, kiosks))
    return config, sorted(reporter.problems)
