"""The ``sms:`` section of the configuration: provider, sender, retries and templates.

These are pydantic models on :class:`frontdesk_core.config.types.Model`, so a
mistake is reported like the core's, as ``file:line:column: message``::

    sms:
      sender: Kommunen
      provider:
        kind: http
        url: https://sms.example.dk/v1/messages
        auth: {header: Authorization, value_env: SMS_TOKEN}
        body: {from: "{{ sender }}", to: "{{ to }}", text: "{{ text }}"}
      templates:
        confirmation:
          da: "Din tid hos {{ centre }} er {{ date }} kl. {{ time }}. Kode {{ code }}."
          en: "Your appointment at {{ centre }} is on {{ date }} at {{ time }}. Code {{ code }}."
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import timedelta
from functools import partial
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    Field,
    JsonValue,
    StrictBool,
    StrictInt,
    StringConstraints,
    field_validator,
    model_validator,
)

from frontdesk_core.api import TEXT_MARKER, Duration, Identifier, LanguageCode, Model
from frontdesk_sms_gateway.phone import check_country_code
from frontdesk_sms_gateway.templates import BODY_VARIABLES, BOOKING_VARIABLES, check_template

SECTION = "sms"
"""The name of the plugin's top-level YAML section."""

BOOKING_TEMPLATES = ("confirmation", "reminder", "cancelled")
"""The templates the plugin fills from a booking itself."""

NonEmpty = Annotated[str, StringConstraints(strict=True, min_length=1)]
HeaderName = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$"),
    Field(description="An HTTP header name, e.g. 'Authorization'."),
]

BookingTemplate = Annotated[
    NonEmpty, AfterValidator(partial(check_template, allowed=BOOKING_VARIABLES))
]
FreeTemplate = Annotated[NonEmpty, AfterValidator(check_template)]


BookingTexts = Annotated[
    dict[LanguageCode, BookingTemplate],
    Field(description="A template per language, e.g. {da: ..., en: ...}.", min_length=1),
    TEXT_MARKER,
]
FreeTexts = Annotated[
    dict[LanguageCode, FreeTemplate],
    Field(description="A template per language, e.g. {da: ..., en: ...}.", min_length=1),
    TEXT_MARKER,
]


class HeaderSecret(Model):
    """A header whose value is written in the file or read from an environment variable."""

    header: HeaderName = "Authorization"
    value: NonEmpty | None = Field(None, repr=False, description="The header's value.")
    value_env: (
        Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")] | None
    ) = Field(None, description="An environment variable holding the value (preferred).")

    @model_validator(mode="after")
    def _one_source(self) -> HeaderSecret:
        if (self.value is None) == (self.value_env is None):
            raise ValueError("give exactly one of 'value' and 'value_env'")
        return self

    def resolve(self, environ: Mapping[str, str] | None = None) -> str:
        """The header's value; raise LookupError if its environment variable is not set."""
        if self.value is not None:
            return self.value
        env = os.environ if environ is None else environ
        name = self.value_env or ""
        if not env.get(name):
            raise LookupError(f"the environment variable {name} is not set")
        return env[name]


DEFAULT_BODY: dict[str, JsonValue] = {
    "from": "{{ sender }}",
    "to": "{{ to }}",
    "text": "{{ text }}",
    "reference": "{{ key }}",
}


