"""Event kinds of the store tests' own: the stores keep any registered kind alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from frontdesk_core.events import Payload, event_kind


@event_kind
@dataclass(frozen=True, slots=True)
class Noted(Payload):
    """Something was noted (``n`` and ``number`` say what)."""

    KIND: ClassVar[str] = "test.noted"
    n: int = 0
    number: str | None = None


@event_kind
@dataclass(frozen=True, slots=True)
class Seen(Payload):
    """Something noted was seen."""

    KIND: ClassVar[str] = "test.seen"
    n: int = 0


@event_kind
@dataclass(frozen=True, slots=True)
class Other(Payload):
    """Another kind altogether."""

    KIND: ClassVar[str] = "test.other"
    n: int = 0
