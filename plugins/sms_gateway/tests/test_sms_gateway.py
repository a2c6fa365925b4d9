"""The gateway against a real HTTP peer on 127.0.0.1: retries, timeouts, 4xx, keys, crashes."""

from __future__ import annotations

import io
import json
import socket
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from frontdesk_sms_gateway.config import SmsConfig
from frontdesk_sms_gateway.gateway import SmsGateway
from frontdesk_sms_gateway.outbox import Outbox, State
from frontdesk_sms_gateway.providers import ConsoleSmsProvider, OutgoingSms
from sms_peer import Answer, SmsPeer, Stall

from frontdesk_core.api import DeviceFault, ManualClock, SmsRequest

PHONE = "12 34 56 78"
E164 = "+4512345678"


def sms_config(url: str, **overrides: Any) -> SmsConfig:
    provider = {
        "kind": "http",
        "url": url,
        "timeout": "0.3 s",
        "auth": {"header": "X-Api-Key", "value_env": "TESTBY_SMS_KEY"},
        **overrides.pop("provider", {}),
    }
    data: dict[str, Any] = {
        "sender": "Testby",
        "provider": provider,
        "retry": {"max_attempts": 4, "backoff_base": "30 s", "backoff_max": "5 min"},
        **overrides,
    }
    return SmsConfig.model_validate(data)


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.01)


class Faults(list[DeviceFault]):
    def __call__(self, fault: DeviceFault) -> None:
        self.append(fault)


def make_gateway(
    config: SmsConfig, clock: ManualClock, outbox: Outbox | None = None, **kwargs: Any
) -> SmsGateway:
    kwargs.setdefault("environ", {"TESTBY_SMS_KEY": "secret-key"})
    return SmsGateway(
        config, outbox=outbox or Outbox(), clock=clock, languages=["da", "en"], **kwargs
    )


def confirmation(key: str = "booking:bk-1:confirmation", to: str = PHONE, **kw: Any) -> SmsRequest:
    context = {
        "code": "K7Q3MA",
        "service": "Pas",
        "centre": "Borgerservice",
        "address": "Rådhuspladsen 1",
        "date": "24.11.2026",
        "time": "10:00",
        "cancel_keyword": "AFBUD",
        **kw.pop("context", {}),
    }
    return SmsRequest(
        key=key,
        to=to,
        template=kw.pop("template", "confirmation"),
        language=kw.pop("language", "da"),
        context=context,
    )


def test_frontdesk_send_sms_request_is_posted_with_key_auth_and_json(
    sms_peer: SmsPeer, frontdesk_clock: ManualClock
) -> None:
    gateway = make_gateway(sms_config(sms_peer.url), frontdesk_clock)
    receipt = gateway.submit(confirmation())
    assert receipt.accepted and receipt.message_id == "1"
    # Stored before it is sent: on disk as queued, the gateway has seen nothing yet.
    assert gateway.outbox.counts()[State.QUEUED] == 1 and sms_peer.requests == []

    assert gateway.process_due() == 1
    (request,) = sms_peer.requests
    assert request.method == "POST" and request.path == "/v1/sms"
    assert request.headers["idempotency-key"] == "booking:bk-1:confirmation"
    assert request.headers["x-api-key"] == "secret-key"
    assert request.headers["content-type"].startswith("application/json")
    assert request.body == {
        "from": "Testby",
        "to": E164,
        "text": "Din tid til Pas hos Borgerservice er 24.11.2026 kl. 10:00. Kode: K7Q3MA. "
        "Tjek ind ved ankomst. Svar AFBUD for at aflyse.",
        "reference": "booking:bk-1:confirmation",
    }
    message = gateway.outbox.by_key("booking:bk-1:confirmation")
    assert message is not None and message.state is State.SENT and message.attempts == 1
    assert message.sent_at == frontdesk_clock.now()


