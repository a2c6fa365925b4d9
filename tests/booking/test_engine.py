"""The booking engine: book, reschedule, cancel, check-in, phone meetings, reminders,
cancel by SMS reply, no-shows and purging personal data."""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from booking.conftest import PHONE, at
from frontdesk_core.app import Frontdesk
from frontdesk_core.booking.engine import CheckInAction, normalise_code
from frontdesk_core.booking.phone import mask_phone, normalise_phone
from frontdesk_core.booking.records import Booking, BookingState, Contact
from frontdesk_core.clock import ManualClock
from frontdesk_core.config.models import Config
from frontdesk_core.errors import CapacityError, CommandError, InvalidStateError, NotFoundError
from frontdesk_core.events import encode
from frontdesk_core.plugins import make_plugin_manager
from frontdesk_core.queues.tickets import TicketState
from frontdesk_core.testing import HookRecorder, MakeFrontdesk

TUESDAY = date(2026, 11, 24)


def book_passport(
    fd: Frontdesk, hour: int = 10, minute: int = 0, phone: str = "12 34 56 78"
) -> Booking:
    """Book Tuesday's passport slot at ``hour:minute`` for the test citizen."""
    return fd.booking.book(
        "passport", at(24, hour, minute), contact=Contact(phone=phone, name="Jens Hansen")
    )


# -- phone numbers --------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["12345678", "12 34 56 78", "+45 12 34 56 78", "0045-12345678"])
def test_phone_numbers_are_normalised(raw: str) -> None:
    assert normalise_phone(raw) == PHONE


@pytest.mark.parametrize("raw", ["1234", "abc", "+45 12 34 56 78 90 12 34 56", ""])
def test_a_bad_phone_number_is_refused_without_repeating_it(raw: str) -> None:
    with pytest.raises(CommandError) as info:
        normalise_phone(raw)
    assert raw.strip() == "" or raw not in str(info.value)


def test_masked_number_shows_only_the_last_two_digits() -> None:
    assert mask_phone(PHONE) == "+45 •••• ••78"


# -- book, find, reschedule, cancel -----------------------------------------------------------


def test_book_gives_a_code_and_keeps_personal_data_apart(
    fd: Frontdesk, recorder: HookRecorder
) -> None:
    booking = book_passport(fd)
    assert booking.state is BookingState.BOOKED
    assert (booking.start, booking.end) == (at(24, 10), at(24, 10, 15))
    assert booking.counter_id == "c1"
    assert len(booking.code) == 6
    assert fd.booking.find(booking.code.lower()) == booking
    assert fd.booking.find(f"{booking.code[:3]}-{booking.code[3:]}") == booking
    assert normalise_code(" ab-3 k ") == "AB3K"
    created = recorder.named("frontdesk_booking_created")
    assert created[0]["booking"] == booking
    assert created[0]["contact"].phone == PHONE
    # The events hold no personal data; the personal table keeps it until the retention.
    events = list(fd.store.read(key=booking.id))
    assert [e.kind for e in events] == ["booking.created"]
    text = json.dumps([encode(e.payload) for e in events])
    assert "12345678" not in text and "Jens" not in text
    assert fd.store.get_personal(f"booking:{booking.id}") == {"phone": PHONE, "name": "Jens Hansen"}


class Repeating(random.Random):
    """A seeded source that gives its first code twice (a code already taken)."""

    def __init__(self) -> None:
        super().__init__(7)
        self.first: int | None = None
        self.draws = 0

    def randrange(self, *args: Any, **kwargs: Any) -> int:
        self.draws += 1
        if self.first is None:
            self.first = super().randrange(*args, **kwargs)
            return self.first
        if self.first >= 0:
            first, self.first = self.first, -1
            return first
        return super().randrange(*args, **kwargs)


def test_ids_and_codes_come_from_the_source_given_and_a_taken_code_is_drawn_again(
    config: Config, clock: ManualClock
) -> None:
    def opened(randomness: random.Random | None = None) -> Frontdesk:
        plugins = make_plugin_manager(load_entrypoints=False)
        return Frontdesk.open(
            config, store=":memory:", clock=clock, plugins=plugins, randomness=randomness
        )

    def booked(randomness: random.Random | None) -> list[tuple[str, str]]:
        with opened(randomness) as fd:
            return [
                (b.id, b.code)
                for b in (book_passport(fd, 10), book_passport(fd, 11, phone="87654321"))
            ]

    first = booked(random.Random(7))
    assert first == booked(random.Random(7))  # a simulated day books alike every time
    assert all(id.startswith("bk-") and len(id) == 19 for id, _ in first)
    repeating = Repeating()
    (_, code), (_, other) = booked(repeating)
    assert repeating.draws == 3  # the second booking's first code was taken: drawn again
    assert code == first[0][1] and other != code
    # Left out, the operating system's source draws them: no two Frontdesks alike.
    assert booked(None) != booked(None)


