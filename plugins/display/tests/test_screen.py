"""The info screen in Chromium: live calls, the info pane and reconnecting."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from conftest import Served, screenshot, sign_in


def test_called_number_appears_on_the_info_screen_within_a_second(
    served: Served, new_page: Callable[..., Any]
) -> None:
    screen = new_page(1920, 1080)
    screen.goto(f"{served.url}/screen/nyropsgade")
    screen.wait_for_selector("body[data-link=open]", state="attached")
    ticket = served.fd.queues.issue("pas")
    screen.wait_for_selector('#queues tr[data-queue="pas"] .waiting:text-is("1")')

    employee = new_page()
    sign_in(employee, served.url, "anna")
    employee.check('input[value="skranke-1"]')
    employee.click("text=Sign in at the counter")
    started = time.monotonic()
    employee.click("#do-call_next")
    screen.wait_for_selector(f'#called tr[data-number="{ticket.number}"]', timeout=1000)
    assert time.monotonic() - started < 1.0
    assert screen.locator("#announce-number").text_content() == ticket.number
    assert screen.locator("#announce").is_visible()
    assert "Skranke 1" in (screen.locator("#announce-counter").text_content() or "")
    screenshot(screen, "info-screen-announcing")
    employee.wait_for_selector("#current-number")
    assert employee.locator("#current-number").text_content() == ticket.number
    screenshot(employee, "employee-dashboard")
