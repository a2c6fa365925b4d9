"""The theme's colours are checked against WCAG 2.2 AA where they are written, and the
icons a tree names must be in the icon set."""

from __future__ import annotations

from pathlib import Path

import pytest
from frontdesk_display import plugin
from frontdesk_display.common.icons import icon, icon_names
from frontdesk_display.settings import SECTION, DisplaySettings
from frontdesk_display.theme import contrast

from frontdesk_core.api import Hooks, check, check_section, make_plugin_manager

ROOT = Path(__file__).resolve().parents[3]


def test_contrast_ratios_as_wcag_computes_them() -> None:
    assert contrast("#000", "#fff") == pytest.approx(21.0)
    assert contrast("#fff", "#fff") == pytest.approx(1.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the AA edge
    assert contrast("#14213d", "#f7f7f2") == contrast("#f7f7f2", "#14213d")


def test_a_colour_below_aa_is_rejected_at_its_position(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("display.yaml").write_text(
        "display:\n"
        "  theme:\n"
        "    colours:\n"
        "      background: '#ffffff'\n"
        "      text: '#999999'\n"
        "      accent: '#2a9d8f'\n"
        "      accent_text: '#ffffff'\n",
        encoding="utf-8",
    )
    _, problems = check_section("display.yaml", SECTION, DisplaySettings)
    assert [str(p) for p in problems] == [
        "display.yaml:5:13: text on the background: #999999 on #ffffff has a contrast of "
        "2.85:1; WCAG 2.2 AA needs at least 4.5:1",
        "display.yaml:6:15: accent text on the surface: #2a9d8f on #ffffff has a contrast of "
        "3.32:1; WCAG 2.2 AA needs at least 4.5:1",
    ]


def test_a_readable_theme_and_the_defaults_pass(tmp_path: Path) -> None:
    path = tmp_path / "display.yaml"
    path.write_text(
        "display:\n  theme:\n    logo: logo.svg\n    font: '\"KBH Tekst\", sans-serif'\n"
        "    colours: {background: '#fbfaf7', text: '#1d1d1b', accent: '#1d3557'}\n",
        encoding="utf-8",
    )
    settings, problems = check_section(path, SECTION, DisplaySettings)
    assert problems == [] and settings is not None
    assert settings.theme.colours.accent_text == "#ffffff"
    assert DisplaySettings().theme.colours.accent == "#005f73"


def test_an_unknown_icon_is_a_problem_with_a_suggestion(tmp_path: Path) -> None:
    source = (ROOT / "examples" / "kobenhavn").resolve()
    target = tmp_path / "kbh"
    for file in source.rglob("*.yaml"):
        out = target / file.relative_to(source)
        out.parent.mkdir(parents=True, exist_ok=True)
        text = file.read_text(encoding="utf-8")
        out.write_text(text.replace("icon: calendar-check", "icon: calendar-chek"), "utf-8")
    hooks = Hooks(make_plugin_manager(load_entrypoints=False, plugins=[plugin]))
    _, problems = check(target, hooks.load_context())
    assert [p.message for p in problems] == [
        "the icon set (Lucide) has no icon 'calendar-chek'; did you mean 'calendar-check'?"
    ]


def test_icons_are_inline_svg_hidden_from_screen_readers() -> None:
    assert "calendar-check" in icon_names() and len(icon_names()) > 1000
    svg = str(icon("calendar-check"))
    assert svg.startswith("<svg") and 'aria-hidden="true"' in svg and 'class="icon"' in svg
    assert str(icon("no-such-icon")) == "" and str(icon(None)) == ""
