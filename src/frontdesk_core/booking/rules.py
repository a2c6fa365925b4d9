"""Checks shared by the booking commands, check-in and the lookups.

Each raises a :class:`~frontdesk_core.errors.CommandError` (or a subclass) with
a message a citizen or a consultant understands.
"""

from __future__ import annotations

from datetime import datetime

from frontdesk_core.booking.checkpoint import Entry
from frontdesk_core.booking.model import ServiceBooking
from frontdesk_core.booking.records import BookingState
from frontdesk_core.booking.slots import SlotPlanner, epoch
from frontdesk_core.config.models import Centre, Service
from frontdesk_core.config.suggest import unknown
from frontdesk_core.errors import CommandError, InvalidStateError, NotFoundError


def normalise_code(code: str) -> str:
    """A booking code as typed (``"ab3-k7q"``) in its stored form (``"AB3K7Q"``)."""
    upper = code.upper()
    if upper.isalnum():  # typed as stored (a kiosk passes it on as given): nothing to drop
        return upper
    return "".join(ch for ch in upper if ch.isalnum())


def aware_epoch(moment: datetime) -> int:
    """Epoch seconds of a time given by a caller, who must say its timezone."""
    if moment.tzinfo is None:
        raise CommandError("give the time with a timezone (an aware datetime)")
    return epoch(moment)


def bookable_service(
    planner: SlotPlanner, service_id: str
) -> tuple[Service, ServiceBooking, Centre]:
    """The service, its booking rules and its centre; refused if it cannot be booked."""
    try:
        service = planner.service(service_id)
    except KeyError:
        names = [s.id for s in planner.config.services]
        raise NotFoundError(unknown("service", service_id, names)) from None
    if service.booking is None:
        raise CommandError(f"service '{service_id}' cannot be booked")
    return service, service.booking, planner.centre_of(service)


def check_channel(service: Service, rules: ServiceBooking, channel: str) -> None:
    """Refuse a channel (in person, phone) the service cannot be booked for."""
    if channel not in rules.channels:
        allowed = " or ".join(f"'{c}'" for c in rules.channels)
        raise CommandError(
            f"service '{service.id}' cannot be booked for channel '{channel}'; "
            f"it can be booked {allowed}"
        )


def must_be_booked(entry: Entry) -> None:
    """Refuse to act on a booking that is no longer in state ``booked``, saying why."""
    state = entry.booking.state
    if state is BookingState.BOOKED:
        return
    messages = {
        BookingState.CANCELLED: "the booking is cancelled",
        BookingState.CHECKED_IN: "the booking is already checked in",
        BookingState.NO_SHOW: "the booking was not met (no-show)",
        BookingState.DONE: "the appointment has taken place",
    }
    raise InvalidStateError(messages[state], code=f"booking.{state.value}")
