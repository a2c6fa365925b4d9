"""Events of kiosk sessions (written by the referral engine), about a session id.

They say where each citizen ended in the referral tree; no answer a citizen
gave is kept beyond the ``path`` of node ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from frontdesk_core.events.base import Payload
from frontdesk_core.events.registry import event_kind, upcaster


@event_kind
@dataclass(frozen=True, slots=True)
class KioskCompleted(Payload):
    """A session reached an outcome and performed it.

    Which optional fields are set depends on ``outcome``: ``missing`` (sent home),
    ``to`` (referred), ``queue``/``ticket`` (a ticket), ``action``/
    ``ticket``/``handed_over`` (check-in), ``service``/``slots`` (book a time),
    ``queue`` alone for ``closed`` (a walk-in turned away outside the centre's hours or
    after the queue's last ticket). A ticket's record is committed with the ticket,
    before it is printed, so ``printed`` is set only in logs written before that (a
    failed print is a device fault).

    Version 2 adds ``documents``: the ids of the documents a citizen sent home
    lacked (configuration ids, never anything the citizen typed); version 1
    kept only how many (``missing``).
    """

    KIND: ClassVar[str] = "kiosk.completed"
    VERSION: ClassVar[int] = 2
    tree: str
    node: str
    outcome: str
    language: str
    path: tuple[str, ...]
    missing: int | None = None
    to: str | None = None
    queue: str | None = None
    ticket: str | None = None
    printed: bool | None = None
    handed_over: bool | None = None
    action: str | None = None
    service: str | None = None
    slots: int | None = None
    documents: tuple[str, ...] | None = None


@event_kind
@dataclass(frozen=True, slots=True)
class KioskAbandoned(Payload):
    """A citizen walked away from a session (``reason``: ``timeout``, ``abandoned``)."""

    KIND: ClassVar[str] = "kiosk.abandoned"
    tree: str
    node: str
    step: str
    reason: str
    language: str
    path: tuple[str, ...]


@upcaster(KioskCompleted.KIND, 1)
def _kiosk_completed_v1(data: dict[str, object]) -> dict[str, object]:
    """Version 1 did not name the missing documents: they stay unknown (``None``)."""
    return data
