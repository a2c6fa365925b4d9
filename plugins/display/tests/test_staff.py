"""Staff pages in Chromium: the check-in pop-up, the manager's counters, faults and info pane."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from conftest import Served, screenshot, sign_in

from frontdesk_core.api import Booking, Contact, DeviceFault, Frontdesk, ManualClock


def at_counter(page: Any, url: str, username: str, counter_id: str) -> None:
    """Sign in and sit down at a counter."""
    sign_in(page, url, username)
    page.check(f'input[value="{counter_id}"]')
    page.click("#sign-in-counter")
    page.wait_for_selector(f'[data-counter="{counter_id}"]')
    page.wait_for_selector("#link[data-state=open]")


def book_tax_today(
    fd: Frontdesk, *, phone: str = "+45 12 34 56 78", channel: str = "in_person"
) -> tuple[Booking, str, ManualClock]:
    """A tax booking later today; the booking, its counter and the test's clock."""
    clock = fd.clock
    assert isinstance(clock, ManualClock)
    now = clock.now()
    slot = next(
        s
        for s in fd.booking.free_slots("tax", now.date(), now.date(), channel=channel)
        if s.start >= now + timedelta(hours=2)
    )
    booking = fd.booking.book("tax", slot.start, contact=Contact(phone=phone), channel=channel)
    return booking, booking.counter_id or "skranke-4", clock


def test_a_booked_citizen_checks_in_and_the_employee_gets_a_pop_up(
    served: Served, new_page: Callable[..., Any]
) -> None:
    fd = served.fd
    booking, counter_id, clock = book_tax_today(fd)
    clock.set(booking.start - timedelta(minutes=10))

    employee = new_page()
    at_counter(employee, served.url, "anna", counter_id)
    other = new_page()
    other_counter = "skranke-1" if counter_id != "skranke-1" else "skranke-2"
    at_counter(other, served.url, "bo", other_counter)

    kiosk = new_page(1080, 1920)
    kiosk.goto(f"{served.url}/kiosk/nyropsgade/kiosk-3")
    kiosk.click("button[lang=da]")
    kiosk.click("[data-option=booked]")
    kiosk.fill("#code", "WRONG1")
    kiosk.click("#check-in")
    kiosk.wait_for_selector(".flash[role=alert]")
    kiosk.fill("#code", booking.code)
    kiosk.click("#check-in")
    kiosk.wait_for_selector("[data-result=check_in]")
    number = kiosk.locator("#ticket-number").text_content()
    assert number and number.startswith("S")
    screenshot(kiosk, "kiosk-checked-in")

    employee.wait_for_selector("#popup:not([hidden])", timeout=1000)
    assert employee.locator("#popup-number").text_content() == number
    assert employee.locator("#popup-service").text_content() == "Skat"
    assert employee.locator("#popup-time").text_content() == (
        f"{booking.start.astimezone(fd.tz):%H.%M}"  # as Danish writes it
    )
    screenshot(employee, "employee-check-in-pop-up")
    # Only the employee the booking belongs to is disturbed.
    other.wait_for_timeout(200)
    assert other.locator("#popup").is_hidden()
    employee.click("#popup-close")
    assert employee.locator("#popup").is_hidden()


def test_a_phone_meeting_comes_due_on_its_employee_dashboard_with_the_number(
    served: Served, new_page: Callable[..., Any]
) -> None:
    fd = served.fd
    booking, counter_id, clock = book_tax_today(fd, phone="+45 87 65 43 21", channel="phone")
    clock.set(booking.start - timedelta(seconds=2))

    employee = new_page()
    at_counter(employee, served.url, "anna", counter_id)
    other = new_page()
    other_counter = "skranke-1" if counter_id != "skranke-1" else "skranke-2"
    at_counter(other, served.url, "bo", other_counter)
    assert employee.locator("#phone-meetings").count() == 0
    # The page knows when the meeting comes due and shows it then, number and all.
    clock.set(booking.start)
    employee.wait_for_selector("#phone-meetings", timeout=5000)
    assert employee.locator(".phone-number").text_content() == "+4587654321"
    screenshot(employee, "employee-phone-meeting")
    other.reload()
    assert other.locator("#phone-meetings").count() == 0  # only its own employee sees it
    employee.click("#phone-meetings button[value=reached]")
    employee.wait_for_selector(f'[data-counter="{counter_id}"]')
    assert employee.locator("#phone-meetings").count() == 0
    assert fd.booking.find(booking.code).state == "done"


