"""libyaml's parse gives exactly what ruamel alone gives: the data, and every position."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from frontdesk_core.config import fast_parse, syntax

ROOT = Path(__file__).resolve().parents[2]
CORPUS = sorted(
    [*ROOT.glob("examples/**/*.yaml"), *(ROOT / "tests/config/valid").glob("*.yaml")],
    key=str,
)
TRICKY = """\
plain: [yes, no, on, off, ~, null, 0o17, 017, 0x1F, 1_000, 1e3, .inf, 2026-02-30, 12:30]
quoted: {single: 'it''s', double: "tab\\there", empty: ""}
anchored: &base {a: 1, b: [x, y]}
merged:
  <<: *base
  b: [z]
again: *base
folded: >
  one
  two
literal: |
  keep
  lines
? complex key
: value
"""


def _ruamel(text: str) -> Any:
    data, problems = syntax._parse_with_ruamel(syntax._yaml(), text, "t.yaml")
    assert problems == []
    return data


def _positions(value: Any) -> Any:
    """Every ``lc`` position below ``value``, as plain data."""
    if isinstance(value, dict):
        return (
            dict(value.lc.data),
            {str(k): _positions(v) for k, v in value.items()},
        )
    if isinstance(value, list):
        return (dict(value.lc.data), [_positions(v) for v in value])
    return None


@pytest.mark.parametrize("text", [TRICKY, *(p.read_text(encoding="utf-8") for p in CORPUS)])
def test_the_same_data_and_positions_as_ruamel(text: str) -> None:
    assert fast_parse.available()
    fast, problems = syntax.parse_text(text, "t.yaml")
    assert problems == []
    slow = _ruamel(text)
    assert fast == slow
    assert _positions(fast) == _positions(slow)


@pytest.mark.parametrize(
    "case", ["yaml-too-deep.yaml", "yaml-alias-bomb.yaml", "reused-anchor.yaml"]
)
def test_without_libyaml_the_limits_and_messages_are_the_same(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (Path(__file__).parent / "broken" / case).read_text(encoding="utf-8")
    fast = syntax.parse_text(text, case)
    monkeypatch.setattr(fast_parse, "_LOADER", None)
    assert syntax.parse_text(text, case) == fast


def test_an_anchor_inside_itself_is_counted_not_followed_forever() -> None:
    text = "a: &a [1, *a]\n"
    assert syntax.parse_text(text, "t.yaml") == (_ruamel(text), [])
