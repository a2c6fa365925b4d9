"""Check-in and walk-in booking end to end: kiosk session, referral tree, booking engine,
queue engine and hooks."""

from __future__ import annotations

from booking.conftest import PHONE, at
from frontdesk_core.app import Frontdesk
from frontdesk_core.booking.engine import CheckInAction
from frontdesk_core.booking.records import BookingState, Contact
from frontdesk_core.clock import ManualClock
from frontdesk_core.queues.tickets import Ticket
from frontdesk_core.referral.engine import CHOOSE_SLOT, ENTER_BOOKING_CODE
from frontdesk_core.testing import HookRecorder


def test_check_in_with_the_code_through_the_tree(
    fd: Frontdesk, clock: ManualClock, recorder: HookRecorder
) -> None:
    booking = fd.booking.book("passport", at(24, 10), contact=Contact(phone=PHONE), language="en")
    clock.set(at(24, 9, 50))
    session = fd.referral.start("main", language="en")
    session.answer("booked")
    result = fd.referral.complete(session, kiosk_id="k1", booking_code=booking.code)
    assert result.kind == "check_in"
    assert result.check_in is not None
    assert result.check_in.action is CheckInAction.QUEUED
    ticket = result.ticket
    assert ticket is not None
    assert (ticket.queue_id, ticket.booking_id, ticket.appointment_at) == (
        "pass",
        booking.id,
        at(24, 10),
    )
    assert result.where == "Ground floor, counter 1"
    assert recorder.named("frontdesk_citizen_checked_in") == [
        {"frontdesk": fd, "booking": result.check_in.booking, "ticket": ticket}
    ]
    assert [t.id for t in recorder_tickets(recorder)] == [ticket.id]
    # The booked citizen is called first once the time has come, ahead of an earlier walk-in.
    walk_in = fd.queues.issue("pass", service_id="passport")
    clock.set(at(24, 10))
    fd.queues.sign_in("c1", "employee-1")
    called = fd.queues.call_next("c1")
    assert called is not None and called.id == ticket.id != walk_in.id


def test_where_to_go_is_told_in_the_kiosk_language(fd: Frontdesk, clock: ManualClock) -> None:
    booking = fd.booking.book("passport", at(24, 10), contact=Contact(phone=PHONE), language="da")
    clock.set(at(24, 9, 50))
    session = fd.referral.start("main", language="en")
    session.answer("booked")
    result = fd.referral.complete(session, kiosk_id="k1", booking_code=booking.code)
    assert result.where == "Ground floor, counter 1"
    assert fd.booking.find(booking.code).language == "da"


def recorder_tickets(recorder: HookRecorder) -> list[Ticket]:
    """Tickets issued, as the ``ticket_issued`` hook saw them."""
    return [call["ticket"] for call in recorder.named("frontdesk_ticket_issued")]


def test_check_in_asks_for_the_code_then_takes_the_phone_number(
    fd: Frontdesk, clock: ManualClock
) -> None:
    booking = fd.booking.book("passport", at(24, 11), contact=Contact(phone="12 34 56 78"))
    clock.set(at(24, 10, 45))
    session = fd.referral.start("main")
    session.answer("booked")
    result = fd.referral.complete(session)
    assert result.next_step == ENTER_BOOKING_CODE
    assert result.ticket is None
    assert fd.booking.find(booking.code).state is BookingState.BOOKED
    # The kiosk then checks in with the phone number the citizen types.
    checked = fd.booking.check_in(phone="12345678")
    assert checked.booking.id == booking.id
    assert checked.ticket is not None and checked.ticket.queue_id == "pass"


def test_walk_in_books_the_next_free_time_today_at_the_kiosk(
    fd: Frontdesk, clock: ManualClock
) -> None:
    clock.set(at(24, 9, 40))
    fd.booking.book("tax", at(24, 10), contact=Contact())
    session = fd.referral.start("main")
    session.answer("tax")
    session.answer("later")
    result = fd.referral.complete(session, kiosk_id="k1")
    assert result.next_step == CHOOSE_SLOT
    assert [s.start for s in result.slots] == [at(24, 10, 30), at(24, 11), at(24, 11, 30)]
    booking = fd.booking.book("tax", result.slots[0].start, contact=Contact(phone=PHONE))
    assert booking.start == at(24, 10, 30)
    assert at(24, 10, 30) not in [s.start for s in fd.booking.next_free_today("tax")]
