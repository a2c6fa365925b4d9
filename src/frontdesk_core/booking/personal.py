"""The personal data of bookings (phone number, name), kept apart from the events.

It lives only in the store's personal records under ``booking:<id>``, until the
end of the appointment plus the site's retention period; events, bookings,
tickets and messages never hold it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from frontdesk_core.booking.records import Contact
from frontdesk_core.store.base import EventStore


def personal_ref(booking_id: str) -> str:
    """The key of a booking's personal data in the store."""
    return f"booking:{booking_id}"


class PersonalData:
    """A booking's contact in the store: kept, read, forgotten, purged."""

    def __init__(self, store: EventStore) -> None:
        self.store = store

    def keep(self, booking_id: str, data: Mapping[str, str], until: datetime) -> None:
        """Keep ``data`` for the booking until ``until`` (replacing what was kept)."""
        self.store.put_personal(personal_ref(booking_id), data, until)

    def get(self, booking_id: str) -> dict[str, str] | None:
        """What is kept for the booking, if anything."""
        return self.store.get_personal(personal_ref(booking_id))

    def phone_of(self, booking_id: str) -> str | None:
        """The booking's (normalised) phone number, if one is kept."""
        data = self.get(booking_id)
        return data.get("phone") if data else None

    def contact(self, booking_id: str) -> Contact:
        """The booking's contact; empty once forgotten or purged."""
        data = self.get(booking_id) or {}
        return Contact(phone=data.get("phone"), name=data.get("name"))

    def forget(self, booking_id: str) -> None:
        """Delete the booking's personal data now."""
        self.store.delete_personal(personal_ref(booking_id))

    def purge(self, now: datetime) -> int:
        """Delete every personal record whose retention has run out; returns how many."""
        return self.store.purge_personal(now)