def test_a_booking_is_found_by_the_id_its_events_carry(fd: Frontdesk) -> None:
    booking = book_passport(fd)
    event = next(iter(fd.store.read(kinds=["booking.created"])))
    assert fd.booking.booking(event.key) == booking
    with pytest.raises(NotFoundError, match="unknown booking 'nope'"):
        fd.booking.booking("nope")


def test_the_second_counter_takes_the_next_booking_of_the_same_time(fd: Frontdesk) -> None:
    first = book_passport(fd, phone="11111111")
    second = book_passport(fd, phone="22222222")
    assert (first.counter_id, second.counter_id) == ("c1", "c2")
    with pytest.raises(CapacityError, match="no longer free"):
        book_passport(fd, phone="33333333")
    assert fd.booking.bookings_on(TUESDAY) == sorted(
        [first, second], key=lambda b: (b.start, b.code)
    )


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (at(23, 10, 0), "too soon to book; book at least 2 h ahead"),
        (at(24, 10, 7), "not a time that can be booked for service 'passport'"),
        (at(24, 8, 45), "not a time that can be booked"),
        (at(29, 10, 0), "not a time that can be booked"),  # a Sunday
        (at(4, 10, 0, month=1, year=2027), "too far ahead; bookings open 30 days ahead"),
    ],
)
def test_times_that_cannot_be_booked_change_nothing(
    fd: Frontdesk, start: Any, message: str
) -> None:
    with pytest.raises(CapacityError, match=message):
        fd.booking.book("passport", start, contact=Contact(phone=PHONE))
    assert list(fd.store.read()) == []
    assert fd.store.purge_personal(at(1, 0, year=2030)) == 0  # nothing kept either


def test_bad_commands_are_typed_errors(fd: Frontdesk) -> None:
    with pytest.raises(NotFoundError, match="unknown service 'pasport'; did you mean 'passport'"):
        fd.booking.book("pasport", at(24, 10), contact=Contact())
    with pytest.raises(CommandError, match="cannot be booked for channel 'phone'"):
        fd.booking.book("passport", at(24, 10), contact=Contact(), channel="phone")
    with pytest.raises(CommandError, match="a phone meeting needs a phone number"):
        fd.booking.book("permit", at(24, 10), contact=Contact(), channel="phone")
    with pytest.raises(CommandError, match="'fr' is not one of the site's languages"):
        fd.booking.book("passport", at(24, 10), contact=Contact(), language="fr")
    with pytest.raises(CommandError, match="timezone"):
        fd.booking.book("passport", at(24, 10).replace(tzinfo=None), contact=Contact())
    with pytest.raises(NotFoundError, match="no booking has that code"):
        fd.booking.find("ZZZZZZ")


def test_one_booking_per_citizen_per_day(fd: Frontdesk) -> None:
    book_passport(fd, 10)
    with pytest.raises(CapacityError, match="already has 1 booking"):
        book_passport(fd, 11, phone="+4512345678")
    book_passport(fd, 11, phone="87654321")  # someone else may
    fd.booking.book("passport", at(25, 11), contact=Contact(phone=PHONE))  # another day


def test_reschedule_frees_the_old_time_at_once(fd: Frontdesk) -> None:
    booking = book_passport(fd, 9)
    assert at(24, 9) not in {s.start for s in fd.booking.free_slots("passport", TUESDAY, TUESDAY)}
    moved = fd.booking.reschedule(booking.code, at(25, 11, 30))
    assert (moved.code, moved.start, moved.state) == (booking.code, at(25, 11, 30), "booked")
    assert at(24, 9) in {s.start for s in fd.booking.free_slots("passport", TUESDAY, TUESDAY)}
    # The personal data now lasts until 30 days after the new time.
    assert fd.store.purge_personal(at(25, 11, 44, month=12)) == 0
    assert fd.store.purge_personal(at(25, 11, 45, month=12)) == 1


