"""Every timed rule runs through ``Frontdesk.housekeeping``, with no display plugin loaded.

An integrator without the display plugin has only this call between them and
call time-outs, reminders, booking no-shows and the purge of personal data; the
clock is a :class:`ManualClock`, so "time passing" is the clock being moved.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from conftest import CPH, EXAMPLES

from frontdesk_core import Frontdesk, HousekeepingReport, ManualClock, hookimpl
from frontdesk_core.booking.records import Booking, BookingState, Contact
from frontdesk_core.notify import SmsReceipt, SmsRequest
from frontdesk_core.plugins import make_plugin_manager
from frontdesk_core.queues.tickets import TicketState
from frontdesk_core.testing import HookRecorder

PHONE = "+4512345678"


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """A Copenhagen time in 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=CPH)


class SmsPlugin:
    """What an SMS plugin does with a reminder: an SMS asked for through ``send_sms``, which
    this plugin also answers (recording the message instead of sending it)."""

    def __init__(self) -> None:
        self.frontdesk: Frontdesk | None = None
        self.sent: list[SmsRequest] = []

    @hookimpl
    def frontdesk_startup(self, frontdesk: Frontdesk) -> None:
        """Keep the reception, to send through its hooks."""
        self.frontdesk = frontdesk

    @hookimpl
    def frontdesk_booking_reminder_due(
        self, booking: Booking, contact: Contact, before: timedelta
    ) -> None:
        """Ask for the reminder SMS."""
        assert self.frontdesk is not None and contact.phone is not None
        request = SmsRequest(
            key=f"booking:{booking.id}:reminder:{int(before.total_seconds())}",
            to=contact.phone,
            template="reminder",
            language=booking.language,
            context={"code": booking.code},
        )
        self.frontdesk.hooks.send_sms(request)

    @hookimpl
    def frontdesk_send_sms(self, message: SmsRequest) -> SmsReceipt:
        """Accept the message."""
        self.sent.append(message)
        return SmsReceipt(accepted=True, message_id=message.key)


@pytest.fixture
def clock() -> ManualClock:
    """Monday 23 November 2026, 09:00, before Nyropsgade opens at 10:00."""
    return ManualClock(at(23, 9))


@pytest.fixture
def sms() -> SmsPlugin:
    """The SMS plugin stand-in."""
    return SmsPlugin()


@pytest.fixture
def recorder() -> HookRecorder:
    """Records every event hook."""
    return HookRecorder()


@pytest.fixture
def fd(clock: ManualClock, sms: SmsPlugin, recorder: HookRecorder) -> Iterator[Frontdesk]:
    """Nyropsgade with only the given plugins: no display plugin, no installed plugin."""
    pm = make_plugin_manager(load_entrypoints=False, plugins=[sms])
    recorder.attach(pm)
    with Frontdesk.open(EXAMPLES / "kobenhavn", store=":memory:", clock=clock, plugins=pm) as fd:
        yield fd


def quiet(report: HousekeepingReport) -> bool:
    return report.ok and not report.changed


def test_no_display_plugin_is_loaded(fd: Frontdesk) -> None:
    names = [name for name, _ in fd.hooks.plugins()]
    assert not any("display" in name for name in names), names


def test_every_timed_rule_runs_through_housekeeping(
    fd: Frontdesk, clock: ManualClock, sms: SmsPlugin, recorder: HookRecorder
) -> None:
    booking = fd.booking.book(
        "passport", at(24, 11), contact=Contact(phone=PHONE, name="Jens Hansen")
    )
    assert quiet(fd.housekeeping())

    # The "24 h" reminder falls due on Monday at 11:00 and goes out as an SMS, once.
    clock.set(at(24, 11) - timedelta(hours=24, minutes=1))
    assert quiet(fd.housekeeping())
    clock.advance(minutes=1)
    report = fd.housekeeping()
    assert report.reminders_sent == 1 and report.ok
    assert report.at == clock.now()
    assert [(m.to, m.context["code"]) for m in sms.sent] == [(PHONE, booking.code)]
    assert quiet(fd.housekeeping())
    assert len(sms.sent) == 1

    # A called citizen who does not come within the queue's no_show_after is a no-show.
    clock.set(at(23, 12, 40))
    fd.queues.sign_in("skranke-1", "A17")
    ticket = fd.queues.issue("pas")
    assert fd.queues.call_next("skranke-1") == fd.queues.ticket(ticket.id)
    no_show_after = fd.config.queue("pas").no_show_after
    clock.advance(no_show_after - timedelta(seconds=1))
    assert quiet(fd.housekeeping())
    assert fd.queues.ticket(ticket.id).state is TicketState.CALLED
    clock.advance(seconds=1)
    report = fd.housekeeping()
    assert report.tickets_expired == 1 and report.ok
    assert fd.queues.ticket(ticket.id).state is TicketState.NO_SHOW
    assert [c["ticket"].id for c in recorder.named("frontdesk_ticket_no_show")] == [ticket.id]
    assert quiet(fd.housekeeping())

    # The "2 h" reminder on Tuesday morning.
    clock.set(at(24, 9))
    assert fd.housekeeping().reminders_sent == 1
    assert len(sms.sent) == 2 and sms.sent[1].to == PHONE

    # Not checked in by the end of the appointment (11:15) plus the late window (10 min).
    clock.set(at(24, 11, 24))
    assert quiet(fd.housekeeping())
    assert fd.booking.find(booking.code).state is BookingState.BOOKED
    clock.advance(minutes=1)
    report = fd.housekeeping()
    assert report.booking_no_shows == 1 and report.ok
    assert fd.booking.find(booking.code).state is BookingState.NO_SHOW
    assert quiet(fd.housekeeping())

    # The phone number and name are deleted 30 days (the retention) after the appointment.
    ref = f"booking:{booking.id}"
    assert fd.store.get_personal(ref) == {"phone": PHONE, "name": "Jens Hansen"}
    clock.set(at(24, 11, 14, month=12))
    assert fd.housekeeping().days_ended == 1  # a month on: the days since are ended
    assert quiet(fd.housekeeping())
    clock.advance(minutes=1)
    report = fd.housekeeping()
    assert report.personal_purged == 1 and report.ok
    assert fd.store.get_personal(ref) is None
    assert quiet(fd.housekeeping())
    assert len(sms.sent) == 2


