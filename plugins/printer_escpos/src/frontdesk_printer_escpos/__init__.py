"""frontdesk plugin: tickets printed on ESC/POS receipt printers.

The plugin itself is :mod:`frontdesk_printer_escpos.plugin` (the ``frontdesk``
entry point). The names below are for tools and tests that print or lay out a
ticket without a whole Frontdesk.
"""

from __future__ import annotations

from frontdesk_printer_escpos.checks import check_printers
from frontdesk_printer_escpos.config import SECTION, PrinterConfig, PrintersSection
from frontdesk_printer_escpos.encode import encode_ticket
from frontdesk_printer_escpos.layout import (
    DEFAULT_TEMPLATE,
    LABELS,
    LayoutError,
    check_template,
    render_layout,
)
from frontdesk_printer_escpos.printer import TicketPrinter
from frontdesk_printer_escpos.status import PrinterFault, PrinterStatus

__all__ = [
    "DEFAULT_TEMPLATE",
    "LABELS",
    "SECTION",
    "LayoutError",
    "PrinterConfig",
    "PrinterFault",
    "PrinterStatus",
    "PrintersSection",
    "TicketPrinter",
    "check_printers",
    "check_template",
    "encode_ticket",
    "render_layout",
]
