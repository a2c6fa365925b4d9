"""Ticket numbers: the queue's prefix and a counter that starts at 1 every service day.

The service day turns at the centre's ``day_reset`` (04:00 by default), not at
midnight, so a late evening and the small hours belong to the day before. The
counter lives in the store (``Transaction.counter``) under a name holding the
queue and the service day: several kiosk processes writing to one store draw
from the same counter inside their exclusive transactions, so two tickets never
get the same number, and a new day starts a fresh counter by its name alone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache

NUMBER_DIGITS = 3
"""Numbers are padded to three digits (P001); the thousandth ticket is P1000."""


def service_day(moment: datetime, day_reset: time, tz: tzinfo) -> date:
    """The service day ``moment`` belongs to, at a centre whose day turns at ``day_reset``."""
    local = moment.astimezone(tz)
    day = local.date()
    if local.time() < day_reset:
        day -= timedelta(days=1)
    return day


def day_start(day: date, day_reset: time, tz: tzinfo) -> datetime:
    """The moment service day ``day`` begins."""
    return datetime.combine(day, day_reset, tzinfo=tz)


def counter_name(queue_id: str, day: date) -> str:
    """The store counter that numbers ``queue_id``'s tickets on ``day``."""
    return f"ticket:{queue_id}:{day.isoformat()}"


def format_number(prefix: str, value: int) -> str:
    """``("P", 7)`` -> ``"P007"`` (``f"{prefix}{value:03d}"`` for the whole numbers a
    counter gives, at half its cost: every ticket is numbered)."""
    return prefix + str(value).zfill(NUMBER_DIGITS)


def ticket_id(queue_id: str, day: date, value: int) -> str:
    """A ticket id unique in the store: queue, service day and the day's number."""
    return f"{queue_id}-{_compact(day)}-{value}"


@lru_cache(maxsize=64)
def _compact(day: date) -> str:
    # strftime is the slow part of a ticket id, and a day has many tickets.
    return f"{day:%Y%m%d}"
