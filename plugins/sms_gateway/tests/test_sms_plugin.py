"""The plugin in a real Frontdesk with the real booking engine: one hook test per hook."""

from __future__ import annotations

from datetime import datetime, timedelta
from importlib.metadata import entry_points
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from frontdesk_sms_gateway import gateway_for, plugin
from frontdesk_sms_gateway.config import SmsConfig
from frontdesk_sms_gateway.gateway import SmsGateway
from frontdesk_sms_gateway.outbox import State
from frontdesk_sms_gateway.plugin import outbox_path
from sms_peer import SmsPeer

from frontdesk_core.api import (
    Contact,
    Frontdesk,
    LoadContext,
    ManualClock,
    SmsRequest,
    load_config,
    make_plugin_manager,
)
from frontdesk_core.api import cli_main as main
from frontdesk_core.testing import MakeFrontdesk

CPH = ZoneInfo("Europe/Copenhagen")
TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=CPH)


@pytest.fixture
def fd(make_frontdesk: MakeFrontdesk, write_config, http_section, sms_peer: SmsPeer) -> Frontdesk:
    return make_frontdesk(write_config(http_section(sms_peer.url)), plugins=[plugin])


def gateway(fd: Frontdesk) -> SmsGateway:
    found = gateway_for(fd)
    assert found is not None
    return found


def bodies(fd: Frontdesk) -> list[tuple[str, str | None]]:
    return [(m.template, m.body) for m in gateway(fd).outbox.messages()]


def test_frontdesk_startup_opens_a_gateway_and_frontdesk_shutdown_closes_it(
    fd: Frontdesk,
) -> None:
    found = gateway(fd)
    assert isinstance(found.config, SmsConfig) and found.clock is fd.clock
    assert fd.plugin_state("sms_gateway")
    fd.close()
    assert gateway_for(fd) is None
    assert fd.plugin_state("sms_gateway") == {}


def test_without_an_sms_section_the_plugin_stays_idle(make_frontdesk: MakeFrontdesk) -> None:
    fd = make_frontdesk(Path(__file__).parent / "data", plugins=[plugin])
    assert gateway_for(fd) is None
    receipt = fd.hooks.send_sms(SmsRequest("k", "12345678", "your_turn_soon", "da", {}))
    assert not receipt.accepted and receipt.error == "no SMS plugin is installed"
    assert not fd.hooks.sms_available()  # so the kiosk offers no "your turn soon"


def test_frontdesk_config_sections_is_used_by_the_loader(fd: Frontdesk) -> None:
    assert isinstance(fd.config.sections["sms"], SmsConfig)
    assert fd.config.sections["sms"].sender == "Testby"


def test_frontdesk_send_sms_queues_through_the_facade(fd: Frontdesk, sms_peer: SmsPeer) -> None:
    receipt = fd.hooks.send_sms(
        SmsRequest(
            "ticket:P042:soon", "+45 12 34 56 78", "your_turn_soon", "en", {"number": "P042"}
        )
    )
    assert receipt.accepted
    gateway(fd).process_due()
    (request,) = sms_peer.requests
    assert request.body["text"] == "It is your turn soon: number P042."
    assert request.headers["idempotency-key"] == "ticket:P042:soon"


def test_frontdesk_booking_created_confirms_by_sms(fd: Frontdesk, sms_peer: SmsPeer) -> None:
    booking = fd.booking.book("passport", TUESDAY_10, contact=Contact(phone="12 34 56 78"))
    english = fd.booking.book(
        "passport",
        TUESDAY_10 + timedelta(minutes=15),
        contact=Contact(phone="+46 70 123 45 67"),
        language="en",
    )
    assert bodies(fd) == [
        (
            "confirmation",
            f"Din tid til Pas hos Borgerservice er 24.11.2026 kl. 10:00. Kode: {booking.code}. "
            "Tjek ind ved ankomst. Svar AFBUD for at aflyse.",
        ),
        (
            "confirmation",
            f"Your appointment for Passport at Citizen Service is on 24 November 2026 at 10:15. "
            f"Code: {english.code}. Check in when you arrive. Reply AFBUD to cancel.",
        ),
    ]
    gateway(fd).process_due()
    assert [r.body["to"] for r in sms_peer.requests] == ["+4512345678", "+46701234567"]
    assert all(m.state is State.SENT for m in gateway(fd).outbox.messages())


def test_frontdesk_booking_reminder_due_sends_each_reminder_once(
    fd: Frontdesk, frontdesk_clock: ManualClock
) -> None:
    booking = fd.booking.book("passport", TUESDAY_10, contact=Contact(phone="12345678"))
    frontdesk_clock.set(TUESDAY_10 - timedelta(hours=24))
    assert fd.booking.send_due_reminders() == 1
    # The hook fired twice for the same reminder (two processes, say) still sends one.
    fd.hooks.booking_reminder_due(booking, Contact(phone="12345678"), timedelta(hours=24))
    frontdesk_clock.set(TUESDAY_10 - timedelta(hours=2))
    assert fd.booking.send_due_reminders() == 1
    reminders = [b for t, b in bodies(fd) if t == "reminder"]
    assert (
        reminders
        == [
            f"Husk din tid til Pas 24.11.2026 kl. 10:00, Rådhuspladsen 1, 9999 Testby. "
            f"Kode: {booking.code}. Svar AFBUD for at aflyse."
        ]
        * 2
    )
    keys = [m.key for m in gateway(fd).outbox.messages() if m.template == "reminder"]
    assert keys[0].endswith(":reminder:86400s") and keys[1].endswith(":reminder:7200s")