def test_a_round_with_nothing_due_writes_nothing(fd: Frontdesk, clock: ManualClock) -> None:
    fd.booking.book("passport", at(25, 11), contact=Contact(phone=PHONE))
    before = fd.store.last_seq()
    for _ in range(3):
        assert quiet(fd.housekeeping())
        clock.advance(minutes=5)
    assert fd.store.last_seq() == before


def test_a_failing_rule_is_reported_and_the_others_still_run(
    fd: Frontdesk, clock: ManualClock, sms: SmsPlugin, monkeypatch: pytest.MonkeyPatch
) -> None:
    fd.booking.book("passport", at(24, 11), contact=Contact(phone=PHONE))

    def broken() -> Any:
        raise RuntimeError(f"lost the line to {PHONE}")

    monkeypatch.setattr(fd.queues, "expire_calls", broken)
    clock.set(at(23, 11))
    report = fd.housekeeping()
    assert not report.ok
    (failure,) = report.failures
    assert (failure.rule, failure.error) == ("tickets_expired", "RuntimeError")
    assert failure.detail == "lost the line to <phone>"
    assert report.reminders_sent == 1 and len(sms.sent) == 1


def test_the_booking_checkpoint_is_written_when_enough_events_came(
    fd: Frontdesk, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("frontdesk_core.booking.engine.CHECKPOINT_EVERY", 3)
    for day in (25, 26, 27):
        fd.booking.book("passport", at(day, 11), contact=Contact(phone=PHONE))
    assert fd.store.get_checkpoint("booking") is None
    assert fd.housekeeping().checkpoint_written
    assert fd.store.get_checkpoint("booking") is not None
    assert not fd.housekeeping().checkpoint_written
    fd.booking.book("passport", at(25, 13), contact=Contact(phone=PHONE))
    assert not fd.housekeeping().checkpoint_written


def test_now_is_the_time_the_rules_are_done_by(fd: Frontdesk, clock: ManualClock) -> None:
    assert fd.housekeeping(clock.now()).at == clock.now()
    assert fd.housekeeping(clock.now() - timedelta(minutes=5)).ok
    with pytest.raises(ValueError, match="cannot run yet"):
        fd.housekeeping(clock.now() + timedelta(seconds=1))
    with pytest.raises(ValueError, match="timezone"):
        fd.housekeeping(datetime(2026, 11, 23, 9, 0))


def test_a_day_is_ended_once_its_day_reset_has_passed(fd: Frontdesk, clock: ManualClock) -> None:
    """Even a day that left nothing open: the live state forgets its tickets and a
    start-up replays the log from its end; a day nobody works is ended too."""
    clock.set(at(23, 10))
    fd.queues.sign_in("skranke-1", "A17")
    for ticket in [fd.queues.issue("pas"), fd.queues.issue("skat")]:
        assert fd.queues.call("skranke-1", ticket.id).state is TicketState.CALLED
        assert fd.queues.finish("skranke-1").state is TicketState.DONE
    fd.queues.sign_out("skranke-1")
    assert quiet(fd.housekeeping())
    clock.set(at(24, 3, 59))  # Nyropsgade's day turns at 04:00
    assert quiet(fd.housekeeping())
    assert len(fd.queues.state.tickets) == 2
    clock.set(at(24, 4))
    report = fd.housekeeping()
    assert report.ok and report.days_ended == 1 and report.figures()["days_ended"] == 1
    assert not fd.queues.state.tickets
    assert quiet(fd.housekeeping())
    clock.set(at(25, 4, 1))
    assert fd.housekeeping().days_ended == 1
