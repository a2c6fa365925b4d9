"""The booking engine's per-booking state, and its checkpoint in the store.

The engine derives an :class:`Entry` per booking from the log. After a year the
log holds hundreds of thousands of booking events, and a process that starts
(the server, ``frontdesk absence``) would read them all before its first answer.
So the engine keeps a checkpoint: the entries that still matter (open bookings,
and ended ones within the retention period) and the recorded absences, as they
were after event ``seq``. A start-up loads it and reads only the events after it.

The checkpoint is a cache, never the truth: one of another version, or one that
claims events the log does not hold (a restored backup), is ignored and the log
is replayed from the start.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from frontdesk_core.booking.records import Absence, AbsenceReason, Booking, BookingState
from frontdesk_core.booking.slots import Span, epoch

NAME = "booking"
"""The name the booking checkpoint is kept under in the store."""
VERSION = 1
"""Bumped whenever the layout below changes: an older checkpoint is then ignored."""


@dataclass
class Entry:
    """One booking as the engine holds it (times in epoch seconds)."""

    booking: Booking
    start: int
    end: int
    window: Span
    changed: int
    """When the booking was made or last moved (epoch seconds); reminders due before it
    are skipped."""
    reminded: set[tuple[int, int]] = field(default_factory=set)
    ticket_id: str | None = None


def dump_entry(entry: Entry) -> dict[str, Any]:
    """An entry as JSON-ready data."""
    b = entry.booking
    return {
        "id": b.id,
        "code": b.code,
        "service_id": b.service_id,
        "centre_id": b.centre_id,
        "channel": b.channel,
        "state": b.state.value,
        "created_at": b.created_at.isoformat(),
        "language": b.language,
        "counter_id": b.counter_id,
        "start": entry.start,
        "end": entry.end,
        "window": list(entry.window),
        "changed": entry.changed,
        "reminded": sorted([list(r) for r in entry.reminded]),
        "ticket_id": entry.ticket_id,
    }


def load_entry(data: dict[str, Any], tz: tzinfo) -> Entry:
    """An entry from :func:`dump_entry`'s data."""
    start, end = int(data["start"]), int(data["end"])
    booking = Booking(
        id=str(data["id"]),
        code=str(data["code"]),
        service_id=str(data["service_id"]),
        centre_id=str(data["centre_id"]),
        start=datetime.fromtimestamp(start, tz),
        end=datetime.fromtimestamp(end, tz),
        channel=str(data["channel"]),
        state=BookingState(data["state"]),
        created_at=datetime.fromisoformat(str(data["created_at"])).astimezone(tz),
        language=str(data["language"]),
        counter_id=data["counter_id"],
    )
    window = data["window"]
    return Entry(
        booking,
        start,
        end,
        (int(window[0]), int(window[1])),
        int(data["changed"]),
        {(int(r[0]), int(r[1])) for r in data["reminded"]},
        data["ticket_id"],
    )


def dump_absence(absence: Absence) -> dict[str, Any]:
    """An absence as JSON-ready data."""
    return {
        "id": absence.id,
        "counter_id": absence.counter_id,
        "centre_id": absence.centre_id,
        "start": epoch(absence.start),
        "end": epoch(absence.end),
        "reason": absence.reason.value,
    }


def load_absence(data: dict[str, Any], tz: tzinfo) -> Absence:
    """An absence from :func:`dump_absence`'s data."""
    return Absence(
        id=str(data["id"]),
        counter_id=str(data["counter_id"]),
        centre_id=str(data["centre_id"]),
        start=datetime.fromtimestamp(int(data["start"]), tz),
        end=datetime.fromtimestamp(int(data["end"]), tz),
        reason=AbsenceReason(data["reason"]),
    )


def dump(entries: list[Entry], absences: list[Absence], tz_key: str) -> dict[str, Any]:
    """The checkpoint's data."""
    return {
        "version": VERSION,
        "tz": tz_key,
        "entries": [dump_entry(e) for e in entries],
        "absences": [dump_absence(a) for a in absences],
    }


def load(data: dict[str, Any], tz: tzinfo, tz_key: str) -> tuple[list[Entry], list[Absence]]:
    """Entries and absences of a checkpoint; ``ValueError`` if it cannot be used."""
    if data.get("version") != VERSION or data.get("tz") != tz_key:
        raise ValueError("a checkpoint of another version or timezone")
    try:
        entries = [load_entry(e, tz) for e in data["entries"]]
        absences = [load_absence(a, tz) for a in data["absences"]]
    except (KeyError, TypeError, IndexError) as exc:
        raise ValueError(f"a damaged checkpoint ({type(exc).__name__})") from exc
    return entries, absences


__all__ = ["NAME", "VERSION", "Entry", "dump", "load"]
