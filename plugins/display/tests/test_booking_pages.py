"""Booking from home in Chromium: choose, book, get a code; find it and cancel it."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from conftest import Served, screenshot

from frontdesk_core.api import BookingState, CapacityError, Contact

WHEN = r"(Monday|Tuesday|Wednesday|Thursday|Friday) \d{1,2} \w+ at \d\d:\d\d"
"""A booking's time as the English pages say it: the day with its weekday, and the time."""


def test_a_citizen_books_from_home_then_cancels_with_the_code(
    served: Served, new_page: Callable[..., Any]
) -> None:
    fd = served.fd
    page = new_page(1000, 1200)
    page.goto(f"{served.url}/book/nyropsgade?lang=en")
    page.wait_for_selector("#services li[data-service=passport]")
    assert page.locator("#services li[data-service=passport_pickup]").count() == 0
    page.click("#services li[data-service=passport] a")
    page.wait_for_selector("#book-form")
    first_day = page.locator("#day").text_content()
    page.click("#later")
    page.wait_for_selector("#day")
    assert page.locator("#day").text_content() != first_day
    page.click("#earlier")
    page.wait_for_selector("#book-form")
    chosen = page.locator("input[name=start]:checked").get_attribute("value")
    page.fill("#phone", "12 34 56 78")
    page.fill("#name", "Jens Hansen")
    screenshot(page, "booking-times")
    page.click("#book")
    page.wait_for_selector("#booking-code")
    code = page.locator("#booking-code").text_content() or ""
    screenshot(page, "booking-done")
    booking = fd.booking.find(code)
    assert booking.start.isoformat() == chosen and booking.language == "en"
    assert fd.store.get_personal(f"booking:{booking.id}") == {
        "phone": "+4512345678",
        "name": "Jens Hansen",
    }
    assert "12 34" not in page.content() and "Jens" not in page.content()
    # The day with its weekday, and the calendar file behind the link on the page.
    assert re.fullmatch(WHEN, page.locator("#booking-when").text_content() or "")
    with page.expect_download() as download:
        page.click("#ics-link")
    ics = Path(download.value.path()).read_text(encoding="utf-8")
    assert "BEGIN:VEVENT" in ics and code in ics and "Jens" not in ics

    # Later, at home again: find the booking by its code and cancel it.
    page.goto(f"{served.url}/booking?lang=en")
    page.fill("#code", "WRONG1")
    page.click("#find")
    page.wait_for_selector(".flash:not(.info)")
    page.fill("#code", code.lower())
    page.click("#find")
    page.wait_for_selector("#cancel-booking")
    assert page.locator("#booking-state").text_content() == "Booked"
    page.click("#cancel-booking")  # asks first; keeping the time changes nothing
    page.wait_for_selector("#confirm-cancel")
    page.click("#keep-booking")
    page.wait_for_selector("#cancel-booking")
    assert fd.booking.find(code).state is BookingState.BOOKED
    page.click("#cancel-booking")
    page.click("#cancel-confirmed")
    page.wait_for_selector(".flash.info")
    assert page.locator("#booking-state").text_content() == "Cancelled"
    assert page.locator("#cancel-booking").count() == 0
    assert fd.booking.find(code).state is BookingState.CANCELLED


def test_a_time_taken_meanwhile_is_refused_in_words(
    served: Served, new_page: Callable[..., Any]
) -> None:
    fd = served.fd
    page = new_page()
    page.goto(f"{served.url}/book/nyropsgade/tax?lang=en")
    page.wait_for_selector("#book-form")
    chosen = page.locator("input[name=start]:checked").get_attribute("value") or ""
    start = datetime.fromisoformat(chosen)
    while True:  # someone else takes every counter at that time meanwhile
        try:
            fd.booking.book("tax", start, contact=Contact())
        except CapacityError:
            break
    page.click("#book")
    page.wait_for_selector(".flash:not(.info)")
    assert "is no longer free" in (page.locator(".flash").text_content() or "")
    assert re.search(WHEN, page.locator(".flash").text_content() or "")
    assert page.locator("#book-form").count() == 1


def test_a_mistake_in_the_form_is_said_in_danish_and_loses_nothing_typed(
    served: Served, new_page: Callable[..., Any]
) -> None:
    page = new_page()
    page.goto(f"{served.url}/book/nyropsgade/passport?lang=da")
    page.wait_for_selector("#book-form")
    second = page.locator("input[name=start]").nth(1)
    chosen = second.get_attribute("value")
    second.check()
    page.fill("#phone", "12 34")
    page.fill("#name", "Jens Hansen")
    page.click("#book")
    page.wait_for_selector(".flash:not(.info)")
    assert page.locator(".flash").text_content() == (
        "Det er ikke et mobilnummer. Skriv 8 cifre, eller + og landekoden først."
    )
    assert page.locator("#phone").input_value() == "12 34"
    assert page.locator("#name").input_value() == "Jens Hansen"
    assert page.locator("input[name=start]:checked").get_attribute("value") == chosen
    assert served.fd.booking.bookings_on(datetime.fromisoformat(chosen or "").date()) == []


def test_a_phone_meeting_is_booked_from_home_with_the_number_to_call(
    served: Served, new_page: Callable[..., Any]
) -> None:
    page = new_page()
    page.goto(f"{served.url}/book/nyropsgade/tax?lang=en")
    page.click("#channels a[data-channel=phone]")
    page.wait_for_selector("#channels strong[data-channel=phone]")
    page.fill("#phone", "+45 87 65 43 21")
    page.click("#book")
    page.wait_for_selector("#booking-code")
    assert "We call you on your mobile number." in page.content()
    booking = served.fd.booking.find(page.locator("#booking-code").text_content() or "")
    assert booking.channel == "phone" and booking.service_id == "tax"


def test_a_citizen_moves_a_booking_to_another_time(
    served: Served, new_page: Callable[..., Any]
) -> None:
    fd = served.fd
    page = new_page()
    page.goto(f"{served.url}/book/nyropsgade/passport?lang=en")
    page.fill("#phone", "12 34 56 78")
    page.click("#book")
    page.wait_for_selector("#booking-code")
    code = page.locator("#booking-code").text_content() or ""
    before = fd.booking.find(code).start
    page.goto(f"{served.url}/booking?lang=en")
    page.fill("#code", code)
    page.click("#find")
    page.click("#move-booking")
    page.wait_for_selector("#moving")
    assert code in (page.locator("#moving").text_content() or "")
    assert page.locator("#phone").count() == 0  # the contact is kept; only the time changes
    page.click("#later")
    page.wait_for_selector("#book-form")
    chosen = page.locator("input[name=start]:checked").get_attribute("value")
    page.click("#book")
    page.wait_for_selector("#booking-code")
    assert page.locator("#booking-code").text_content() == code
    moved = fd.booking.find(code)
    assert moved.start.isoformat() == chosen and moved.start != before
    assert fd.store.get_personal(f"booking:{moved.id}") == {"phone": "+4512345678"}
    # Booking again afterwards is a new booking, not another move.
    page.goto(f"{served.url}/book/nyropsgade/passport?lang=en")
    assert page.locator("#moving").count() == 0
