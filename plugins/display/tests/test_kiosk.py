"""The kiosk page in Chromium: walking the København tree to a ticket, or home."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
from conftest import SETTINGS, Served, monday_morning, screenshot, serve, sign_in
from frontdesk_display import plugin

from frontdesk_core.api import (
    Config,
    Contact,
    Frontdesk,
    PrintResult,
    TicketPrint,
    make_plugin_manager,
)
from frontdesk_core.hookspecs import hookimpl


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
    # No printer plugin is installed here: "take your number", and no talk of a fault.
    assert kiosk.locator("#take-number").is_visible()
    assert kiosk.locator("#printer-failed").count() == 0
    screenshot(kiosk, "kiosk-ticket")

    screen = new_page(1920, 1080)
    screen.goto(f"{served.url}/screen/nyropsgade")
    screen.wait_for_selector('#queues tr[data-queue="generel"] .waiting:text-is("1")')
    employee = new_page()
    sign_in(employee, served.url, "anna")
    employee.check('input[value="skranke-2"]')
    employee.click("#sign-in-counter")
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


class StalledPrinter:
    """A printer that does not answer until the test lets it, as one stuck on the network."""

    def __init__(self) -> None:
        self.waiting = threading.Event()
        """Set once a ticket is waiting for this printer."""
        self.release = threading.Event()
        self.printed: list[str] = []

    @hookimpl
    def frontdesk_print_ticket(self, ticket: TicketPrint) -> PrintResult:
        self.waiting.set()
        self.release.wait(10)
        self.printed.append(ticket.number)
        return PrintResult(ok=False, printer="slow", fault="timeout", detail="no answer")


def test_a_stalled_printer_holds_up_only_its_own_kiosk(
    kobenhavn: Config,
) -> None:
    printer = StalledPrinter()
    pm = make_plugin_manager(load_entrypoints=False, plugins=[plugin, printer])
    fd = Frontdesk.open(kobenhavn, store=":memory:", clock=monday_morning(), plugins=pm)
    served = serve(fd)
    answers: dict[str, Any] = {}
    try:
        with httpx.Client(base_url=served.url, follow_redirects=True, timeout=10) as kiosk:
            step = kiosk.post("/kiosk/nyropsgade/kiosk-1/start", data={"language": "en"})
            step = kiosk.post(str(step.url), data={"do": "answer", "option": "health_card"})

            def finish_walk() -> None:
                done = kiosk.post(str(step.url), data={"do": "answer", "have": ["photo_id"]})
                answers["kiosk"] = done

            walker = threading.Thread(target=finish_walk)
            walker.start()
            assert printer.waiting.wait(10), "the kiosk never asked the printer"
            # While that kiosk waits for its printer, the screens are answered.
            screen = httpx.get(f"{served.url}/api/v1/centres/nyropsgade/screen", timeout=5)
            assert "kiosk" not in answers  # the kiosk is still waiting
            printer.release.set()
            walker.join(10)
        assert screen.status_code == 200
        assert answers["kiosk"].status_code == 200
        # The print failed: the number is on the kiosk's screen.
        assert "Remember your number" in answers["kiosk"].text
        assert len(printer.printed) == 1
    finally:
        printer.release.set()
        served.stop()
        fd.close()


PHONE = "+4512345678"


def _check_in_page(client: httpx.Client, typed: str) -> httpx.Response:
    step = client.post("/kiosk/nyropsgade/kiosk-1/start", data={"language": "en"})
    step = client.post(str(step.url), data={"do": "answer", "option": "booked"})
    assert 'name="code"' in step.text
    return client.post(str(step.url), data={"do": "check_in", "code": typed})


def _book(fd: Frontdesk, days_ahead: int) -> Any:
    day = fd.clock.now().astimezone(fd.tz).date() + timedelta(days=days_ahead)
    slot = fd.booking.free_slots("passport", day, day)[0]
    return fd.booking.book("passport", slot.start, contact=Contact(phone=PHONE))


def test_a_citizen_checks_in_with_the_mobile_number_and_sees_no_personal_data(
    served: Served,
) -> None:
    booking = _book(served.fd, 0)
    with httpx.Client(base_url=served.url, follow_redirects=True, timeout=10) as client:
        page = _check_in_page(client, "12 34 56 78")
    assert page.status_code == 200
    assert "You are checked in" in page.text and 'id="ticket-number"' in page.text
    assert "12345678" not in page.text.replace(" ", "") and "5678" not in page.text
    assert served.fd.booking.find(booking.code).state.value == "checked_in"


def test_a_mobile_number_booked_for_another_day_is_told_the_day(served: Served) -> None:
    booking = _book(served.fd, 1)  # Tuesday 24 November
    with httpx.Client(base_url=served.url, follow_redirects=True, timeout=10) as client:
        page = _check_in_page(client, "+45 12 34 56 78")
    when = booking.start.astimezone(served.fd.tz)
    expected = f"Your time is tomorrow, Tuesday 24 November at {when:%H:%M}."
    assert expected in page.text
    assert served.fd.booking.find(booking.code).state.value == "booked"  # nothing changed


def test_an_unknown_number_is_told_so_and_the_number_is_not_repeated(served: Served) -> None:
    with httpx.Client(base_url=served.url, follow_redirects=True, timeout=10) as client:
        page = _check_in_page(client, "87654321")
    assert page.status_code == 422
    assert 'role="alert"' in page.text and "87654321" not in page.text


def test_after_the_last_ticket_the_kiosk_says_when_it_opens(
    open_frontdesk: Callable[..., Frontdesk],
) -> None:
    clock = monday_morning()
    clock.set(clock.now().replace(hour=14, minute=50))  # Nyropsgade closes at 15:00
    fd = open_frontdesk(clock=clock)
    running = serve(fd)
    try:
        with httpx.Client(base_url=running.url, follow_redirects=True, timeout=10) as client:
            step = client.post("/kiosk/nyropsgade/kiosk-1/start", data={"language": "da"})
            step = client.post(str(step.url), data={"do": "answer", "option": "health_card"})
            done = client.post(str(step.url), data={"do": "answer", "have": ["photo_id"]})
    finally:
        running.stop()
    assert 'data-result="closed"' in done.text
    assert "Vi åbner i morgen, tirsdag 24. november kl. 10.00." in done.text
    assert fd.queues.queue_status("nyropsgade")[3].waiting == 0
