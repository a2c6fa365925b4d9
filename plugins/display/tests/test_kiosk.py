"""The kiosk page in Chromium: walking the København tree to a ticket, or home."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from conftest import SETTINGS, Served, screenshot, serve, sign_in

from frontdesk_core.app import Frontdesk


def test_a_citizen_walks_the_tree_gets_a_ticket_and_is_called_on_the_screen(
    served: Served, new_page: Callable[..., Any]
) -> None:
    kiosk = new_page(1080, 1920)
    kiosk.goto(f"{served.url}/kiosk/nyropsgade/kiosk-1")
    screenshot(kiosk, "kiosk-language")
    kiosk.click("button[lang=en]")
    kiosk.wait_for_selector("[data-step=errand]")
    assert kiosk.locator("h1").text_content() == "What brings you here today?"
    screenshot(kiosk, "kiosk-question")
    kiosk.click("[data-option=health_card]")
    kiosk.wait_for_selector("[data-kind=checklist]")
    # Keyboard only, as a screen-reader user would: tick the box, then continue.
    kiosk.focus("input[name=have][value=photo_id]")
    kiosk.keyboard.press("Space")
    assert kiosk.is_checked("input[value=photo_id]")
    screenshot(kiosk, "kiosk-checklist")
    kiosk.click("#continue")
    kiosk.wait_for_selector("[data-result=queue]")
    number = kiosk.locator("#ticket-number").text_content()
    assert number == "G001"
    # No printer plugin is installed here: the kiosk says so and shows the number.
    assert kiosk.locator(".ticket .flash").is_visible()
    screenshot(kiosk, "kiosk-ticket")

    screen = new_page(1920, 1080)
    screen.goto(f"{served.url}/screen/nyropsgade")
    screen.wait_for_selector('#queues tr[data-queue="generel"] .waiting:text-is("1")')
    employee = new_page()
    sign_in(employee, served.url, "anna")
    employee.check('input[value="skranke-2"]')
    employee.click("text=Sign in at the counter")
    employee.click("#do-call_next")
    screen.wait_for_selector('#called tr[data-number="G001"]', timeout=1000)
    assert employee.locator("#current-number").text_content() == "G001"
    assert employee.locator("#current-errand").text_content() == "Sundhedskort"
    # Wrong counter after all: the employee sends the citizen on to the passport queue.
    employee.select_option("#transfer-queue", "pas")
    employee.click("#do-transfer")
    employee.wait_for_selector("#current-number.idle")
    (moved,) = served.fd.queues.waiting("pas")
    assert moved.number == "G001" and moved.transfers == 1
    screen.wait_for_selector('#queues tr[data-queue="pas"] .waiting:text-is("1")')


def test_a_citizen_without_documents_is_sent_home_with_the_list(
    served: Served, new_page: Callable[..., Any]
) -> None:
    kiosk = new_page(1080, 1920)
    kiosk.goto(f"{served.url}/kiosk/nyropsgade/kiosk-2")
    kiosk.click("button[lang=da]")
    kiosk.click("[data-option=passport]")
    kiosk.click("[data-option=new]")
    kiosk.wait_for_selector("[data-step=passport-docs]")
    kiosk.click("#back")
    kiosk.wait_for_selector("[data-step=passport-kind]")
    kiosk.click("[data-option=new]")
    kiosk.click("#continue")  # nothing ticked: every document is missing
    kiosk.wait_for_selector("[data-result=send_home]")
    items = kiosk.locator("#bring li").all_text_contents()
    assert len(items) >= 2
    screenshot(kiosk, "kiosk-sent-home")
    assert served.fd.queues.queue_status("nyropsgade")[0].waiting == 0
    kiosk.click("#done")
    kiosk.wait_for_selector("button[lang=da]")


def test_an_unknown_kiosk_or_session_is_not_served(
    served: Served, new_page: Callable[..., Any]
) -> None:
    page = new_page()
    response = page.goto(f"{served.url}/kiosk/nyropsgade/no-such-kiosk")
    assert response is not None and response.status == 404
    page.goto(f"{served.url}/kiosk/nyropsgade/kiosk-1/s/not-a-session")
    assert page.url.endswith("/kiosk/nyropsgade/kiosk-1")


def test_a_citizen_with_every_document_books_a_time_today_at_the_kiosk(
    served: Served, new_page: Callable[..., Any]
) -> None:
    kiosk = new_page(1080, 1920)
    kiosk.goto(f"{served.url}/kiosk/nyropsgade/kiosk-1")
    kiosk.click("button[lang=en]")
    kiosk.click("[data-option=passport]")
    kiosk.click("[data-option=new]")
    kiosk.wait_for_selector("[data-step=passport-docs]")
    for box in kiosk.locator("input[name=have]").all():
        box.check()
    kiosk.click("#continue")
    kiosk.wait_for_selector("[data-result=book]")
    first = kiosk.locator("button[data-slot]").first
    label = first.get_attribute("data-slot")
    screenshot(kiosk, "kiosk-book-a-time")
    first.click()
    kiosk.wait_for_selector("[data-result=booked]")
    assert kiosk.locator("#booked-time").text_content() == label
    code = kiosk.locator("#booking-code").text_content() or ""
    booking = served.fd.booking.find(code)
    assert booking.service_id == "passport"
    assert f"{booking.start.astimezone(served.fd.tz):%H:%M}" == label
    screenshot(kiosk, "kiosk-booked")


def test_a_kiosk_left_alone_starts_again_and_the_tree_records_where(
    open_frontdesk: Callable[..., Frontdesk], new_page: Callable[..., Any]
) -> None:
    quick = SETTINGS.model_copy(update={"kiosk_idle": timedelta(seconds=1)})
    running = serve(open_frontdesk(), settings=quick)
    kiosk = new_page(1080, 1920)
    try:
        kiosk.goto(f"{running.url}/kiosk/nyropsgade/kiosk-1")
        kiosk.click("button[lang=da]")
        kiosk.click("[data-option=passport]")
        kiosk.wait_for_selector("[data-step=passport-kind]")
        kiosk.wait_for_selector("button[lang=da]", timeout=4000)  # back at the start
        kiosk.click("button[lang=da]")
        kiosk.click("#restart")  # the next citizen changes their mind at once
        kiosk.wait_for_selector("button[lang=da]")
        stats = running.fd.referral.stats()
        assert (stats.abandoned, stats.timed_out) == (2, 1)
        assert {count.node_id for count in stats.abandoned_at} == {"passport-kind", "errand"}
    finally:
        kiosk.context.close()
        running.stop()
