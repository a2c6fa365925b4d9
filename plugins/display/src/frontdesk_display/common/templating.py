"""The Jinja2 environment of the pages; autoescaping is always on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from starlette.templating import Jinja2Templates

from frontdesk_display.common.icons import icon

TEMPLATES = Path(__file__).parents[1] / "templates"


def _json_script(value: Any) -> Markup:
    """JSON safe to put inside a ``<script type="application/json">`` element."""
    text = json.dumps(value, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def make_templates() -> Jinja2Templates:
    """The templates, with autoescaping for every file."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["json_script"] = _json_script
    env.globals["icon"] = icon
    return Jinja2Templates(env=env)