def test_frontdesk_booking_cancelled_tells_the_citizen(fd: Frontdesk) -> None:
    booking = fd.booking.book("passport", TUESDAY_10, contact=Contact(phone="12345678"))
    fd.booking.cancel(booking.code, reason="staff")
    assert bodies(fd)[-1] == ("cancelled", "Din tid til Pas 24.11.2026 kl. 10:00 er aflyst.")


def test_frontdesk_booking_rescheduled_confirms_the_new_time(fd: Frontdesk) -> None:
    booking = fd.booking.book("passport", TUESDAY_10, contact=Contact(phone="12345678"))
    fd.booking.reschedule(booking.code, TUESDAY_10 + timedelta(days=1, hours=1))
    templates = [template for template, _ in bodies(fd)]
    assert templates == ["confirmation", "confirmation"]
    assert "25.11.2026 kl. 11:00" in (bodies(fd)[-1][1] or "")


def test_a_booking_without_a_number_gets_no_sms(fd: Frontdesk) -> None:
    fd.booking.book("passport", TUESDAY_10, contact=Contact(name="Ada"))
    assert bodies(fd) == []


def test_the_worker_sends_in_the_background(
    make_frontdesk: MakeFrontdesk, write_config, http_section, sms_peer: SmsPeer
) -> None:
    section = http_section(sms_peer.url, extra="  poll_interval: 0.05 s\n").replace(
        "worker: false", "worker: true"
    )
    fd = make_frontdesk(write_config(section), plugins=[plugin])
    fd.booking.book("passport", TUESDAY_10, contact=Contact(phone="12345678"))
    assert len(sms_peer.wait_for(1, timeout=5)) == 1
    fd.close()
    assert gateway_for(fd) is None


def test_the_outbox_lives_next_to_a_file_store(
    write_config, http_section, sms_peer: SmsPeer, frontdesk_clock: ManualClock, tmp_path: Path
) -> None:
    pm = make_plugin_manager(load_entrypoints=False, plugins=[plugin])
    store = tmp_path / "data" / "frontdesk.db"
    store.parent.mkdir()
    directory = write_config(http_section(sms_peer.url))
    with Frontdesk.open(directory, store=str(store), clock=frontdesk_clock, plugins=pm) as fd:
        fd.hooks.send_sms(SmsRequest("k", "12345678", "your_turn_soon", "da", {"number": "1"}))
    assert (tmp_path / "data" / "frontdesk-sms.db").exists()
    # Reopened: the message is still there, and the key is still taken.
    pm = make_plugin_manager(load_entrypoints=False, plugins=[plugin])
    with Frontdesk.open(directory, store=str(store), clock=frontdesk_clock, plugins=pm) as fd:
        assert [m.key for m in gateway(fd).outbox.messages()] == ["k"]


def test_outbox_path_choices() -> None:
    config = SmsConfig.model_validate({"sender": "Testby", "provider": {"kind": "console"}})
    assert outbox_path(config, "sqlite:///:memory:") == ":memory:"
    assert outbox_path(config, "sqlite:///var/fd/frontdesk.db") == "var/fd/frontdesk-sms.db"
    assert outbox_path(config, "postgresql://db/frontdesk") == "frontdesk-sms.db"
    chosen = config.model_copy(update={"outbox": "/srv/sms.db"})
    assert outbox_path(chosen, "sqlite:///x.db") == "/srv/sms.db"


def test_the_plugin_is_installed_under_the_frontdesk_entry_point(
    capsys: pytest.CaptureFixture[str],
) -> None:
    (found,) = [ep for ep in entry_points(group="frontdesk") if ep.name == "sms_gateway"]
    assert found.value == "frontdesk_sms_gateway.plugin"
    assert main(["plugins"]) == 0
    out = capsys.readouterr().out
    assert (
        "sms_gateway\n"
        "  config sections: sms\n"
        "  config checks: check_template_languages\n"
        "  hooks: frontdesk_booking_cancelled, frontdesk_booking_created, "
        "frontdesk_booking_reminder_due, frontdesk_booking_rescheduled, "
        "frontdesk_citizen_checked_in, frontdesk_config_checks, frontdesk_config_sections, "
        "frontdesk_send_sms, frontdesk_shutdown, frontdesk_sms_available, frontdesk_startup, "
        "frontdesk_ticket_called, "
        "frontdesk_turn_soon_requested\n"
    ) in out


def test_a_template_missing_a_site_language_is_warned_about_at_startup(
    make_frontdesk: MakeFrontdesk,
    write_config,
    http_section,
    sms_peer: SmsPeer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # ``frontdesk validate`` refuses this (frontdesk_config_checks); models an integrator
    # loads without the plugin's checks still get a warning when the reception opens.
    extra = "  templates:\n    cancelled: {da: 'Aflyst {{ code }}'}\n"
    path = write_config(http_section(sms_peer.url, extra=extra))
    config = load_config(path, LoadContext(sections={"sms": SmsConfig}))
    fd = make_frontdesk(config, plugins=[plugin])
    assert gateway(fd).missing_languages() == [("cancelled", "en")]
    warned = [r for r in caplog.records if r.getMessage() == "sms template lacks a language"]
    assert [(r.template, r.lang) for r in warned] == [("cancelled", "en")]  # type: ignore[attr-defined]
