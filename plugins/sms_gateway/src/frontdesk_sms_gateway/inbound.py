"""Replies from citizens: "AFBUD" (or any of the site's cancel keywords) cancels the booking.

:func:`handle_inbound` is the whole rule; :class:`InboundServer` is an optional
small HTTP endpoint (stdlib ``http.server``) a gateway can POST replies to, as
JSON or as a form, with the sender in ``from`` and the reply in ``text`` (the
field names are configurable). Which booking a reply answers is the booking
engine's decision (``fd.booking.cancel_by_reply``): the next one booked with
that number. Numbers and texts never reach a log line.
"""

from __future__ import annotations

import hmac
import json
import logging
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal, Protocol
from urllib.parse import parse_qs

from frontdesk_core.api import Booking, Config, FrontdeskError, PluginError
from frontdesk_sms_gateway.config import InboundConfig
from frontdesk_sms_gateway.phone import PhoneNumberError, normalise

log = logging.getLogger("frontdesk.sms.inbound")
MAX_BODY = 64 * 1024

Action = Literal["cancelled", "not_found", "ignored", "invalid_number"]


class BookingReplies(Protocol):
    """The part of the booking engine replies need."""

    def cancel_by_reply(self, phone: str, text: str) -> Booking | None:
        """Cancel the booking a reply from ``phone`` answers; ``None`` if there is none."""
        ...


class ReplyTarget(Protocol):
    """What :func:`handle_inbound` needs of a Frontdesk: its configuration and bookings."""

    @property
    def config(self) -> Config:
        """The site's configuration (for the cancel keywords)."""
        ...

    @property
    def booking(self) -> BookingReplies:
        """The booking engine."""
        ...


@dataclass(frozen=True)
class InboundResult:
    """What a reply did: ``action``, and the code of the booking it cancelled."""

    action: Action
    booking_code: str | None = None


def is_cancel(text: str, keywords: Sequence[str]) -> bool:
    """Whether ``text`` starts with one of ``keywords`` as a word (any case): "afbud tak" does."""
    reply = text.strip().casefold()
    for keyword in keywords:
        word = keyword.strip().casefold()
        if not word or not reply.startswith(word):
            continue
        if len(reply) == len(word) or not reply[len(word)].isalnum():
            return True
    return False


def handle_inbound(
    fd: ReplyTarget, phone: str, text: str, *, default_country_code: str = "+45"
) -> InboundResult:
    """Act on a reply ``text`` from ``phone``: cancel the booking it answers, or ignore it."""
    keywords = fd.config.site.booking.cancel_keywords
    if not is_cancel(text, keywords):
        log.info("sms reply ignored", extra={"action": "ignored"})
        return InboundResult("ignored")
    try:
        number = normalise(phone, default_country_code)
    except PhoneNumberError as exc:
        log.warning("sms reply from a bad number", extra={"error": exc.reason})
        return InboundResult("invalid_number")
    booking = fd.booking.cancel_by_reply(number, text)
    if booking is None:
        log.info("sms reply matched no booking", extra={"action": "not_found"})
        return InboundResult("not_found")
    log.info("sms reply cancelled a booking", extra={"action": "cancelled", "booking": booking.id})
    return InboundResult("cancelled", booking.code)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    endpoint: InboundServer


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        # The default writes the request line, whose query could hold a number.
        return

    def _answer(self, status: int, payload: Mapping[str, Any]) -> None:
        data = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        endpoint = self.server.endpoint
        if self.path.split("?", 1)[0] != endpoint.config.path:
            self._answer(404, {"error": "not found"})
            return
        if not endpoint.authorised(self.headers.get(endpoint.auth_header or "", "")):
            self._answer(401, {"error": "not authorised"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._answer(413, {"error": "too large"})
            return
        fields = _fields(self.headers.get("Content-Type", ""), self.rfile.read(length))
        phone = fields.get(endpoint.config.from_field) if fields else None
        text = fields.get(endpoint.config.text_field) if fields else None
        if not isinstance(phone, str) or not isinstance(text, str):
            self._answer(
                400,
                {
                    "error": f"send '{endpoint.config.from_field}' and "
                    f"'{endpoint.config.text_field}' as JSON or a form"
                },
            )
            return
        try:
            result = endpoint.handle(phone, text)
        except FrontdeskError as exc:
            self._answer(409, {"error": type(exc).__name__})
            return
        except Exception as exc:  # the gateway will post again; nothing was changed
            log.error("sms reply failed", extra={"error": type(exc).__name__})
            self._answer(500, {"error": "internal error"})
            return
        self._answer(200, {"action": result.action, "code": result.booking_code})


def _fields(content_type: str, raw: bytes) -> dict[str, Any] | None:
    try:
        if "json" in content_type:
            data = json.loads(raw.decode("utf-8"))
            return data if isinstance(data, dict) else None
        parsed = parse_qs(raw.decode("utf-8"), keep_blank_values=True)
        return {key: values[0] for key, values in parsed.items()}
    except (UnicodeDecodeError, ValueError):
        return None


class InboundServer:
    """An HTTP endpoint for replies, served from a background thread."""

    def __init__(
        self,
        target: ReplyTarget,
        config: InboundConfig,
        *,
        default_country_code: str = "+45",
        host: str = "127.0.0.1",
        port: int = 0,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.target = target
        self.config = config
        self.default_country_code = default_country_code
        self.auth_header = config.auth.header if config.auth else None
        try:
            self._secret = config.auth.resolve(environ) if config.auth else None
        except LookupError as exc:
            raise PluginError(f"the SMS reply endpoint cannot start: {exc}") from None
        self._server = _Server((host, port), _Handler)
        self._server.endpoint = self
        self._thread: threading.Thread | None = None

    @classmethod
    def from_listen(
        cls, target: ReplyTarget, config: InboundConfig, **kwargs: Any
    ) -> InboundServer:
        """A server on ``config.listen`` (``host:port``)."""
        host, _, port = (config.listen or "127.0.0.1:0").rpartition(":")
        return cls(target, config, host=host.strip("[]"), port=int(port), **kwargs)

    @property
    def address(self) -> tuple[str, int]:
        """The host and port it listens on."""
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        """The full URL replies are posted to."""
        host, port = self.address
        return f"http://{host}:{port}{self.config.path}"

    def authorised(self, given: str) -> bool:
        """Whether a request's auth header value is right (always, without auth)."""
        if self._secret is None:
            return True
        return hmac.compare_digest(given.encode("utf-8"), self._secret.encode("utf-8"))

    def handle(self, phone: str, text: str) -> InboundResult:
        """Handle one reply (the booking engine serialises its own commands)."""
        return handle_inbound(
            self.target, phone, text, default_country_code=self.default_country_code
        )

    def start(self) -> None:
        """Serve in a background thread."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.1},  # how soon stop() is noticed
                name="frontdesk-sms-inbound",
                daemon=True,
            )
            self._thread.start()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(5)
            self._thread = None
        self._server.server_close()
