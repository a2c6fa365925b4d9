"""Cross-references of the ``printers:`` section: every printer names a kiosk that exists.

The core's loader validates the section's shape; whether ``kiosk: nyropsgade-3``
is a kiosk of some centre needs the whole configuration. The plugin registers
:func:`check_printer_kiosks` through ``frontdesk_config_checks``, so
``frontdesk validate`` reports a wrong kiosk at its ``file:line:column`` like
any other problem.
"""

from __future__ import annotations

import os

from frontdesk_core.api import Config, LoadContext, Problem, Reporter, check, unknown
from frontdesk_printer_escpos.config import SECTION, PrinterConfig


def check_printer_kiosks(config: Config, reporter: Reporter) -> None:
    """Report every printer whose kiosk is not a kiosk of any centre."""
    printers: list[PrinterConfig] = list(config.sections.get(SECTION) or [])
    kiosks = sorted(k.id for centre in config.centres for k in centre.kiosks)
    for index, printer in enumerate(printers):
        if printer.kiosk not in kiosks:
            reporter.error((SECTION, index, "kiosk"), unknown("kiosk", printer.kiosk, kiosks))


def check_printers(
    path: str | os.PathLike[str], context: LoadContext
) -> tuple[Config | None, list[Problem]]:
    """Load the configuration at ``path`` with the printers checked against the kiosks.

    ``context`` normally comes from the plugin manager and already carries
    :func:`check_printer_kiosks`; it is added here when it does not.
    """
    if check_printer_kiosks not in context.checks:
        context = LoadContext(
            sections=context.sections,
            call_policies=context.call_policies,
            condition_functions=context.condition_functions,
            checks=(*context.checks, check_printer_kiosks),
        )
    return check(path, context)
