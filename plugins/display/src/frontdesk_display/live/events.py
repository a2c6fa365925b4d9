"""The display's own event kinds: info pane texts, device faults and staff sessions.

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


@event_kind
@dataclass(frozen=True, slots=True)
class StaffSessionStarted(Payload):
    """A member of staff signed in (``via``: "browser" or "token").

    The event's key is a digest of the session's secret id, never the id itself;
    ``user`` is the user's ref (what the log records for them, never a name).
    """

    KIND: ClassVar[str] = "display.session_started"
    user: str
    via: str = "browser"


@event_kind
@dataclass(frozen=True, slots=True)
class StaffSessionEnded(Payload):
    """A member of staff signed out: the session (the event's key) ends at once."""

    KIND: ClassVar[str] = "display.session_ended"


@event_kind
@dataclass(frozen=True, slots=True)
class StaffSignedOutEverywhere(Payload):
    """Every session of a user (the event's key: the user's ref) started before this
    event ends, browsers and bearer tokens alike (``by``: the manager's ref)."""

    KIND: ClassVar[str] = "display.signed_out_everywhere"
    by: str | None = None
