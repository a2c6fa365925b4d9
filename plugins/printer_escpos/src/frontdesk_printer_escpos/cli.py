"""``frontdesk printers``: the super-user's view of the kiosk printers.

    frontdesk printers CONFIG               list each kiosk's printer, check kiosk ids
    frontdesk printers CONFIG --status      ask every printer for paper and cover
    frontdesk printers CONFIG --test KIOSK  print a test ticket (æøå, QR, cut) at KIOSK

It is what a centre's super-user runs after changing a paper roll. Exit code
0 when everything is fine, 1 when a problem or a printer fault was found.
"""

from __future__ import annotations

import argparse
import sys
from zoneinfo import ZoneInfo

from frontdesk_core.api import Config, PrintResult, SystemClock, TicketPrint, text_in
from frontdesk_printer_escpos.checks import check_printers
from frontdesk_printer_escpos.config import (
    SECTION,
    NetworkConnection,
    PrinterConfig,
    SerialConnection,
    UsbConnection,
)
from frontdesk_printer_escpos.printer import TicketPrinter


def describe_connection(printer: PrinterConfig) -> str:
    """The connection in a few words, e.g. ``network 10.0.4.21:9100``."""
    c = printer.connection
    if isinstance(c, NetworkConnection):
        return f"network {c.host}:{c.port}"
    if isinstance(c, SerialConnection):
        return f"serial {c.device} {c.baudrate} baud"
    if isinstance(c, UsbConnection):
        return f"usb {c.vendor_id:04x}:{c.product_id:04x}"
    return f"file {c.path}"


def describe_result(result: PrintResult) -> str:
    """``ok`` or ``fault: detail``."""
    if result.ok:
        return "ok" + (f" ({result.detail})" if result.detail else "")
    return f"{result.fault}: {result.detail}"


def test_ticket(config: Config, printer: PrinterConfig) -> TicketPrint:
    """A ticket that shows what the printer can do: Danish letters, sizes, QR code, cut."""
    centre = next(
        (c for c in config.centres if any(k.id == printer.kiosk for k in c.kiosks)),
        config.centres[0],
    )
    language = config.site.languages[0]
    return TicketPrint(
        kiosk_id=printer.kiosk,
        centre_id=centre.id,
        centre_name=text_in(centre.name, language),
        number="T000",
        queue_name="Testudskrift / test print",
        issued_at=SystemClock(config.site.timezone).now(),
        language=language,
        people_ahead=0,
        expected_wait_minutes=None,
        where=describe_connection(printer),
        qr=f"frontdesk test print {printer.printer_name}",
        lines=("æøå ÆØÅ é ü ß", "Şahin Łódź"),
    )


def configure(parser: argparse.ArgumentParser) -> None:
    """The command's arguments."""
    parser.add_argument("path", help="a configuration file or directory")
    parser.add_argument(
        "--status", action="store_true", help="ask every printer for its status (paper, cover)"
    )
    parser.add_argument("--test", metavar="KIOSK", help="print a test ticket at this kiosk")


def run(args: argparse.Namespace) -> int:
    """List, check, query or test the printers of a configuration."""
    config, problems = check_printers(args.path, args.hooks.load_context())
    for problem in problems:
        print(problem)
    if config is None or problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    printers: list[PrinterConfig] = list(config.sections.get(SECTION) or [])
    if args.test:
        chosen = [p for p in printers if p.kiosk == args.test]
        if not chosen:
            known = ", ".join(p.kiosk for p in printers) or "none"
            print(f"frontdesk: kiosk '{args.test}' has no printer (printers: {known})")
            return 1
        tester = TicketPrinter(chosen[0], tz=ZoneInfo(config.site.timezone))
        result = tester.print(test_ticket(config, chosen[0]))
        print(f"{chosen[0].kiosk}: test ticket: {describe_result(result)}")
        return 0 if result.ok else 1
    if not printers:
        print("no printers are configured (add a 'printers:' section)")
        return 0
    failed = False
    for printer in printers:
        line = (
            f"{printer.kiosk}: {printer.printer_name}, {describe_connection(printer)}, "
            f"{printer.code_page}, {printer.paper_width} mm"
        )
        if args.status:
            result = TicketPrinter(printer).check()
            failed = failed or not result.ok
            line += f": {describe_result(result)}"
        print(line)
    return 1 if failed else 0
