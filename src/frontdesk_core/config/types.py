"""Small value types that consultants write as plain strings in YAML.

``"15 min"`` is a :class:`~datetime.timedelta`, ``"09:00-17:00"`` a
:class:`TimeRange`, ``"80% within 15 minutes"`` a :class:`ServiceLevel`. Each type
parses its string, reports a plain-language error, and exports a JSON Schema
pattern so editors can check it while it is typed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
)

# --- identifiers and texts -------------------------------------------------

Identifier = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"^[a-z][a-z0-9_-]*$", max_length=64),
    Field(description="An id: lower-case letters, digits, '_' and '-', starting with a letter."),
]
"""An id that other parts of the configuration refer to."""

LanguageCode = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z]{2}$")]
"""A two-letter ISO 639-1 language code in lower case: ``da``, ``en``, ``uk``."""

TEXT_MARKER = "frontdesk:text"
"""Marks a per-language mapping in a type's metadata (``Annotated[dict[LanguageCode, X], ...,
TEXT_MARKER]``), so the loader checks its languages against the site's (as for :data:`Text`)."""

Text = Annotated[
    dict[LanguageCode, Annotated[str, StringConstraints(strict=True, min_length=1)]],
    Field(
        description="A text shown to citizens, one per language, e.g. {da: Pas, en: Passport}.",
    ),
    TEXT_MARKER,
]
"""A citizen-facing text, one string per language code."""


