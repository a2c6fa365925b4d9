"""Icons on the kiosk's buttons, from the Lucide icon set.

The SVGs come from the ``lucide`` package on PyPI (the set itself under the ISC
licence, with the parts from Feather under MIT; the package under MIT): nothing is
copied into this project. A tree names an icon by its Lucide name (``icon:
calendar-check``); ``frontdesk validate`` rejects a name the set does not have.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from zipfile import ZipFile

from lucide import IconDoesNotExist
from lucide.jinja import lucide
from markupsafe import Markup

SET_NAME = "Lucide"


@lru_cache(maxsize=1)
def icon_names() -> frozenset[str]:
    """Every icon the installed set has."""
    with (files("lucide") / "lucide.zip").open("rb") as data, ZipFile(data) as archive:
        return frozenset(n.removesuffix(".svg") for n in archive.namelist() if n.endswith(".svg"))


def icon(name: str | None, size: int = 48) -> Markup:
    """The icon as inline SVG, hidden from screen readers (the label says it); an unknown
    or missing name gives nothing, so a page never fails over an icon."""
    if not name:
        return Markup("")
    try:
        svg = lucide(name, size=size, aria_hidden="true", focusable="false", **{"class": "icon"})
    except IconDoesNotExist:
        return Markup("")
    return Markup(svg)
