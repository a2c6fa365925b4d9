"""Templates per language, rendered in the sandbox; what cannot be sent is recorded."""

from __future__ import annotations

from typing import Any

import pytest
from frontdesk_sms_gateway.config import SmsConfig
from frontdesk_sms_gateway.gateway import SmsGateway
from frontdesk_sms_gateway.outbox import Outbox, State
from frontdesk_sms_gateway.templates import (
    BOOKING_VARIABLES,
    Renderer,
    TemplateRenderError,
    check_template,
)

from frontdesk_core.api import ManualClock, SmsRequest


def gateway(clock: ManualClock, **sms: Any) -> SmsGateway:
    config = SmsConfig.model_validate({"sender": "Testby", "provider": {"kind": "console"}, **sms})
    return SmsGateway(config, outbox=Outbox(), clock=clock, languages=["da", "en"])


CUSTOM = {
    "custom": {
        "greeting": {"da": "Hej {{ name }}", "en": "Hello {{ name }}", "de": "Hallo {{ name }}"},
        "danish_only": {"da": "Kun dansk {{ n }}"},
    }
}


@pytest.mark.parametrize(
    ("template", "language", "used", "text"),
    [
        ("greeting", "da", "da", "Hej Ada"),
        ("greeting", "en", "en", "Hello Ada"),
        ("greeting", "de", "de", "Hallo Ada"),
        ("greeting", "fr", "da", "Hej Ada"),  # falls back to the site's first language
        ("danish_only", "en", "da", "Kun dansk 7"),
    ],
)
def test_the_text_is_chosen_by_language(
    frontdesk_clock: ManualClock, template: str, language: str, used: str, text: str
) -> None:
    gw = gateway(frontdesk_clock, templates=CUSTOM)
    receipt = gw.submit(SmsRequest("k", "12345678", template, language, {"name": "Ada", "n": "7"}))
    assert receipt.accepted
    message = gw.outbox.by_key("k")
    assert message is not None and message.language == used and message.body == text


def test_the_built_in_your_turn_soon_in_both_languages(frontdesk_clock: ManualClock) -> None:
    gw = gateway(frontdesk_clock)
    gw.submit(SmsRequest("a", "12345678", "your_turn_soon", "da", {"number": "P042"}))
    gw.submit(
        SmsRequest(
            "b", "12345678", "your_turn_soon", "en", {"number": "P042", "where": "counter 3"}
        )
    )
    assert [m.body for m in gw.outbox.messages()] == [
        "Det er snart din tur: nummer P042.",
        "It is your turn soon: number P042. Please go to counter 3.",
    ]


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ name.__class__.__base__ }}",
        "{% for x in range(10**7) %}x{% endfor %}",
    ],
)
def test_the_sandbox_refuses_unsafe_templates(frontdesk_clock: ManualClock, source: str) -> None:
    check_template(source)  # valid syntax: only the sandbox stands in the way
    gw = gateway(frontdesk_clock, templates={"custom": {"evil": {"da": source}}})
    receipt = gw.submit(SmsRequest("k", "12345678", "evil", "da", {"name": "Ada"}))
    assert not receipt.accepted
    assert receipt.error is not None and receipt.error.startswith("the template")
    message = gw.outbox.by_key("k")
    assert message is not None and message.state is State.FAILED and message.body is None


def test_a_missing_variable_is_an_error_not_an_empty_gap(frontdesk_clock: ManualClock) -> None:
    gw = gateway(frontdesk_clock)
    receipt = gw.submit(SmsRequest("k", "12345678", "your_turn_soon", "da", {}))
    assert receipt.error == "the template uses a missing variable: 'number' is undefined"


def test_a_text_too_long_is_refused(frontdesk_clock: ManualClock) -> None:
    gw = gateway(
        frontdesk_clock, max_length=70, templates={"custom": {"long": {"da": "{{ 'x' * 71 }}"}}}
    )
    receipt = gw.submit(SmsRequest("k", "12345678", "long", "da", {}))
    assert receipt.error == "the text is 71 characters; at most 70 are sent"


def test_check_template_names_unknown_variables_with_a_suggestion() -> None:
    with pytest.raises(ValueError, match="unknown variable 'servce'; did you mean 'service'"):
        check_template("{{ servce }}", BOOKING_VARIABLES)
    assert check_template("{{ code }} {% set x = 1 %}{{ x }}", BOOKING_VARIABLES)


def test_renderer_compiles_once_and_strips_whitespace() -> None:
    renderer = Renderer()
    assert renderer.render("  {{ a }} \n", {"a": 1}) == "1"
    assert renderer.render("  {{ a }} \n", {"a": 2}) == "2"
    assert len(renderer._compiled) == 1
    with pytest.raises(TemplateRenderError):
        renderer.render("{{ 1 // a }}", {"a": 0})
