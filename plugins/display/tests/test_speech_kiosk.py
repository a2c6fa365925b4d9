"""The talking kiosk in Chromium, used as a citizen who cannot see uses it: the keypad only."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import SETTINGS, Served, screenshot, serve
from frontdesk_display.settings import SpeechSettings
from test_languages import AXE_RULES
from test_staff import book_tax_today

from frontdesk_core.api import Frontdesk


@pytest.fixture
def speaking(open_frontdesk: Callable[..., Frontdesk], tmp_path: Path) -> Iterator[Served]:
    """The København example served with speech, its sound kept in the test's folder."""
    speech = SpeechSettings(cache=str(tmp_path / "speech"))
    running = serve(open_frontdesk(), settings=SETTINGS.model_copy(update={"speech": speech}))
    yield running
    running.stop()


def _said(page: Any, since: int = 0) -> list[str]:
    """The sentences the kiosk has said (asked the server for), from the ``since``-th on."""
    said: list[dict[str, str]] = page.evaluate("() => window.frontdeskSaid")
    return [entry["text"] for entry in said[since:]]


def _press(page: Any, key: str, selector: str | None = None) -> int:
    """Press a keypad key (waiting for the page it leads to); how much was said before."""
    before = len(_said(page))
    page.keyboard.press(key)
    if selector is not None:
        page.wait_for_selector(selector)
        return 0  # a new page starts a new log
    return before


def test_a_citizen_who_cannot_see_takes_a_ticket_and_hears_it_called(
    speaking: Served, new_page: Callable[..., Any]
) -> None:
    running = speaking
    kiosk = new_page(1080, 1920)
    kiosk.goto(f"{running.url}/kiosk/nyropsgade/kiosk-1")
    # Any key on the start page says how speech is started, in every language.
    kiosk.keyboard.press("5")
    kiosk.wait_for_function("() => window.frontdeskSaid.length === 2")
    assert _said(kiosk) == [
        "Tryk plus for tale. Tryk stjerne for stor skrift.",
        "Press plus for speech. Press star for large text.",
    ]
    kiosk.keyboard.press("+")
    assert kiosk.locator("body[data-speech=on]").count() == 1
    start = _said(kiosk, 2)
    assert start[0] == "Tale er slået til."
    assert start[-3:] == [
        "Tryk 1: Dansk",
        "Press 2: English",
        "Tryk 0 for at høre det igen, og minus for at gå tilbage.",
    ]

    _press(kiosk, "2", "[data-step=errand]")
    question = _said(kiosk)
    assert question[:2] == ["What brings you here today?", "Tap the one that fits best."]
    assert question[2:] == [
        "Press 1: I have an appointment",
        "Press 2: Passport",
        "Press 3: Driving licence",
        "Press 4: Health insurance card. The yellow card",
        "Press 5: MitID",
        "Press 6: Change of address",
        "Press 7: Tax",
        "Press 8: Cash benefit",
        "Press 9: more choices",
        "Press 0 to hear this again, and minus to go back.",
    ]
    before = _press(kiosk, "0")  # repeat
    assert _said(kiosk, before) == question
    before = _press(kiosk, "9")  # the next eight choices
    assert _said(kiosk, before) == [
        "Press 1: Pension",
        "Press 2: Jobs, unemployment benefit and activation",
        "Press 3: Something else",
        "Press 9: more choices",
    ]
    _press(kiosk, "9")  # back to the first eight
    _press(kiosk, "4", "[data-kind=checklist]")
    checklist = _said(kiosk)
    assert checklist[0] == "Do you have this with you?"
    assert checklist[-3].startswith("Press 1: Photo ID")
    assert checklist[-2] == "Press 2: Continue"
    _press(kiosk, "-", "[data-step=errand]")  # back, then forward again
    _press(kiosk, "4", "[data-kind=checklist]")
    before = _press(kiosk, "1")
    assert kiosk.is_checked("input[value=photo_id]")
    (ticked,) = _said(kiosk, before)
    assert ticked.startswith("Ticked: Photo ID")
    _press(kiosk, "2", "[data-result=queue]")
    number = kiosk.locator("#ticket-number").text_content()
    assert number == "G001"
    result = _said(kiosk)
    assert result[0] == "Your number", result
    assert "Your number is G 1." in result
    assert any(line.startswith("Go to:") for line in result), result
    assert result[-2:] == ["Press 1: Done", "Press 0 to hear this again, and minus to go back."]
    # Every sentence came from the server as sound (WAV files of some length).
    kiosk.wait_for_function("() => window.frontdeskSaid.every(e => e.sound > 10000)")

    screen = new_page(1920, 1080)
    screen.goto(f"{running.url}/screen/nyropsgade")
    screen.wait_for_selector("body[data-link=open]", state="attached")
    running.fd.queues.sign_in("skranke-2", "anna")
    running.fd.queues.call_next("skranke-2")
    screen.wait_for_function("() => window.frontdeskSpoken.length === 1")
    (heard,) = screen.evaluate("() => window.frontdeskSpoken")
    assert heard["texts"] == ["Nummer G 1, Skranke 2", "Number G 1, Counter 2"]


