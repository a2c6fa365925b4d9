"""What the core hands to device plugins (printers, screens) and what they answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class TicketPrint:
    """Everything a ticket printer prints; no personal data."""

    kiosk_id: str
    centre_id: str
    centre_name: str
    number: str
    queue_name: str
    issued_at: datetime
    language: str
    people_ahead: int
    expected_wait_minutes: int | None
    where: str | None = None
    qr: str | None = None
    lines: tuple[str, ...] = ()
    expected_wait_text: str | None = None
    """The forecast in words in ``language`` ("about 12–18 min"), when there is one."""


NO_PRINTER = "no_printer"
"""The fault of a kiosk that has no printer at all: not a device fault, just no paper ticket."""


@dataclass(frozen=True)
class PrintResult:
    """The outcome of printing: ``ok``, or the fault that stopped it."""

    ok: bool
    printer: str | None = None
    fault: str | None = None
    detail: str | None = None


UNPRINTED = PrintResult(ok=False, fault=NO_PRINTER, detail="no printer plugin handles this kiosk")
"""What printing gives where no plugin prints (one frozen record, shared)."""
PRINT_HOOK = "frontdesk_print_ticket"
"""The hook a printer plugin implements (see :mod:`frontdesk_core.hookspecs`)."""


@dataclass(frozen=True)
class DeviceFault:
    """A fault a device reported (paper out, unreachable, ...), for the manager dashboard."""

    device: str
    centre_id: str
    kind: str
    detail: str
    at: datetime


@dataclass(frozen=True)
class QueueStatus:
    """One queue as an info screen shows it."""

    queue_id: str
    name: str
    waiting: int
    expected_wait_minutes: int | None
    open: bool


@dataclass(frozen=True)
class CalledNumber:
    """A number being called and the counter it is called to."""

    number: str
    counter_id: str
    counter_name: str
    called_at: datetime


@dataclass(frozen=True)
class ScreenState:
    """What an info screen shows: queues, called numbers and the information pane."""

    centre_id: str
    at: datetime
    queues: tuple[QueueStatus, ...]
    called: tuple[CalledNumber, ...]
    info: str = ""
    extra: dict[str, str] = field(default_factory=dict)
