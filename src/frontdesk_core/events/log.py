"""Events in the log: an event to append (:class:`NewEvent`) and an appended one (:class:`Event`).

An event is *about* an entity (``key``: a ticket, a counter, a booking), happened
at a moment (``at_us``, whole microseconds since the epoch, UTC; ``at`` makes the
datetime), at a centre, and carries the typed payload record of its kind.

A replay reads many events and keeps none of them: it may read them as
:class:`EventBatch` es, the same events column by column, without an object per event.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from frontdesk_core.events.base import Payload, from_us, to_us
from frontdesk_core.events.registry import coerce


class NewEvent:
    """An event to append: the ``payload`` of its kind, about ``key``, at a centre.

    ``NewEvent(kind, key, at, centre_id, payload)``. The payload is the kind's
    record; a plain mapping is accepted too and checked against the record (a
    missing or wrongly typed field raises :class:`ValueError`), for writers
    that build payloads from other data.
    """

    __slots__ = ("at_us", "centre_id", "key", "kind", "payload")

    kind: str
    key: str
    at_us: int
    centre_id: str
    payload: Payload

    def __init__(
        self,
        kind: str,
        key: str,
        at: datetime,
        centre_id: str,
        payload: Payload | Any = None,
    ) -> None:
        self.kind = kind
        self.key = key
        self.at_us = to_us(at)
        self.centre_id = centre_id
        self.payload = coerce(kind, payload)

    @classmethod
    def of(cls, payload: Payload, key: str, centre_id: str, at_us: int) -> NewEvent:
        """An event of ``payload``'s kind at ``at_us``: what an engine's hot path builds
        (the payload is a record already, so there is nothing to check)."""
        event = object.__new__(cls)
        event.kind = payload.KIND
        event.key = key
        event.at_us = at_us
        event.centre_id = centre_id
        event.payload = payload
        return event

    @property
    def at(self) -> datetime:
        """When it happened (UTC)."""
        return from_us(self.at_us)

    @property
    def version(self) -> int:
        """The version of the payload's shape."""
        return type(self.payload).VERSION

    def __repr__(self) -> str:
        return f"NewEvent({self.kind!r}, {self.key!r}, {self.at.isoformat()}, {self.payload!r})"


class Event:
    """An appended event: its position ``seq`` in the log (1, 2, 3, ...) and its payload.

    Built by the stores; readers use ``kind``, ``key``, ``at`` (or ``at_us``),
    ``centre_id``, ``seq`` and the typed ``payload``.
    """

    __slots__ = ("at_us", "centre_id", "key", "kind", "payload", "seq", "version")

    kind: str
    key: str
    at_us: int
    centre_id: str
    payload: Payload
    seq: int
    version: int

    def __init__(
        self,
        kind: str,
        key: str,
        at_us: int,
        centre_id: str,
        payload: Payload,
        seq: int,
        version: int | None = None,
    ) -> None:
        self.kind = kind
        self.key = key
        self.at_us = at_us
        self.centre_id = centre_id
        self.payload = payload
        self.seq = seq
        self.version = type(payload).VERSION if version is None else version

    @property
    def at(self) -> datetime:
        """When it happened (UTC)."""
        return from_us(self.at_us)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Event):
            return NotImplemented
        return (
            self.seq == other.seq
            and self.kind == other.kind
            and self.key == other.key
            and self.at_us == other.at_us
            and self.centre_id == other.centre_id
            and self.payload == other.payload
        )

    def __hash__(self) -> int:
        return hash((self.seq, self.kind, self.key))

    def __repr__(self) -> str:
        return (
            f"Event(seq={self.seq}, {self.kind!r} v{self.version}, {self.key!r}, "
            f"{self.at.isoformat()}, {self.payload!r})"
        )


@dataclass(frozen=True, slots=True)
class EventBatch:
    """Appended events in log order, column by column (``seqs[i]``, ``kinds[i]``, ...
    are event ``i``'s): what a replay reads, without an :class:`Event` per row."""

    seqs: Sequence[int]
    kinds: Sequence[str]
    keys: Sequence[str]
    centre_ids: Sequence[str]
    moments: Sequence[datetime]
    """When each happened, aware (the instant of the event's ``at``). Events of one
    moment in a row may share one object, so a reader may keep its work on the last
    moment it met and compare by identity."""
    payloads: Sequence[Payload]
    versions: Sequence[int]

    @classmethod
    def of(cls, events: Iterable[Event]) -> EventBatch:
        """The batch of ``events`` (a store that has them as objects already)."""
        listed = list(events)
        moments: list[datetime] = []
        moment: datetime | None = None
        last_us = 0
        for event in listed:
            if moment is None or event.at_us != last_us:
                last_us, moment = event.at_us, event.at
            moments.append(moment)
        return cls(
            seqs=[e.seq for e in listed],
            kinds=[e.kind for e in listed],
            keys=[e.key for e in listed],
            centre_ids=[e.centre_id for e in listed],
            moments=moments,
            payloads=[e.payload for e in listed],
            versions=[e.version for e in listed],
        )

    def __len__(self) -> int:
        return len(self.seqs)

    def events(self) -> Iterator[Event]:
        """The batch's events as objects."""
        for seq, kind, key, centre_id, moment, payload, version in zip(
            self.seqs,
            self.kinds,
            self.keys,
            self.centre_ids,
            self.moments,
            self.payloads,
            self.versions,
            strict=True,
        ):
            yield Event(kind, key, to_us(moment), centre_id, payload, seq, version)
