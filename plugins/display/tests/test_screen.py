"""The info screen in Chromium: live calls, the info pane and reconnecting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from conftest import Served, screenshot, serve, sign_in
from frontdesk_display import hub

from frontdesk_core.api import Frontdesk


def test_called_number_appears_on_the_info_screen(
    served: Served, new_page: Callable[..., Any]
) -> None:
    screen = new_page(1920, 1080, timezone_id="America/New_York")
    screen.goto(f"{served.url}/screen/nyropsgade")
    screen.wait_for_selector("body[data-link=open]", state="attached")
    ticket = served.fd.queues.issue("pas")
    screen.wait_for_selector('#queues tr[data-queue="pas"] .waiting:text-is("1")')

    employee = new_page()
    sign_in(employee, served.url, "anna")
    screenshot(employee, "employee-choose-counter")
    employee.check('input[value="skranke-1"]')
    employee.click("#sign-in-counter")
    # How fast is measured by benchmarks/bench_display.py; here, that it arrives by push.
    employee.click("#do-call_next")
    screen.wait_for_selector(f'#called tr[data-number="{ticket.number}"]', timeout=10_000)
    assert screen.locator("#announce-number").text_content() == ticket.number
    assert screen.locator("#announce").is_visible()
    assert "Skranke 1" in (screen.locator("#announce-counter").text_content() or "")
    screenshot(screen, "info-screen-announcing")
    employee.wait_for_selector("#current-number")
    assert employee.locator("#current-number").text_content() == ticket.number
    screenshot(employee, "employee-dashboard")

    # A recall flashes the number again; after Finish the number stays, as an earlier call,
    # for a citizen who looked away.
    screen.evaluate("document.getElementById('announce').hidden = true")
    employee.click("#do-recall")
    screen.wait_for_selector("#announce:not([hidden])", timeout=10_000)
    employee.click("#do-finish")
    screen.wait_for_selector(f'#called tr.earlier[data-number="{ticket.number}"]', timeout=1000)
    assert screen.locator("#called td.counter-name").first.text_content() == "Skranke 1"
    # The site's time by the server's clock (Monday 10:30 in Copenhagen), whatever the
    # browser's own clock and time zone say.
    assert screen.locator("#clock").text_content() == "10.30"
    screen.reload()
    screen.wait_for_selector(f'#called tr.earlier[data-number="{ticket.number}"]')
    assert employee.locator("#current-number").text_content() == "Ingen borger ved skranken."
    assert served.fd.queues.ticket(ticket.id).state == "done"


def test_a_change_made_by_another_process_reaches_the_screen(
    served: Served, open_frontdesk: Callable[..., Frontdesk], new_page: Callable[..., Any]
) -> None:
    screen = new_page(1920, 1080)
    screen.goto(f"{served.url}/screen/nyropsgade")
    screen.wait_for_selector("body[data-link=open]", state="attached")
    elsewhere = open_frontdesk()  # the same SQLite file, as a second server would open it
    assert elsewhere.store.url == served.fd.store.url
    elsewhere.queues.issue("skat")
    screen.wait_for_selector('#queues tr[data-queue="skat"] .waiting:text-is("1")', timeout=3000)


def test_a_call_at_another_server_on_postgres_reaches_the_screen_when_notified(
    open_frontdesk: Callable[..., Frontdesk],
    new_page: Callable[..., Any],
    postgres_database: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The log is looked at once an hour here: only PostgreSQL's notification can bring
    # the call in time (the benchmark measures how soon it comes).
    monkeypatch.setattr(hub, "WATCH_SECONDS", 3600.0)
    served = serve(open_frontdesk(postgres_database))
    screen = new_page(1920, 1080)
    try:
        screen.goto(f"{served.url}/screen/nyropsgade")
        screen.wait_for_selector("body[data-link=open]", state="attached")
        elsewhere = open_frontdesk(postgres_database, clock=served.fd.clock)
        ticket = elsewhere.queues.issue("skat")
        elsewhere.queues.sign_in("skranke-4", "bo")
        elsewhere.queues.call_next("skranke-4")
        screen.wait_for_selector("#announce:not([hidden])", timeout=10_000)
        assert screen.locator("#announce-number").text_content() == ticket.number
    finally:
        screen.context.close()
        served.stop()


def test_an_info_screen_reconnects_after_a_restart_and_shows_the_current_state(
    open_frontdesk: Callable[..., Frontdesk], new_page: Callable[..., Any], tmp_path: Any
) -> None:
    db = tmp_path / "restart.db"
    first = serve(open_frontdesk(db))
    port = int(first.url.rsplit(":", 1)[1])
    screen = new_page(1920, 1080)
    second = None
    try:
        screen.goto(f"{first.url}/screen/nyropsgade")
        screen.wait_for_selector("body[data-link=open]", state="attached")
        first.fd.queues.sign_in("skranke-4", "bo")
        first.stop()
        screen.wait_for_selector("body[data-link=lost]", state="attached")
        # While the server is away, another process issues and calls a ticket.
        elsewhere = open_frontdesk(db)
        ticket = elsewhere.queues.issue("skat")
        elsewhere.queues.call_next("skranke-4")
        elsewhere.close()
        # A new server on the same port and file: nothing was lost, the screen catches up.
        second = serve(open_frontdesk(db), port=port)
        screen.wait_for_selector(f'#called tr[data-number="{ticket.number}"]', timeout=5000)
        screen.wait_for_selector("body[data-link=open]", state="attached")
        assert screen.locator('#queues tr[data-queue="skat"]').get_attribute("class") == "open"
        screenshot(screen, "info-screen-after-restart")
    finally:
        screen.context.close()
        if second is not None:
            second.stop()


def test_a_call_made_at_another_server_is_announced_once(
    served: Served, open_frontdesk: Callable[..., Frontdesk], new_page: Callable[..., Any]
) -> None:
    screen = new_page(1920, 1080)
    screen.goto(f"{served.url}/screen/nyropsgade")
    screen.wait_for_selector("body[data-link=open]", state="attached")
    elsewhere = open_frontdesk(clock=served.fd.clock)
    ticket = elsewhere.queues.issue("skat")
    elsewhere.queues.sign_in("skranke-4", "bo")
    elsewhere.queues.call_next("skranke-4")
    screen.wait_for_selector("#announce:not([hidden])", timeout=3000)
    assert screen.locator("#announce-number").text_content() == ticket.number
    assert "4" in (screen.locator("#announce-counter").text_content() or "")
    # A call made here is announced by its hook, and the log does not repeat it.
    own = served.fd.queues.issue("skat")
    served.fd.queues.sign_in("skranke-5", "cy")
    screen.evaluate("document.getElementById('announce').hidden = true")
    assert served.fd.queues.call_next("skranke-5") == served.fd.queues.ticket(own.id)
    screen.wait_for_selector("#announce:not([hidden])", timeout=10_000)
    assert screen.locator("#announce-number").text_content() == own.number
    screen.evaluate("document.getElementById('announce').hidden = true")
    screen.wait_for_timeout(1500)
    assert screen.locator("#announce").is_hidden()
