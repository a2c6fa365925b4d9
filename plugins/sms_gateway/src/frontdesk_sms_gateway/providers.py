"""Providers: the gateways messages leave through, behind one small interface.

A provider sends one message and says how it went: ``sent``, ``retry`` (a
failure worth trying again: a timeout, a refused connection, HTTP 5xx, 408 or
429) or ``permanent`` (HTTP 4xx: the request itself is wrong). Error details
name the status or the network error, never the number or the text (a
gateway's error body may repeat them, so it is not kept).
"""

from __future__ import annotations

import json
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from email.message import Message
from pathlib import Path
from typing import IO, Literal, Protocol

from pydantic import JsonValue

from frontdesk_sms_gateway.config import (
    ConsoleProvider,
    FileProvider,
    HttpProvider,
    SmsConfig,
)
from frontdesk_sms_gateway.phone import mask
from frontdesk_sms_gateway.templates import Renderer, TemplateRenderError

RETRYABLE_STATUSES = frozenset({408, 425, 429})
"""4xx statuses that mean "not now" rather than "never"."""

MAX_RETRY_AFTER = timedelta(hours=6)


@dataclass(frozen=True)
class OutgoingSms:
    """One message as a provider sends it. ``to`` and ``text`` are personal data."""

    key: str
    message_id: int
    to: str
    text: str
    sender: str
    template: str
    language: str

    def __repr__(self) -> str:  # never print personal data by accident
        return f"OutgoingSms(key={self.key!r}, message_id={self.message_id})"


@dataclass(frozen=True)
class SendResult:
    """How one attempt went; ``retry_after`` is the gateway's own wish, if it said one."""

    outcome: Literal["sent", "retry", "permanent"]
    detail: str = ""
    retry_after: timedelta | None = None

    @property
    def sent(self) -> bool:
        """Whether the gateway accepted the message."""
        return self.outcome == "sent"


class ProviderUnavailable(Exception):
    """A provider that cannot work at all as configured (an unset secret, say)."""


class Provider(Protocol):
    """Something that sends SMS messages."""

    name: str

    def send(self, message: OutgoingSms) -> SendResult:
        """Send ``message`` once; never raise for gateway trouble, return a result."""
        ...


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect would turn the POST into a GET without a body: treat it as a wrong URL."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        return None


def _retry_after(headers: Mapping[str, str] | Message | None) -> timedelta | None:
    value = headers.get("Retry-After") if headers is not None else None
    if value is None or not str(value).strip().isdigit():
        return None  # the HTTP-date form is rare for SMS gateways; the backoff covers it
    return min(timedelta(seconds=int(str(value).strip())), MAX_RETRY_AFTER)


class HttpSmsProvider:
    """A gateway taking one HTTP request with a JSON body per message."""

    name = "http"

    def __init__(
        self,
        config: HttpProvider,
        *,
        renderer: Renderer | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.config = config
        self.renderer = renderer or Renderer()
        self.headers: dict[str, str] = {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            **config.headers,
        }
        if config.auth is not None:
            try:
                self.headers[config.auth.header] = config.auth.resolve(environ)
            except LookupError as exc:
                raise ProviderUnavailable(str(exc)) from None
        self._opener = urllib.request.build_opener(_NoRedirects())

    def body(self, message: OutgoingSms) -> bytes:
        """The JSON request body for ``message``."""
        variables = {
            "to": message.to,
            "to_digits": message.to.lstrip("+"),
            "text": message.text,
            "sender": message.sender,
            "key": message.key,
            "message_id": str(message.message_id),
            "template": message.template,
            "language": message.language,
        }
        return json.dumps(self._fill(self.config.body, variables), ensure_ascii=False).encode(
            "utf-8"
        )

    def _fill(self, value: JsonValue, variables: Mapping[str, str]) -> JsonValue:
        if isinstance(value, str):
            return self.renderer.render(value, variables)
        if isinstance(value, dict):
            return {key: self._fill(item, variables) for key, item in value.items()}
        if isinstance(value, list):
            return [self._fill(item, variables) for item in value]
        return value

    def send(self, message: OutgoingSms) -> SendResult:
        """POST (or PUT) the message; classify the answer."""
        try:
            data = self.body(message)
        except TemplateRenderError as exc:
            return SendResult("permanent", f"the request body template failed: {exc}")
        headers = dict(self.headers)
        if self.config.idempotency_header:
            headers[self.config.idempotency_header] = message.key
        request = urllib.request.Request(
            self.config.url, data=data, headers=headers, method=self.config.method
        )
        timeout = self.config.timeout.total_seconds()
        try:
            with self._opener.open(request, timeout=timeout) as response:
                status = int(response.status)
                response.read(65536)
                headers_in: Message | None = response.headers
        except urllib.error.HTTPError as exc:
            status, headers_in = exc.code, exc.headers
            exc.close()
        except TimeoutError:
            return SendResult("retry", f"the gateway did not answer within {timeout:g} s")
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                return SendResult("retry", f"the gateway did not answer within {timeout:g} s")
            return SendResult("retry", f"cannot reach the gateway: {exc.reason}")
        except OSError as exc:  # reset connections, broken responses (http.client errors)
            return SendResult("retry", f"the connection failed: {type(exc).__name__}")
        except Exception as exc:  # http.client.HTTPException is not an OSError
            return SendResult("retry", f"the gateway's answer was broken: {type(exc).__name__}")
        if status in self.config.success_statuses:
            return SendResult("sent", f"HTTP {status}")
        if status in RETRYABLE_STATUSES or status >= 500:
            return SendResult("retry", f"HTTP {status}", _retry_after(headers_in))
        if 300 <= status < 400:
            return SendResult("permanent", f"HTTP {status}: the gateway redirects; use its new URL")
        return SendResult("permanent", f"HTTP {status}")


class FileSmsProvider:
    """Development: each message becomes one JSON line in a file (a fake phone)."""

    name = "file"

    def __init__(self, config: FileProvider) -> None:
        self.path = Path(config.path)
        self._lock = threading.Lock()

    def send(self, message: OutgoingSms) -> SendResult:
        """Append the message to the file."""
        line = json.dumps(
            {
                "key": message.key,
                "to": message.to,
                "from": message.sender,
                "template": message.template,
                "language": message.language,
                "text": message.text,
            },
            ensure_ascii=False,
        )
        try:
            with self._lock:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8") as out:
                    out.write(line + "\n")
        except OSError as exc:
            return SendResult("retry", f"cannot write the file: {exc.strerror}")
        return SendResult("sent", "written")


class ConsoleSmsProvider:
    """Development: print each message on standard output, the number masked."""

    name = "console"

    def __init__(self, config: ConsoleProvider, stream: IO[str] | None = None) -> None:
        self.stream = stream

    def send(self, message: OutgoingSms) -> SendResult:
        """Print the message."""
        out = self.stream if self.stream is not None else sys.stdout
        print(f"SMS to {mask(message.to)} [{message.template}/{message.language}]:", file=out)
        print(f"  {message.text}", file=out)
        return SendResult("sent", "printed")


def make_provider(config: SmsConfig, *, environ: Mapping[str, str] | None = None) -> Provider:
    """The provider the configuration chooses; raise :class:`ProviderUnavailable` if it cannot."""
    provider = config.provider
    if isinstance(provider, HttpProvider):
        return HttpSmsProvider(provider, environ=environ)
    if isinstance(provider, FileProvider):
        return FileSmsProvider(provider)
    return ConsoleSmsProvider(provider)