def _check_body(value: JsonValue, path: str) -> None:
    if isinstance(value, str):
        try:
            check_template(value, BODY_VARIABLES)
        except ValueError as exc:
            raise ValueError(f"in body.{path}: {exc}") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_body(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_body(item, f"{path}[{index}]")


_ALPHANUMERIC_SENDER = re.compile(r"^[A-Za-z0-9 ]{1,11}$")
_NUMERIC_SENDER = re.compile(r"^\+?\d{3,15}$")


def check_sender(value: str) -> str:
    """Return ``value`` if gateways accept it as a sender; raise ValueError if not."""
    if _NUMERIC_SENDER.match(value):
        return value
    if not _ALPHANUMERIC_SENDER.match(value) or value.isdigit():
        raise ValueError(
            f"'{value}' cannot be a sender: use up to 11 letters (a-z, no æøå), digits and "
            "spaces, or a phone number"
        )
    return value


_URL = re.compile(r"^https?://[^\s/?#]+(\S*)$")


def check_url(value: str) -> str:
    """Return ``value`` if it is an http(s) URL; raise ValueError if not."""
    if not _URL.match(value):
        raise ValueError(
            f"'{value}' is not a web address; write it like 'https://sms.example.dk/v1/messages'"
        )
    return value


def _positive(value: timedelta) -> timedelta:
    if value <= timedelta(0):
        raise ValueError("the duration must be longer than zero")
    return value


PositiveDuration = Annotated[Duration, AfterValidator(_positive)]


class HttpProvider(Model):
    """A gateway reached by an HTTP request with a JSON body."""

    kind: Literal["http"]
    url: Annotated[NonEmpty, AfterValidator(check_url)] = Field(
        description="Where to send, e.g. 'https://sms.example.dk/v1/messages'."
    )
    method: Literal["POST", "PUT"] = "POST"
    auth: HeaderSecret | None = None
    headers: dict[HeaderName, NonEmpty] = Field({}, description="More headers to send.")
    idempotency_header: HeaderName | None = Field(
        "Idempotency-Key",
        description="Header carrying the message's key so the gateway can drop a repeat.",
    )
    body: dict[str, JsonValue] = Field(
        DEFAULT_BODY,
        description="The JSON body; strings are templates with to, to_digits, text, sender, key.",
    )
    timeout: PositiveDuration = Field(timedelta(seconds=10), description="e.g. '10 s'.")
    success_statuses: list[Annotated[StrictInt, Field(ge=200, le=299)]] = Field(
        [200, 201, 202, 204], min_length=1
    )

    @field_validator("body")
    @classmethod
    def _body_templates(cls, value: dict[str, JsonValue]) -> dict[str, JsonValue]:
        _check_body(value, "")
        return value


class FileProvider(Model):
    """Development: append each message as a JSON line to a file."""

    kind: Literal["file"]
    path: NonEmpty


class ConsoleProvider(Model):
    """Development: print each message (number masked) on standard output."""

    kind: Literal["console"]


Provider = Annotated[HttpProvider | FileProvider | ConsoleProvider, Field(discriminator="kind")]


class RetryPolicy(Model):
    """How failed sends are retried: exponential backoff up to ``max_attempts`` in all."""

    max_attempts: StrictInt = Field(8, ge=1, le=100)
    backoff_base: PositiveDuration = Field(timedelta(seconds=30), description="First wait.")
    backoff_max: PositiveDuration = Field(timedelta(hours=1), description="Longest wait.")

    @model_validator(mode="after")
    def _ordered(self) -> RetryPolicy:
        if self.backoff_max < self.backoff_base:
            raise ValueError("'backoff_max' must not be shorter than 'backoff_base'")
        return self

    def delay(self, attempts: int) -> timedelta:
        """The wait after the ``attempts``-th failed attempt: base, 2 x base, 4 x base ... max."""
        exponent = min(max(attempts - 1, 0), 40)  # 2**40 x anything exceeds any sane max
        return min(self.backoff_base * (1 << exponent), self.backoff_max)


DEFAULT_TEMPLATES: dict[str, dict[str, str]] = {
    "confirmation": {
        "da": "Din tid til {{ service }} hos {{ centre }} er {{ date }} kl. {{ time }}. "
        "Kode: {{ code }}. Tjek ind ved ankomst. Svar {{ cancel_keyword }} for at aflyse.",
        "en": "Your appointment for {{ service }} at {{ centre }} is on {{ date }} at {{ time }}. "
        "Code: {{ code }}. Check in when you arrive. Reply {{ cancel_keyword }} to cancel.",
    },
    "reminder": {
        "da": "Husk din tid til {{ service }} {{ date }} kl. {{ time }}, {{ address }}. "
        "Kode: {{ code }}. Svar {{ cancel_keyword }} for at aflyse.",
        "en": "Reminder: {{ service }} on {{ date }} at {{ time }}, {{ address }}. "
        "Code: {{ code }}. Reply {{ cancel_keyword }} to cancel.",
    },
    "cancelled": {
        "da": "Din tid til {{ service }} {{ date }} kl. {{ time }} er aflyst.",
        "en": "Your appointment for {{ service }} on {{ date }} at {{ time }} is cancelled.",
    },
    "your_turn_soon": {
        "da": "Det er snart din tur: nummer {{ number }}."
        "{% if where is defined %} Gå til {{ where }}.{% endif %}",
        "en": "It is your turn soon: number {{ number }}."
        "{% if where is defined %} Please go to {{ where }}.{% endif %}",
    },
}


class Templates(Model):
    """The message templates, one per language; leave one out to keep the built-in text."""

    confirmation: BookingTexts = DEFAULT_TEMPLATES["confirmation"]
    reminder: BookingTexts = DEFAULT_TEMPLATES["reminder"]
    cancelled: BookingTexts = DEFAULT_TEMPLATES["cancelled"]
    your_turn_soon: FreeTexts = DEFAULT_TEMPLATES["your_turn_soon"]
    custom: dict[Identifier, FreeTexts] = Field(
        {}, description="More templates by name, for integrators' own messages."
    )

    def get(self, name: str) -> dict[str, str] | None:
        """The texts of template ``name`` (``None`` if there is none)."""
        if name in type(self).model_fields and name != "custom":
            texts: dict[str, str] = getattr(self, name)
            return texts
        return self.custom.get(name)

    def names(self) -> list[str]:
        """Every template name."""
        return [*(n for n in type(self).model_fields if n != "custom"), *self.custom]


class InboundConfig(Model):
    """Replies from citizens: the small HTTP endpoint a gateway posts them to."""

    listen: (
        Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Za-z0-9.\-\[\]:]+:\d{1,5}$")]
        | None
    ) = Field(None, description="Where to listen, e.g. '127.0.0.1:8025'; none: no server.")
    path: Annotated[str, StringConstraints(strict=True, pattern=r"^/\S*$")] = "/sms/inbound"
    from_field: NonEmpty = Field("from", description="The field holding the sender's number.")
    text_field: NonEmpty = Field("text", description="The field holding the reply.")
    auth: HeaderSecret | None = Field(
        None, description="A header the gateway must send, e.g. a shared token."
    )


