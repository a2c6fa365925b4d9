"""The ticket layout: the built-in template, consultants' templates and the sandbox."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC
from zoneinfo import ZoneInfo

import pytest
from escpos_decode import decode
from frontdesk_printer_escpos.config import PrinterConfig
from frontdesk_printer_escpos.encode import encode_ticket
from frontdesk_printer_escpos.layout import (
    DEFAULT_TEMPLATE,
    Cut,
    Feed,
    LayoutError,
    Qr,
    Rule,
    Style,
    TextLine,
    check_template,
    parse_layout,
    render_layout,
)
from pydantic import ValidationError

from frontdesk_core.api import TicketPrint


def texts(steps: Sequence[object]) -> list[str]:
    """The text of the text lines among ``steps``."""
    return [s.text for s in steps if isinstance(s, TextLine)]


def test_the_built_in_layout_holds_everything_a_citizen_needs(ticket: TicketPrint) -> None:
    steps = render_layout(DEFAULT_TEMPLATE, ticket)
    assert texts(steps) == [
        "Borgerservice Nyropsgade",
        "23.11.2026 09:41",
        "Dit nummer",
        "P007",
        "Pas og kørekort",
        "Foran dig: 4",
        "Forventet ventetid: 18 min.",
        "Vent ved skærm 2, stueetagen",
        "Husk gammelt pas og foto",
        "Hold øje med skærmen",
    ]
    number = next(s for s in steps if isinstance(s, TextLine) and s.text == "P007")
    assert number.style == Style("center", 4, 4, False)
    qr_codes = [s for s in steps if isinstance(s, Qr)]
    assert qr_codes == [Qr("https://kk.example/billet/P007", "center")]
    assert isinstance(steps[-1], Cut)


def test_a_forecast_prints_as_its_band_in_words(ticket: TicketPrint) -> None:
    forecast = dataclasses.replace(ticket, expected_wait_text="ca. 12–18 min")
    assert "Forventet ventetid: ca. 12–18 min" in texts(render_layout(DEFAULT_TEMPLATE, forecast))


def test_the_built_in_layout_in_english_without_a_wait_or_qr(ticket: TicketPrint) -> None:
    first = dataclasses.replace(
        ticket, language="en", people_ahead=0, expected_wait_minutes=None, where=None, lines=()
    )
    steps = render_layout(DEFAULT_TEMPLATE, first, qr=False)
    assert texts(steps) == [
        "Borgerservice Nyropsgade",
        "23.11.2026 09:41",
        "Your number",
        "P007",
        "Pas og kørekort",
        "You are next",
        "Please watch the screen",
    ]
    assert not [s for s in steps if isinstance(s, Qr)]


def test_a_language_without_words_falls_back_to_english_and_labels_override(
    ticket: TicketPrint,
) -> None:
    polish = dataclasses.replace(ticket, language="pl")
    steps = render_layout(DEFAULT_TEMPLATE, polish, labels={"pl": {"your_number": "Twój numer"}})
    assert "Twój numer" in texts(steps)
    assert "People ahead of you: 4" in texts(steps)


def test_a_consultants_template_sets_styles_rules_and_feeds(ticket: TicketPrint) -> None:
    template = (
        "@align right\n@bold on\n{{ queue_name }}\n@size 2x3\n{{ number }}\n"
        "@rule\n@feed 2\n@@home\n@qr\n@cut\n"
    )
    steps = render_layout(template, ticket)
    assert steps == [
        TextLine("Pas og kørekort", Style("right", 1, 1, True)),
        TextLine("P007", Style("right", 2, 3, True)),
        Rule(Style("right", 2, 3, True)),
        Feed(2),
        TextLine("@home", Style("right", 2, 3, True)),
        Cut(),
    ]


def test_a_value_cannot_start_a_directive_line(ticket: TicketPrint) -> None:
    sneaky = dataclasses.replace(ticket, queue_name="Pas\n@cut\n@feed 20")
    steps = render_layout("{{ queue_name }}\n", sneaky)
    assert steps == [TextLine("Pas @cut @feed 20", Style())]


@pytest.mark.parametrize(
    "template",
    [
        "{{ number.__class__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ issued_at.__class__.__init__.__globals__ }}",
        "{{ lines.append('x') }}",
        "{{ t.update({'your_number': 'x'}) }}",
    ],
)
def test_the_sandbox_refuses_to_reach_into_python(ticket: TicketPrint, template: str) -> None:
    with pytest.raises(LayoutError, match="not allowed"):
        render_layout(template, ticket)
    with pytest.raises(ValueError, match="not allowed"):
        check_template(template)


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ number", "syntax error on line 1"),
        ("{{ nummer }}", "'nummer' is undefined"),
        ("{{ people_ahead / 0 }}", "ZeroDivisionError"),
        ("@align middle\n", "'@align middle': use left, center or right"),
        ("@bold yes\n", "'@bold yes': use on or off"),
        ("@feed lots\n", "'@feed lots': use a number of lines from 0 to 20"),
        ("@size 0\n", "'@size 0': use a size from 1 to 8"),
        ("@centre\n", "unknown directive '@centre' on line 1; directives: @align"),
    ],
)
def test_template_mistakes_are_explained(template: str, message: str) -> None:
    with pytest.raises(LayoutError, match=message.replace("(", r"\(")):
        check_template(template)


def test_unknown_at_words_in_values_print_as_text() -> None:
    assert parse_layout("@home is where\n") == [TextLine("@home is where", Style())]


def test_the_built_in_layout_passes_its_own_check() -> None:
    check_template(DEFAULT_TEMPLATE)


def test_a_layout_round_trips_through_the_bytes(ticket: TicketPrint) -> None:
    decoded = decode(encode_ticket(render_layout(DEFAULT_TEMPLATE, ticket)))
    assert [t for t in decoded.texts if t] == texts(render_layout(DEFAULT_TEMPLATE, ticket))


def test_the_time_printed_is_the_centres_local_time(ticket: TicketPrint) -> None:
    in_utc = dataclasses.replace(ticket, issued_at=ticket.issued_at.astimezone(UTC))
    steps = render_layout("{{ date }} {{ time }}", in_utc, tz=ZoneInfo("Europe/Copenhagen"))
    assert texts(steps) == ["23.11.2026 09:41"]
    assert texts(render_layout("{{ time }}", in_utc)) == ["08:41"]


def test_empty_extra_lines_are_left_out(ticket: TicketPrint) -> None:
    steps = render_layout("{% for line in lines %}{{ line }}\n{% endfor %}", ticket)
    assert texts(steps) == ["Husk gammelt pas og foto"]
    blank = dataclasses.replace(ticket, lines=("", "  "))
    assert render_layout("{% for line in lines %}{{ line }}\n{% endfor %}", blank) == []


def test_words_a_consultant_adds_are_known_to_the_template_check(ticket: TicketPrint) -> None:
    template = "{{ t.greeting }}\n{{ number }}\n"
    labels = {"da": {"greeting": "Velkommen"}, "en": {"greeting": "Welcome"}}
    config = PrinterConfig.model_validate(
        {
            "kiosk": "k",
            "connection": {"kind": "file", "path": "lp0"},
            "labels": labels,
            "template": template,
        }
    )
    assert texts(render_layout(template, ticket, labels=config.labels)) == ["Velkommen", "P007"]
    # A word given in one language only is used for every language.
    polish = dataclasses.replace(ticket, language="pl")
    only_danish = {"da": {"greeting": "Velkommen"}}
    assert texts(render_layout(template, polish, labels=only_danish)) == ["Velkommen", "P007"]
    with pytest.raises(ValidationError, match="no attribute 'greeting'"):
        PrinterConfig.model_validate(
            {"kiosk": "k", "connection": {"kind": "file", "path": "lp0"}, "template": template}
        )
