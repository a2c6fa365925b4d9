"""The outcomes of a kiosk session, as typed data for integrators and hooks.

A session that reaches an outcome node holds one of these; texts are already
in the session's language. None of them holds personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from frontdesk_core.drafts import quick_init


@quick_init
@dataclass(frozen=True, slots=True)
class TakeTicket:
    """The citizen gets a ticket in a queue."""

    kind: ClassVar[str] = "queue"
    centre_id: str
    tree_id: str
    node_id: str
    language: str
    text: str
    queue_id: str
    queue_name: str
    service_id: str | None = None
    priority: int | None = None
    """Overrides the queue's priority for this ticket."""
    note: str | None = None
    """A note shown to the employee at the counter."""
    where: str | None = None
    """Where to wait, from the queue's configuration."""


@quick_init
@dataclass(frozen=True, slots=True)
class SentHome:
    """The citizen was sent home with the list of what to bring."""

    kind: ClassVar[str] = "send_home"
    centre_id: str
    tree_id: str
    node_id: str
    language: str
    text: str
    missing_documents: tuple[str, ...]
    """Ids of the documents the citizen said they lack."""
    bring: tuple[str, ...]
    """Names (in the session's language) of everything to bring next time."""
    book_service: str | None = None
    url: str | None = None
    """Where to book online (the site's booking address when a service is offered)."""


@quick_init
@dataclass(frozen=True, slots=True)
class Referred:
    """The citizen belongs at another authority or centre."""

    kind: ClassVar[str] = "refer"
    centre_id: str
    tree_id: str
    node_id: str
    language: str
    text: str
    authority_id: str | None = None
    to_centre_id: str | None = None
    name: str = ""
    """The authority's or centre's name, in the session's language."""
    address: str = ""
    opening_hours: str | None = None
    where: str | None = None
    """Where to go in the building."""
    phone: str | None = None
    url: str | None = None


@quick_init
@dataclass(frozen=True, slots=True)
class CheckIn:
    """A booked citizen checks in; the booking engine takes over."""

    kind: ClassVar[str] = "check_in"
    centre_id: str
    tree_id: str
    node_id: str
    language: str
    text: str


@quick_init
@dataclass(frozen=True, slots=True)
class BookTime:
    """The citizen books a time now from the next free slots of a service."""

    kind: ClassVar[str] = "book"
    centre_id: str
    tree_id: str
    node_id: str
    language: str
    text: str
    service_id: str
    service_name: str
    channels: tuple[str, ...] = ("in_person",)


@quick_init
@dataclass(frozen=True, slots=True)
class Closed:
    """A walk-in path when no ticket is given: the centre is closed, or the queue's last
    ticket before closing is gone. It says when the centre opens and where to book."""

    kind: ClassVar[str] = "closed"
    centre_id: str
    tree_id: str
    node_id: str
    language: str
    text: str
    queue_id: str
    queue_name: str
    reason: str
    """``closed`` (the centre is closed now) or ``last_ticket`` (it closes soon)."""
    opens_at: datetime | None
    """The next opening, in the site's time zone (``None``: not within a year)."""
    closes_at: datetime | None = None
    """With ``last_ticket``: when the centre closes today."""
    book_service: str | None = None
    """A bookable service for the same errand, if there is one."""
    url: str | None = None
    """Where to book online (the site's booking address)."""


Outcome = TakeTicket | SentHome | Referred | CheckIn | BookTime | Closed
"""Any outcome of a kiosk session; tell them apart by ``kind`` or ``isinstance``."""

__all__ = ["BookTime", "CheckIn", "Closed", "Outcome", "Referred", "SentHome", "TakeTicket"]