def test_server_errors_are_retried_with_exponential_backoff(
    sms_peer: SmsPeer, frontdesk_clock: ManualClock
) -> None:
    gateway = make_gateway(sms_config(sms_peer.url), frontdesk_clock)
    sms_peer.respond(503, 502)
    gateway.submit(confirmation())
    start = frontdesk_clock.now()

    gateway.process_due()
    message = gateway.outbox.by_key("booking:bk-1:confirmation")
    assert message is not None and message.state is State.QUEUED and message.error == "HTTP 503"
    assert message.next_attempt_at == start + timedelta(seconds=30)

    frontdesk_clock.advance(seconds=29)
    assert gateway.process_due() == 0  # not due yet
    frontdesk_clock.advance(seconds=1)
    gateway.process_due()
    message = gateway.outbox.by_key("booking:bk-1:confirmation")
    assert message is not None and message.attempts == 2
    assert message.next_attempt_at == start + timedelta(seconds=30 + 60)

    frontdesk_clock.advance(seconds=60)
    gateway.process_due()
    message = gateway.outbox.by_key("booking:bk-1:confirmation")
    assert message is not None and message.state is State.SENT and message.attempts == 3
    assert len(sms_peer.requests) == 3
    assert {r.headers["idempotency-key"] for r in sms_peer.requests} == {
        "booking:bk-1:confirmation"
    }


def test_a_stalled_gateway_times_out_and_is_retried(
    sms_peer: SmsPeer, frontdesk_clock: ManualClock
) -> None:
    gateway = make_gateway(sms_config(sms_peer.url), frontdesk_clock)
    sms_peer.respond(Stall(5))
    gateway.submit(confirmation())
    gateway.process_due()
    message = gateway.outbox.by_key("booking:bk-1:confirmation")
    assert message is not None and message.state is State.QUEUED
    assert message.error == "the gateway did not answer within 0.3 s"
    frontdesk_clock.advance(seconds=30)
    gateway.process_due()
    message = gateway.outbox.by_key("booking:bk-1:confirmation")
    assert message is not None and message.state is State.SENT
    assert [r.headers["idempotency-key"] for r in sms_peer.requests] == [
        "booking:bk-1:confirmation"
    ] * 2


def test_while_the_gateway_is_down_one_message_probes_it_and_the_rest_wait(
    sms_peer: SmsPeer, frontdesk_clock: ManualClock
) -> None:
    gateway = make_gateway(sms_config(sms_peer.url), frontdesk_clock)
    sms_peer.respond(Stall(5))
    for n in range(5):
        gateway.submit(confirmation(key=f"booking:bk-{n}:confirmation"))
    assert gateway.process_due() == 1
    assert len(sms_peer.requests) == 1  # one probe timed out, not one attempt per message
    attempts = sorted(m.attempts for m in gateway.outbox.messages(State.QUEUED))
    assert attempts == [0, 0, 0, 0, 1]
    # A message queued during the outage waits too, until the probe is due.
    gateway.submit(confirmation(key="booking:bk-9:confirmation"))
    assert gateway.process_due() == 0
    frontdesk_clock.advance(seconds=29)
    assert gateway.process_due() == 0
    frontdesk_clock.advance(seconds=1)
    assert gateway.process_due() == 6  # the gateway answers again: everything goes out
    assert gateway.outbox.counts()[State.SENT] == 6
    sent = [r.headers["idempotency-key"] for r in sms_peer.requests]
    assert len(sent) == 7 and len(set(sent)) == 6  # the probe twice, the others once


def test_a_message_claimed_in_a_batch_but_not_tried_is_given_back(
    sms_peer: SmsPeer, frontdesk_clock: ManualClock
) -> None:
    gateway = make_gateway(sms_config(sms_peer.url), frontdesk_clock)
    sms_peer.respond(503)
    for n in range(3):
        gateway.submit(confirmation(key=f"booking:bk-{n}:confirmation"))
    assert gateway.process_due(limit=3) == 1
    queued = gateway.outbox.messages(State.QUEUED)
    assert sorted(m.attempts for m in queued) == [0, 0, 1]
    due = {m.next_attempt_at for m in queued}
    assert due == {frontdesk_clock.now() + timedelta(seconds=30)}
    assert len(sms_peer.requests) == 1