def test_frontdesk_booking_rescheduled(fd: Frontdesk, recorder: HookRecorder) -> None:
    booking = book_passport(fd, 9, phone="11111111")
    fd.booking.reschedule(booking.code, at(25, 11, 30))
    [call] = recorder.named("frontdesk_booking_rescheduled")
    assert call["booking"].start == at(25, 11, 30)
    assert call["previous_start"] == at(24, 9)
    assert call["contact"].phone == "+4511111111"


def test_reschedule_into_a_full_slot_keeps_the_old_time(fd: Frontdesk) -> None:
    fd.booking.book("permit", at(24, 10), contact=Contact())
    other = fd.booking.book("permit", at(24, 13), contact=Contact())
    with pytest.raises(CapacityError, match="no longer free"):
        fd.booking.reschedule(other.code, at(24, 10, 15))
    assert fd.booking.find(other.code).start == at(24, 13)


def test_cancel_frees_the_slot_and_forgets_the_contact(
    fd: Frontdesk, recorder: HookRecorder
) -> None:
    first = book_passport(fd, phone="11111111")
    book_passport(fd, phone="22222222")
    cancelled = fd.booking.cancel(first.code)
    assert cancelled.state is BookingState.CANCELLED
    slots = {s.start: s.free for s in fd.booking.free_slots("passport", TUESDAY, TUESDAY)}
    assert slots[at(24, 10)] == 1
    call = recorder.named("frontdesk_booking_cancelled")[0]
    assert (call["reason"], call["contact"].phone) == ("citizen", "+4511111111")
    assert fd.store.get_personal(f"booking:{first.id}") is None
    with pytest.raises(InvalidStateError, match="the booking is cancelled"):
        fd.booking.cancel(first.code)
    with pytest.raises(InvalidStateError, match="the booking is cancelled"):
        fd.booking.reschedule(first.code, at(25, 10))


def test_a_second_engine_on_the_same_store_sees_the_bookings(
    make_frontdesk: MakeFrontdesk, config: Config, clock: ManualClock, tmp_path: Any
) -> None:
    path = str(tmp_path / "shared.db")
    web = make_frontdesk(config, clock=clock, store=path)
    kiosk = make_frontdesk(config, clock=clock, store=path)
    booking = book_passport(web)
    assert kiosk.booking.find(booking.code) == booking
    kiosk.booking.cancel(booking.code)
    assert web.booking.find(booking.code).state is BookingState.CANCELLED


# -- check-in -----------------------------------------------------------------------------------


def test_check_in_on_time_queues_the_booked_ticket(
    fd: Frontdesk, clock: ManualClock, recorder: HookRecorder
) -> None:
    booking = book_passport(fd, 10)
    clock.set(at(24, 9, 52))
    result = fd.booking.check_in(booking.code)
    assert result.action is CheckInAction.QUEUED
    ticket = result.ticket
    assert ticket is not None
    assert (ticket.queue_id, ticket.service_id, ticket.booking_id) == (
        "pass",
        "passport",
        booking.id,
    )
    assert ticket.appointment_at == at(24, 10)
    assert ticket.state is TicketState.WAITING
    assert fd.queues.waiting("pass") == [ticket]
    assert result.booking.state is BookingState.CHECKED_IN
    assert result.where == "Stuen, skranke 1"  # the location of the booked counter
    popup = recorder.named("frontdesk_citizen_checked_in")
    assert popup == [{"frontdesk": fd, "booking": result.booking, "ticket": ticket}]
    with pytest.raises(InvalidStateError, match="already checked in"):
        fd.booking.check_in(booking.code)


def test_check_in_by_phone_number_in_any_form(fd: Frontdesk, clock: ManualClock) -> None:
    book_passport(fd, 9, phone="87654321")
    mine = book_passport(fd, 10, 30)
    clock.set(at(24, 10, 5))
    result = fd.booking.check_in(phone="0045 12 34 56 78")
    assert result.booking.id == mine.id
    assert result.where == "Waiting area A" or result.where is not None
    with pytest.raises(NotFoundError, match="no booking today for that phone number"):
        fd.booking.check_in(phone="99999999")
    with pytest.raises(CommandError, match="either a booking code or a phone number"):
        fd.booking.check_in()


