"""The SMS gateway of one Frontdesk: accepts messages into the outbox and sends them.

``submit`` renders the text, validates the number and stores the message; it
returns once the message is on disk. Sending happens in ``process_due``, called
by a background thread (``start``/``stop``) or directly by tests and tools.

Delivery is **at least once** by default: a message whose sending was cut off
(a crash, a kill, a timeout after the gateway got the request) is sent again
with the same idempotency key in the request header, so a gateway that honours
the header sends it once; one that does not may deliver a duplicate. A missed
reminder costs more than a duplicate. ``interrupted: give_up`` makes it **at
most once** for crashes instead: an interrupted message is failed, never resent.
Timeouts are always retried: the gateway may not have received the request.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from frontdesk_core.api import Clock, DeviceFault, SmsReceipt, SmsRequest
from frontdesk_sms_gateway.config import HttpProvider, SmsConfig
from frontdesk_sms_gateway.outbox import Outbox, OutboxMessage, State
from frontdesk_sms_gateway.phone import PhoneNumberError, normalise
from frontdesk_sms_gateway.providers import (
    OutgoingSms,
    Provider,
    ProviderUnavailable,
    SendResult,
    make_provider,
)
from frontdesk_sms_gateway.templates import Renderer, TemplateRenderError

log = logging.getLogger("frontdesk.sms")

DEVICE = "sms_gateway"
FaultSink = Callable[[DeviceFault], Any]
LEASE_MARGIN = timedelta(seconds=30)
_KEY = re.compile(r"^[\x21-\x7e][\x20-\x7e]{0,199}$")
KEY_ERROR = "the message key must be 1 to 200 printable ASCII characters (it is sent as a header)"
PURGE_EVERY = timedelta(hours=1)


class SmsGateway:
    """The outbox, the provider and the sender thread for one reception."""

    def __init__(
        self,
        config: SmsConfig,
        *,
        outbox: Outbox,
        clock: Clock,
        languages: list[str] | None = None,
        provider: Provider | None = None,
        report_fault: FaultSink | None = None,
        retention: timedelta = timedelta(days=30),
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.config = config
        self.outbox = outbox
        self.clock = clock
        self.languages = languages or ["da"]
        self.report_fault = report_fault
        self.retention = retention
        self.renderer = Renderer()
        self.provider_error: str | None = None
        if provider is None:
            try:
                provider = make_provider(config, environ=environ)
            except ProviderUnavailable as exc:
                # Messages are still accepted and kept; they wait for a working provider.
                self.provider_error = str(exc)
                log.error("sms provider unavailable", extra={"error": self.provider_error})
        self.provider = provider
        timeout = (
            config.provider.timeout
            if isinstance(config.provider, HttpProvider)
            else timedelta(seconds=5)
        )
        self.lease = timeout * 2 + LEASE_MARGIN
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._outage = False
        self._paused_until: datetime | None = None
        """While the gateway is down: no message is tried before this (one probes it then)."""
        self._last_purge: datetime | None = None
        self.looks: list[Callable[[], object]] = []
        """Work the sender does at each look, before sending (messages coming due)."""
        self.stale_after: dict[str, timedelta] = {}
        """Templates whose message is given up once this old (news that would come late)."""

    # -- accepting ---------------------------------------------------------------------

    def submit(self, request: SmsRequest, *, centre_id: str = "") -> SmsReceipt:
        """Store ``request`` for sending: once per key, ever. Never raises for bad input.

        A bad number, an unknown template or a text that cannot be rendered is
        recorded on the message as ``failed`` and the receipt says why.
        """
        return self.queue(
            key=request.key,
            to=request.to,
            template=request.template,
            language=request.language,
            context=request.context,
            centre_id=centre_id,
        )

    def queue(
        self,
        *,
        key: str,
        to: str,
        template: str,
        language: str,
        context: Mapping[str, Any],
        centre_id: str = "",
    ) -> SmsReceipt:
        """Like :meth:`submit`, with a context of any values (dates, numbers)."""
        if not _KEY.match(key):
            # Not stored: without a usable key there is nothing to be idempotent on.
            return SmsReceipt(accepted=False, error=KEY_ERROR)
        existing = self.outbox.by_key(key)
        if existing is not None:
            return self._receipt(existing)
        recipient: str | None = None
        body: str | None = None
        error: str | None = None
        try:
            recipient = normalise(to, self.config.default_country_code)
            language, body = self.render(template, language, context)
        except (LookupError, TemplateRenderError, ValueError, PhoneNumberError) as exc:
            error = str(exc)
        message, created = self.outbox.add(
            key=key,
            template=template,
            language=language,
            now=self.clock.now(),
            recipient=recipient if error is None else None,
            body=body if error is None else None,
            centre_id=centre_id,
            error=error,
        )
        if created:
            log.info(
                "sms queued" if error is None else "sms refused",
                extra={
                    "sms_id": message.id,
                    "sms_key": message.key,
                    "template": message.template,
                    "state": message.state.value,
                    **({"error": error} if error else {}),
                },
            )
            if error is None:
                self._wake.set()
        return self._receipt(message)

    @staticmethod
    def _receipt(message: OutboxMessage) -> SmsReceipt:
        if message.state is State.FAILED:
            return SmsReceipt(accepted=False, message_id=str(message.id), error=message.error)
        return SmsReceipt(accepted=True, message_id=str(message.id))

    def render(self, template: str, language: str, context: Mapping[str, Any]) -> tuple[str, str]:
        """The language used and the text of ``template`` for ``language``.

        Falls back to the site's first language, then to any the template has.
        Raises LookupError for an unknown template, TemplateRenderError if it
        fails and ValueError if the text is too long.
        """
        texts = self.config.templates.get(template)
        if texts is None:
            raise LookupError(f"unknown SMS template '{template}'")
        candidate = next((c for c in (language, *self.languages, *texts) if c in texts), None)
        if candidate is None:
            raise LookupError(f"the SMS template '{template}' has no text in any language")
        text = self.renderer.render(texts[candidate], context)
        if not text:
            raise ValueError(f"the template '{template}' gave an empty text")
        if len(text) > self.config.max_length:
            raise ValueError(
                f"the text is {len(text)} characters; at most {self.config.max_length} are sent"
            )
        return candidate, text

    def missing_languages(self) -> list[tuple[str, str]]:
        """``(template, language)`` for each site language a template has no text in.

        Such messages fall back to the site's first language; the loader cannot
        tell, because the plugin's section is checked apart from the site.
        """
        missing = []
        for name in self.config.templates.names():
            texts = self.config.templates.get(name) or {}
            missing += [(name, language) for language in self.languages if language not in texts]
        return missing

    # -- sending -----------------------------------------------------------------------

    def process_due(self, limit: int = 1) -> int:
        """Send every message due now; return how many were tried.

        Messages are claimed ``limit`` at a time (one by default, so each claim's
        lease covers exactly one send, however slow the gateway). When the gateway
        is down (a send to be retried), the rest wait: nothing is tried until that
        message's retry time, when it alone probes the gateway again. So an outage
        costs one timeout per retry period, not one per message.
        """
        provider = self.provider
        if provider is None:
            return 0
        tried = 0
        paused = self._paused_until
        if paused is not None and self.clock.now() < paused:
            self._purge_if_due()
            return 0
        self._paused_until = None
        while not self._stop.is_set() and self._paused_until is None:
            batch = self.outbox.claim(
                self.clock.now(),
                lease=self.lease,
                limit=limit,
                interrupted=self.config.interrupted,
            )
            if not batch:
                break
            for index, message in enumerate(batch):
                if self._paused_until is not None:
                    for untried in batch[index:]:
                        self.outbox.release(untried, self._paused_until)
                    break
                self._send(provider, message)
                tried += 1
        self._purge_if_due()
        return tried

    def _send(self, provider: Provider, message: OutboxMessage) -> None:
        stale = self.stale_after.get(message.template)
        if stale is not None and self.clock.now() - message.created_at > stale:
            late = f"{stale.total_seconds() / 60:g} min"
            error = f"given up: not sent within {late}, it would come too late"
            self.outbox.mark_failed(message, self.clock.now(), error)
            log.info("sms too late", extra={"sms_id": message.id, "sms_key": message.key})
            return
        outgoing = OutgoingSms(
            key=message.key,
            message_id=message.id,
            to=message.recipient or "",
            text=message.body or "",
            sender=self.config.sender,
            template=message.template,
            language=message.language,
        )
        try:
            result = provider.send(outgoing)
        except Exception as exc:  # a provider bug must not stop the sender thread
            result = SendResult("retry", f"the provider failed: {type(exc).__name__}")
        now = self.clock.now()
        fields = {"sms_id": message.id, "sms_key": message.key, "attempt": message.attempts}
        if result.sent:
            if self.outbox.mark_sent(message, now):
                log.info("sms sent", extra=fields)
            else:  # the lease ran out mid-send: another sender may send it again
                log.warning("sms sent after its lease ran out", extra=fields)
            self._outage = False
            return
        final = result.outcome == "permanent" or message.attempts >= self.config.retry.max_attempts
        if final:
            error = result.detail
            if result.outcome == "retry":
                error = f"gave up after {message.attempts} attempts: {result.detail}"
            self.outbox.mark_failed(message, now, error)
            log.warning("sms failed", extra={**fields, "error": error})
            detail = f"message {message.id} ({message.template}): {error}"
            self._fault(message, "sms_failed", detail)
            return
        delay = self.config.retry.delay(message.attempts)
        if result.retry_after is not None:
            delay = max(delay, result.retry_after)
        self.outbox.mark_retry(message, now + delay, result.detail)
        self._paused_until = now + delay
        log.warning(
            "sms attempt failed",
            extra={**fields, "error": result.detail, "retry_in": delay.total_seconds()},
        )
        if not self._outage:
            self._outage = True
            self._fault(message, "sms_gateway_unreachable", result.detail)

    def _fault(self, message: OutboxMessage, kind: str, detail: str) -> None:
        if self.report_fault is None:
            return
        try:
            self.report_fault(
                DeviceFault(
                    device=DEVICE,
                    centre_id=message.centre_id,
                    kind=kind,
                    detail=detail,
                    at=self.clock.now(),
                )
            )
        except Exception as exc:  # the dashboard being down must not stop the sender
            log.error("sms fault report failed", extra={"error": type(exc).__name__})

    def _purge_if_due(self) -> None:
        now = self.clock.now()
        if self._last_purge is not None and now - self._last_purge < PURGE_EVERY:
            return
        self._last_purge = now
        purged = self.outbox.purge(now, self.retention)
        if purged:
            log.info("sms personal data purged", extra={"count": purged})

    # -- the worker --------------------------------------------------------------------

    def start(self) -> None:
        """Start the background sender thread (once)."""
        if self._thread is not None:
            return
        if self.provider_error is not None and self.report_fault is not None:
            self.report_fault(
                DeviceFault(
                    DEVICE, "", "sms_provider_unavailable", self.provider_error, self.clock.now()
                )
            )
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="frontdesk-sms", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Make the sender look for due messages now."""
        self._wake.set()

    def _run(self) -> None:
        interval = self.config.poll_interval.total_seconds()
        while not self._stop.is_set():
            self._wake.clear()  # before looking, so a message queued meanwhile is not missed
            try:
                for look in self.looks:
                    look()
                self.process_due()
            except Exception as exc:  # keep sending later; the outbox kept everything
                log.error("sms sender failed", extra={"error": type(exc).__name__})
            # Real time for the poll: the outbox's schedule is kept in the injected clock.
            self._wake.wait(interval)

    def stop(self, timeout: float | None = None) -> bool:
        """Stop the sender thread; whether it finished (a send in flight is waited for)."""
        thread, self._thread = self._thread, None
        if thread is None:
            return True
        self._stop.set()
        self._wake.set()
        if timeout is None:
            timeout = self.lease.total_seconds()
        thread.join(timeout)
        return not thread.is_alive()

    def close(self) -> None:
        """Stop the sender and close the outbox."""
        if self.stop():
            self.outbox.close()
        else:  # a send still hangs; its lease lets the next start retry it safely
            log.error("sms sender did not stop in time")
