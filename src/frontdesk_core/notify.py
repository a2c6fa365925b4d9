"""Messages the core asks notification plugins (SMS) to send."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SmsRequest:
    """An SMS to send. ``key`` makes it idempotent: one message per key, ever."""

    key: str
    to: str
    template: str
    language: str
    context: dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:  # the number is personal data: never in a log line
        return f"SmsRequest(key={self.key!r}, template={self.template!r})"


@dataclass(frozen=True)
class SmsReceipt:
    """What the SMS plugin did with a request: queued (durably), or refused and why."""

    accepted: bool
    message_id: str | None = None
    error: str | None = None
