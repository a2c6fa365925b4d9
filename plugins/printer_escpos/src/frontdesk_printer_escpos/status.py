"""The printer's real-time status (``DLE EOT n``) and what it means for a ticket.

An ESC/POS printer answers ``DLE EOT n`` with one status byte at once, even
while it is offline. Three of them tell whether a ticket can be printed:

* ``n = 1`` printer status: bit 3 set = offline;
* ``n = 2`` offline cause: bit 2 cover open, bit 5 stopped at paper end, bit 6 error;
* ``n = 4`` roll paper sensor: bits 2-3 near end, bits 5-6 paper end.

Every answer has bits 1 and 4 set and bits 0 and 7 clear; anything else is
not a status byte. python-escpos has ``is_online()`` and ``paper_status()``,
but it treats a missing answer as "paper adequate" and cannot tell a cover
from a paper fault, so the bytes are read and decoded here.
"""

from __future__ import annotations

from dataclasses import dataclass

DLE_EOT = b"\x10\x04"
PRINTER_STATUS = 1
OFFLINE_CAUSE = 2
PAPER_SENSOR = 4
QUERIES = (PRINTER_STATUS, OFFLINE_CAUSE, PAPER_SENSOR)
"""The status requests sent, in order."""

_FIXED_MASK = 0x93
_FIXED_VALUE = 0x12


class PrinterFault(Exception):
    """A fault that stops a ticket from printing: ``kind`` is the PrintResult's fault."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


@dataclass(frozen=True)
class PrinterStatus:
    """The decoded answers to the three status requests."""

    online: bool
    cover_open: bool
    paper_out: bool
    paper_near_end: bool
    error: bool

    @property
    def fault(self) -> PrinterFault | None:
        """The fault that stops printing, most specific first; ``None`` if it can print."""
        if self.cover_open:
            return PrinterFault("cover_open", "the printer's cover is open")
        if self.paper_out:
            return PrinterFault("paper_out", "the printer is out of paper")
        if self.error:
            return PrinterFault("printer_error", "the printer reports an error (cutter or jam)")
        if not self.online:
            return PrinterFault("offline", "the printer is offline")
        return None


def request(n: int) -> bytes:
    """The bytes of status request ``n``."""
    return DLE_EOT + bytes([n])


def is_status_byte(value: int) -> bool:
    """Whether ``value`` has the fixed bits every status answer has."""
    return value & _FIXED_MASK == _FIXED_VALUE


def decode(printer: int, offline: int, paper: int) -> PrinterStatus:
    """Decode the answers to requests 1, 2 and 4; :class:`PrinterFault` if one is no status."""
    for name, value in (("printer", printer), ("offline", offline), ("paper", paper)):
        if not is_status_byte(value):
            raise PrinterFault(
                "bad_status",
                f"the printer answered the {name} status request with 0x{value:02x}, "
                "which is not an ESC/POS status byte",
            )
    return PrinterStatus(
        online=not printer & 0x08,
        cover_open=bool(offline & 0x04),
        paper_out=bool(offline & 0x20) or bool(paper & 0x60),
        paper_near_end=bool(paper & 0x0C),
        error=bool(offline & 0x40),
    )
