"""The ``frontdesk`` entry point: the ``sms`` section, and a gateway per open Frontdesk.

The hooks that carry messages (``frontdesk_send_sms`` and the booking events)
are not told which Frontdesk they belong to, so this module keeps no state:
``frontdesk_startup`` builds an :class:`SmsGateway` for the Frontdesk and
registers a :class:`GatewayHooks` object holding it in that Frontdesk's own
plugin manager; ``frontdesk_shutdown`` unregisters it and stops the sender.
Without an ``sms`` section the plugin stays idle.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontdesk_core.booking.records import Booking, Contact
from frontdesk_core.config.loader import Reporter
from frontdesk_core.config.models import Config
from frontdesk_core.devices import DeviceFault
from frontdesk_core.errors import PluginError
from frontdesk_core.hookspecs import hookimpl
from frontdesk_core.notify import SmsReceipt, SmsRequest
from frontdesk_sms_gateway.config import SECTION, SmsConfig
from frontdesk_sms_gateway.gateway import DEVICE, SmsGateway
from frontdesk_sms_gateway.inbound import InboundServer
from frontdesk_sms_gateway.messages import booking_context, booking_key
from frontdesk_sms_gateway.outbox import Outbox

if TYPE_CHECKING:
    from frontdesk_core.app import Frontdesk

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


class GatewayHooks:
    """The message hooks of one Frontdesk, answered by its :class:`SmsGateway`."""

    def __init__(self, frontdesk: Frontdesk, gateway: SmsGateway) -> None:
        self.frontdesk = frontdesk
        self.gateway = gateway
        self.inbound: InboundServer | None = None

    @hookimpl
    def frontdesk_send_sms(self, message: SmsRequest) -> SmsReceipt:
        """Queue the message in the outbox (durably) and answer with a receipt."""
        return self.gateway.submit(message)

    @hookimpl
    def frontdesk_booking_created(self, booking: Booking, contact: Contact) -> None:
        """Confirm the booking by SMS."""
        self._booking(booking, contact, "confirmation", booking_key(booking, "confirmation"))

    @hookimpl
    def frontdesk_booking_rescheduled(
        self, booking: Booking, contact: Contact, previous_start: datetime
    ) -> None:
        """Confirm the new time by SMS (the key holds the time, so each move is confirmed once)."""
        self._booking(booking, contact, "confirmation", booking_key(booking, "confirmation"))

    @hookimpl
    def frontdesk_booking_reminder_due(
        self, booking: Booking, contact: Contact, before: timedelta
    ) -> None:
        """Remind the citizen of the booking by SMS (once per reminder offset)."""
        self._booking(booking, contact, "reminder", booking_key(booking, "reminder", before))

    @hookimpl
    def frontdesk_booking_cancelled(self, booking: Booking, contact: Contact, reason: str) -> None:
        """Tell the citizen the booking is cancelled (also when they cancelled by SMS)."""
        self._booking(booking, contact, "cancelled", booking_key(booking, "cancelled"))

    def _booking(self, booking: Booking, contact: Contact, template: str, key: str) -> None:
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


def plugin_name(frontdesk: Frontdesk) -> str:
    """The name the gateway hooks of ``frontdesk`` are registered under."""
    return f"sms_gateway.{id(frontdesk):x}"


def gateway_for(frontdesk: Frontdesk) -> SmsGateway | None:
    """The SMS gateway of an open Frontdesk (``None`` without an ``sms`` section)."""
    hooks = frontdesk.hooks.pm.get_plugin(plugin_name(frontdesk))
    return hooks.gateway if isinstance(hooks, GatewayHooks) else None


def inbound_for(frontdesk: Frontdesk) -> InboundServer | None:
    """The reply endpoint of an open Frontdesk, when ``sms.inbound.listen`` is set."""
    hooks = frontdesk.hooks.pm.get_plugin(plugin_name(frontdesk))
    return hooks.inbound if isinstance(hooks, GatewayHooks) else None


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
    hooks = GatewayHooks(frontdesk, gateway)
    frontdesk.hooks.pm.register(hooks, name=plugin_name(frontdesk))
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
    hooks = frontdesk.hooks.pm.get_plugin(plugin_name(frontdesk))
    if not isinstance(hooks, GatewayHooks):
        return
    frontdesk.hooks.pm.unregister(name=plugin_name(frontdesk))
    if hooks.inbound is not None:
        hooks.inbound.stop()
    hooks.gateway.close()
