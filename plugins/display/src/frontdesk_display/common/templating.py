"""The Jinja2 environment of the pages; autoescaping is always on.

Templates speak through jinja2's ``i18n`` extension (``{{ _("...") }}``, ``{% trans %}``):
its gettext calls look up the page's :class:`~frontdesk_display.i18n.Words` (the
``words`` variable every page gets from ``render``), so one environment serves every
language at once.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from starlette.templating import Jinja2Templates

from frontdesk_core.api import text_in
from frontdesk_display.common.icons import icon
from frontdesk_display.common.texts import LANGUAGE_NAMES
from frontdesk_display.i18n import Words
from frontdesk_display.i18n.labels import LABELS

TEMPLATES = Path(__file__).parents[1] / "templates"


def _json_script(value: Any) -> Markup:
    """JSON safe to put inside a ``<script type="application/json">`` element."""
    text = json.dumps(value, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def _words(context: jinja2.runtime.Context) -> Words:
    words = context.get("words")
    return words if isinstance(words, Words) else Words(str(context.get("lang") or "da"))


@jinja2.pass_context
def _gettext(context: jinja2.runtime.Context, message: str) -> str:
    # jinja2 fills in the placeholders itself (escaping them): only translate here.
    return _words(context).raw(message)


@jinja2.pass_context
def _ngettext(context: jinja2.runtime.Context, singular: str, plural: str, n: int) -> str:
    return _words(context).raw_plural(singular, plural, n)


@jinja2.pass_context
def _text_in(context: jinja2.runtime.Context, text: dict[str, str] | None) -> str:
    """A configured text (a centre's name...) in the page's language."""
    return text_in(text or {}, str(context.get("lang") or "da"), "da")


@jinja2.pass_context
def _clock(context: jinja2.runtime.Context, moment: str | datetime) -> str:
    """A time of day (a datetime or its ISO text) as the page's language writes it."""
    when = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return _words(context).time(when)


@jinja2.pass_context
def _when(context: jinja2.runtime.Context, moment: str | datetime) -> str:
    """A day and time (a datetime or its ISO text): "tirsdag 8. december kl. 10.30"."""
    at = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return _words(context).when(at)


def make_templates() -> Jinja2Templates:
    """The templates, with autoescaping for every file and gettext per page."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["json_script"] = _json_script
    env.filters["clock"] = _clock
    env.filters["when"] = _when
    env.globals["text_in"] = _text_in
    env.globals["labels"] = LABELS
    env.globals["language_names"] = LANGUAGE_NAMES
    env.globals["icon"] = icon
    return Jinja2Templates(env=env)
