"""What goes into a booking message: the template's variables, built from a booking."""

from __future__ import annotations

from datetime import timedelta, tzinfo
from typing import Any

from frontdesk_core.api import Booking, Config, Contact, text_in

_DATE_FORMATS = {"en": "%d %B %Y"}
_DEFAULT_DATE_FORMAT = "%d.%m.%Y"


def booking_key(booking: Booking, kind: str, before: timedelta | None = None) -> str:
    """The idempotency key of a booking message: one per booking, time and kind.

    The time is part of it so that a rescheduled booking is confirmed again.
    """
    key = f"booking:{booking.id}:{booking.start.isoformat()}:{kind}"
    if before is not None:
        key += f":{int(before.total_seconds())}s"
    return key


def booking_context(
    config: Config, booking: Booking, contact: Contact, language: str, tz: tzinfo
) -> dict[str, Any]:
    """The variables of the confirmation, reminder and cancellation templates."""
    fallback = config.site.languages[0]
    start = booking.start.astimezone(tz)
    end = booking.end.astimezone(tz)
    try:
        service: str = text_in(config.service(booking.service_id).name, language, fallback)
    except KeyError:
        service = booking.service_id
    try:
        centre_config = config.centre(booking.centre_id)
        centre = text_in(centre_config.name, language, fallback)
        address = centre_config.address
    except KeyError:
        centre, address = booking.centre_id, ""
    keywords = config.site.booking.cancel_keywords
    return {
        "code": booking.code,
        "service": service,
        "centre": centre,
        "address": address,
        "date": start.strftime(_DATE_FORMATS.get(language, _DEFAULT_DATE_FORMAT)),
        "time": start.strftime("%H:%M"),
        "start": start,
        "end": end,
        "cancel_keyword": keywords[0] if keywords else "",
        "url": config.site.booking.url or "",
        "name": contact.name or "",
        "language": language,
        "channel": booking.channel,
    }