def test_a_manager_closes_a_counter_and_edits_the_info_pane(
    served: Served, new_page: Callable[..., Any]
) -> None:
    employee = new_page()
    at_counter(employee, served.url, "anna", "skranke-1")
    screen = new_page(1920, 1080)
    screen.goto(f"{served.url}/screen/nyropsgade")
    screen.wait_for_selector('#queues tr[data-queue="pas"].open')

    manager = new_page(1400, 1000)
    sign_in(manager, served.url, "mette")
    manager.wait_for_selector('tr[data-counter="skranke-1"] .counter-status[data-status=open]')
    manager.wait_for_selector("#link[data-state=open]")
    assert manager.locator("[data-kpi=open_counters]").text_content() == "1"
    screenshot(manager, "manager-dashboard")
    manager.click("#toggle-skranke-1")
    manager.wait_for_selector('tr[data-counter="skranke-1"] .counter-status[data-status=closed]')
    assert manager.locator("[data-kpi=open_counters]").text_content() == "0"
    assert served.fd.queues.counter("skranke-1").status == "closed"
    # The log knows the employee by reference, never by name.
    signed_in = list(served.fd.store.read(kinds=["counter.signed_in"]))
    assert [e.payload.employee_ref for e in signed_in] == ["A17"]
    screen.wait_for_selector('#queues tr[data-queue="pas"].closed', timeout=1000)
    # The employee's dashboard follows the manager's change by itself.
    employee.wait_for_selector("#do-call_next")
    employee.wait_for_function(
        "JSON.parse(document.getElementById('dash-config').textContent).mine.status === 'closed'"
    )
    employee.click("#do-call_next")
    assert "Skranken er lukket" in (employee.locator(".flash").text_content() or "")

    # Move counter 2 from passports and general errands to tax only.
    row = manager.locator('tr[data-counter="skranke-2"]')
    for queue_id in ("pas", "generel"):
        row.locator(f'input[value="{queue_id}"]').uncheck()
    row.locator('input[value="skat"]').check()
    row.locator("button.move-queues").click()
    manager.wait_for_selector('tr[data-counter="skranke-2"] input[value="skat"]:checked')
    assert served.fd.queues.counter("skranke-2").queue_ids == ("skat",)

    manager.fill("#info-text", "Skranke 1 er lukket <i>i dag</i>")
    manager.click("#save-info")
    manager.wait_for_selector("#info-text")
    screen.wait_for_function(
        "document.getElementById('info').textContent === 'Skranke 1 er lukket <i>i dag</i>'",
        timeout=1000,
    )
    assert screen.locator("#info i").count() == 0  # shown as text, never as markup
    screenshot(screen, "info-screen-info-pane")

    served.fd.hooks.device_fault(
        DeviceFault("kiosk-1", "nyropsgade", "paper_out", "No paper", datetime.now(UTC))
    )
    manager.wait_for_selector(
        "#faults li[data-fault]:has-text('papiret er sluppet op')", timeout=1000
    )
    manager.click("#faults li[data-fault] button")
    manager.wait_for_selector("#faults li.none, #faults:not(:has(li[data-fault]))")
    assert manager.locator("#faults li[data-fault]").count() == 0


