"""SMS for frontdesk: booking confirmations, reminders and "your turn soon" messages.

Messages go through a durable outbox (SQLite, WAL, ``synchronous=FULL``) and
leave through a provider (a generic HTTP JSON gateway, or a file or the console
for development), retried with exponential backoff and sent once per
idempotency key. Replies such as "AFBUD" cancel the booking they answer.
"""

from __future__ import annotations

from frontdesk_sms_gateway.config import SmsConfig
from frontdesk_sms_gateway.gateway import SmsGateway
from frontdesk_sms_gateway.inbound import InboundResult, InboundServer, handle_inbound
from frontdesk_sms_gateway.outbox import Outbox, OutboxMessage, State
from frontdesk_sms_gateway.phone import PhoneNumberError, normalise
from frontdesk_sms_gateway.plugin import gateway_for, inbound_for
from frontdesk_sms_gateway.providers import OutgoingSms, Provider, SendResult

__all__ = [
    "InboundResult",
    "InboundServer",
    "Outbox",
    "OutboxMessage",
    "OutgoingSms",
    "PhoneNumberError",
    "Provider",
    "SendResult",
    "SmsConfig",
    "SmsGateway",
    "State",
    "gateway_for",
    "handle_inbound",
    "inbound_for",
    "normalise",
]
