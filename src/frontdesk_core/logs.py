"""Structured logging through the standard :mod:`logging` module, without personal data.

Every frontdesk logger lives under ``frontdesk``. :func:`configure_logging`
installs one handler on it with a :class:`RedactingFilter` that masks CPR
numbers, phone numbers and e-mail addresses wherever they slip into a message
or a field, and a formatter: :class:`JsonFormatter` (one object per line, with
the record's ``extra`` fields) or :class:`TextFormatter` (one readable line,
the same fields as ``key=value``). The rule is that no personal data is ever
logged; the filter is the safety net. The ``frontdesk`` command installs it for
every sub-command (``--log-format``, ``--log-level``).

Fields the code fills with identifiers (:data:`SAFE_FIELDS`: plugin and hook
names, ids of tickets, bookings, counters ...) are not taken for phone numbers:
pluggy names a plugin registered without a name by its ``id()``, a long number.

A plugin that fails is logged with :func:`plugin_failure_fields`: which plugin,
which hook, the error's class and its message, with personal data masked.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO, Any

INTERNATIONAL = re.compile(r"\+\d(?:[ -]?\d){7,14}\b")
CPR = re.compile(r"\b\d{6}-?\d{4}\b")
# A date written with dashes (2026-11-24, 24-11-2026) is no phone number.
_DATE = (
    r"(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b"
    r"|(?:0[1-9]|[12]\d|3[01])-(?:0[1-9]|1[0-2])-(?:19|20)\d\d\b"
)
# Never from the middle of a number ("25-11-2026 12:00" is a date and a time, not a
# number from "11" on).
PHONE = re.compile(rf"(?<![\w.])(?<!\d[ -])(?!{_DATE})\+?\d(?:[ -]?\d){{7,14}}\b")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_STANDARD = frozenset(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}

SAFE_FIELDS = frozenset(
    {
        "plugin",
        "hook",
        "rule",
        "centre",
        "counter",
        "queue",
        "ticket",
        "booking",
        "service",
        "kiosk",
        "device",
        "printer",
        "template",
        "seq",
    }
)
"""Extra fields whose values the code writes (names and ids), never a citizen.

An identifier in one of them (letters, digits, ``_ . : -``) is logged as it is;
anything else there (a space, ``+``, ``@``) is redacted like every other field.
"""
_IDENTIFIER = re.compile(r"[\w.:-]{1,120}")

PLUGIN_FAILURE_FIELDS = ("plugin", "hook", "error", "detail")
"""The ``extra`` fields of the log line of a failing plugin (see :func:`plugin_failure_fields`)."""
MAX_DETAIL = 300
"""How much of an error message a log line keeps."""
MIN_PERSONAL = 3
"""The shortest personal value :func:`mask` masks."""


def redact(text: str) -> str:
    """Mask CPR numbers, phone numbers and e-mail addresses in ``text``."""
    text = INTERNATIONAL.sub("<phone>", text)
    text = CPR.sub("<cpr>", text)
    text = EMAIL.sub("<email>", text)
    return PHONE.sub("<phone>", text)


def mask(text: str, personal: Iterable[str | None]) -> str:
    """:func:`redact` ``text``, and mask each of the ``personal`` strings (a name, say) too.

    A name follows no pattern; where the code knows whose data is at hand (the
    contact a hook was given), it names the values to mask.
    """
    text = redact(text)  # first: an e-mail address is masked whole, not around a name
    values = [v.strip() for v in personal if v and v.strip()]
    # The whole value, then each of its words (a message may quote the first name alone),
    # never inside a longer word. Longest first, so "Jens Hansen" goes before "Jens"; a
    # word of one or two letters would mask half the text and tells no more than the rest.
    found = {v for v in values if len(v) >= MIN_PERSONAL}
    found |= {word for v in values for word in v.split() if len(word) >= MIN_PERSONAL}
    for value in sorted(found, key=len, reverse=True):
        pattern = rf"(?<!\w){re.escape(value)}(?!\w)"
        text = re.sub(pattern, "<personal>", text, flags=re.IGNORECASE)
    return text


def plugin_failure_fields(
    plugin: str, hook: str, error: BaseException, *, personal: Iterable[str | None] = ()
) -> dict[str, str]:
    """The ``extra`` of the log line for a plugin that raised in a hook.

    ``plugin`` and ``hook`` name it; ``error`` is the error's class name and
    ``detail`` its message, cut short, with personal data masked: patterns
    (:func:`redact`) and the ``personal`` values (the contact the hook was given).
    """
    return {
        "plugin": plugin,
        "hook": hook,
        "error": type(error).__name__,
        "detail": mask(str(error), personal)[:MAX_DETAIL],
    }


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_redact_value(v) for v in value)
    if isinstance(value, dict):
        return {k: _redact_value(v) for k, v in value.items()}
    return value


def _redact_field(key: str, value: Any) -> Any:
    if key in SAFE_FIELDS and isinstance(value, str) and _IDENTIFIER.fullmatch(value):
        return value
    return _redact_value(value)


def _extra(record: logging.LogRecord) -> dict[str, Any]:
    """The record's ``extra`` fields (what the standard attributes do not hold)."""
    return {k: v for k, v in vars(record).items() if k not in _STANDARD}


