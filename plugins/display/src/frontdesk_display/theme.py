"""A municipality's look: logo, colours and font, in the ``display:`` section.

Every colour pair the pages put text or controls on is checked against WCAG 2.2
level AA when the configuration is validated, and a pair below it is an error at
the position of the colour that fails (text 4.5:1; buttons' outlines against the
page, 3:1)::

    display:
      theme:
        logo: branding/kk-logo.svg
        font: '"KBH Tekst", system-ui, sans-serif'
        colours: {background: "#f7f7f2", text: "#14213d", accent: "#005f73"}
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints, ValidationInfo, field_validator

from frontdesk_core.api import Model

Colour = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"),
    Field(description="A colour as '#rrggbb' or '#rgb'."),
]
TEXT_AA = 4.5
"""WCAG 2.2 AA, 1.4.3: normal text against its background."""
CONTROL_AA = 3.0
"""WCAG 2.2 AA, 1.4.11: a control's boundary against what is next to it."""


def channels(colour: str) -> tuple[int, int, int]:
    """``#14213d`` as (20, 33, 61); ``#fff`` as (255, 255, 255)."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def luminance(colour: str) -> float:
    """Relative luminance as WCAG defines it (0 black, 1 white)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """The contrast ratio of two colours, from 1 (none) to 21 (black on white)."""
    a, b = sorted((luminance(one), luminance(other)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _require(colour: str, against: str | None, needed: float, what: str) -> str:
    if against is None:
        return colour
    ratio = contrast(colour, against)
    if ratio < needed:
        raise ValueError(
            f"{what}: {colour} on {against} has a contrast of {ratio:.2f}:1; WCAG 2.2 AA "
            f"needs at least {needed:g}:1"
        )
    return colour


def _earlier(info: ValidationInfo, name: str) -> str | None:
    """A colour validated before this one (pydantic's fields so far, in declared order)."""
    value = info.data.get(name)
    return value if isinstance(value, str) else None


class Colours(Model):
    """The pages' colours; each is checked against the colours it is shown on."""

    background: Colour = Field("#f7f7f2", description="The page.")
    surface: Colour = Field("#ffffff", description="Cards, tickets and buttons' insides.")
    text: Colour = Field("#14213d", description="Text on the page and on cards.")
    accent: Colour = Field(
        "#005f73", description="Buttons and links: text on cards, and filled buttons."
    )
    accent_text: Colour = Field("#ffffff", description="Text on filled (accent) buttons.")

    @field_validator("text")
    @classmethod
    def _text_readable(cls, value: str, info: ValidationInfo) -> str:
        _require(value, _earlier(info, "background"), TEXT_AA, "text on the background")
        return _require(value, _earlier(info, "surface"), TEXT_AA, "text on the surface")

    @field_validator("accent")
    @classmethod
    def _accent_readable(cls, value: str, info: ValidationInfo) -> str:
        _require(value, _earlier(info, "surface"), TEXT_AA, "accent text on the surface")
        return _require(value, _earlier(info, "background"), CONTROL_AA, "buttons on the page")

    @field_validator("accent_text")
    @classmethod
    def _accent_text_readable(cls, value: str, info: ValidationInfo) -> str:
        return _require(value, _earlier(info, "accent"), TEXT_AA, "text on accent buttons")


_FONT = r"^[A-Za-z0-9 ,'\"_-]{1,200}$"


class Theme(Model):
    """A municipality's logo, colours and font on the kiosk and the screens."""

    logo: str | None = Field(
        None,
        description=(
            "An SVG or PNG file shown at the top of the kiosk (a path relative to where the "
            "server runs, or absolute)."
        ),
    )
    logo_alt: str | None = Field(
        None, description="The logo's text for screen readers; default: the site's name."
    )
    font: Annotated[str, StringConstraints(strict=True, pattern=_FONT)] = Field(
        'system-ui, "Segoe UI", Roboto, sans-serif',
        description="A CSS font list, e.g. '\"KBH Tekst\", system-ui, sans-serif'.",
    )
    colours: Colours = Field(default_factory=Colours)

    @field_validator("logo")
    @classmethod
    def _logo_is_an_image(cls, value: str | None) -> str | None:
        if value is not None and Path(value).suffix.lower() not in LOGO_TYPES:
            raise ValueError("the logo must be an .svg or .png file")
        return value


LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}


def stylesheet(theme: Theme) -> str:
    """The CSS custom properties the stylesheet uses, from ``theme``."""
    c = theme.colours
    font = re.sub(r"[;{}<>]", "", theme.font)
    return (
        ":root {\n"
        f"  --paper: {c.background}; --surface: {c.surface}; --ink: {c.text};\n"
        f"  --accent: {c.accent}; --accent-ink: {c.accent_text};\n"
        f"  font-family: {font};\n"
        "}\n"
    )
