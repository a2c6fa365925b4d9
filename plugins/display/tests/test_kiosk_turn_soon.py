"""At the kiosk, under the ticket: an optional mobile number for "your turn soon", handed to
the SMS plugin and shown nowhere."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest
from conftest import Served, monday_morning, serve
from frontdesk_display import plugin

from frontdesk_core.api import Config, Frontdesk, SmsReceipt, Ticket, make_plugin_manager
from frontdesk_core.hookspecs import hookimpl


class TurnSoon:
    """The SMS plugin's side: keeps what it was given, takes Danish mobile numbers only."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str, str]] = []

    @hookimpl
    def frontdesk_sms_available(self) -> bool | None:
        return True

    @hookimpl
    def frontdesk_turn_soon_requested(
        self, ticket: Ticket, phone: str, language: str
    ) -> SmsReceipt | None:
        digits = phone.replace(" ", "")
        if len(digits) != 8:
            return SmsReceipt(accepted=False, error=f"not a Danish number: {phone}")
        self.asked.append((ticket.id, digits, language))
        return SmsReceipt(accepted=True)


def _ticket_page(client: httpx.Client, language: str) -> httpx.Response:
    step = client.post("/kiosk/nyropsgade/kiosk-1/start", data={"language": language})
    step = client.post(str(step.url), data={"do": "answer", "option": "health_card"})
    return client.post(str(step.url), data={"do": "answer", "have": ["photo_id"]})


def test_a_walk_in_asks_for_an_sms_under_the_ticket_and_the_number_is_shown_nowhere(
    kobenhavn: Config, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sms = TurnSoon()
    pm = make_plugin_manager(load_entrypoints=False, plugins=[plugin, sms])
    fd = Frontdesk.open(
        kobenhavn, store=str(tmp_path / "fd.db"), clock=monday_morning(), plugins=pm
    )
    running = serve(fd)
    try:
        with httpx.Client(base_url=running.url, follow_redirects=True, timeout=10) as client:
            page = _ticket_page(client, "da")
            assert 'id="turn-soon"' in page.text and 'name="phone"' in page.text
            assert "Få en SMS, når det snart er din tur" in page.text
            refused = client.post(str(page.url), data={"do": "turn_soon", "phone": "123"})
            assert refused.status_code == 422 and 'role="alert"' in refused.text
            assert 'id="turn-soon"' in refused.text  # the citizen may try again
            wrong = client.post(str(page.url), data={"do": "turn_soon", "phone": "1234 5678 9"})
            assert wrong.status_code == 422 and "Vi kan ikke sende en SMS" in wrong.text
            asked = client.post(str(page.url), data={"do": "turn_soon", "phone": "12 34 56 78"})
    finally:
        running.stop()
        fd.close()
    assert asked.status_code == 200
    assert "Vi sender dig en SMS, når det snart er din tur." in asked.text
    assert 'name="phone"' not in asked.text  # asked once
    ((ticket_id, phone, language),) = sms.asked
    assert phone == "12345678" and language == "da"
    assert f"{ticket_id.rsplit('-', 1)[-1]}" in page.text  # the ticket shown is the one asked for
    for text in (page.text, refused.text, wrong.text, asked.text):
        assert "12345678" not in text.replace(" ", "") and "5678" not in text
    logged = "\n".join(f"{r.getMessage()} {vars(r)!r}" for r in caplog.records)
    assert "12345678" not in logged and "12 34 56 78" not in logged


def test_an_integrators_kiosk_asks_through_the_api(kobenhavn: Config, tmp_path: Path) -> None:
    sms = TurnSoon()
    pm = make_plugin_manager(load_entrypoints=False, plugins=[plugin, sms])
    fd = Frontdesk.open(
        kobenhavn, store=str(tmp_path / "fd.db"), clock=monday_morning(), plugins=pm
    )
    running = serve(fd)
    url = f"{running.url}/api/v1/kiosk"
    try:
        sid = httpx.post(f"{url}/nyropsgade/sessions", json={"language": "en"}).json()
        answer = f"{url}/sessions/{sid['session_id']}/answer"
        httpx.post(answer, json={"option": "health_card"}).raise_for_status()
        ticket = httpx.post(answer, json={"have": ["photo_id"]}).json()["result"]
        assert ticket["turn_soon"] == "offered"
        refused = httpx.post(answer, json={"phone": "123"})
        assert refused.status_code == 422 and "123" not in refused.text.replace("422", "")
        asked = httpx.post(answer, json={"phone": "12 34 56 78"})
    finally:
        running.stop()
        fd.close()
    assert asked.status_code == 200 and asked.json()["result"]["turn_soon"] == "asked"
    assert "5678" not in asked.text
    assert [(t, p) for t, p, _ in sms.asked] == [(ticket["ticket_id"], "12345678")]


def test_without_an_sms_plugin_the_ticket_page_asks_for_no_number(served: Served) -> None:
    with httpx.Client(base_url=served.url, follow_redirects=True, timeout=10) as client:
        page = _ticket_page(client, "en")
    assert 'id="ticket-number"' in page.text and 'id="turn-soon"' not in page.text
