"""The ``frontdesk`` entry point: the ``sms`` section, and a gateway per open Frontdesk.

This module is loaded once per process and may serve several Frontdesks, so it
keeps no state of its own: ``frontdesk_startup`` builds an :class:`SmsGateway`
for the Frontdesk and keeps it (with the reply endpoint) in that Frontdesk's
plugin state (``frontdesk.plugin_state("sms_gateway")``); the hooks that carry
messages (``frontdesk_send_sms`` and the booking events) read it from the
``frontdesk`` they are given; ``frontdesk_shutdown`` stops the sender and drops
it. Without an ``sms`` section the plugin stays idle.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontdesk_core.api import (
    Booking,
    Config,
    Contact,
    DeviceFault,
    PluginError,
    Reporter,
    SmsReceipt,
    SmsRequest,
    Ticket,
)
from frontdesk_core.hookspecs import hookimpl
from frontdesk_sms_gateway.config import SECTION, SmsConfig
from frontdesk_sms_gateway.gateway import DEVICE, SmsGateway
from frontdesk_sms_gateway.inbound import InboundServer
from frontdesk_sms_gateway.messages import booking_context, booking_key
from frontdesk_sms_gateway.outbox import Outbox
from frontdesk_sms_gateway.turn_soon import TEMPLATE, TurnSoon

if TYPE_CHECKING:
    from frontdesk_core.api import Frontdesk

log = logging.getLogger("frontdesk.sms")
MEMORY = ":memory:"
FALLBACK_OUTBOX = "frontdesk-sms.db"


@hookimpl
def frontdesk_config_sections(register: Callable[[str, Any], None]) -> None:
    """The ``sms:`` section."""
    register(SECTION, SmsConfig)


def outbox_path(config: SmsConfig, store_url: str) -> str:
    """Where the outbox lives: ``sms.outbox``, else next to a SQLite event store.

    ``frontdesk.db`` gives ``frontdesk-sms.db`` beside it; an in-memory store an
    in-memory outbox (tests and demos).
    """
    if config.outbox is not None:
        return config.outbox
    if store_url.startswith("sqlite:///"):
        path = store_url.removeprefix("sqlite:///")
        if path == MEMORY:
            return MEMORY
        store = Path(path)
        return str(store.with_name(f"{store.stem}-sms{store.suffix or '.db'}"))
    log.warning("sms outbox in the working directory; set sms.outbox", extra={"store": "other"})
    return FALLBACK_OUTBOX


STATE = "sms_gateway"
"""The name of this plugin's state on a Frontdesk."""


class Running:
    """The SMS side of one open Frontdesk: its gateway and, if configured, its reply endpoint."""

    def __init__(self, frontdesk: Frontdesk, gateway: SmsGateway) -> None:
        self.frontdesk = frontdesk
        self.gateway = gateway
        self.inbound: InboundServer | None = None
        self.turn_soon = TurnSoon(frontdesk, gateway, gateway.config.turn_soon)

    def booking(self, booking: Booking, contact: Contact, template: str, key: str) -> None:
        """Queue the message ``template`` about ``booking`` (once per ``key``)."""
        if not contact.phone:
            log.info("sms skipped: no number", extra={"booking": booking.id, "template": template})
            return
        fd = self.frontdesk
        context = booking_context(fd.config, booking, contact, booking.language, fd.tz)
        self.gateway.queue(
            key=key,
            to=contact.phone,
            template=template,
            language=booking.language,
            context=context,
            centre_id=booking.centre_id,
        )


def running(frontdesk: Frontdesk | None) -> Running | None:
    """The SMS side of an open Frontdesk (``None`` without an ``sms`` section)."""
    if frontdesk is None:
        return None
    found = frontdesk.plugin_state(STATE).get("running")
    return found if isinstance(found, Running) else None


def gateway_for(frontdesk: Frontdesk) -> SmsGateway | None:
    """The SMS gateway of an open Frontdesk (``None`` without an ``sms`` section)."""
    found = running(frontdesk)
    return found.gateway if found is not None else None


def inbound_for(frontdesk: Frontdesk) -> InboundServer | None:
    """The reply endpoint of an open Frontdesk, when ``sms.inbound.listen`` is set."""
    found = running(frontdesk)
    return found.inbound if found is not None else None


@hookimpl
def frontdesk_send_sms(frontdesk: Frontdesk, message: SmsRequest) -> SmsReceipt | None:
    """Queue the message in this Frontdesk's outbox (durably) and answer with a receipt."""
    found = running(frontdesk)
    return found.gateway.submit(message) if found is not None else None


@hookimpl
def frontdesk_booking_created(frontdesk: Frontdesk, booking: Booking, contact: Contact) -> None:
    """Confirm the booking by SMS."""
    found = running(frontdesk)
    if found is not None:
        found.booking(booking, contact, "confirmation", booking_key(booking, "confirmation"))


@hookimpl
def frontdesk_booking_rescheduled(
    frontdesk: Frontdesk, booking: Booking, contact: Contact, previous_start: datetime
) -> None:
    """Confirm the new time by SMS (the key holds the time, so each move is confirmed once)."""
    found = running(frontdesk)
    if found is not None:
        found.booking(booking, contact, "confirmation", booking_key(booking, "confirmation"))