def test_retry_after_from_a_429_is_honoured(
    sms_peer: SmsPeer, frontdesk_clock: ManualClock
) -> None:
    gateway = make_gateway(sms_config(sms_peer.url), frontdesk_clock)
    sms_peer.respond(Answer(429, {"Retry-After": "120"}))
    gateway.submit(confirmation())
    gateway.process_due()
    message = gateway.outbox.by_key("booking:bk-1:confirmation")
    assert message is not None and message.error == "HTTP 429"
    assert message.next_attempt_at == frontdesk_clock.now() + timedelta(seconds=120)


def test_a_4xx_is_a_permanent_failure_reported_as_a_fault(
    sms_peer: SmsPeer, frontdesk_clock: ManualClock
) -> None:
    faults = Faults()
    gateway = make_gateway(sms_config(sms_peer.url), frontdesk_clock, report_fault=faults)
    sms_peer.respond(400)
    gateway.submit(confirmation())
    gateway.process_due()
    frontdesk_clock.advance(hours=2)
    gateway.process_due()
    assert len(sms_peer.requests) == 1
    message = gateway.outbox.by_key("booking:bk-1:confirmation")
    assert message is not None and message.state is State.FAILED
    # The peer's error body repeats the number; the recorded error does not.
    assert message.error == "HTTP 400" and message.failed_at is not None
    assert [(f.device, f.kind) for f in faults] == [("sms_gateway", "sms_failed")]
    assert "12345678" not in faults[0].detail


def test_it_gives_up_after_the_maximum_attempts(
    sms_peer: SmsPeer, frontdesk_clock: ManualClock
) -> None:
    faults = Faults()
    gateway = make_gateway(sms_config(sms_peer.url), frontdesk_clock, report_fault=faults)
    sms_peer.respond(500, 500, 500, 500)
    gateway.submit(confirmation())
    for _ in range(6):
        gateway.process_due()
        frontdesk_clock.advance(minutes=5)
    message = gateway.outbox.by_key("booking:bk-1:confirmation")
    assert message is not None and message.state is State.FAILED and message.attempts == 4
    assert message.error == "gave up after 4 attempts: HTTP 500"
    assert len(sms_peer.requests) == 4
    # One "unreachable" fault when the trouble starts, one when the message is lost.
    assert [f.kind for f in faults] == ["sms_gateway_unreachable", "sms_failed"]


def test_a_refused_connection_is_retried(frontdesk_clock: ManualClock) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gateway = make_gateway(sms_config(f"http://127.0.0.1:{port}/sms"), frontdesk_clock)
    gateway.submit(confirmation())
    gateway.process_due()
    message = gateway.outbox.by_key("booking:bk-1:confirmation")
    assert message is not None and message.state is State.QUEUED
    assert message.error is not None and message.error.startswith("cannot reach the gateway")


def test_the_same_key_is_sent_once_also_across_a_restart(
    sms_peer: SmsPeer, frontdesk_clock: ManualClock, tmp_path: Path
) -> None:
    path = str(tmp_path / "sms.db")
    first = make_gateway(sms_config(sms_peer.url), frontdesk_clock, Outbox(path))
    receipt = first.submit(confirmation())
    assert first.submit(confirmation()) == receipt
    first.process_due()
    first.close()

    second = make_gateway(sms_config(sms_peer.url), frontdesk_clock, Outbox(path))
    again = second.submit(confirmation(context={"code": "OTHER1"}))
    assert again == receipt
    frontdesk_clock.advance(hours=1)
    assert second.process_due() == 0
    assert len(sms_peer.requests) == 1
    second.close()


