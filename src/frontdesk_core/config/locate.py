"""Turn a path into loaded YAML (a pydantic ``loc``) into ``file:line:column``.

ruamel.yaml's round-trip loader keeps, on every mapping and sequence, the
zero-based line and column of each key and value (``node.lc.data``). A path is
walked through those nodes; segments that YAML does not have (pydantic's union
tags) are skipped, and a path that ends at a missing key points at its parent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Loc = Sequence[str | int]


@dataclass(frozen=True)
class Source:
    """Where a loaded section came from: the file, the node, and its key's position."""

    file: str
    node: Any
    line: int  # zero-based position of the section's key (or item)
    column: int


@dataclass(frozen=True)
class Position:
    """A resolved position: 1-based line and column in ``file``."""

    file: str
    line: int
    column: int


def _lc(node: Any, key: Any) -> list[int] | None:
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    data = getattr(lc, "data", None)
    if not data or key not in data:
        return None
    return list(data[key])


def walk(source: Source, loc: Loc, *, at_key: bool = False) -> Position:
    """Resolve ``loc`` inside ``source``; ``at_key`` points at the last key, not its value.

    The result is the position of the deepest segment that exists: the value when
    the whole path exists, otherwise the key (or list item) of the deepest parent.
    """
    node = source.node
    line, col = source.line, source.column
    key_line, key_col = line, col
    last_resolved = True
    for segment in loc:
        last_resolved = True
        if isinstance(node, dict) and not isinstance(segment, bool) and segment in node:
            pos = _lc(node, segment)
            if pos is not None:
                key_line, key_col = pos[0], pos[1]
                line, col = (pos[2], pos[3]) if len(pos) >= 4 else (pos[0], pos[1])
            node = node[segment]
        elif isinstance(node, list) and isinstance(segment, int) and 0 <= segment < len(node):
            pos = _lc(node, segment)
            if pos is not None:
                key_line, key_col = line, col = pos[0], pos[1]
            node = node[segment]
        elif segment == 0 and not isinstance(node, (dict, list)):
            # A single value the model wraps in a list ("09:00-17:00" for a day's ranges).
            continue
        else:
            # A key the YAML does not have: a union tag pydantic adds, or a missing key.
            last_resolved = False
    if at_key or not last_resolved:
        return Position(source.file, key_line + 1, key_col + 1)
    return Position(source.file, line + 1, col + 1)
