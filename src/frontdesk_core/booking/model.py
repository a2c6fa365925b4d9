"""Booking rules in the configuration: per service, per centre and for the site."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, StringConstraints

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
    buffer_before: Duration = "0 min"
    buffer_after: Duration = "0 min"
    min_notice: Duration = Field("2 h", description="Bookable until this long before the time.")
    horizon: Duration = Field("30 days", description="Bookable this far ahead.")
    per_citizen_per_day: StrictInt = Field(1, ge=1, le=10)
    slot_step: Duration | None = Field(None, description="Distance between start times; default: the duration.")


class Break(Model):
    """A break when no bookings are taken (lunch, a staff meeting)."""

    weekdays: list[Weekday] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    time: TimeRangeField


class CentreBooking(Model):
    """How a centre handles booked citizens."""

    check_in_early: Duration = Field("30 min", description="Earliest check-in before the time.")
    check_in_late: Duration = Field("10 min", description="Latest check-in after the time.")
    late_arrival: Literal["serve_if_possible", "walk_in", "rebook"] = Field(
        "serve_if_possible",
        description="What happens to a citizen who checks in after the late window.",
    )
    breaks: list[Break] = []
    walk_in_booking: StrictBool = Field(
        False, description="Kiosks offer walk-ins the next free slot today."
    )


class SiteBooking(Model):
    """Booking settings shared by every centre."""

    reminders: list[Duration] = Field(["24 h", "2 h"], description="Reminders before the time.")
    retention: Duration = Field("30 days", description="How long personal data is kept.")
    url: str | None = Field(None, description="Where citizens book online (shown as a QR code).")
    cancel_keywords: list[Annotated[str, StringConstraints(strict=True, min_length=1)]] = [
        "AFBUD",
        "CANCEL",
    ]
