"""Logging never carries personal data and is structured."""

from __future__ import annotations

import io
import json
import logging

import pytest

from frontdesk_core.logs import JsonFormatter, RedactingFilter, configure_logging, redact


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
