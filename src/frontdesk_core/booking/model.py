"""Booking rules in the configuration: per service, per centre and for the site."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from pydantic import Field, StrictInt, StringConstraints

from frontdesk_core.config.types import Duration, Identifier, Model, TimeRangeField

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Channel = Literal["in_person", "phone"]


class ServiceBooking(Model):
    """How a service can be booked."""

    duration: Duration = Field(description="How long an appointment lasts, e.g. '15 min'.")
    channels: list[Channel] = Field(["in_person"], min_length=1)
    counters: list[Identifier] | None = Field(
        None, description="Counters that serve bookings; default: those serving its queue."
    )
    buffer_before: Duration = Field(
        timedelta(0), description="Time kept free before each appointment (preparation)."
    )
    buffer_after: Duration = Field(
        timedelta(0), description="Time kept free after each appointment (paperwork)."
    )
    min_notice: Duration = Field(
        timedelta(hours=2), description="Bookable until this long before the time."
    )
    horizon: Duration = Field(timedelta(days=30), description="Bookable this far ahead.")
    per_citizen_per_day: StrictInt = Field(1, ge=1, le=10)
    slot_step: Duration | None = Field(
        None, description="Distance between start times; default: the duration."
    )


class Break(Model):
    """A break when no bookings are taken (lunch, a staff meeting).

    Without ``counters`` the break applies to every counter of the centre (a staff
    meeting); with ``counters`` only to those (one employee's lunch), so the
    others keep taking bookings and the capacity of those slots drops by one.
    """

    weekdays: list[Weekday] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    time: TimeRangeField
    counters: list[Identifier] | None = Field(
        None, description="Counters on this break; default: every counter of the centre."
    )


class CentreBooking(Model):
    """How a centre handles booked citizens."""

    check_in_early: Duration = Field(
        timedelta(minutes=30), description="Earliest check-in before the time."
    )
    check_in_late: Duration = Field(
        timedelta(minutes=10), description="Latest check-in after the time."
    )
    late_arrival: Literal["serve_if_possible", "walk_in", "rebook"] = Field(
        "serve_if_possible",
        description="What happens to a citizen who checks in after the late window.",
    )
    breaks: list[Break] = []
    walk_in_queue: Identifier | None = Field(
        None,
        description=(
            "With late_arrival 'walk_in': the queue late citizens join; default: the queue "
            "of the booked service."
        ),
    )


class SiteBooking(Model):
    """Booking settings shared by every centre."""

    reminders: list[Duration] = Field(
        [timedelta(hours=24), timedelta(hours=2)], description="Reminders before the time."
    )
    retention: Duration = Field(
        timedelta(days=30),
        description="How long personal data is kept after the appointment.",
    )
    url: str | None = Field(None, description="Where citizens book online (shown as a QR code).")
    cancel_keywords: list[Annotated[str, StringConstraints(strict=True, min_length=1)]] = [
        "AFBUD",
        "CANCEL",
    ]