class Model(BaseModel):
    """Base of every configuration model: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, validate_default=True
    )


# --- durations -----------------------------------------------------------------

_UNITS: dict[str, float] = {
    "s": 1, "sec": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400,
    "w": 604800, "week": 604800, "weeks": 604800,
}  # fmt: skip
_DURATION_PART = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*")
DURATION_PATTERN = r"^\s*(\d+(\.\d+)?\s*[a-z]+\s*)+$"


def parse_duration(value: object) -> timedelta:
    """Parse ``"15 min"``, ``"2 h"``, ``"1 h 30 min"``, ``"30 days"`` into a timedelta."""
    if isinstance(value, timedelta):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected a duration such as '15 min', got {value!r}")
    text = value.strip().lower()
    pos, seconds = 0, 0.0
    while pos < len(text):
        match = _DURATION_PART.match(text, pos)
        if not match or match.group(2) not in _UNITS:
            raise ValueError(
                f"'{value}' is not a duration; write it like '15 min', '2 h' or '30 days'"
            )
        seconds += float(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    if not text:
        raise ValueError("a duration cannot be empty; write it like '15 min'")
    return timedelta(seconds=seconds)


def format_duration(delta: timedelta) -> str:
    """Write a timedelta back the way a consultant would (``"1 h 30 min"``)."""
    total = int(delta.total_seconds())
    parts = []
    for unit, size in (("days", 86400), ("h", 3600), ("min", 60), ("s", 1)):
        if total >= size:
            count, total = divmod(total, size)
            parts.append(f"{count} {unit}")
    return " ".join(parts) or "0 min"


Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema(
        {"type": "string", "pattern": DURATION_PATTERN, "examples": ["15 min", "2 h", "30 days"]}
    ),
]
"""A length of time written as ``"15 min"``, ``"2 h"`` or ``"30 days"``."""

# --- times of day -----------------------------------------------------------------

_TIME = re.compile(r"^([01]?\d|2[0-4])[:.]([0-5]\d)$")
TIME_PATTERN = r"^([01]?\d|2[0-4])[:.][0-5]\d$"
RANGE_PATTERN = r"^\s*([01]?\d|2[0-4])[:.][0-5]\d\s*-\s*([01]?\d|2[0-4])[:.][0-5]\d\s*$"


def parse_time(value: object) -> time:
    """Parse ``"09:00"`` (or ``"9.00"``) into a time of day; ``"24:00"`` is end of day."""
    if isinstance(value, time):
        return value
    match = _TIME.match(value.strip()) if isinstance(value, str) else None
    if not match:
        raise ValueError(f"'{value}' is not a time of day; write it like '09:00'")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour == 24:
        if minute:
            raise ValueError(f"'{value}' is not a time of day; the latest is '24:00'")
        return time.max
    return time(hour, minute)


def format_time(value: time) -> str:
    """Write a time of day as ``HH:MM`` (``24:00`` for the end of the day)."""
    return "24:00" if value == time.max else value.strftime("%H:%M")


TimeOfDay = Annotated[
    time,
    BeforeValidator(parse_time),
    PlainSerializer(format_time, return_type=str),
    WithJsonSchema({"type": "string", "pattern": TIME_PATTERN, "examples": ["09:00"]}),
]
"""A time of day written as ``"09:00"``."""


@dataclass(frozen=True, order=True)
class TimeRange:
    """A half-open interval of the day, ``start`` inclusive, ``end`` exclusive."""

    start: time
    end: time

    def __str__(self) -> str:
        return f"{format_time(self.start)}-{format_time(self.end)}"

    def contains(self, moment: time) -> bool:
        """Whether ``moment`` falls inside the range."""
        return self.start <= moment < self.end

    @property
    def length(self) -> timedelta:
        """How long the range lasts."""
        return _as_delta(self.end) - _as_delta(self.start)


def _as_delta(moment: time) -> timedelta:
    if moment == time.max:
        return timedelta(hours=24)
    return timedelta(hours=moment.hour, minutes=moment.minute, seconds=moment.second)


def parse_range(value: object) -> TimeRange:
    """Parse ``"09:00-17:00"`` into a :class:`TimeRange` whose end is after its start."""
    if isinstance(value, TimeRange):
        return value
    if not isinstance(value, str) or value.count("-") != 1:
        raise ValueError(f"'{value}' is not a time range; write it like '09:00-17:00'")
    start_text, end_text = value.split("-")
    try:
        start, end = parse_time(start_text), parse_time(end_text)
    except ValueError:
        raise ValueError(f"'{value}' is not a time range; write it like '09:00-17:00'") from None
    if end <= start:
        raise ValueError(f"the time range '{value}' ends before it starts")
    return TimeRange(start, end)


TimeRangeField = Annotated[
    TimeRange,
    BeforeValidator(parse_range),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": RANGE_PATTERN, "examples": ["09:00-17:00"]}),
]
"""A time range written as ``"09:00-17:00"``."""

# --- service levels ----------------------------------------------------------------

_LEVEL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s+within\s+(.+)$", re.IGNORECASE)
LEVEL_PATTERN = r"^\s*\d+(\.\d+)?\s*%\s+within\s+.+$"


@dataclass(frozen=True)
class ServiceLevel:
    """A service-level target: ``share`` of citizens called within ``within``."""

    share: float
    within: timedelta

    def __str__(self) -> str:
        return f"{self.share * 100:g}% within {format_duration(self.within)}"


def parse_service_level(value: object) -> ServiceLevel:
    """Parse ``"80% within 15 minutes"`` into a :class:`ServiceLevel`."""
    if isinstance(value, ServiceLevel):
        return value
    match = _LEVEL.match(value) if isinstance(value, str) else None
    if not match:
        raise ValueError(
            f"'{value}' is not a service-level target; write it like '80% within 15 minutes'"
        )
    share = float(match.group(1)) / 100
    if not 0 < share <= 1:
        raise ValueError(f"the share in '{value}' must be between 1% and 100%")
    try:
        within = parse_duration(match.group(2))
    except ValueError:
        raise ValueError(
            f"'{value}' is not a service-level target; write it like '80% within 15 minutes'"
        ) from None
    if within <= timedelta(0):
        raise ValueError(f"the time in '{value}' must be longer than zero")
    return ServiceLevel(share, within)


ServiceLevelField = Annotated[
    ServiceLevel,
    BeforeValidator(parse_service_level),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {"type": "string", "pattern": LEVEL_PATTERN, "examples": ["80% within 15 minutes"]}
    ),
]
"""A service-level target written as ``"80% within 15 minutes"``."""


def text_in(text: Mapping[str, str], language: str, fallback: str | None = None) -> str:
    """Pick ``text`` in ``language``, else in ``fallback``, else any language."""
    if language in text:
        return text[language]
    if fallback is not None and fallback in text:
        return text[fallback]
    return next(iter(text.values()), "")


def as_plain(value: Any) -> Any:
    """Turn ruamel's commented containers into plain dicts and lists (recursively)."""
    if isinstance(value, dict):
        return {k: as_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_plain(v) for v in value]
    return value
