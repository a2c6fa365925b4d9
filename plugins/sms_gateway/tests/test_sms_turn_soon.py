"""End to end, "your turn soon": a fake clock, the real queue engine, real forecast refreshes
(the forward simulation), the real outbox and an HTTP gateway on 127.0.0.1."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from frontdesk_sms_gateway import gateway_for, plugin
from frontdesk_sms_gateway.gateway import SmsGateway
from frontdesk_sms_gateway.plugin import running
from frontdesk_sms_gateway.turn_soon import turn_soon_key
from sms_peer import SmsPeer
from test_sms_logging import everything_in

from frontdesk_core.api import Contact, Frontdesk, ManualClock, forecaster
from frontdesk_core.config.loader import Document, Reporter
from frontdesk_core.simulation.scenario import Scenario, link_scenario
from frontdesk_core.testing import MakeFrontdesk

CPH = ZoneInfo("Europe/Copenhagen")
TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=CPH)
PHONE = "12 34 56 78"
DIGITS = ("12345678", "12 34 56 78")
SERVICE = timedelta(minutes=10)


@pytest.fixture
def fd(
    make_frontdesk: MakeFrontdesk,
    write_config,
    http_section,
    sms_peer: SmsPeer,
    frontdesk_clock: ManualClock,
) -> Frontdesk:
    frontdesk_clock.set(TUESDAY_10)
    found = make_frontdesk(
        write_config(http_section(sms_peer.url, extra="  turn_soon: {before: 10 min}\n")),
        plugins=[plugin],
    )
    # The forecast's model of the day: few walk-ins, every passport ten minutes.
    scenario = Scenario.model_validate(
        {
            "name": "test",
            "config": "<live>",
            "days": [TUESDAY_10.date()],
            "arrivals": [{"service": "passport", "per_hour": {"09:00-15:00": 0.5}}],
            "service_times": {"passport": {"distribution": "fixed", "value": "10 min"}},
        }
    )
    model = link_scenario(scenario, found.config, Reporter(Document(root_file="<test>")))
    assert model is not None
    forecaster(found).use(model, method="simulation")
    return found


def gateway(fd: Frontdesk) -> SmsGateway:
    found = gateway_for(fd)
    assert found is not None
    return found


def refresh_and_look(fd: Frontdesk) -> int:
    """What a server does: a forecast refresh, then the sender's look."""
    forecaster(fd).refresh()
    found = running(fd)
    assert found is not None
    return found.turn_soon.check()


def serve_next(fd: Frontdesk, clock: ManualClock) -> None:
    """The counter finishes the citizen at it (after the service time) and calls the next."""
    clock.advance(SERVICE)
    fd.queues.finish("c1")
    fd.queues.call_next("c1")
    fd.queues.start("c1")