class RedactingFilter(logging.Filter):
    """Masks personal data in a record's message, arguments and extra fields."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact in place; never drops a record."""
        record.msg = redact(str(record.msg))
        if record.args:
            record.args = (
                tuple(_redact_value(a) for a in record.args)
                if isinstance(record.args, tuple)
                else _redact_value(record.args)
            )
        for key, value in _extra(record).items():
            setattr(record, key, _redact_field(key, value))
        if record.exc_info and record.exc_info[1] is not None:
            # Exception texts can quote input: keep the type, drop the text.
            record.exc_text = f"{type(record.exc_info[1]).__name__} (details withheld)"
            record.exc_info = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        """Render ``record`` as JSON."""
        payload: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        payload.update(_extra(record))
        if record.exc_text:
            payload["exception" if "error" in payload else "error"] = record.exc_text
        return json.dumps(payload, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """One line for a person: time, level, logger, message, then the extra fields as
    ``key=value`` (a value with spaces or quotes in JSON quotes)."""

    def format(self, record: logging.LogRecord) -> str:
        """Render ``record`` as a line of text."""
        time = self.formatTime(record, "%Y-%m-%dT%H:%M:%S")
        parts = [f"{time} {record.levelname} {record.name}: {record.getMessage()}"]
        for key, value in _extra(record).items():
            parts.append(f"{key}={_text_value(value)}")
        if record.exc_text:
            parts.append(f"exception={_text_value(record.exc_text)}")
        return " ".join(parts)


def _text_value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    if not text or any(ch.isspace() or ch in "\"'=" for ch in text):
        return json.dumps(text, ensure_ascii=False)
    return text


LOG_FORMATS = ("json", "text")
"""The formats :func:`configure_logging` knows."""


def configure_logging(
    level: int | str = "INFO", *, json_lines: bool = True, stream: IO[str] | None = None
) -> logging.Logger:
    """Set up the ``frontdesk`` logger: redaction always, JSON lines by default.

    The handler writes to ``stream`` (standard error by default) and replaces
    any handler set up before; records do not go on to the root logger.
    """
    logger = logging.getLogger("frontdesk")
    logger.setLevel(level.upper() if isinstance(level, str) else level)
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    logger.handlers = [handler]
    logger.propagate = False
    return logger


@contextmanager
def installed_logging(
    level: int | str = "INFO", *, log_format: str = "json", stream: IO[str] | None = None
) -> Iterator[logging.Logger]:
    """:func:`configure_logging` for the ``with`` block, then the logger as it was.

    The ``frontdesk`` command runs inside it, so calling its ``main`` from Python
    (a test, a script) leaves the caller's logging untouched afterwards.
    """
    if log_format not in LOG_FORMATS:
        raise ValueError(f"unknown log format '{log_format}' (one of {', '.join(LOG_FORMATS)})")
    logger = logging.getLogger("frontdesk")
    level_before, handlers_before, propagate_before = (
        logger.level,
        list(logger.handlers),
        logger.propagate,
    )
    try:
        yield configure_logging(level, json_lines=log_format == "json", stream=stream)
    finally:
        logger.setLevel(level_before)
        logger.handlers = handlers_before
        logger.propagate = propagate_before


__all__ = [
    "LOG_FORMATS",
    "PLUGIN_FAILURE_FIELDS",
    "SAFE_FIELDS",
    "JsonFormatter",
    "RedactingFilter",
    "TextFormatter",
    "configure_logging",
    "installed_logging",
    "mask",
    "plugin_failure_fields",
    "redact",
]
