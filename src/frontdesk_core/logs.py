"""Structured logging through the standard :mod:`logging` module, without personal data.

Every frontdesk logger lives under ``frontdesk``. :func:`configure_logging`
installs a JSON formatter (one object per line, with the record's ``extra``
fields) and a :class:`RedactingFilter` that masks CPR numbers, phone numbers
and e-mail addresses wherever they slip into a message or a field: the rule is
that no personal data is ever logged, and the filter is the safety net.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

INTERNATIONAL = re.compile(r"\+\d(?:[ -]?\d){7,14}\b")
CPR = re.compile(r"\b\d{6}-?\d{4}\b")
PHONE = re.compile(r"(?<![\w.])\+?\d(?:[ -]?\d){7,14}\b")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_STANDARD = frozenset(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}


def redact(text: str) -> str:
    """Mask CPR numbers, phone numbers and e-mail addresses in ``text``."""
    text = INTERNATIONAL.sub("<phone>", text)
    text = CPR.sub("<cpr>", text)
    text = EMAIL.sub("<email>", text)
    return PHONE.sub("<phone>", text)


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_redact_value(v) for v in value)
    if isinstance(value, dict):
        return {k: _redact_value(v) for k, v in value.items()}
    return value


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
        for key, value in list(vars(record).items()):
            if key not in _STANDARD:
                setattr(record, key, _redact_value(value))
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
        for key, value in vars(record).items():
            if key not in _STANDARD:
                payload[key] = value
        if record.exc_text:
            payload["error"] = record.exc_text
        return json.dumps(payload, ensure_ascii=False, default=str)


def configure_logging(level: int | str = "INFO", *, json_lines: bool = True) -> logging.Logger:
    """Set up the ``frontdesk`` logger: redaction always, JSON lines by default."""
    logger = logging.getLogger("frontdesk")
    logger.setLevel(level)
    handler = logging.StreamHandler()
    handler.addFilter(RedactingFilter())
    handler.setFormatter(
        JsonFormatter() if json_lines else logging.Formatter("%(levelname)s %(name)s: %(message)s")
    )
    logger.handlers = [handler]
    logger.propagate = False
    return logger
