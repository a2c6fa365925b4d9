"""The core's errors said in the reader's language, from their code and parameters.

The core's messages are English, for integrators and logs; a page never shows them
to a citizen or an employee. Each code a person can meet has a message here (its
parameters formatted by Babel: days with the weekday, times, durations); an error
with a code not listed is said by its kind ("not found", "not possible now"...), in
English the core's own words.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from babel.dates import format_timedelta

from frontdesk_core.api import FrontdeskError
from frontdesk_display.i18n import N_, Words

MESSAGES: dict[str, str] = {
    "booking.unknown_code": N_("No booking has that code. Check the code in your confirmation."),
    "phone.invalid": N_(
        "That is not a mobile number. Write 8 digits, or + and the country code first."
    ),
    "kiosk.turn_soon_refused": N_(
        "We cannot send an SMS to that number. Keep your ticket and watch the screen."
    ),
    "kiosk.turn_soon_closed": N_("Your ticket has been called already."),
    "booking.phone_needed": N_("A phone meeting needs a mobile number for us to call."),
    "booking.begun": N_("The appointment has already begun; it cannot be moved."),
    "booking.too_soon": N_("%(start)s is too soon. Book at least %(notice)s ahead."),
    "booking.too_far": N_("%(start)s is too far ahead. Times can be booked %(horizon)s ahead."),
    "booking.slot_taken": N_("%(start)s is no longer free. Choose another time."),
    "booking.not_a_slot": N_("%(start)s cannot be booked. Choose one of the free times."),
    "booking.per_day_limit": N_(
        "This mobile number already has the most bookings allowed on %(day)s (%(limit)s)."
    ),
    "booking.cancelled": N_("The booking is cancelled."),
    "booking.checked_in": N_("The booking is already checked in."),
    "booking.no_show": N_("The time was not kept, and the booking is closed."),
    "booking.done": N_("The appointment has taken place."),
    "check_in.phone_meeting": N_(
        "This is a phone meeting: we call you at the time. You do not need to check in."
    ),
    "check_in.passed": N_("Your time %(start)s has passed. Take a number or book a new time."),
    "check_in.no_booking_today": N_(
        "There is no booking today for that mobile number. Use the code in your confirmation, "
        "or ask at the desk."
    ),
    "counter.no_ticket": N_("There is no citizen called or at the counter."),
    "counter.closed": N_("The counter is closed. Sign in or open it before calling."),
    "counter.paused": N_("The counter has a pause. Resume before calling."),
    "counter.busy": N_(
        "Number %(number)s is still at the counter. Finish, put it back in the queue or mark "
        "that the citizen did not come first."
    ),
    "ticket.recall_limit": N_(
        "Number %(number)s has been called again as often as the queue allows. Mark that the "
        "citizen did not come."
    ),
    "ticket.recall_first": N_(
        "Number %(number)s can be marked as not come after a new call, or from %(due)s."
    ),
    "ticket.same_queue": N_("Number %(number)s is already in that queue."),
    "phone_meeting.not_yours": N_("That phone meeting is not one of this counter's."),
    "absence.ends_before_start": N_("An absence must end after it starts."),
    "absence.over": N_("That absence is over already."),
    "kiosk.choose_option": N_("Choose one of the answers."),
    "kiosk.code_needed": N_("Type the code from your confirmation."),
    "kiosk.choose_time": N_("Choose one of the times shown."),
}
"""The message of each code a citizen or an employee can meet."""

BY_KIND: dict[str, str] = {
    "not_found": N_("We could not find what you asked for."),
    "invalid_state": N_("That is not possible right now."),
    "capacity": N_("That time cannot be booked. Choose another time."),
    "command": N_("That could not be done."),
}
"""What an error without a message of its own says, by its kind."""


def _param(value: object, words: Words) -> object:
    if isinstance(value, datetime):
        return words.when(value)
    if isinstance(value, date):
        return words.day(value)
    if isinstance(value, timedelta):
        return format_timedelta(value, locale=words.language, threshold=2)
    return value


def error_text(error: FrontdeskError, words: Words) -> str:
    """What ``error`` says to a person reading ``words``'s language."""
    code = str(getattr(error, "code", ""))
    params = getattr(error, "params", {})
    message = MESSAGES.get(code)
    if message is not None:
        values = {name: _param(value, words) for name, value in params.items()}
        return words.gettext(message, **values)
    if words.language == "en":
        return str(error)
    kind = str(getattr(type(error), "default_code", "command"))
    return words.gettext(BY_KIND.get(kind, BY_KIND["command"]))