def test_the_message_goes_once_when_the_forecast_says_the_turn_is_near(
    fd: Frontdesk,
    frontdesk_clock: ManualClock,
    sms_peer: SmsPeer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    fd.queues.sign_in("c1", "AB")
    tickets = [fd.queues.issue("pass", service_id="passport") for _ in range(4)]
    fd.queues.call_next("c1")
    fd.queues.start("c1")
    mine = tickets[3]
    assert fd.hooks.sms_available()  # the kiosk offers it
    receipt = fd.hooks.turn_soon_requested(mine, PHONE, "da")
    assert receipt.accepted
    outbox = gateway(fd).outbox
    (held,) = outbox.waiting()
    assert held.ticket_id == mine.id and held.recipient == "+4512345678"

    # Three ahead of it (one at the counter), ten minutes each: about 30 minutes.
    assert refresh_and_look(fd) == 0
    forecast = forecaster(fd).ticket(mine.id)
    assert forecast is not None and forecast.minutes is not None
    assert 25 <= forecast.minutes.median <= 35
    assert outbox.messages() == []
    serve_next(fd, frontdesk_clock)  # two ahead: about 20 minutes
    assert refresh_and_look(fd) == 0
    assert outbox.messages() == []
    serve_next(fd, frontdesk_clock)  # one ahead, at the counter: about 10 minutes
    assert refresh_and_look(fd) == 1
    (message,) = outbox.messages()
    assert message.key == turn_soon_key(mine.id) and message.template == "your_turn_soon"
    assert message.body == "Det er snart din tur: nummer P004."
    assert outbox.waiting() == []  # the number is now only on the outgoing message
    gateway(fd).process_due()
    (request,) = sms_peer.requests
    assert request.body["to"] == "+4512345678"
    assert request.body["text"] == "Det er snart din tur: nummer P004."

    # Its call sends nothing more, and nor does anything after it.
    serve_next(fd, frontdesk_clock)
    assert refresh_and_look(fd) == 0
    assert len(outbox.messages()) == 1
    assert not fd.hooks.turn_soon_requested(fd.queues.ticket(mine.id), PHONE, "da").accepted

    # The number is on the outgoing message only: no event, ticket or log line has it.
    assert_nowhere_but_the_outbox(fd, caplog)


def test_a_call_before_the_forecast_comes_near_sends_it_at_the_call(
    fd: Frontdesk, frontdesk_clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fd.queues.sign_in("c1", "AB")
    tickets = [fd.queues.issue("pass", service_id="passport") for _ in range(5)]
    fd.hooks.turn_soon_requested(tickets[4], PHONE, "en")
    assert refresh_and_look(fd) == 0  # 40 minutes and more to go
    # The counter takes the last ticket first (a transfer back, a manager's choice...).
    frontdesk_clock.advance(timedelta(minutes=1))
    called = fd.queues.call("c1", tickets[4].id)
    assert called.id == tickets[4].id
    (message,) = gateway(fd).outbox.messages()
    assert message.body == "It is your turn soon: number P005."
    assert gateway(fd).outbox.waiting() == []
    assert_nowhere_but_the_outbox(fd, caplog)


def test_a_booked_citizen_with_a_number_gets_it_when_they_check_in(
    fd: Frontdesk, frontdesk_clock: ManualClock
) -> None:
    booking = fd.booking.book("passport", TUESDAY_10 + timedelta(hours=3), contact=Contact(PHONE))
    frontdesk_clock.set(TUESDAY_10 + timedelta(hours=2, minutes=55))
    result = fd.booking.check_in(booking.code)
    assert result.ticket is not None
    (held,) = gateway(fd).outbox.waiting()
    assert held.ticket_id == result.ticket.id and held.recipient == "+4512345678"


def test_a_request_that_cannot_be_kept_keeps_nothing(fd: Frontdesk) -> None:
    ticket = fd.queues.issue("pass", service_id="passport")
    refused = fd.hooks.turn_soon_requested(ticket, "12", "da")
    assert not refused.accepted and refused.error
    assert gateway(fd).outbox.waiting() == []


def assert_nowhere_but_the_outbox(fd: Frontdesk, caplog: pytest.LogCaptureFixture) -> None:
    logged = "\n".join(everything_in(r) for r in caplog.records)
    events = "\n".join(repr(e) for e in fd.store.read())
    tickets = repr(fd.queues.state.tickets)
    for digits in (*DIGITS, "4512345678"):
        assert digits not in logged
        assert digits not in events
        assert digits not in tickets


def test_a_message_held_up_longer_than_its_lead_time_is_given_up(
    fd: Frontdesk, frontdesk_clock: ManualClock, sms_peer: SmsPeer
) -> None:
    fd.queues.sign_in("c1", "AB")
    ticket = fd.queues.issue("pass", service_id="passport")
    fd.hooks.turn_soon_requested(ticket, PHONE, "da")
    sms_peer.respond(503)  # the gateway is down when the call comes
    fd.queues.call_next("c1")
    assert gateway(fd).process_due() == 1
    frontdesk_clock.advance(timedelta(minutes=11))  # back up, but the turn has come and gone
    gateway(fd).process_due()
    (message,) = gateway(fd).outbox.messages()
    assert message.state.value == "failed" and "too late" in (message.error or "")
    assert len(sms_peer.requests) == 1  # only the failed attempt reached the gateway
