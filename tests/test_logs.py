"""Logging never carries personal data and is structured."""

from __future__ import annotations

import io
import json
import logging

import pytest

from frontdesk_core.logs import (
    PLUGIN_FAILURE_FIELDS,
    JsonFormatter,
    RedactingFilter,
    TextFormatter,
    configure_logging,
    installed_logging,
    mask,
    plugin_failure_fields,
    redact,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cpr 010190-1234 here", "cpr <cpr> here"),
        ("cpr 0101901234", "cpr <cpr>"),
        ("call +45 12 34 56 78 now", "call <phone> now"),
        ("sms to 12345678", "sms to <phone>"),
        ("mail a.b@kk.dk", "mail <email>"),
        ("ticket P012 at counter 3, 14 waiting", "ticket P012 at counter 3, 14 waiting"),
        ("2026-11-24T09:00:00", "2026-11-24T09:00:00"),
        ("day 2026-11-24 ended", "day 2026-11-24 ended"),
        ("25-11-2026 12:00 is not free", "25-11-2026 12:00 is not free"),
        ("tlf 12-34-5678", "tlf <phone>"),  # no date: there is no month 34
        ("plugin 140234567890123", "plugin <phone>"),  # in the text, a number is a number
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_records_are_json_with_extra_fields_and_redacted() -> None:
    stream = io.StringIO()
    logger = logging.getLogger("frontdesk.test")
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    try:
        logger.warning(
            "booking for %s", "+4512345678", extra={"booking": "b1", "who": "010190-1234"}
        )
        try:
            raise ValueError("bad number 87654321")
        except ValueError:
            logger.exception("send failed", extra={"message_id": "m1"})
    finally:
        logger.removeHandler(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "booking for <phone>"
    assert first["booking"] == "b1" and first["who"] == "<cpr>"
    assert second["error"] == "ValueError (details withheld)"
    assert "87654321" not in stream.getvalue()


def test_configure_logging_installs_the_filter() -> None:
    logger = configure_logging("DEBUG")
    assert any(isinstance(f, RedactingFilter) for h in logger.handlers for f in h.filters)
    assert logger.level == logging.DEBUG


def log_through(formatter: logging.Formatter, **extra: object) -> str:
    """One warning with ``extra`` through the filter and ``formatter``; the line written."""
    stream = io.StringIO()
    logger = logging.getLogger("frontdesk.test.fields")
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(formatter)
    logger.addHandler(handler)
    try:
        logger.warning("plugin failed", extra=extra)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue().rstrip("\n")


def test_numeric_plugin_names_and_ids_in_safe_fields_stay_as_they_are() -> None:
    line = json.loads(
        log_through(
            JsonFormatter(),
            plugin="140234567890123",  # pluggy's name for a plugin registered without one
            hook="frontdesk_ticket_issued",
            ticket="pas-20261124-12",
            seq=12345678,
            booking="+4512345678",  # no identifier: a phone number, wherever it is
            note="140234567890123",  # not a safe field: masked like any text
        )
    )
    assert line["plugin"] == "140234567890123"
    assert line["ticket"] == "pas-20261124-12" and line["seq"] == 12345678
    assert line["booking"] == "<phone>" and line["note"] == "<phone>"


def test_a_failing_plugin_is_logged_with_plugin_hook_error_and_message() -> None:
    error = ValueError("cannot tell Jens Hansen on +45 12 34 56 78 (jens@example.dk)")
    fields = plugin_failure_fields(
        "140234567890123",
        "frontdesk_booking_created",
        error,
        personal=["Jens Hansen", "+45 12 34 56 78"],
    )
    assert tuple(fields) == PLUGIN_FAILURE_FIELDS
    line = json.loads(log_through(JsonFormatter(), **fields))
    assert line == {
        "time": line["time"],
        "level": "warning",
        "logger": "frontdesk.test.fields",
        "message": "plugin failed",
        "plugin": "140234567890123",
        "hook": "frontdesk_booking_created",
        "error": "ValueError",
        "detail": "cannot tell <personal> on <phone> (<email>)",
    }
    text = log_through(TextFormatter(), **fields)
    assert text.endswith(
        "WARNING frontdesk.test.fields: plugin failed plugin=140234567890123 "
        'hook=frontdesk_booking_created error=ValueError detail="cannot tell <personal> on '
        '<phone> (<email>)"'
    )
    assert len(plugin_failure_fields("p", "h", ValueError("x" * 1000))["detail"]) == 300


def test_mask_takes_whole_values_and_their_words_never_parts_of_words() -> None:
    masked = mask("Jens Hansen wrote; Jens again; Alice validates", ["Jens Hansen", "Ali", "Bo"])
    assert masked == "<personal> wrote; <personal> again; Alice validates"
    assert mask("bo and Bob", ["Bo"]) == "bo and Bob"  # too short to tell anything


def test_the_text_format_quotes_values_with_spaces() -> None:
    text = log_through(TextFormatter(), counter="skranke-1", reason="staff absence", n=2)
    assert text.endswith('counter=skranke-1 reason="staff absence" n=2')


def test_installed_logging_gives_the_logger_back_as_it_was() -> None:
    logger = logging.getLogger("frontdesk")
    before = (logger.level, list(logger.handlers), logger.propagate)
    stream = io.StringIO()
    with installed_logging("debug", log_format="text", stream=stream):
        logging.getLogger("frontdesk.test").debug("hello %s", "12345678")
    assert (logger.level, list(logger.handlers), logger.propagate) == before
    assert stream.getvalue().rstrip("\n").endswith("DEBUG frontdesk.test: hello <phone>")
    with pytest.raises(ValueError, match="unknown log format"), installed_logging(log_format="xml"):
        pass
