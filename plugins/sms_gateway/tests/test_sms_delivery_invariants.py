"""Stateful property test: whatever the gateway answers, restarts and crashes in between,
a key is one message, a message is delivered at most once more than it was cut off by
a crash, and every state is consistent with what the real peer on 127.0.0.1 received."""

from __future__ import annotations

import tempfile
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from frontdesk_sms_gateway.config import SmsConfig
from frontdesk_sms_gateway.gateway import SmsGateway
from frontdesk_sms_gateway.outbox import Outbox, State
from frontdesk_sms_gateway.providers import OutgoingSms
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sms_peer import SmsPeer

from frontdesk_core.api import ManualClock, SmsRequest

KEYS = st.sampled_from(["a", "b", "c", "d"])
MAX_ATTEMPTS = 3


class Delivery(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.peer = SmsPeer()
        self.tmp = tempfile.TemporaryDirectory()
        self.path = str(Path(self.tmp.name) / "sms.db")
        self.clock = ManualClock(datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen")))
        self.config = SmsConfig.model_validate(
            {
                "sender": "Testby",
                "worker": False,
                "provider": {"kind": "http", "url": self.peer.url, "timeout": "2 s"},
                "retry": {"max_attempts": MAX_ATTEMPTS, "backoff_base": "1 min"},
            }
        )
        self.gateway = self._open()
        self.submitted: set[str] = set()
        self.crashes: Counter[str] = Counter()

    def _open(self) -> SmsGateway:
        return SmsGateway(self.config, outbox=Outbox(self.path), clock=self.clock)

    @rule(key=KEYS, number=st.sampled_from(["12345678", "+46701234567", "123"]))
    def submit(self, key: str, number: str) -> None:
        receipt = self.gateway.submit(
            SmsRequest(key, number, "your_turn_soon", "da", {"number": key})
        )
        self.submitted.add(key)
        assert receipt.message_id is not None

    @rule(statuses=st.lists(st.sampled_from([200, 202, 400, 429, 500, 503]), max_size=3))
    def gateway_answers(self, statuses: list[int]) -> None:
        self.peer.respond(*statuses)

    @rule()
    def send_due(self) -> None:
        self.gateway.process_due()

    @rule(minutes=st.integers(0, 10))
    def time_passes(self, minutes: int) -> None:
        self.clock.advance(minutes=minutes)

    @rule()
    def restart(self) -> None:
        self.gateway.close()
        self.gateway = self._open()

    @rule()
    def crash_while_sending(self) -> None:
        claimed = self.gateway.outbox.claim(self.clock.now(), lease=self.gateway.lease, limit=1)
        if claimed and self.gateway.provider is not None:
            message = claimed[0]
            self.crashes[message.key] += 1
            self.gateway.provider.send(
                OutgoingSms(
                    message.key,
                    message.id,
                    message.recipient or "",
                    message.body or "",
                    "Testby",
                    message.template,
                    message.language,
                )
            )
        self.gateway.outbox.close()  # dies before recording the outcome
        self.gateway = self._open()

    @invariant()
    def one_message_per_key(self) -> None:
        assert sorted(m.key for m in self.gateway.outbox.messages()) == sorted(self.submitted)

    @invariant()
    def delivered_at_most_once_per_attempt_cut_off(self) -> None:
        delivered = Counter(r.headers["idempotency-key"] for r in self.peer.delivered)
        for message in self.gateway.outbox.messages():
            count = delivered[message.key]
            assert count <= 1 + self.crashes[message.key]
            if message.state is State.SENT:
                assert count >= 1 and message.sent_at is not None
            if message.state is State.FAILED:
                assert message.error and message.failed_at is not None
            if message.state is State.QUEUED:
                assert message.next_attempt_at is not None
            if message.recipient is None and message.state is not State.FAILED:
                raise AssertionError("only a refused message lacks its number")
            assert message.attempts <= MAX_ATTEMPTS + self.crashes[message.key]

    def teardown(self) -> None:
        self.gateway.close()
        self.peer.close()
        self.tmp.cleanup()


Delivery.TestCase.settings = settings(max_examples=25, stateful_step_count=25, deadline=None)
test_delivery_invariants: Any = Delivery.TestCase
