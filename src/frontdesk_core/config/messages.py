"""Plain-language messages for pydantic's validation errors.

A consultant reads "unknown key 'prefx'; did you mean 'prefix'?", not
"Extra inputs are not permitted".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic_core import ErrorDetails

from frontdesk_core.config.schema_walk import is_text, keys_at
from frontdesk_core.config.suggest import did_you_mean

_PATTERNS = {
    r"^[a-z][a-z0-9_-]*$": (
        "is not a valid id: use lower-case letters, digits, '_' and '-', starting with a letter"
    ),
    r"^[A-Z]{1,3}$": "is not a valid ticket prefix: use 1 to 3 capital letters, e.g. 'P'",
    r"^[a-z]{2}$": "is not a language code: use two lower-case letters, e.g. 'da' or 'en'",
}


def describe(value: Any) -> str:
    """A short, readable rendering of a YAML value for a message."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    text = str(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"'{text}'"


def _field_name(loc: Sequence[str | int]) -> str:
    for segment in reversed(loc):
        if isinstance(segment, str):
            return segment
    return "value"


def message_for(error: ErrorDetails, root_type: Any, loc: Sequence[str | int]) -> tuple[str, bool]:
    """The message for one pydantic error, and whether it points at a key (not a value)."""
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    name = _field_name(loc)
    if kind == "missing":
        return f"missing required key '{name}'", False
    if kind == "extra_forbidden":
        allowed = keys_at(root_type, loc[:-1])
        hint = did_you_mean(str(loc[-1]), allowed)
        if not hint and allowed:
            hint = "; allowed keys: " + ", ".join(sorted(allowed))
        return f"unknown key '{loc[-1]}'{hint}", True
    if kind in ("dict_type", "model_type", "model_attributes_type") and is_text(root_type, loc):
        return (
            f"'{name}' must be a text per language, like {{da: ..., en: ...}}; "
            f"got {describe(value)}",
            False,
        )
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"'{name}' must be a mapping of keys and values; got {describe(value)}", False
    if kind == "list_type":
        return f"'{name}' must be a list (lines starting with '- '); got {describe(value)}", False
    if kind in ("string_type", "str_type"):
        return f"'{name}' must be text; got {describe(value)}", False
    if kind == "string_too_short":
        return f"'{name}' must not be empty", False
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"'{name}' must be a whole number; got {describe(value)}", False
    if kind in ("float_type", "float_parsing"):
        return f"'{name}' must be a number; got {describe(value)}", False
    if kind in ("bool_type", "bool_parsing"):
        return f"'{name}' must be true or false; got {describe(value)}", False
    if kind == "string_pattern_mismatch":
        explanation = _PATTERNS.get(str(ctx.get("pattern")), "does not have the expected form")
        return f"{describe(value)} {explanation}", False
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        options = [o.strip().strip("'") for o in expected.replace(" or ", ", ").split(",")]
        hint = did_you_mean(str(value), options)
        return f"{describe(value)} is not allowed for '{name}'{hint}; use {expected}", False
    if kind == "union_tag_invalid":
        tags = [str(t).strip().strip("'") for t in str(ctx.get("expected_tags", "")).split(",")]
        hint = did_you_mean(str(ctx.get("tag")), tags) or f"; use one of {ctx.get('expected_tags')}"
        discriminator = str(ctx.get("discriminator", "kind")).strip("'")
        return f"unknown {discriminator} '{ctx.get('tag')}'{hint}", False
    if kind == "union_tag_not_found":
        return f"missing required key {ctx.get('discriminator', 'kind')}", False
    if kind == "too_short":
        least = ctx.get("min_length", 1)
        return f"'{name}' needs at least {least} item{'s' if least != 1 else ''}", False
    if kind == "too_long":
        return f"'{name}' has too many items (at most {ctx.get('max_length')})", False
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        words = {
            "greater_than_equal": "at least",
            "greater_than": "more than",
            "less_than_equal": "at most",
            "less_than": "less than",
        }[kind]
        limit = next(iter(ctx.values()), "")
        return f"'{name}' must be {words} {limit}; got {describe(value)}", False
    if kind in (
        "date_type",
        "date_parsing",
        "date_from_datetime_parsing",
        "date_from_datetime_inexact",
    ):
        return f"{describe(value)} is not a date; write it like 2026-12-24", False
    if kind == "value_error":
        return str(ctx.get("error", error["msg"])), False
    if kind == "condition":
        return error["msg"], False
    return f"'{name}': {error['msg'][0].lower()}{error['msg'][1:]}", False