def test_where_is_the_waiting_area_when_the_counter_has_no_location(
    fd: Frontdesk, clock: ManualClock
) -> None:
    book_passport(fd, 10, phone="11111111")
    second = book_passport(fd, 10, phone="22222222")  # goes to c2, which has no location
    clock.set(at(24, 9, 55))
    result = fd.booking.check_in(second.code)
    assert result.where == "Venteområde A"


def test_too_early_changes_nothing(fd: Frontdesk, clock: ManualClock) -> None:
    booking = book_passport(fd, 11)
    clock.set(at(24, 10, 29))
    result = fd.booking.check_in(booking.code)
    assert (result.action, result.ticket) == (CheckInAction.TOO_EARLY, None)
    assert fd.booking.find(booking.code).state is BookingState.BOOKED
    clock.set(at(24, 10, 30))
    assert fd.booking.check_in(booking.code).action is CheckInAction.QUEUED


def _late_rule(
    make_frontdesk: MakeFrontdesk,
    load: Callable[[dict[str, Any]], Config],
    data: dict[str, Any],
    clock: ManualClock,
    rule: str,
) -> Frontdesk:
    data["centres"][0]["booking"]["late_arrival"] = rule
    if rule == "walk_in":
        data["centres"][0]["booking"]["walk_in_queue"] = "walkin"
    return make_frontdesk(load(data), clock=clock)


def test_a_missed_appointment_cannot_be_checked_in(fd: Frontdesk, clock: ManualClock) -> None:
    booking = book_passport(fd, 10)
    clock.set(at(24, 10, 25))  # the end (10:15) plus the late window (10 min)
    with pytest.raises(InvalidStateError, match="the appointment at 24-11-2026 10:00 has passed"):
        fd.booking.check_in(booking.code)
    assert fd.booking.find(booking.code).state is BookingState.BOOKED
    assert fd.queues.waiting("pass") == []
    clock.set(at(25, 9, 30))  # the next day as well
    with pytest.raises(InvalidStateError, match="has passed"):
        fd.booking.check_in(booking.code)


def test_late_arrival_served_if_possible(fd: Frontdesk, clock: ManualClock) -> None:
    booking = book_passport(fd, 10)
    clock.set(at(24, 10, 11))
    result = fd.booking.check_in(booking.code)
    assert result.action is CheckInAction.LATE_QUEUED
    assert result.ticket is not None and result.ticket.queue_id == "pass"
    assert result.ticket.appointment_at == at(24, 10, 11)


def test_late_arrival_moved_to_the_walk_in_queue(
    make_frontdesk: MakeFrontdesk,
    load: Callable[[dict[str, Any]], Config],
    data: dict[str, Any],
    clock: ManualClock,
) -> None:
    fd = _late_rule(make_frontdesk, load, data, clock, "walk_in")
    booking = book_passport(fd, 10)
    other = book_passport(fd, 11, phone="87654321")
    clock.set(at(24, 10, 10))
    assert fd.booking.check_in(booking.code).action is CheckInAction.QUEUED  # still in time
    clock.set(at(24, 11, 20))
    result = fd.booking.check_in(other.code)
    assert result.action is CheckInAction.WALK_IN
    assert result.ticket is not None
    assert (result.ticket.queue_id, result.ticket.appointment_at) == ("walkin", None)
    assert result.ticket.booking_id == other.id


def test_late_arrival_asked_to_rebook(
    make_frontdesk: MakeFrontdesk,
    load: Callable[[dict[str, Any]], Config],
    data: dict[str, Any],
    clock: ManualClock,
) -> None:
    fd = _late_rule(make_frontdesk, load, data, clock, "rebook")
    booking = book_passport(fd, 10)
    clock.set(at(24, 10, 20))
    result = fd.booking.check_in(booking.code)
    assert (result.action, result.ticket) == (CheckInAction.REBOOK, None)
    assert result.booking.state is BookingState.CANCELLED
    assert fd.queues.waiting("pass") == []


# -- phone meetings --------------------------------------------------------------------------------


