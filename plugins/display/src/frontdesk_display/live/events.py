"""The display's own event kinds: info pane texts and device faults.

Registered with the core's event registry when this module is imported (the
plugin's entry point imports it), so the log reads them back as these records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from frontdesk_core.api import Payload, event_kind


@event_kind
@dataclass(frozen=True, slots=True)
class InfoSet(Payload):
    """A manager replaced a centre's info pane text (``by``: the manager's user name)."""

    KIND: ClassVar[str] = "display.info_set"
    text: str = ""
    by: str | None = None


@event_kind
@dataclass(frozen=True, slots=True)
class DeviceFaultRecorded(Payload):
    """A device (a kiosk's printer, a screen) reported a fault; it stays until cleared."""

    KIND: ClassVar[str] = "display.device_fault"
    device: str
    centre_id: str
    kind: str
    detail: str | None = None
    at: datetime | None = None


@event_kind
@dataclass(frozen=True, slots=True)
class FaultCleared(Payload):
    """A manager dealt with a device fault."""

    KIND: ClassVar[str] = "display.fault_cleared"
    by: str | None = None
