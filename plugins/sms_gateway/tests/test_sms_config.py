"""The ``sms:`` section: defaults, and mistakes reported at their file, line and column."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from frontdesk_sms_gateway import plugin
from frontdesk_sms_gateway.config import (
    ConsoleProvider,
    HeaderSecret,
    HttpProvider,
    RetryPolicy,
    SmsConfig,
)

from frontdesk_core.api import Hooks, check, make_plugin_manager


def problems(directory: Path) -> list[str]:
    hooks = Hooks(make_plugin_manager(load_entrypoints=False, plugins=[plugin]))
    config, found = check(directory, hooks.load_context())
    assert config is None
    return [f"{Path(p.file).name}:{p.line}:{p.column}: {p.message}" for p in found]


def test_frontdesk_config_sections_registers_sms() -> None:
    hooks = Hooks(make_plugin_manager(load_entrypoints=False, plugins=[plugin]))
    assert hooks.config_sections() == {"sms": SmsConfig}


def test_a_good_section_loads_into_the_models(write_config) -> None:
    directory = write_config(
        "sms:\n"
        "  sender: Testby\n"
        "  provider:\n"
        "    kind: http\n"
        "    url: https://sms.example.dk/v1/messages\n"
        "    auth: {header: X-Api-Key, value_env: TESTBY_SMS_KEY}\n"
        "    timeout: 5 s\n"
        "    body: {recipients: [{msisdn: '{{ to_digits }}'}], message: '{{ text }}', n: 1}\n"
        "  retry: {max_attempts: 5, backoff_base: 10 s, backoff_max: 10 min}\n"
        "  templates:\n"
        "    confirmation:\n"
        "      da: 'Tid {{ date }} kl. {{ time }}, kode {{ code }}'\n"
        "      en: 'Time {{ date }} at {{ time }}, code {{ code }}'\n"
    )
    hooks = Hooks(make_plugin_manager(load_entrypoints=False, plugins=[plugin]))
    config, found = check(directory, hooks.load_context())
    assert found == []
    assert config is not None
    sms = config.sections["sms"]
    assert isinstance(sms, SmsConfig)
    assert isinstance(sms.provider, HttpProvider)
    assert sms.provider.timeout == timedelta(seconds=5)
    assert sms.provider.auth is not None and sms.provider.auth.value_env == "TESTBY_SMS_KEY"
    assert sms.retry.max_attempts == 5
    assert sms.templates.confirmation["da"].startswith("Tid")
    # Templates left out keep the built-in texts.
    assert "{{ code }}" in sms.templates.reminder["da"]
    assert sms.default_country_code == "+45"


def test_every_mistake_is_reported_at_its_position(write_config) -> None:
    directory = write_config(
        "sms:\n"  # 1
        "  sender: Testby Kommune Borgerservice\n"  # 2
        "  provider:\n"  # 3
        "    kind: http\n"  # 4
        "    url: sms.example.dk\n"  # 5
        "    timeout: soon\n"  # 6
        "    methd: POST\n"  # 7
        "  retry:\n"  # 8
        "    max_attempts: 0\n"  # 9
        "  default_country_code: '45'\n"  # 10
        "  templates:\n"  # 11
        "    confirmation:\n"  # 12
        "      da: 'Kode {{ kode }}'\n"  # 13
        "      en: 'Code {% if code %}'\n"  # 14
    )
    assert problems(directory) == [
        "sms.yaml:2:11: 'Testby Kommune Borgerservice' cannot be a sender: use up to 11 "
        "letters (a-z, no æøå), digits and spaces, or a phone number",
        "sms.yaml:5:10: 'sms.example.dk' is not a web address; write it like "
        "'https://sms.example.dk/v1/messages'",
        "sms.yaml:6:14: 'soon' is not a duration; write it like '15 min', '2 h' or '30 days'",
        "sms.yaml:7:5: unknown key 'methd'; did you mean 'method'?",
        "sms.yaml:9:19: 'max_attempts' must be at least 1; got the number 0",
        "sms.yaml:10:25: '45' is not a country calling code; write it like '+45'",
        "sms.yaml:13:11: the template uses an unknown variable 'kode'; did you mean 'code'?",
        "sms.yaml:14:11: the template has a syntax error on its line 1: Unexpected end of "
        "template. Jinja was looking for the following tags: 'elif' or 'else' or 'endif'. "
        "The innermost block that needs to be closed is 'if'.",
    ]


def test_an_unknown_provider_kind_suggests_the_right_one(write_config) -> None:
    directory = write_config("sms:\n  sender: Testby\n  provider:\n    kind: htp\n")
    assert problems(directory) == [
        "sms.yaml:4:11: unknown kind 'htp'; did you mean 'http'?",
    ]


def test_auth_needs_exactly_one_source_and_backoff_must_be_ordered(write_config) -> None:
    directory = write_config(
        "sms:\n"
        "  sender: Testby\n"
        "  provider:\n"
        "    kind: http\n"
        "    url: https://sms.example.dk\n"
        "    auth: {header: Authorization, value: abc, value_env: SMS_TOKEN}\n"
        "    body: {text: '{{ txt }}'}\n"
        "  retry: {backoff_base: 10 min, backoff_max: 1 min}\n"
    )
    assert problems(directory) == [
        "sms.yaml:6:11: give exactly one of 'value' and 'value_env'",
        "sms.yaml:7:11: in body.text: the template uses an unknown variable 'txt'; "
        "did you mean 'text'?",
        "sms.yaml:8:10: 'backoff_max' must not be shorter than 'backoff_base'",
    ]


def test_a_missing_provider_and_sender_are_named(write_config) -> None:
    directory = write_config("sms:\n  outbox: sms.db\n")
    assert problems(directory) == [
        "sms.yaml:1:1: missing required key 'provider'",
        "sms.yaml:1:1: missing required key 'sender'",
    ]


def test_retry_delay_doubles_up_to_the_maximum() -> None:
    policy = RetryPolicy(backoff_base="30 s", backoff_max="5 min")  # type: ignore[arg-type]
    assert [policy.delay(n).total_seconds() for n in range(1, 7)] == [30, 60, 120, 240, 300, 300]
    assert policy.delay(10_000) == timedelta(minutes=5)


def test_header_secret_reads_the_environment() -> None:
    secret = HeaderSecret(value_env="SMS_TOKEN")
    assert secret.resolve({"SMS_TOKEN": "Bearer t"}) == "Bearer t"
    with pytest.raises(LookupError, match="SMS_TOKEN is not set"):
        secret.resolve({})
    assert "hunter2" not in repr(HeaderSecret(value="hunter2"))


@pytest.mark.parametrize("sender", ["Testby", "Kommunen 1", "+4570101010", "1818"])
def test_senders_gateways_accept(sender: str) -> None:
    config = SmsConfig(provider=ConsoleProvider(kind="console"), sender=sender)
    assert config.sender == sender


def test_a_template_without_any_text_is_an_error(write_config) -> None:
    directory = write_config(
        "sms:\n  sender: Testby\n  provider: {kind: console}\n  templates:\n    reminder: {}\n"
    )
    assert problems(directory) == ["sms.yaml:5:15: 'reminder' needs at least 1 item"]


def test_frontdesk_config_checks_a_written_template_covers_every_site_language(
    write_config,
) -> None:
    directory = write_config(
        "sms:\n  sender: Testby\n  provider: {kind: console}\n  templates:\n"
        "    cancelled: {da: 'Aflyst {{ code }}'}\n"
        "    custom:\n      queue_closed: {en: 'Closed today'}\n"
    )
    assert problems(directory) == [
        "sms.yaml:5:16: the template 'cancelled' has no en text (the site's languages are da, en)",
        "sms.yaml:7:21: the template 'queue_closed' has no da text "
        "(the site's languages are da, en)",
    ]