def test_phone_meeting_reaches_the_dashboard_at_its_time(fd: Frontdesk, clock: ManualClock) -> None:
    meeting = fd.booking.book(
        "permit", at(24, 13), contact=Contact(phone="12345678", name="Ida"), channel="phone"
    )
    assert fd.booking.phone_meetings_due(at(24, 12, 59)) == []
    due = fd.booking.phone_meetings_due(at(24, 13))
    assert [(m.booking.id, m.counter_id, m.phone, m.name) for m in due] == [
        (meeting.id, "c3", PHONE, "Ida")
    ]
    assert due[0].counter_name == "Byggesag"
    assert PHONE not in repr(due[0])
    assert fd.booking.phone_meetings_due(at(24, 13), counter_id="c1") == []
    clock.set(at(24, 13))
    with pytest.raises(InvalidStateError, match="phone meeting"):
        fd.booking.check_in(meeting.code)
    done = fd.booking.finish_phone_meeting(meeting.code)
    assert done.state is BookingState.DONE
    assert fd.booking.phone_meetings_due(at(24, 13, 5)) == []


def test_unanswered_phone_meeting_is_a_no_show(fd: Frontdesk) -> None:
    meeting = fd.booking.book(
        "permit", at(24, 13), contact=Contact(phone="12345678"), channel="phone"
    )
    assert (
        fd.booking.finish_phone_meeting(meeting.code, reached=False).state is BookingState.NO_SHOW
    )
    in_person = fd.booking.book("permit", at(24, 10), contact=Contact())
    with pytest.raises(InvalidStateError, match="not a phone meeting"):
        fd.booking.finish_phone_meeting(in_person.code)


# -- no-shows ----------------------------------------------------------------------------------


def test_no_shows_are_recorded_after_the_late_window(fd: Frontdesk, clock: ManualClock) -> None:
    missed = book_passport(fd, 10, phone="11111111")
    came = book_passport(fd, 10, phone="22222222")
    clock.set(at(24, 10))
    fd.booking.check_in(came.code)
    clock.set(at(24, 10, 24))
    assert fd.booking.mark_no_shows() == 0
    clock.set(at(24, 10, 25))
    assert fd.booking.mark_no_shows() == 1
    assert fd.booking.mark_no_shows() == 0
    assert fd.booking.find(missed.code).state is BookingState.NO_SHOW
    assert fd.booking.find(came.code).state is BookingState.CHECKED_IN
    with pytest.raises(InvalidStateError, match="no-show"):
        fd.booking.check_in(missed.code)


# -- reminders -----------------------------------------------------------------------------------


def test_each_reminder_fires_exactly_once(
    fd: Frontdesk, clock: ManualClock, recorder: HookRecorder
) -> None:
    booking = fd.booking.book("passport", at(25, 10), contact=Contact(phone=PHONE))
    assert fd.booking.send_due_reminders() == 0
    due = fd.booking.due_reminders(at(26, 0))
    assert [(r.before, r.due_at) for r in due] == [
        (timedelta(hours=24), at(24, 10)),
        (timedelta(hours=2), at(25, 8)),
    ]
    clock.set(at(24, 10))
    assert fd.booking.send_due_reminders() == 1
    assert fd.booking.send_due_reminders() == 0
    clock.set(at(25, 9))
    assert fd.booking.send_due_reminders() == 1
    calls = recorder.named("frontdesk_booking_reminder_due")
    assert [(c["booking"].id, c["before"]) for c in calls] == [
        (booking.id, timedelta(hours=24)),
        (booking.id, timedelta(hours=2)),
    ]
    assert calls[0]["contact"].phone == PHONE
    assert [e.payload.before for e in fd.store.read(kinds=["booking.reminded"])] == [86400, 7200]


def test_no_reminder_whose_time_passed_before_booking(fd: Frontdesk, clock: ManualClock) -> None:
    clock.set(at(24, 7))
    fd.booking.book("tax", at(24, 10), contact=Contact(phone=PHONE))
    assert [r.before for r in fd.booking.due_reminders(at(25, 0))] == [timedelta(hours=2)]


def test_a_moved_booking_is_reminded_for_its_new_time(fd: Frontdesk, clock: ManualClock) -> None:
    booking = fd.booking.book("passport", at(25, 10), contact=Contact(phone=PHONE))
    clock.set(at(24, 10))
    assert fd.booking.send_due_reminders() == 1
    fd.booking.reschedule(booking.code, at(27, 10))
    assert [r.due_at for r in fd.booking.due_reminders(at(28, 0))] == [at(26, 10), at(27, 8)]


def test_cancelled_bookings_get_no_reminders(fd: Frontdesk, clock: ManualClock) -> None:
    booking = fd.booking.book("passport", at(25, 10), contact=Contact(phone=PHONE))
    fd.booking.cancel(booking.code)
    clock.set(at(25, 9))
    assert fd.booking.send_due_reminders() == 0