def test_the_kiosk_warns_before_it_starts_again_and_gives_more_time(
    open_frontdesk: Callable[..., Frontdesk], new_page: Callable[..., Any], tmp_path: Path
) -> None:
    settings = SETTINGS.model_copy(
        update={
            "kiosk_idle": timedelta(seconds=4.5),
            "speech": SpeechSettings(cache=str(tmp_path / "speech")),
        }
    )
    running = serve(open_frontdesk(), settings=settings)
    try:
        kiosk = new_page(1080, 1920)
        kiosk.goto(f"{running.url}/kiosk/nyropsgade/kiosk-1")
        kiosk.keyboard.press("+")
        _press(kiosk, "1", "[data-step=errand]")
        kiosk.wait_for_selector("#idle-warning:not([hidden])", timeout=4000)
        assert kiosk.locator("#more-time").evaluate("b => b === document.activeElement")
        kiosk.wait_for_function(
            "() => window.frontdeskSaid.some(e => e.text.startsWith('Er du der stadig?'))"
        )
        kiosk.keyboard.press("Enter")  # on "Mere tid": more time
        assert kiosk.locator("#idle-warning").is_hidden()
        assert _said(kiosk)[-1] == "Du har fået mere tid."
        kiosk.wait_for_timeout(2500)  # past the first time-out: still on the question
        assert kiosk.locator("[data-step=errand]").count() == 1
        kiosk.wait_for_selector("[data-step=errand]", state="detached", timeout=4000)
    finally:
        running.stop()


def _violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.2 AA violations on the page as it is now (the language tests' rules)."""
    results = Axe().run(page, options=AXE_RULES)
    return [f"{v['id']}: {v['nodes'][0]['target']}" for v in results.response["violations"]]


def test_every_mode_of_the_kiosk_and_the_speaking_screen_pass_axe_core(
    served: Any, new_page: Callable[..., Any]
) -> None:
    kiosk = new_page(1080, 1920)
    kiosk.goto(f"{served.url}/kiosk/nyropsgade/kiosk-1")
    assert _violations(kiosk) == []
    kiosk.keyboard.press("+")
    kiosk.keyboard.press("*")
    assert kiosk.locator("html.kiosk-large").count() == 1
    assert _violations(kiosk) == []  # speech and large text on the start page
    _press(kiosk, "2", "[data-step=errand]")
    assert kiosk.locator("body[data-speech=on][data-large=on]").count() == 1
    kiosk.evaluate("document.getElementById('idle-warning').hidden = false")
    assert _violations(kiosk) == []  # large text, with the warning showing
    screenshot(kiosk, "kiosk-large-text")
    kiosk.keyboard.press("*")
    _press(kiosk, "4", "[data-kind=checklist]")
    assert _violations(kiosk) == []  # speech with normal text
    screen = new_page(1920, 1080)
    screen.goto(f"{served.url}/screen/nyropsgade")
    screen.wait_for_selector("body[data-link=open]", state="attached")
    assert _violations(screen) == []


def test_a_booked_citizen_who_cannot_see_checks_in_by_keypad_and_hears_the_call(
    speaking: Served, new_page: Callable[..., Any]
) -> None:
    running = speaking
    booking, counter_id, clock = book_tax_today(running.fd, phone="+45 12 34 56 78")
    clock.set(booking.start - timedelta(minutes=10))
    screen = new_page(1920, 1080)
    screen.goto(f"{running.url}/screen/nyropsgade")
    kiosk = new_page(1080, 1920)
    kiosk.goto(f"{running.url}/kiosk/nyropsgade/kiosk-3")
    kiosk.keyboard.press("+")
    _press(kiosk, "1", "[data-step=errand]")
    assert _said(kiosk)[2] == "Tryk 1: Jeg har bestilt tid"
    _press(kiosk, "1", "[data-step=check-in]")
    assert _said(kiosk)[0] == "Indtast koden fra din bekræftelse, eller dit mobilnummer."
    kiosk.keyboard.type("12345678")  # the keypad's digits go into the field
    _press(kiosk, "Enter", "[data-result=check_in]")
    number = kiosk.locator("#ticket-number").text_content() or ""
    result = _said(kiosk)
    assert f"Dit nummer er S {int(number[1:])}." in result, result
    assert "12345678" not in " ".join(result)  # what was typed is never read back

    screen.wait_for_selector("body[data-link=open]", state="attached")
    running.fd.queues.sign_in(counter_id, "anna")
    running.fd.queues.call_next(counter_id)
    screen.wait_for_function("() => window.frontdeskSpoken.length === 1")
    (heard,) = screen.evaluate("() => window.frontdeskSpoken")
    assert heard["texts"][0].startswith(f"Nummer S {int(number[1:])}, Skranke ")
