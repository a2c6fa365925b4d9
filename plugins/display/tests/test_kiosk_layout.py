"""The kiosk fills portrait and landscape touch screens, shows its icons and the theme.

Each page is loaded at 1080x1920 and 1920x1080: nothing overflows (no scrolling on a
touch screen), the content reaches down the screen, and a screenshot of each is kept
under test-artifacts/display/ for the documentation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import SETTINGS, Served, serve
from frontdesk_display.theme import Colours, Theme

from frontdesk_core.api import Frontdesk

SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="60" viewBox="0 0 240 60">'
    '<rect width="60" height="60" fill="#1d3557"/><text x="70" y="40" font-size="28" '
    'fill="#1d3557">Kommune</text></svg>'
)


@pytest.fixture
def themed(open_frontdesk: Callable[..., Frontdesk], tmp_path: Path) -> Iterator[Served]:
    """København served with a municipality's theme and logo."""
    logo = tmp_path / "logo.svg"
    logo.write_text(LOGO, encoding="utf-8")
    theme = Theme(
        logo=str(logo),
        logo_alt="Københavns Kommune",
        font='"DejaVu Sans", system-ui, sans-serif',
        colours=Colours(background="#fbfaf7", text="#1d1d1b", accent="#1d3557"),
    )
    running = serve(open_frontdesk(), settings=SETTINGS.model_copy(update={"theme": theme}))
    yield running
    running.stop()


def fits(page: Any) -> dict[str, float]:
    """How the page sits in the viewport."""
    return page.evaluate(
        """() => {
            const doc = document.documentElement;
            const nav = [...document.querySelectorAll('.kiosk-nav')].pop();
            const body = document.querySelector('.kiosk-body');
            return {
                height: window.innerHeight, width: window.innerWidth,
                scrollHeight: doc.scrollHeight, scrollWidth: doc.scrollWidth,
                navBottom: nav ? nav.getBoundingClientRect().bottom : 0,
                bodyHeight: body ? body.getBoundingClientRect().height : 0,
            };
        }"""
    )


def check_layout(page: Any, name: str, *, nav: bool = True) -> None:
    from conftest import screenshot

    box = fits(page)
    assert box["scrollHeight"] <= box["height"] + 1, f"{name}: the page scrolls: {box}"
    assert box["scrollWidth"] <= box["width"] + 1, f"{name}: the page is too wide: {box}"
    if nav:
        assert box["navBottom"] >= 0.9 * box["height"], f"{name}: the buttons float high: {box}"
    assert box["bodyHeight"] >= 0.45 * box["height"], f"{name}: the content is small: {box}"
    screenshot(page, name)


@pytest.mark.parametrize("orientation", sorted(SIZES))
def test_the_kiosk_fills_the_screen_with_icons_and_theme(
    themed: Served, new_page: Callable[..., Any], orientation: str
) -> None:
    width, height = SIZES[orientation]
    kiosk = new_page(width, height)
    kiosk.goto(f"{themed.url}/kiosk/nyropsgade/kiosk-1")
    assert kiosk.locator("img.logo").get_attribute("alt") == "Københavns Kommune"
    assert kiosk.evaluate("document.querySelector('img.logo').naturalWidth") == 240
    check_layout(kiosk, f"kiosk-{orientation}-language", nav=False)
    kiosk.click("button[lang=da]")
    kiosk.wait_for_selector("[data-step=errand]")
    # Every option of the København tree names a Lucide icon, drawn as inline SVG.
    options = kiosk.locator("[data-option]")
    assert options.count() == kiosk.locator("[data-option] svg.icon").count() == 11
    accent = kiosk.evaluate("getComputedStyle(document.querySelector('#restart')).color")
    assert accent == "rgb(29, 53, 87)"  # the theme's accent
    check_layout(kiosk, f"kiosk-{orientation}-question")
    kiosk.click("[data-option=health_card]")
    kiosk.wait_for_selector("[data-kind=checklist]")
    check_layout(kiosk, f"kiosk-{orientation}-checklist")
    kiosk.check("input[value=photo_id]")
    kiosk.click("#continue")
    kiosk.wait_for_selector("[data-result=queue]")
    check_layout(kiosk, f"kiosk-{orientation}-ticket")


def test_the_theme_stylesheet_and_a_missing_logo(served: Served) -> None:
    css = httpx.get(f"{served.url}/theme.css", timeout=5)
    assert css.headers["content-type"].startswith("text/css")
    assert "--accent: #005f73;" in css.text and "--paper: #f7f7f2;" in css.text
    assert httpx.get(f"{served.url}/theme/logo", timeout=5).status_code == 404