def test_two_senders_on_one_outbox_send_each_message_once(
    sms_peer: SmsPeer, frontdesk_clock: ManualClock, tmp_path: Path
) -> None:
    # Two servers, one outbox file: both queue (a key twice) and both send at once.
    path = str(tmp_path / "sms.db")
    config = sms_config(sms_peer.url)
    senders = [make_gateway(config, frontdesk_clock, Outbox(path)) for _ in range(2)]
    keys = [f"booking:bk-{n}:confirmation" for n in range(30)]
    for n, key in enumerate(keys):
        senders[n % 2].submit(confirmation(key))
        senders[(n + 1) % 2].submit(confirmation(key))
    threads = [threading.Thread(target=sender.process_due) for sender in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    received = [request.headers["idempotency-key"] for request in sms_peer.requests]
    assert sorted(received) == sorted(keys)
    assert senders[0].outbox.counts()[State.SENT] == len(keys)
    for sender in senders:
        sender.close()


def test_a_send_cut_off_by_a_crash_is_retried_with_the_same_key(
    sms_peer: SmsPeer, frontdesk_clock: ManualClock, tmp_path: Path
) -> None:
    sms_peer.dedupe = True
    path = str(tmp_path / "sms.db")
    crashed = make_gateway(sms_config(sms_peer.url), frontdesk_clock, Outbox(path))
    crashed.submit(confirmation())
    # The process claims the message, the request reaches the gateway, then it dies
    # before recording "sent".
    (message,) = crashed.outbox.claim(frontdesk_clock.now(), lease=crashed.lease)
    assert crashed.provider is not None
    outgoing = OutgoingSms(
        key=message.key,
        message_id=message.id,
        to=message.recipient or "",
        text=message.body or "",
        sender="Testby",
        template=message.template,
        language=message.language,
    )
    assert crashed.provider.send(outgoing).sent
    crashed.outbox.close()

    restarted = make_gateway(sms_config(sms_peer.url), frontdesk_clock, Outbox(path))
    assert restarted.process_due() == 0  # the lease still holds
    frontdesk_clock.advance(restarted.lease)
    assert restarted.process_due() == 1
    after = restarted.outbox.by_key(message.key)
    assert after is not None and after.state is State.SENT and after.attempts == 2
    # At least once: sent twice, under one key, which the gateway de-duplicates.
    assert [r.headers["idempotency-key"] for r in sms_peer.requests] == [message.key] * 2
    assert len(sms_peer.delivered) == 1
    restarted.close()


def test_give_up_makes_an_interrupted_send_at_most_once(
    sms_peer: SmsPeer, frontdesk_clock: ManualClock, tmp_path: Path
) -> None:
    path = str(tmp_path / "sms.db")
    config = sms_config(sms_peer.url, interrupted="give_up")
    crashed = make_gateway(config, frontdesk_clock, Outbox(path))
    crashed.submit(confirmation())
    crashed.outbox.claim(frontdesk_clock.now(), lease=crashed.lease)
    crashed.outbox.close()

    restarted = make_gateway(config, frontdesk_clock, Outbox(path))
    frontdesk_clock.advance(restarted.lease)
    assert restarted.process_due() == 0
    message = restarted.outbox.by_key("booking:bk-1:confirmation")
    assert message is not None and message.state is State.FAILED
    assert message.error is not None and "at most once" in message.error
    assert sms_peer.requests == []
    restarted.close()


@pytest.mark.parametrize("bad", ["12ab5678", "1234", "", "+45 0123 4567"])
def test_a_bad_number_is_an_error_on_the_message_not_a_crash(
    bad: str, sms_peer: SmsPeer, frontdesk_clock: ManualClock
) -> None:
    gateway = make_gateway(sms_config(sms_peer.url), frontdesk_clock)
    receipt = gateway.submit(confirmation(to=bad))
    assert not receipt.accepted
    assert receipt.error is not None and receipt.error.startswith("invalid phone number")
    message = gateway.outbox.by_key("booking:bk-1:confirmation")
    assert message is not None and message.state is State.FAILED
    assert message.error == receipt.error and message.recipient is None
    gateway.process_due()
    assert sms_peer.requests == []


def test_an_unknown_template_is_recorded_too(
    sms_peer: SmsPeer, frontdesk_clock: ManualClock
) -> None:
    gateway = make_gateway(sms_config(sms_peer.url), frontdesk_clock)
    receipt = gateway.submit(confirmation(template="birthday"))
    assert receipt == type(receipt)(False, "1", "unknown SMS template 'birthday'")


def test_put_and_a_body_of_our_own(sms_peer: SmsPeer, frontdesk_clock: ManualClock) -> None:
    body = {
        "messages": [{"recipient": "{{ to_digits }}", "content": "{{ text }}"}],
        "originator": "{{ sender }}",
        "priority": 2,
        "flash": False,
    }
    config = sms_config(sms_peer.url, provider={"method": "PUT", "body": body})
    gateway = make_gateway(config, frontdesk_clock)
    gateway.submit(confirmation(template="your_turn_soon", context={"number": "P042"}))
    gateway.process_due()
    (request,) = sms_peer.requests
    assert request.method == "PUT"
    assert request.body == {
        "messages": [{"recipient": "4512345678", "content": "Det er snart din tur: nummer P042."}],
        "originator": "Testby",
        "priority": 2,
        "flash": False,
    }


def test_an_unset_secret_keeps_messages_queued_and_reports_it(
    sms_peer: SmsPeer, frontdesk_clock: ManualClock
) -> None:
    faults = Faults()
    gateway = make_gateway(
        sms_config(sms_peer.url), frontdesk_clock, environ={}, report_fault=faults
    )
    assert gateway.provider_error == "the environment variable TESTBY_SMS_KEY is not set"
    assert gateway.submit(confirmation()).accepted
    assert gateway.process_due() == 0
    gateway.start()
    gateway.close()
    assert [f.kind for f in faults] == ["sms_provider_unavailable"]
    assert sms_peer.requests == []


def test_the_worker_thread_sends_in_the_background(
    sms_peer: SmsPeer, frontdesk_clock: ManualClock
) -> None:
    gateway = make_gateway(sms_config(sms_peer.url, poll_interval="0.05 s"), frontdesk_clock)
    gateway.start()
    try:
        gateway.submit(confirmation())
        assert len(sms_peer.wait_for(1, timeout=5)) == 1
        sms_peer.respond(503)
        gateway.submit(confirmation(key="k2"))
        assert len(sms_peer.wait_for(2, timeout=5)) == 2
        wait_until(lambda: getattr(gateway.outbox.by_key("k2"), "error", None) == "HTTP 503")
        frontdesk_clock.advance(seconds=30)  # the retry is due by the injected clock
        assert len(sms_peer.wait_for(3, timeout=5)) == 3
    finally:
        assert gateway.stop(timeout=5)
    assert gateway.outbox.counts()[State.SENT] == 2
    gateway.close()


def test_file_and_console_providers_for_development(
    frontdesk_clock: ManualClock, tmp_path: Path
) -> None:
    out = tmp_path / "phone" / "sms.jsonl"
    config = SmsConfig.model_validate(
        {"sender": "Testby", "provider": {"kind": "file", "path": str(out)}}
    )
    gateway = make_gateway(config, frontdesk_clock)
    gateway.submit(confirmation(language="en"))
    gateway.process_due()
    (line,) = out.read_text(encoding="utf-8").splitlines()
    written = json.loads(line)
    assert written["to"] == E164 and written["language"] == "en"
    assert written["text"].startswith("Your appointment for Pas")

    screen = io.StringIO()
    console = SmsConfig.model_validate({"sender": "Testby", "provider": {"kind": "console"}})
    gateway = make_gateway(
        console,
        frontdesk_clock,
        provider=ConsoleSmsProvider(console.provider, stream=screen),  # type: ignore[arg-type]
    )
    gateway.submit(confirmation())
    gateway.process_due()
    assert "Din tid til Pas" in screen.getvalue()
    assert "12345678" not in screen.getvalue() and "78" in screen.getvalue()


@pytest.mark.parametrize("key", ["", "line\nbreak", " leading-space", "x" * 201, "nøgle"])
def test_an_unusable_key_is_refused_and_nothing_stored(
    key: str, frontdesk_clock: ManualClock
) -> None:
    gateway = make_gateway(sms_config("http://127.0.0.1:9/sms"), frontdesk_clock)
    receipt = gateway.submit(confirmation(key=key))
    assert not receipt.accepted and receipt.message_id is None
    assert receipt.error is not None and "message key" in receipt.error
    assert gateway.outbox.messages() == []