@hookimpl
def frontdesk_booking_reminder_due(
    frontdesk: Frontdesk, booking: Booking, contact: Contact, before: timedelta
) -> None:
    """Remind the citizen of the booking by SMS (once per reminder offset)."""
    found = running(frontdesk)
    if found is not None:
        found.booking(booking, contact, "reminder", booking_key(booking, "reminder", before))


@hookimpl
def frontdesk_booking_cancelled(
    frontdesk: Frontdesk, booking: Booking, contact: Contact, reason: str
) -> None:
    """Tell the citizen the booking is cancelled (also when they cancelled by SMS)."""
    found = running(frontdesk)
    if found is not None:
        found.booking(booking, contact, "cancelled", booking_key(booking, "cancelled"))


@hookimpl
def frontdesk_sms_available(frontdesk: Frontdesk) -> bool | None:
    """Yes once the ``sms`` section is configured (the gateway is running)."""
    return True if running(frontdesk) is not None else None


@hookimpl
def frontdesk_turn_soon_requested(
    frontdesk: Frontdesk, ticket: Ticket, phone: str, language: str
) -> SmsReceipt | None:
    """Keep the number in the outbox's file until the ticket's turn is near."""
    found = running(frontdesk)
    return found.turn_soon.request(ticket, phone, language) if found is not None else None


@hookimpl
def frontdesk_citizen_checked_in(frontdesk: Frontdesk, booking: Booking, ticket: Ticket) -> None:
    """A booked citizen with a mobile number gets "your turn soon" as well."""
    found = running(frontdesk)
    if found is None or not found.gateway.config.turn_soon.booked:
        return
    phone = frontdesk.booking.contact(booking.id).phone
    if phone:
        found.turn_soon.request(ticket, phone, booking.language)


@hookimpl
def frontdesk_ticket_called(frontdesk: Frontdesk, ticket: Ticket, counter_id: str) -> None:
    """Send a citizen's "your turn soon" now, if the forecast has not sent it already."""
    found = running(frontdesk)
    if found is not None:
        found.turn_soon.called(ticket)


def check_template_languages(config: Config, reporter: Reporter) -> None:
    """Every template the consultant wrote has a text in every language of the site.

    Built-in templates carry Danish and English; a template written in the
    configuration replaces them, so it must cover the site's languages itself.
    """
    sms = config.sections.get(SECTION)
    if not isinstance(sms, SmsConfig):
        return
    written = sms.templates.model_fields_set
    for name in sms.templates.names():
        if name in type(sms.templates).model_fields and name not in written:
            continue
        texts = sms.templates.get(name) or {}
        loc: tuple[str, ...] = (
            (SECTION, "templates", name)
            if name in type(sms.templates).model_fields
            else (SECTION, "templates", "custom", name)
        )
        missing = [lang for lang in config.site.languages if lang not in texts]
        if missing:
            reporter.error(
                loc,
                f"the template '{name}' has no {' and '.join(missing)} text "
                f"(the site's languages are {', '.join(config.site.languages)})",
            )


@hookimpl
def frontdesk_config_checks(register: Callable[[Any], None]) -> None:
    """Check the templates against the site's languages when the configuration is validated."""
    register(check_template_languages)


@hookimpl
def frontdesk_startup(frontdesk: Frontdesk) -> None:
    """Open the outbox, start the sender thread and (if configured) the reply endpoint."""
    config = frontdesk.config.sections.get(SECTION)
    if not isinstance(config, SmsConfig):
        log.info("no sms section: SMS is off")
        return
    gateway = SmsGateway(
        config,
        outbox=Outbox(outbox_path(config, frontdesk.store.url)),
        clock=frontdesk.clock,
        languages=list(frontdesk.config.site.languages),
        report_fault=frontdesk.hooks.device_fault,
        retention=frontdesk.config.site.booking.retention,
    )
    for template, language in gateway.missing_languages():
        log.warning("sms template lacks a language", extra={"template": template, "lang": language})
    hooks = Running(frontdesk, gateway)
    gateway.looks.append(hooks.turn_soon.check)
    # "Your turn soon" held up longer than its lead time would arrive after the call.
    gateway.stale_after[TEMPLATE] = config.turn_soon.before
    frontdesk.plugin_state(STATE)["running"] = hooks
    if config.worker:
        gateway.start()
    if config.inbound.listen is not None:
        # Sending works without the reply endpoint: a port in use or an unset token is
        # a fault to report, not a reason to stop confirmations and reminders.
        try:
            hooks.inbound = InboundServer.from_listen(
                frontdesk, config.inbound, default_country_code=config.default_country_code
            )
        except (OSError, PluginError) as exc:
            detail = f"the SMS reply endpoint cannot start: {exc}"
            log.error("sms reply endpoint not started", extra={"error": detail})
            frontdesk.hooks.device_fault(
                DeviceFault(DEVICE, "", "sms_inbound_unavailable", detail, frontdesk.clock.now())
            )
        else:
            hooks.inbound.start()


@hookimpl
def frontdesk_shutdown(frontdesk: Frontdesk) -> None:
    """Stop the reply endpoint and the sender, and close the outbox."""
    hooks = frontdesk.plugin_state(STATE).pop("running", None)
    if not isinstance(hooks, Running):
        return
    if hooks.inbound is not None:
        hooks.inbound.stop()
    hooks.gateway.close()
