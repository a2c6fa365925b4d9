"""No phone number and no message text ever reaches a log line, whatever happens."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from frontdesk_sms_gateway import gateway_for, handle_inbound, plugin
from sms_peer import SmsPeer, Stall

from frontdesk_core.api import Contact, ManualClock, SmsRequest
from frontdesk_core.testing import MakeFrontdesk

CPH = ZoneInfo("Europe/Copenhagen")
NUMBERS = ("12345678", "4512345678", "12 34 56 78", "87654321", "98765", "46701234567")
TEXTS = ("Tjek ind ved ankomst", "snart din tur", "er aflyst", "Hemmelig besked")


def everything_in(record: logging.LogRecord) -> str:
    parts = [record.getMessage(), str(record.args)]
    parts += [f"{key}={value!r}" for key, value in vars(record).items()]
    if record.exc_info:
        parts.append(logging.Formatter().formatException(record.exc_info))
    return "\n".join(parts)


def test_no_number_or_text_in_any_log_record(
    make_frontdesk: MakeFrontdesk,
    write_config,
    http_section,
    sms_peer: SmsPeer,
    frontdesk_clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    section = http_section(
        sms_peer.url,
        extra=(
            "  templates:\n    custom:\n"
            "      secret: {da: 'Hemmelig besked {{ x }}', en: 'Secret message {{ x }}'}\n"
        ),
    )
    fd = make_frontdesk(write_config(section), plugins=[plugin])
    gateway = gateway_for(fd)
    assert gateway is not None
    tuesday = datetime(2026, 11, 24, 10, 0, tzinfo=CPH)

    sms_peer.respond(503, Stall(2), 400)  # its 400 body repeats the number
    booking = fd.booking.book("passport", tuesday, contact=Contact(phone="12 34 56 78"))
    fd.hooks.send_sms(SmsRequest("soon", "+4587654321", "your_turn_soon", "da", {"number": "7"}))
    fd.hooks.send_sms(SmsRequest("bad", "98765", "your_turn_soon", "da", {"number": "7"}))
    fd.hooks.send_sms(SmsRequest("tpl", "+46701234567", "secret", "da", {}))
    fd.hooks.send_sms(SmsRequest("evil", "12345678", "your_turn_soon", "da", {}))
    for _ in range(3):
        gateway.process_due()
        frontdesk_clock.advance(minutes=5)
    handle_inbound(fd, "98765", "AFBUD")
    handle_inbound(fd, "4512345678", "Hemmelig besked")
    assert handle_inbound(fd, "4512345678", "AFBUD").action == "cancelled"
    assert fd.booking.find(booking.code).state == "cancelled"
    gateway.process_due()  # the cancellation notice
    frontdesk_clock.advance(timedelta(days=40))
    gateway.process_due()

    assert len(caplog.records) >= 10
    logged = "\n".join(everything_in(r) for r in caplog.records)
    assert "sms sent" in logged and "sms failed" in logged and "sms refused" in logged
    for secret in (*NUMBERS, *TEXTS):
        assert secret not in logged, secret
    # What was told in those records is still useful: ids, keys, templates and errors.
    assert "HTTP 503" in logged and "sms_key" in logged