# -- cancel by SMS reply ---------------------------------------------------------------------------


def test_cancel_by_reply_cancels_the_next_booking_of_that_number(
    fd: Frontdesk, recorder: HookRecorder
) -> None:
    first = fd.booking.book("passport", at(25, 10), contact=Contact(phone=PHONE))
    later = fd.booking.book("passport", at(26, 10), contact=Contact(phone=PHONE))
    assert fd.booking.cancel_by_reply(PHONE, "hej, jeg kommer") is None
    assert fd.booking.cancel_by_reply("+4599999999", "AFBUD") is None
    cancelled = fd.booking.cancel_by_reply("12 34 56 78", "afbud.")
    assert cancelled is not None and cancelled.id == first.id
    assert recorder.named("frontdesk_booking_cancelled")[0]["reason"] == "sms"
    assert fd.booking.find(later.code).state is BookingState.BOOKED
    by_code = fd.booking.cancel_by_reply(PHONE, f"Cancel {later.code.lower()}")
    assert by_code is not None and by_code.id == later.id
    assert fd.booking.cancel_by_reply(PHONE, "AFBUD") is None
    assert fd.booking.cancel_by_reply("not a number", "AFBUD") is None


# -- purge ----------------------------------------------------------------------------------


def test_purge_deletes_personal_data_past_retention_and_keeps_the_events(
    fd: Frontdesk, clock: ManualClock
) -> None:
    old = book_passport(fd, 10)
    new = fd.booking.book("passport", at(22, 10, month=12), contact=Contact(phone="87654321"))
    events_before = len(list(fd.store.read()))
    clock.set(at(24, 10, 14, month=12))  # 30 days after 24 November 10:15, less a minute
    assert fd.booking.purge() == 0
    clock.set(at(24, 10, 15, month=12))
    assert fd.booking.purge() == 1
    assert fd.store.get_personal(f"booking:{old.id}") is None
    assert fd.store.get_personal(f"booking:{new.id}") is not None
    assert len(list(fd.store.read())) == events_before
    assert fd.booking.find(old.code).service_id == "passport"


def test_nothing_personal_is_logged(fd: Frontdesk, clock: ManualClock, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    booking = book_passport(fd, 10)
    clock.set(at(24, 9, 50))
    fd.booking.check_in(phone="12345678")
    fd.booking.cancel_by_reply(PHONE, "AFBUD")
    logged = repr([vars(r) for r in caplog.records])
    assert booking.id in logged
    assert "12345678" not in logged and "Jens" not in logged
    assert "12345678" not in repr(Contact(phone=PHONE))


# -- scheduled work and the plan ---------------------------------------------------------------


def test_housekeeping_sends_reminders_records_no_shows_and_purges(
    fd: Frontdesk, clock: ManualClock, recorder: HookRecorder
) -> None:
    missed = book_passport(fd, 11)
    fd.booking.book("passport", at(25, 10), contact=Contact(phone="87654321"))
    clock.set(at(24, 11, 30))
    done = fd.booking.housekeeping()
    # Tomorrow's 24 h reminder; none for the missed one, whose time has passed.
    assert (done.reminders, done.no_shows, done.purged) == (1, 1, 0)
    assert fd.booking.find(missed.code).state is BookingState.NO_SHOW
    assert len(recorder.named("frontdesk_booking_reminder_due")) == 1
    clock.set(at(24, 11, 15, month=12))
    assert fd.booking.housekeeping().purged == 1


def test_schedule_shows_full_start_times_too(fd: Frontdesk) -> None:
    fd.booking.book("tax", at(24, 10), contact=Contact())
    plan = {s.start: (s.capacity, s.free) for s in fd.booking.schedule("tax", TUESDAY, TUESDAY)}
    assert plan[at(24, 10)] == (1, 0)
    assert plan[at(24, 9)] == (1, 1)
    assert at(24, 10) not in {s.start for s in fd.booking.free_slots("tax", TUESDAY, TUESDAY)}


def test_a_begun_appointment_cannot_be_moved(fd: Frontdesk, clock: ManualClock) -> None:
    booking = book_passport(fd, 10)
    clock.set(at(24, 10))
    with pytest.raises(InvalidStateError, match="already begun"):
        fd.booking.reschedule(booking.code, at(25, 10))
    assert fd.booking.find(booking.code).start == at(24, 10)
