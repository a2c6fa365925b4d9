"""The hook implementations: the ``printers:`` section and printing at the kiosks.

The printers belong to one open :class:`~frontdesk_core.app.Frontdesk` (its
configuration says which kiosk prints where), while this module is loaded once
per process. So at start-up a :class:`KioskPrinters` object is built from that
Frontdesk's configuration and kept in its plugin state
(``frontdesk.plugin_state("printer_escpos")``); ``frontdesk_print_ticket`` reads
it from the ``frontdesk`` it is given, and shut-down drops it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from frontdesk_core.api import PrintResult, TicketPrint
from frontdesk_core.hookspecs import hookimpl
from frontdesk_printer_escpos.checks import check_printer_kiosks
from frontdesk_printer_escpos.config import SECTION, PrinterConfig, PrintersSection
from frontdesk_printer_escpos.printer import TicketPrinter

if TYPE_CHECKING:
    from frontdesk_core.api import Frontdesk

log = logging.getLogger("frontdesk.printer_escpos")


STATE = "printer_escpos"
"""The name of this plugin's state on a Frontdesk."""


class KioskPrinters:
    """The configured printers of one Frontdesk, by kiosk."""

    def __init__(self, configs: Iterable[PrinterConfig], *, tz: tzinfo | None = None) -> None:
        self.printers: dict[str, TicketPrinter] = {}
        for config in configs:
            # The section's validation already rejects a kiosk given twice.
            self.printers.setdefault(config.kiosk, TicketPrinter(config, tz=tz))

    def print_ticket(self, ticket: TicketPrint) -> PrintResult | None:
        """Print at the ticket's kiosk; ``None`` when that kiosk has no printer here."""
        printer = self.printers.get(ticket.kiosk_id)
        if printer is None:
            return None
        try:
            return printer.print(ticket)
        except Exception as exc:
            # TicketPrinter.print catches everything itself; this is the last guard.
            return PrintResult(
                ok=False, printer=printer.name, fault="error", detail=f"{type(exc).__name__}: {exc}"
            )


def printers_of(frontdesk: Frontdesk | None) -> KioskPrinters | None:
    """The printers of an open Frontdesk (``None`` without a ``printers`` section)."""
    if frontdesk is None:
        return None
    printers = frontdesk.plugin_state(STATE).get("printers")
    return printers if isinstance(printers, KioskPrinters) else None


@hookimpl
def frontdesk_config_sections(register: Callable[[str, Any], None]) -> None:
    """Register the ``printers:`` section."""
    register(SECTION, PrintersSection)


@hookimpl
def frontdesk_config_checks(register: Callable[[Any], None]) -> None:
    """Check that every printer names a kiosk of some centre."""
    register(check_printer_kiosks)


@hookimpl
def frontdesk_cli_commands(register: Callable[..., None]) -> None:
    """Add ``frontdesk printers``."""
    from frontdesk_printer_escpos import cli

    register("printers", "list, check and test the kiosk printers", cli.configure, cli.run)


@hookimpl
def frontdesk_startup(frontdesk: Frontdesk) -> None:
    """Build the printers of this Frontdesk's configuration and let them answer prints."""
    configs: list[PrinterConfig] = list(frontdesk.config.sections.get(SECTION) or [])
    if not configs:
        return
    kiosks = {k.id for centre in frontdesk.config.centres for k in centre.kiosks}
    for config in configs:
        if config.kiosk not in kiosks:
            log.warning("printer for an unknown kiosk", extra={"printer": config.printer_name})
    frontdesk.plugin_state(STATE)["printers"] = KioskPrinters(configs, tz=frontdesk.tz)


@hookimpl
def frontdesk_print_ticket(frontdesk: Frontdesk, ticket: TicketPrint) -> PrintResult | None:
    """Print at the kiosk of this Frontdesk's configuration; ``None`` when it has no printer."""
    printers = printers_of(frontdesk)
    return printers.print_ticket(ticket) if printers is not None else None


@hookimpl
def frontdesk_shutdown(frontdesk: Frontdesk) -> None:
    """Stop answering prints for this Frontdesk."""
    frontdesk.plugin_state(STATE).pop("printers", None)
