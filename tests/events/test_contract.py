"""Readers get typed records: nothing outside the events package reads a payload by key."""

from __future__ import annotations

import ast
from pathlib import Path

from frontdesk_core import events
from frontdesk_core.events import Event, NewEvent

ROOT = Path(__file__).parents[2]
SOURCES = [ROOT / "src", *sorted((ROOT / "plugins").glob("*/src"))]
EVENTS_PACKAGE = ROOT / "src" / "frontdesk_core" / "events"
PAYLOAD_ATTRIBUTES = {"payload", "data", "fields"}
NOT_EVENTS = {
    # pydantic's ValidationInfo.data: the fields of a model being validated, no event.
    ("frontdesk_printer_escpos/config.py", "labels"),
    # A loaded YAML document's mapping, no event.
    ("config/loader.py", "include"),
}


def _keyed_reads(path: Path, root: Path = ROOT) -> list[str]:
    """``x.payload["k"]``, ``x.data.get("k")`` and the like in one module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        target: ast.expr | None = None
        key: ast.expr | None = None
        if isinstance(node, ast.Subscript):
            target, key = node.value, node.slice
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("get", "pop", "setdefault")
            and node.args
        ):
            target, key = node.func.value, node.args[0]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) == "getattr"
            and len(node.args) >= 2
        ):
            target, key = node.args[0], node.args[1]
        if (
            isinstance(target, ast.Attribute)
            and target.attr in PAYLOAD_ATTRIBUTES
            and isinstance(key, ast.Constant)
            and isinstance(key.value, str)
        ):
            where = f"{path.parent.name}/{path.name}"
            if (where, key.value) not in NOT_EVENTS:
                found.append(
                    f"{path.relative_to(root)}:{node.lineno}: .{target.attr}[{key.value!r}]"
                )
    return found


def test_no_module_outside_the_events_package_reads_a_payload_by_key() -> None:
    modules = [
        path
        for source in SOURCES
        for path in source.rglob("*.py")
        if EVENTS_PACKAGE not in path.parents
    ]
    assert len(modules) > 100
    offenders = [line for path in modules for line in _keyed_reads(path)]
    assert offenders == []


def test_the_scan_finds_what_it_looks_for(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "a = event.payload['x']\nb = e.data.get('y')\nc = getattr(ev.payload, 'z')\n"
        "d = ok.payload.number\n",
        encoding="utf-8",
    )
    assert len(_keyed_reads(sample, tmp_path)) == 3


def test_events_offer_no_keyed_access() -> None:
    for cls in (Event, NewEvent):
        assert not hasattr(cls, "data") and not hasattr(cls, "__getitem__")
    for record in events.kinds().values():
        assert not hasattr(record, "__getitem__") and not hasattr(record, "get"), record
