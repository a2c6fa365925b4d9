"""The ticket layout: a jinja2 template rendered in the sandbox into layout steps.

A template writes the ticket line by line. A line that starts with ``@`` and a
directive name changes the style or prints something that is not text::

    @align center          left | center | right
    @size 4                1-8, or WxH such as 2x3 (width and height multipliers)
    @bold on               on | off
    @feed 1                blank lines
    @rule                  a line of dashes across the paper
    @qr {{ qr }}           a QR code of the rest of the line (nothing when empty)
    @cut                   cut the paper

Every other line is text, wrapped to the paper width; ``@@`` at the start of a
line prints one ``@``. Values inserted with ``{{ }}`` never break a line, so a
queue name cannot smuggle a directive in.

Consultants edit templates, so they are rendered with jinja2's immutable
sandbox and ``StrictUndefined`` (a misspelt variable is an error, not a blank).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError, TemplateSyntaxError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from frontdesk_core.api import TicketPrint, closest

DEFAULT_TEMPLATE = """\
@align center
@bold on
{{ centre_name }}
@bold off
{{ date }} {{ time }}
@feed 1
{{ t.your_number }}
@size 4
{{ number }}
@size 1
@bold on
{{ queue_name }}
@bold off
@feed 1
{% if people_ahead == 0 %}
{{ t.you_are_next }}
{% else %}
{{ t.people_ahead }}: {{ people_ahead }}
{% endif %}
{% if wait_text %}
{{ t.expected_wait }}: {{ wait_text }}
{% elif wait_minutes is not none %}
{{ t.expected_wait }}: {{ wait_minutes }} {{ t.minutes }}
{% endif %}
{% if where %}
@feed 1
{{ where }}
{% endif %}
{% for line in lines %}
{{ line }}
{% endfor %}
{% if qr %}
@feed 1
@qr {{ qr }}
{% endif %}
@feed 1
{{ t.watch_screen }}
@cut
"""
"""The built-in ticket layout."""

LABELS: dict[str, dict[str, str]] = {
    "da": {
        "your_number": "Dit nummer",
        "you_are_next": "Du er den næste",
        "people_ahead": "Foran dig",
        "expected_wait": "Forventet ventetid",
        "minutes": "min.",
        "watch_screen": "Hold øje med skærmen",
    },
    "en": {
        "your_number": "Your number",
        "you_are_next": "You are next",
        "people_ahead": "People ahead of you",
        "expected_wait": "Expected wait",
        "minutes": "min",
        "watch_screen": "Please watch the screen",
    },
}
"""The words of the built-in layout, per language (English when the language has none)."""

DIRECTIVES = ("align", "size", "bold", "feed", "rule", "qr", "cut")
_DIRECTIVE = re.compile(r"^\s*@([a-z]+)(?:\s+(.*))?$")
_SOURCE_DIRECTIVE = re.compile(r"^\s*@([a-z]+)\b")


class LayoutError(ValueError):
    """A template that cannot be rendered or whose output is not a valid layout."""


@dataclass(frozen=True)
class Style:
    """How text is printed: alignment, size multipliers and weight."""

    align: str = "left"
    width: int = 1
    height: int = 1
    bold: bool = False


@dataclass(frozen=True)
class TextLine:
    """One line of text (wrapped later to the paper width) in a style."""

    text: str
    style: Style


@dataclass(frozen=True)
class Feed:
    """Blank lines."""

    lines: int


@dataclass(frozen=True)
class Rule:
    """A line of dashes across the paper."""

    style: Style


@dataclass(frozen=True)
class Qr:
    """A QR code, printed natively by the printer."""

    content: str
    align: str


@dataclass(frozen=True)
class Cut:
    """Cut the paper."""


Step = TextLine | Feed | Rule | Qr | Cut


def _flatten(value: Any) -> Any:
    # A value never spans lines: a newline in a queue name must not start a directive line.
    if isinstance(value, str):
        return " ".join(value.splitlines())
    return value


def make_environment() -> ImmutableSandboxedEnvironment:
    """The sandboxed jinja2 environment every ticket template is rendered in."""
    return ImmutableSandboxedEnvironment(
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        finalize=_flatten,
    )


def template_context(
    ticket: TicketPrint,
    *,
    qr: bool = True,
    columns: int = 48,
    labels: Mapping[str, Mapping[str, str]] | None = None,
    tz: tzinfo | None = None,
) -> dict[str, Any]:
    """The variables a template sees: plain values only, no objects of the core.

    ``tz`` is the site's timezone: the time printed is the local time of the
    centre, whichever timezone the ticket's moment was handed over in.
    """
    labels = labels or {}
    # A word a consultant added in some language only is never missing in another: it falls
    # back to the English one, else to any language that has it.
    anywhere: dict[str, str] = {}
    for language in sorted(labels, key=lambda code: code == "en"):
        anywhere.update(labels[language])
    words = {
        **LABELS["en"],
        **LABELS.get(ticket.language, {}),
        **anywhere,
        **labels.get(ticket.language, {}),
    }
    issued = ticket.issued_at.astimezone(tz) if tz is not None else ticket.issued_at
    return {
        "kiosk_id": ticket.kiosk_id,
        "centre_id": ticket.centre_id,
        "centre_name": ticket.centre_name,
        "number": ticket.number,
        "queue_name": ticket.queue_name,
        "language": ticket.language,
        "issued_at": issued,
        "date": issued.strftime("%d.%m.%Y"),
        "time": issued.strftime("%H:%M"),
        "people_ahead": ticket.people_ahead,
        "wait_minutes": ticket.expected_wait_minutes,
        "wait_text": ticket.expected_wait_text,
        "where": ticket.where,
        "qr": ticket.qr if qr and ticket.qr else None,
        "lines": [line for line in ticket.lines if line.strip()],
        "t": words,
        "columns": columns,
    }


@lru_cache(maxsize=64)
def _compile(template: str) -> Template:
    # Compiling takes milliseconds and a kiosk prints the same few templates all day.
    return make_environment().from_string(template)


def render_text(template: str, context: Mapping[str, Any]) -> str:
    """Render ``template`` in the sandbox; every failure becomes a :class:`LayoutError`."""
    try:
        return _compile(template).render(**context)
    except TemplateSyntaxError as exc:
        raise LayoutError(
            f"the template has a syntax error on line {exc.lineno}: {exc.message}"
        ) from None
    except SecurityError as exc:
        raise LayoutError(f"the template does something not allowed: {exc}") from None
    except TemplateError as exc:
        raise LayoutError(f"the template cannot be rendered: {exc.message}") from None
    except Exception as exc:
        # A template can divide by zero or call a method wrongly; never let that escape.
        raise LayoutError(f"the template cannot be rendered: {type(exc).__name__}: {exc}") from None


def _size(argument: str) -> tuple[int, int]:
    match = re.fullmatch(r"([1-8])(?:x([1-8]))?", argument)
    if not match:
        raise LayoutError(f"'@size {argument}': use a size from 1 to 8, or WxH such as 2x3")
    width = int(match.group(1))
    return width, int(match.group(2) or width)


def parse_layout(text: str) -> list[Step]:
    """Turn rendered template output into layout steps."""
    steps: list[Step] = []
    style = Style()
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline ending the last line is no blank line
    for number, line in enumerate(lines, start=1):
        match = _DIRECTIVE.match(line)
        if line.lstrip().startswith("@@"):
            steps.append(TextLine(line.replace("@@", "@", 1), style))
            continue
        if not match or match.group(1) not in DIRECTIVES:
            steps.append(TextLine(line, style))
            continue
        name, argument = match.group(1), (match.group(2) or "").strip()
        try:
            style = _apply(name, argument, style, steps)
        except LayoutError as exc:
            raise LayoutError(f"output line {number}: {exc}") from None
    return steps


def _apply(name: str, argument: str, style: Style, steps: list[Step]) -> Style:
    if name == "align":
        if argument not in ("left", "center", "right"):
            raise LayoutError(f"'@align {argument}': use left, center or right")
        return Style(argument, style.width, style.height, style.bold)
    if name == "size":
        width, height = _size(argument)
        return Style(style.align, width, height, style.bold)
    if name == "bold":
        if argument not in ("on", "off"):
            raise LayoutError(f"'@bold {argument}': use on or off")
        return Style(style.align, style.width, style.height, argument == "on")
    if name == "feed":
        count = int(argument) if argument.isdigit() else -1
        if not 0 <= count <= 20:
            raise LayoutError(f"'@feed {argument}': use a number of lines from 0 to 20")
        steps.append(Feed(count))
    elif name == "rule":
        steps.append(Rule(style))
    elif name == "qr":
        if argument:
            steps.append(Qr(argument, style.align))
    elif name == "cut":
        steps.append(Cut())
    return style


def render_layout(
    template: str,
    ticket: TicketPrint,
    *,
    qr: bool = True,
    columns: int = 48,
    labels: Mapping[str, Mapping[str, str]] | None = None,
    tz: tzinfo | None = None,
) -> list[Step]:
    """Render a ticket through ``template`` into layout steps (:class:`LayoutError` if bad)."""
    context = template_context(ticket, qr=qr, columns=columns, labels=labels, tz=tz)
    return parse_layout(render_text(template, context))


SAMPLE_TICKETS = (
    TicketPrint(
        kiosk_id="kiosk",
        centre_id="centre",
        centre_name="Borgerservice",
        number="P001",
        queue_name="Pas og kørekort",
        issued_at=datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
        language="da",
        people_ahead=3,
        expected_wait_minutes=12,
        where="Skranke 1-4",
        qr="https://example.org/t/P001",
        lines=("Husk billedlegitimation",),
    ),
    TicketPrint(
        kiosk_id="kiosk",
        centre_id="centre",
        centre_name="Citizen service",
        number="A100",
        queue_name="Tax",
        issued_at=datetime(2026, 1, 5, 15, 59, tzinfo=UTC),
        language="en",
        people_ahead=0,
        expected_wait_minutes=None,
    ),
)
"""Tickets a template is tried with when the configuration is checked (both branches)."""


def check_template(template: str, labels: Mapping[str, Mapping[str, str]] | None = None) -> None:
    """Raise ``ValueError`` with a consultant's message if ``template`` is not usable."""
    for number, line in enumerate(template.splitlines(), start=1):
        match = _SOURCE_DIRECTIVE.match(line)
        if match and match.group(1) not in DIRECTIVES:
            word = match.group(1)
            suggestion = closest(word, DIRECTIVES)
            hint = (
                f"; did you mean '@{suggestion}'?"
                if suggestion
                else "; directives: " + ", ".join(f"@{d}" for d in DIRECTIVES)
            )
            raise LayoutError(
                f"the template has an unknown directive '@{word}' on line {number}{hint}"
            )
    for sample in SAMPLE_TICKETS:
        render_layout(template, sample, labels=labels)