def test_staff_pages_need_sign_in_and_the_right_role(
    served: Served, new_page: Callable[..., Any]
) -> None:
    page = new_page()
    page.goto(f"{served.url}/manager")
    assert "/login" in page.url
    screenshot(page, "sign-in")
    page.fill("#username", "anna")
    page.fill("#password", "wrong")
    page.click("button[type=submit]")
    assert page.locator(".flash").text_content() == "Forkert brugernavn eller adgangskode."
    sign_in(page, served.url, "anna")
    response = page.goto(f"{served.url}/manager")
    assert response is not None and response.status == 403


def test_a_check_in_at_another_server_pops_up_here(
    served: Served, open_frontdesk: Callable[..., Frontdesk], new_page: Callable[..., Any]
) -> None:
    fd = served.fd
    booking, counter_id, clock = book_tax_today(fd)
    clock.set(booking.start - timedelta(minutes=10))
    employee = new_page()
    at_counter(employee, served.url, "anna", counter_id)

    # The kiosk talks to another server on the same database (same clock: same building).
    elsewhere = open_frontdesk(clock=clock)
    checked = elsewhere.booking.check_in(booking.code)
    assert checked.ticket is not None
    employee.wait_for_selector("#popup:not([hidden])", timeout=3000)
    assert employee.locator("#popup-number").text_content() == checked.ticket.number
    assert employee.locator("#popup-service").text_content() == "Skat"
    # Announced once: the next look at the log does not bring it back.
    employee.click("#popup-close")
    employee.wait_for_timeout(1500)
    assert employee.locator("#popup").is_hidden()


def test_a_manager_records_an_absence_and_the_booking_moves(
    served: Served, new_page: Callable[..., Any]
) -> None:
    fd = served.fd
    day = fd.clock.now().date() + timedelta(days=1)
    slot = next(s for s in fd.booking.free_slots("passport", day, day) if s.free >= 2)
    booking = fd.booking.book("passport", slot.start, contact=Contact(phone="+45 12 34 56 78"))
    manager = new_page(1400, 1200)
    sign_in(manager, served.url, "mette")
    manager.wait_for_selector("#absence-form")
    assert manager.locator("#absences li.none").is_visible()
    manager.select_option("#absence-counter", booking.counter_id)
    start = slot.start - timedelta(hours=1)
    manager.fill("#absence-start", f"{start:%Y-%m-%dT%H:%M}")
    manager.fill("#absence-end", f"{start + timedelta(hours=4):%Y-%m-%dT%H:%M}")
    manager.select_option("#absence-reason", "sick")
    manager.click("#record-absence")
    manager.wait_for_selector(".flash.info")
    assert "1 booking er flyttet" in (manager.locator(".flash.info").text_content() or "")
    manager.wait_for_selector("#absences li[data-absence]:has-text('Sygdom')")
    screenshot(manager, "manager-absence")
    moved = fd.booking.find(booking.code)
    assert moved.counter_id != booking.counter_id and moved.start == booking.start
    # The employee is back: the counter takes bookings again.
    manager.click("#absences li[data-absence] button")
    manager.wait_for_selector("#absences li.none")
    assert fd.booking.absences() == []
    # An end before the start is refused in words, and nothing is recorded.
    manager.select_option("#absence-counter", booking.counter_id)
    manager.fill("#absence-start", f"{start:%Y-%m-%dT%H:%M}")
    manager.fill("#absence-end", f"{start - timedelta(hours=1):%Y-%m-%dT%H:%M}")
    manager.click("#record-absence")
    manager.wait_for_selector(".flash:not(.info)")
    assert "skal slutte, efter det begynder" in (manager.locator(".flash").text_content() or "")
    assert fd.booking.absences() == []


def test_a_dashboard_open_elsewhere_goes_to_sign_in_when_its_session_ends(
    served: Served, new_page: Callable[..., Any]
) -> None:
    dashboard = new_page()
    at_counter(dashboard, served.url, "anna", "skranke-1")
    # The same session signs out in another tab of the same browser.
    other = dashboard.context.new_page()
    other.goto(f"{served.url}/staff")
    other.locator("form[action$='/logout'] button").click()
    dashboard.wait_for_url("**/login**", timeout=15_000)  # the stream looks every second
