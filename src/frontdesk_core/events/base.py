"""What every event's payload shares, and the event log's time as numbers.

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

from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any, ClassVar

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def to_us(moment: datetime) -> int:
    """Microseconds since the epoch of an aware ``moment`` (a naive one is refused)."""
    if moment.tzinfo is None:
        raise ValueError("the event log needs timezone-aware times")
    return (moment - EPOCH) // _MICROSECOND


def span_us(span: timedelta) -> int:
    """Whole microseconds of a length of time (rounded down, as :func:`to_us` does)."""
    return span // _MICROSECOND


def from_us(us: int) -> datetime:
    """The UTC moment ``us`` microseconds after the epoch."""
    return EPOCH + timedelta(microseconds=us)


def local_time(us: int, tz: tzinfo) -> datetime:
    """The moment ``us`` microseconds after the epoch, in ``tz``.

    Exact to the microsecond: a float's error at today's epoch is far below half
    of one, and this is a third of the cost of :func:`from_us` plus ``astimezone``.
    """
    return datetime.fromtimestamp(us / 1_000_000, tz)


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
