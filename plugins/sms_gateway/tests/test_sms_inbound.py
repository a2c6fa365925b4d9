"""Replies: "AFBUD" cancels the booking it answers, through the real booking engine."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from frontdesk_sms_gateway import gateway_for, handle_inbound, inbound_for, plugin
from frontdesk_sms_gateway.config import InboundConfig
from frontdesk_sms_gateway.inbound import InboundServer, is_cancel
from sms_peer import SmsPeer

from frontdesk_core.api import BookingState, Contact, Frontdesk
from frontdesk_core.testing import HookRecorder, MakeFrontdesk

CPH = ZoneInfo("Europe/Copenhagen")
TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=CPH)
INBOUND = (
    "  inbound:\n"
    "    listen: 127.0.0.1:0\n"
    "    path: /sms/replies\n"
    "    from_field: msisdn\n"
    "    text_field: message\n"
    "    auth: {header: X-Gateway-Token, value: s3cret}\n"
)


@pytest.fixture
def fd(make_frontdesk: MakeFrontdesk, write_config, http_section, sms_peer: SmsPeer) -> Frontdesk:
    return make_frontdesk(write_config(http_section(sms_peer.url, extra=INBOUND)), plugins=[plugin])


@pytest.mark.parametrize(
    ("text", "cancel"),
    [
        ("AFBUD", True),
        ("afbud", True),
        (" Afbud tak ", True),
        ("AFBUD!", True),
        ("cancel K7Q3MA", True),
        ("AFBUDT", False),
        ("Jeg kommer", False),
        ("", False),
    ],
)
def test_is_cancel(text: str, cancel: bool) -> None:
    assert is_cancel(text, ["AFBUD", "CANCEL"]) is cancel


def test_afbud_cancels_the_next_booking_of_that_number(fd: Frontdesk) -> None:
    booking = fd.booking.book("passport", TUESDAY_10, contact=Contact(phone="+4512345678"))
    # The gateway reports the sender without '+', as many do.
    result = handle_inbound(fd, "4512345678", "Afbud")
    assert result.action == "cancelled" and result.booking_code == booking.code
    assert fd.booking.find(booking.code).state is BookingState.CANCELLED
    gateway = gateway_for(fd)
    assert gateway is not None
    assert [m.template for m in gateway.outbox.messages()] == ["confirmation", "cancelled"]
    # A second AFBUD finds nothing more to cancel.
    assert handle_inbound(fd, "12345678", "AFBUD").action == "not_found"


def test_other_replies_change_nothing(fd: Frontdesk) -> None:
    booking = fd.booking.book("passport", TUESDAY_10, contact=Contact(phone="12345678"))
    assert handle_inbound(fd, "12345678", "Tak, jeg kommer").action == "ignored"
    assert handle_inbound(fd, "87654321", "AFBUD").action == "not_found"
    assert handle_inbound(fd, "not a number", "AFBUD").action == "invalid_number"
    assert fd.booking.find(booking.code).state is BookingState.BOOKED


def post(url: str, data: bytes, headers: dict[str, str]) -> tuple[int, Any]:
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, json.loads(exc.read())


def test_the_reply_endpoint_takes_json_and_forms(fd: Frontdesk) -> None:
    first = fd.booking.book("passport", TUESDAY_10, contact=Contact(phone="12345678"))
    second = fd.booking.book(
        "passport", TUESDAY_10.replace(day=25), contact=Contact(phone="12345678")
    )
    server = inbound_for(fd)
    assert server is not None and server.address[0] == "127.0.0.1" and server.address[1] > 0
    token = {"X-Gateway-Token": "s3cret"}

    status, answer = post(
        server.url,
        json.dumps({"msisdn": "+4512345678", "message": "AFBUD"}).encode(),
        {**token, "Content-Type": "application/json"},
    )
    assert (status, answer) == (200, {"action": "cancelled", "code": first.code})

    form = urllib.parse.urlencode({"msisdn": "12345678", "message": f"afbud {second.code}"})
    status, answer = post(
        server.url, form.encode(), {**token, "Content-Type": "application/x-www-form-urlencoded"}
    )
    assert (status, answer) == (200, {"action": "cancelled", "code": second.code})


@pytest.mark.parametrize(
    ("path", "headers", "body", "status"),
    [
        ("/sms/replies", {}, b'{"msisdn": "12345678", "message": "AFBUD"}', 401),
        ("/sms/replies", {"X-Gateway-Token": "wrong"}, b"{}", 401),
        ("/elsewhere", {"X-Gateway-Token": "s3cret"}, b"{}", 404),
        ("/sms/replies", {"X-Gateway-Token": "s3cret"}, b'{"msisdn": "12345678"}', 400),
        ("/sms/replies", {"X-Gateway-Token": "s3cret"}, b"not json", 400),
    ],
)
def test_the_reply_endpoint_refuses_what_it_cannot_use(
    fd: Frontdesk, path: str, headers: dict[str, str], body: bytes, status: int
) -> None:
    booking = fd.booking.book("passport", TUESDAY_10, contact=Contact(phone="12345678"))
    server = inbound_for(fd)
    assert server is not None
    host, port = server.address
    got, _ = post(
        f"http://{host}:{port}{path}", body, {**headers, "Content-Type": "application/json"}
    )
    assert got == status
    assert fd.booking.find(booking.code).state is BookingState.BOOKED


def test_the_endpoint_stops_with_the_frontdesk(fd: Frontdesk) -> None:
    server = inbound_for(fd)
    assert server is not None
    url = server.url
    fd.close()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, data=b"{}", timeout=2)


def test_an_endpoint_with_an_unset_token_refuses_to_start(fd: Frontdesk) -> None:
    config = InboundConfig.model_validate({"auth": {"value_env": "TESTBY_REPLY_TOKEN"}})
    with pytest.raises(Exception, match="TESTBY_REPLY_TOKEN is not set"):
        InboundServer(fd, config, environ={})


def test_a_reply_endpoint_that_cannot_start_leaves_sending_working(
    make_frontdesk: MakeFrontdesk,
    write_config,
    http_section,
    sms_peer: SmsPeer,
    hook_recorder: HookRecorder,
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        section = http_section(sms_peer.url, extra=f"  inbound: {{listen: '127.0.0.1:{port}'}}\n")
        fd = make_frontdesk(write_config(section), plugins=[plugin, hook_recorder])
    assert inbound_for(fd) is None
    (fault,) = [call["fault"] for call in hook_recorder.named("frontdesk_device_fault")]
    assert (fault.device, fault.kind) == ("sms_gateway", "sms_inbound_unavailable")
    gateway = gateway_for(fd)
    assert gateway is not None
    fd.booking.book("passport", TUESDAY_10, contact=Contact(phone="12345678"))
    assert gateway.process_due() == 1 and len(sms_peer.requests) == 1
