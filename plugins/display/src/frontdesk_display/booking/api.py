"""Booking as JSON: the municipality's own booking site books, moves and cancels here.

Public, as booking from home is: the booking code is the key to a booking.
Unknown codes are counted per address, together with those typed at the kiosks
and the check-in API (:mod:`frontdesk_display.guesses`), so codes cannot be
guessed by trying many. A booking site whose server calls
this API for every citizen (one address for all) signs in with a bearer token
instead and is not counted: it answers for its own users. Phone numbers and
names go in, are kept by the booking engine until retention, and never come
back out.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from frontdesk_core.api import Booking, Contact, Frontdesk, NotFoundError
from frontdesk_display.api import models as m
from frontdesk_display.api.common import moment
from frontdesk_display.api.openapi import Operation, Param
from frontdesk_display.guesses import CodeTries

if TYPE_CHECKING:
    from frontdesk_display.api.routes import Call

SERVICE = Param("service_id")
DAY = Param("day", {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"})
CODE = Param("code", {"type": "string", "pattern": "^[A-Za-z0-9-]{4,16}$"})


def booking_out(booking: Booking) -> m.BookingOut:
    """A booking for the citizen's own front end."""
    return m.BookingOut(
        code=booking.code,
        service_id=booking.service_id,
        centre_id=booking.centre_id,
        start=booking.start.isoformat(),
        end=booking.end.isoformat(),
        channel=booking.channel,
        state=booking.state.value,
        language=booking.language,
    )


async def free_slots(call: Call) -> list[m.SlotOut]:
    """The free times of a service on one day (notice and horizon applied)."""
    try:
        day = date.fromisoformat(call.params["day"])
    except ValueError:
        raise NotFoundError(f"no such day: {call.params['day']!r}") from None
    slots = await call.hub.core.run(
        call.hub.fd.booking.free_slots, call.params["service_id"], day, day
    )
    return [
        m.SlotOut(
            start=s.start.isoformat(), end=s.end.isoformat(), free=s.free, capacity=s.capacity
        )
        for s in slots
    ]


async def book(call: Call) -> m.BookingOut:
    """Book a free time; the answer holds the booking code."""
    body: m.BookingRequest = call.body
    booking = await call.hub.core.run(
        call.hub.fd.booking.book,
        body.service_id,
        moment(body.start, "start"),
        contact=Contact(phone=body.phone, name=body.name),
        channel=body.channel,
        language=body.language,
    )
    return booking_out(booking)


async def _with_code(call: Call, action: Callable[[Frontdesk, Booking], Booking]) -> m.BookingOut:
    """Find the booking of the path's code (wrong codes counted) and do ``action`` to it."""
    tries = CodeTries.of(call.request, exempt=call.user is not None)
    tries.check()
    fd = call.hub.fd
    code = call.params["code"]
    booking = await call.hub.core.run(
        lambda: action(fd, tries.attempt(lambda: fd.booking.find(code)))
    )
    return booking_out(booking)


async def get_booking(call: Call) -> m.BookingOut:
    """A booking by its code."""
    return await _with_code(call, lambda fd, found: found)


async def reschedule(call: Call) -> m.BookingOut:
    """Move a booking to another free time; the old one is free at once."""
    body: m.RescheduleRequest = call.body
    start = moment(body.start, "start")
    return await _with_code(call, lambda fd, found: fd.booking.reschedule(found.code, start))


async def cancel(call: Call) -> m.BookingOut:
    """Cancel a booking; its time is free at once and the citizen is told."""
    return await _with_code(call, lambda fd, found: fd.booking.cancel(found.code))


OPERATIONS = [
    Operation(
        "GET",
        "/services/{service_id}/slots/{day}",
        "freeSlots",
        "The free times of a service on one day",
        free_slots,
        m.SlotOut,
        response_list=True,
        params=[SERVICE, DAY],
    ),
    Operation(
        "POST",
        "/bookings",
        "book",
        "Book a free time",
        book,
        m.BookingOut,
        body=m.BookingRequest,
        errors=[404, 409],
        status=201,
    ),
    Operation(
        "GET",
        "/bookings/{code}",
        "getBooking",
        "A booking by its code",
        get_booking,
        m.BookingOut,
        params=[CODE],
        errors=[429],
    ),
    Operation(
        "PUT",
        "/bookings/{code}",
        "rescheduleBooking",
        "Move a booking to another free time",
        reschedule,
        m.BookingOut,
        body=m.RescheduleRequest,
        params=[CODE],
        errors=[409, 429],
    ),
    Operation(
        "DELETE",
        "/bookings/{code}",
        "cancelBooking",
        "Cancel a booking",
        cancel,
        m.BookingOut,
        params=[CODE],
        errors=[409, 429],
    ),
]
