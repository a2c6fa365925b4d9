"""The shapes every event shares: a payload record, an event to append, an appended event.

An event is *about* an entity (``key``: a ticket, a counter, a booking), happened
``at`` a moment, at a centre, and carries a typed, frozen *payload*: one record
type per kind (``ticket.issued`` -> :class:`~frontdesk_core.events.queues.TicketIssued`).
Each payload type has a ``VERSION``; the store keeps it beside the event, so a
reader knows which shape it holds and an old shape can be upcast when read.

Moments are kept as whole microseconds since the epoch (UTC) in ``at_us``:
exact, cheap to compare and to store, and the same whatever timezone wrote
them. ``at`` makes the aware :class:`~datetime.datetime` when one is needed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def to_us(moment: datetime) -> int:
    """Microseconds since the epoch of an aware ``moment`` (a naive one is refused)."""
    if moment.tzinfo is None:
        raise ValueError("the event log needs timezone-aware times")
    return (moment - EPOCH) // _MICROSECOND


def from_us(us: int) -> datetime:
    """The UTC moment ``us`` microseconds after the epoch."""
    return EPOCH + timedelta(microseconds=us)


class Payload:
    """Base of the typed payload records; subclasses are frozen dataclasses.

    ``KIND`` is the event kind the record is the payload of, ``VERSION`` the
    version of its shape (raised when a field is added, renamed or changes
    meaning, with an upcaster from the previous version).
    """

    __slots__ = ()
    KIND: ClassVar[str] = ""
    VERSION: ClassVar[int] = 1


class ForeignPayload(Payload):
    """The payload of a plugin's kind that is not registered in this process.

    A log shared by several installations may hold kinds of plugins installed
    elsewhere: they are carried as read (``fields``, with the stored ``version``),
    never interpreted, and a core reader skips them.
    """

    __slots__ = ("fields", "kind", "version")

    def __init__(self, kind: str, version: int, fields: dict[str, Any]) -> None:
        self.kind = kind
        self.version = version
        self.fields = fields

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ForeignPayload) and (self.kind, self.version, self.fields) == (
            other.kind,
            other.version,
            other.fields,
        )

    def __hash__(self) -> int:
        return hash((self.kind, self.version))

    def __repr__(self) -> str:
        return f"ForeignPayload({self.kind!r}, v{self.version}, {self.fields!r})"


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
        from frontdesk_core.events.registry import coerce

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