class TurnSoon(Model):
    """When "your turn soon" goes to a citizen who asked for it."""

    before: PositiveDuration = Field(
        timedelta(minutes=10),
        description=(
            "Sent once the forecast's call time of the ticket is this close, or when it is "
            "called if that comes first; never after the call. E.g. '10 min'."
        ),
    )
    booked: StrictBool = Field(
        True,
        description="Booked citizens with a mobile number get it when they check in.",
    )


class SmsConfig(Model):
    """The ``sms:`` section."""

    provider: Provider
    sender: Annotated[NonEmpty, AfterValidator(check_sender)] = Field(
        description="The sender shown to citizens: up to 11 letters and digits, or a number."
    )
    default_country_code: Annotated[str, AfterValidator(check_country_code)] = Field(
        "+45", description="Country calling code for national numbers."
    )
    retry: RetryPolicy = Field(default_factory=RetryPolicy)
    templates: Templates = Field(default_factory=Templates)
    max_length: StrictInt = Field(
        612, ge=70, le=1600, description="Longest text sent (612: four concatenated SMS)."
    )
    outbox: NonEmpty | None = Field(
        None, description="The outbox database file; default: next to the event store."
    )
    interrupted: Literal["retry", "give_up"] = Field(
        "retry",
        description=(
            "A message whose sending was interrupted by a crash: 'retry' (at least once) "
            "or 'give_up' (at most once)."
        ),
    )
    worker: StrictBool = Field(True, description="Send from a background thread.")
    poll_interval: PositiveDuration = Field(
        timedelta(seconds=1), description="How often the sender looks for due messages."
    )
    inbound: InboundConfig = Field(default_factory=InboundConfig)
    turn_soon: TurnSoon = Field(default_factory=TurnSoon)
