"""Every page in Danish, English and Arabic in Chromium: the right ``lang`` and ``dir``,
no WCAG 2.2 AA violation found by axe-core, no English word on a Danish page, and a
screenshot of each (test-artifacts/display/<page>-<language>.png)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from babel.messages.pofile import read_po
from conftest import Served, monday_morning, screenshot, serve, sign_in
from frontdesk_display import plugin
from frontdesk_display.i18n import LOCALES, catalog_path

from frontdesk_core.api import Config, Frontdesk, make_plugin_manager

AXE_RULES = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}
LANGUAGES = ("da", "en", "ar")
# Words an English and a Danish page both use (names, abbreviations, loan words).
# A page's Danish text: hidden parts too, without parts marked as another language (the
# language choice, the info screen's second language).
DANISH_TEXT = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll("script, style, [lang]:not([lang=da])").forEach(e => e.remove());
  return document.title + " " + body.textContent;
}"""
SHARED_WORDS = {"status", "sms", "printer", "min", "pause", "json", "api", "openapi", "ics"}


@cache
def english_words() -> frozenset[str]:
    """The words of the display's English messages that no Danish message uses."""
    with (LOCALES / "frontdesk_display.pot").open("rb") as handle:
        template = read_po(handle)
    with catalog_path("da").open("rb") as handle:
        danish = read_po(handle, locale="da")

    def words(texts: Any) -> set[str]:
        found: set[str] = set()
        for text in texts if isinstance(texts, tuple) else (texts,):
            text = re.sub(r"%\(\w+\)s|EEEE|MMMM|HH|mm", " ", text or "")
            found |= {w.lower() for w in re.findall(r"[A-Za-zÆØÅæøå]{2,}", text)}
        return found

    english = set().union(*(words(m.id) for m in template if m.id))
    used_in_danish = set().union(*(words(m.string) for m in danish if m.id))
    return frozenset(english - used_in_danish - SHARED_WORDS)


@pytest.fixture(scope="module")
def trilingual(kobenhavn: Config) -> Config:
    """The København example with Arabic as a third language of the site (its own texts
    then fall back to Danish; the pages' words come from the Arabic catalog)."""
    site = kobenhavn.site.model_copy(update={"languages": ["da", "en", "ar"]})
    return kobenhavn.model_copy(update={"site": site})


@pytest.fixture
def served_three(trilingual: Config, tmp_path: Path) -> Iterator[Served]:
    pm = make_plugin_manager(load_entrypoints=False, plugins=[plugin])
    fd = Frontdesk.open(
        trilingual, store=str(tmp_path / "fd.db"), clock=monday_morning(), plugins=pm
    )
    running = serve(fd)
    yield running
    running.stop()
    fd.close()


class Checker:
    """Checks and photographs each page of one language."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.axe = Axe()
        self.problems: list[str] = []

    def check(self, page: Any, name: str, *, language: str | None = None) -> None:
        expected = language or self.language
        html = page.locator("html")
        assert html.get_attribute("lang") == expected, name
        assert html.get_attribute("dir") == ("rtl" if expected == "ar" else "ltr"), name
        results = self.axe.run(page, options=AXE_RULES)
        if results.violations_count:
            self.problems.append(f"{name}: {results.generate_report()}")
        if expected == "da":
            text = page.evaluate(DANISH_TEXT)
            found = {w.lower() for w in re.findall(r"[A-Za-zÆØÅæøå]{2,}", text)}
            english = sorted(found & english_words())
            if english:
                self.problems.append(f"{name}: English words on a Danish page: {english}")
        screenshot(page, f"{name}-{self.language}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_in_each_language(
    served_three: Served, new_page: Callable[..., Any], language: str
) -> None:
    url = served_three.url
    check = Checker(language)

    kiosk = new_page(1080, 1920)
    kiosk.goto(f"{url}/kiosk/nyropsgade/kiosk-1")
    check.check(kiosk, "kiosk-language", language="da")
    kiosk.click(f"button[lang={language}]")
    kiosk.wait_for_selector("[data-step=errand]")
    check.check(kiosk, "kiosk-question")
    kiosk.click("[data-option=health_card]")
    kiosk.wait_for_selector("[data-kind=checklist]")
    check.check(kiosk, "kiosk-checklist")
    kiosk.check("input[value=photo_id]")
    kiosk.click("#continue")
    kiosk.wait_for_selector("[data-result=queue]")
    check.check(kiosk, "kiosk-ticket")

    home = new_page()
    home.goto(f"{url}/book/nyropsgade?lang={language}")
    check.check(home, "book-services")
    home.click("#services li[data-service=passport] a")
    home.wait_for_selector("#book-form")
    check.check(home, "book-times")
    home.fill("#phone", "12")
    home.click("#book")
    home.wait_for_selector(".flash")
    check.check(home, "book-mistake")
    home.fill("#phone", "12 34 56 78")
    home.click("#book")
    home.wait_for_selector("#booking-code")
    check.check(home, "book-done")
    code = home.locator("#booking-code").text_content() or ""
    home.goto(f"{url}/booking?lang={language}")
    home.fill("#code", code)
    home.click("#find")
    home.click("#cancel-booking")
    home.wait_for_selector("#confirm-cancel")
    check.check(home, "book-cancel")

    staff = new_page()
    staff.goto(f"{url}/login?lang={language}")
    check.check(staff, "sign-in")
    sign_in(staff, url, "anna")
    staff.wait_for_selector("#sign-in-counter")
    check.check(staff, "choose-counter")
    staff.check('input[value="skranke-2"]')
    staff.click("#sign-in-counter")
    staff.click("#do-call_next")
    staff.wait_for_selector("#current-state")
    staff.wait_for_selector("#link[data-state=open]")
    check.check(staff, "employee")
    staff.goto(f"{url}/no-such-page")
    check.check(staff, "not-found")

    manager = new_page(1400, 1200)
    manager.goto(f"{url}/login?lang={language}")
    sign_in(manager, url, "mette")
    manager.wait_for_selector("#link[data-state=open]")
    check.check(manager, "manager")

    if language == "da":  # the info screen speaks the site's languages at once
        screen = new_page(1920, 1080)
        screen.goto(f"{url}/screen/nyropsgade")
        screen.wait_for_selector("#called tr[data-number]")
        check.check(screen, "info-screen")

    assert not check.problems, "\n".join(check.problems)
