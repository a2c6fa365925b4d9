"""One SMS, "your turn soon", when the forecast says a waiting citizen's call is near.

A citizen asks for it at the kiosk after taking a ticket (an optional mobile
number), or gets it as a booked citizen with a number when they check in
(``sms.turn_soon.booked``). Their number is kept only in the outbox's file, in
the table ``sms_turn_soon`` next to the outgoing messages, until the message is
queued or no longer can be; never on the ticket, a screen, a log line or the
event log.

The message is queued once (idempotency key ``ticket:<id>:turn-soon``), at the
first of:

* the forecast's call time of the ticket (the latest forecast's time plus its
  median wait) comes within ``sms.turn_soon.before`` (:meth:`TurnSoon.check`,
  run by the sender's thread at each look, or by whoever drives the clock);
* the ticket is called (``frontdesk_ticket_called``).

Never after the call: the citizen is forgotten at the call, and a ticket a
later forecast no longer holds (it ended without a call, or the day closed) is
forgotten unsent, as is a request older than :data:`FORGET_AFTER`.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from frontdesk_core.api import SmsReceipt, Ticket, TicketState, forecaster, text_in
from frontdesk_sms_gateway.config import TurnSoon as TurnSoonConfig
from frontdesk_sms_gateway.outbox import Waiting
from frontdesk_sms_gateway.phone import PhoneNumberError, normalise

if TYPE_CHECKING:
    from frontdesk_core.api import Frontdesk
    from frontdesk_sms_gateway.gateway import SmsGateway

log = logging.getLogger("frontdesk.sms")
TEMPLATE = "your_turn_soon"
FORGET_AFTER = timedelta(hours=16)
"""A request older than this is forgotten unsent (its ticket's day is over)."""


def turn_soon_key(ticket_id: str) -> str:
    """The idempotency key of a ticket's "your turn soon"."""
    return f"ticket:{ticket_id}:turn-soon"


class TurnSoon:
    """The "your turn soon" messages of one Frontdesk."""

    def __init__(self, frontdesk: Frontdesk, gateway: SmsGateway, config: TurnSoonConfig) -> None:
        self.frontdesk = frontdesk
        self.gateway = gateway
        self.config = config

    def request(self, ticket: Ticket, phone: str, language: str) -> SmsReceipt:
        """Keep ``phone`` for ``ticket``'s message; refused (nothing kept) for a ticket that
        no longer waits or a number that is not one."""
        if ticket.state is not TicketState.WAITING:
            return SmsReceipt(accepted=False, error="the ticket is not waiting any more")
        if self.gateway.outbox.by_key(turn_soon_key(ticket.id)) is not None:
            return SmsReceipt(accepted=False, error="the message for this ticket is sent already")
        try:
            recipient = normalise(phone, self.gateway.config.default_country_code)
        except PhoneNumberError as exc:
            return SmsReceipt(accepted=False, error=str(exc))
        languages = self.frontdesk.config.site.languages
        self.gateway.outbox.wait(
            Waiting(
                ticket.id,
                ticket.queue_id,
                ticket.number,
                ticket.centre_id,
                language if language in languages else languages[0],
                recipient,
                self.frontdesk.clock.now(),
            )
        )
        log.info("sms turn soon requested", extra={"ticket": ticket.id})
        self.check()  # the forecast may say it is near already
        return SmsReceipt(accepted=True)

    def called(self, ticket: Ticket) -> None:
        """The ticket is called: its message now, if it has not gone yet."""
        self._send(ticket.id, "called")

    def check(self) -> int:
        """Queue every message whose ticket's forecast call time is within
        ``sms.turn_soon.before``; forget requests that can no longer be served. Returns
        how many were queued."""
        waiting = self.gateway.outbox.waiting()
        if not waiting:
            return 0
        now = self.frontdesk.clock.now()
        latest = forecaster(self.frontdesk).latest()
        sent = 0
        for entry in waiting:
            if now - entry.created_at > FORGET_AFTER:
                self._forget(entry.ticket_id, "expired")
                continue
            if latest is None or latest.made_at < entry.created_at:
                continue  # no forecast since the request: its ticket may not be in it
            mine = latest.ticket(entry.ticket_id)
            if mine is None:
                self._forget(entry.ticket_id, "not waiting")
                continue
            band = mine.minutes
            if band is None:
                continue  # no estimate: wait for one, or for the call
            call_at = latest.made_at + timedelta(minutes=band.median)
            if call_at - now <= self.config.before and self._send(entry.ticket_id, "forecast"):
                sent += 1
        return sent

    def _send(self, ticket_id: str, why: str) -> bool:
        entry = self.gateway.outbox.take_waiting(ticket_id)
        if entry is None:
            return False
        receipt = self.gateway.queue(
            key=turn_soon_key(ticket_id),
            to=entry.recipient,
            template=TEMPLATE,
            language=entry.language,
            context=self._context(entry),
            centre_id=entry.centre_id,
        )
        log.info(
            "sms turn soon due",
            extra={"ticket": ticket_id, "why": why, "accepted": receipt.accepted},
        )
        return receipt.accepted

    def _forget(self, ticket_id: str, why: str) -> None:
        if self.gateway.outbox.take_waiting(ticket_id) is not None:
            log.info("sms turn soon dropped", extra={"ticket": ticket_id, "why": why})

    def _context(self, entry: Waiting) -> dict[str, Any]:
        """The template's variables: ``number``, ``queue`` and, if configured, ``where``."""
        config = self.frontdesk.config
        fallback = config.site.languages[0]
        context: dict[str, Any] = {"number": entry.number, "queue": entry.queue_id}
        try:
            queue = config.queue(entry.queue_id)
        except KeyError:
            return context
        context["queue"] = text_in(queue.name, entry.language, fallback)
        if queue.where:
            context["where"] = text_in(queue.where, entry.language, fallback)
        return context


__all__ = ["FORGET_AFTER", "TEMPLATE", "TurnSoon", "turn_soon_key"]
