"""The public API reference page (docs/reference/api.md), generated from :mod:`frontdesk_core.api`.

Every name in ``api.__all__`` with its documentation: a class's or function's
docstring, and for a constant or a type alias (which carry no ``__doc__`` of
their own) the string written right after its assignment in the module that
defines it. Records get a table of their fields, enums their values and
protocols their methods, so a plugin author needs no source reading.
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import importlib
import inspect
import itertools
import typing
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from frontdesk_core import api

SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "Running frontdesk",
        "Opening a Frontdesk, its clocks, loading a configuration, the plugin manager.",
        ("app", "clock", "plugins", "cli", "housekeeping", "loading"),
    ),
    (
        "Records",
        "What hooks receive and the engines return. Frozen, and free of personal data"
        " unless the record says so (`Contact`, `SmsRequest.to`).",
        ("queues", "booking", "devices", "notify", "referral"),
    ),
    (
        "Events",
        "The records of the event log; see also the [event reference](events.md).",
        ("events",),
    ),
    (
        "Extending frontdesk",
        "For plugins: the hook marker, what registration hooks take, the configuration's"
        " building blocks and texts per language.",
        ("hookspecs", "config"),
    ),
    ("Errors", "One hierarchy under `FrontdeskError`.", ("errors",)),
)


@cache
def origins() -> dict[str, tuple[str, str]]:
    """Where each name of :mod:`frontdesk_core.api` comes from: ``name -> (module, name there)``."""
    tree = ast.parse(Path(inspect.getfile(api)).read_text(encoding="utf-8"))
    found: dict[str, tuple[str, str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                found[alias.asname or alias.name] = (node.module, alias.name)
    return found


@cache
def _assignment_docs(module_name: str) -> dict[str, str]:
    """The docstrings written right after module-level assignments, by name."""
    module = importlib.import_module(module_name)
    tree = ast.parse(Path(inspect.getfile(module)).read_text(encoding="utf-8"))
    return _docs_after(tree.body)


def _docs_after(body: list[ast.stmt]) -> dict[str, str]:
    docs: dict[str, str] = {}
    for node, after in itertools.pairwise(body):
        target: ast.expr | None = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        elif isinstance(node, ast.AnnAssign):
            target = node.target
        if (
            isinstance(target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[target.id] = after.value.value
    return docs


def docstring(name: str) -> str:
    """The documentation of ``api.<name>`` (empty when it has none)."""
    obj = getattr(api, name)
    if inspect.isclass(obj) or inspect.isfunction(obj):
        # A class's own docstring only: inspect.getdoc would borrow a base class's.
        own = obj.__dict__.get("__doc__") if inspect.isclass(obj) else obj.__doc__
        return inspect.cleandoc(own or "")
    module, original = origins()[name]
    # Follow a re-export (``events`` re-exports ``events.base``) to the defining module.
    for candidate in (module, *_submodules(module)):
        doc = _assignment_docs(candidate).get(original)
        if doc is not None and getattr(importlib.import_module(candidate), original, None) is obj:
            return inspect.cleandoc(doc)
    return ""


def _submodules(package: str) -> list[str]:
    path = getattr(importlib.import_module(package), "__path__", None)
    if path is None:
        return []
    return [f"{package}.{p.stem}" for p in sorted(Path(path[0]).glob("*.py"))]


def _markdown(text: str) -> str:
    """A docstring as Markdown: RST literals become code, roles become plain code."""
    out = text.replace("``", "`")
    for role in (":class:", ":func:", ":meth:", ":mod:", ":data:", ":attr:"):
        out = out.replace(role, "")
    return out.replace("`~", "`")


def _one_line(text: str) -> str:
    return " ".join(_markdown(text).split()).replace("|", "\\|")


def _type_name(hint: Any) -> str:
    text = str(hint) if typing.get_origin(hint) else getattr(hint, "__name__", str(hint))
    for prefix in ("datetime.", "typing.", "collections.abc.", "frontdesk_core."):
        text = text.replace(prefix, "")
    return text.replace("|", "\\|")


# Meanings of fields whose source carries no docstring of its own, in modules this page
# may not change; a docstring written in the source later takes precedence.
FIELD_NOTES: dict[str, dict[str, str]] = {
    "Ticket": {
        "id": "Unique in the store: queue, service day and the day's number.",
        "number": "What the citizen sees on the ticket and the screens: the queue's prefix and"
        " the day's count (`A012`).",
        "queue_id": "The queue it waits in now (`queues[].id` of its centre).",
        "centre_id": "The centre it was issued at.",
        "state": "Where it is in its life (`TicketState`).",
        "issued_at": "When it was issued.",
        "service_id": "The service the kiosk session chose, if any.",
        "priority": "Higher is called first by `service_level` (the queue's priority unless"
        " given at issue).",
        "note": "A short staff note; never personal data.",
        "booking_id": "The booking it was issued for at check-in.",
        "appointment_at": "The booked time of that booking: `service_level` calls it first"
        " once due.",
        "counter_id": "The counter it is called to or served at.",
        "recalls": "How often it was called again.",
        "language": "The citizen's language (the kiosk session's).",
        "transfers": "How often it moved to another queue.",
    },
    "CounterState": {
        "id": "The counter's id (`counters[].id`).",
        "centre_id": "Its centre.",
        "status": "Closed, open or paused.",
    },
    "WaitEstimate": {"people_ahead": "Tickets that will be called before it."},
}


def _field_docs(record: type) -> dict[str, str]:
    notes = FIELD_NOTES.get(record.__name__, {})
    return {**notes, **_source_field_docs(record)}


def _source_field_docs(record: type) -> dict[str, str]:
    try:
        tree = ast.parse(inspect.getsource(record))
    except (OSError, TypeError):
        return {}
    if not tree.body or not isinstance(tree.body[0], ast.ClassDef):
        return {}
    return _docs_after(tree.body[0].body)


def _record_fields(record: type) -> list[str]:
    hints = typing.get_type_hints(record)
    docs = _field_docs(record)
    lines = ["| field | type | default | meaning |", "|---|---|---|---|"]
    for field in dataclasses.fields(record):
        if not field.init and field.name.startswith("_"):
            continue
        if isinstance(field.default, frozenset):
            # A set's repr follows string hashing, which changes from run to run.
            default = f"`frozenset({sorted(field.default)!r})`"
        elif field.default is not dataclasses.MISSING:
            default = f"`{field.default!r}`"
        elif field.default_factory is not dataclasses.MISSING:
            default = "(empty)"
        else:
            default = "required"
        lines.append(
            f"| `{field.name}` | `{_type_name(hints[field.name])}` | {default} | "
            f"{_one_line(docs.get(field.name, ''))} |"
        )
    return [*lines, ""]


def _members(obj: type[enum.Enum]) -> list[str]:
    values = ", ".join(f"`{member.value}`" for member in obj)
    return [f"Values: {values}.", ""]


def _first_paragraph(text: str) -> str:
    return _one_line(inspect.cleandoc(text).split("\n\n", 1)[0])


def _methods(obj: type) -> list[str]:
    """One line per public method or property: its signature and first paragraph."""
    lines: list[str] = []
    for name, member in obj.__dict__.items():
        if name.startswith("_"):
            continue
        if isinstance(member, property):
            lines.append(f"- `{name}` (property): {_first_paragraph(member.__doc__ or '')}")
            continue
        function = member.__func__ if isinstance(member, classmethod | staticmethod) else member
        if not inspect.isfunction(function):
            continue
        signature = str(inspect.signature(function)).replace("'", "")
        lines.append(f"- `{name}{signature}`: {_first_paragraph(function.__doc__ or '')}")
    return [*lines, ""] if lines else []


def _kind(obj: Any) -> str:
    if inspect.isclass(obj):
        if issubclass(obj, BaseException):
            return "exception"
        if issubclass(obj, enum.Enum):
            return "enum"
        if getattr(obj, "_is_protocol", False):
            return "protocol"
        if dataclasses.is_dataclass(obj):
            return "record"
        return "class"
    if inspect.isfunction(obj):
        return "function"
    return "constant" if isinstance(obj, str | int) else "type"


def entry(name: str) -> list[str]:
    """The page's lines for one name."""
    obj = getattr(api, name)
    kind = _kind(obj)
    heading = f"### `{name}`"
    lines = [heading, ""]
    if kind == "function":
        signature = str(inspect.signature(obj)).replace("'", "")
        lines += ["```python", f"{name}{signature}", "```", ""]
    elif kind == "constant":
        lines += [f"*constant* `{obj!r}`", ""]
    else:
        lines += [f"*{kind}*", ""]
    lines += [_markdown(docstring(name)), ""]
    if kind == "record":
        lines += _record_fields(obj)
    elif kind == "enum":
        lines += _members(obj)
    elif kind in ("protocol", "class"):
        lines += _methods(obj)
    return lines


def _section_of(name: str) -> int:
    module = origins()[name][0].removeprefix("frontdesk_core.")
    best, length = len(SECTIONS) - 1, -1
    for index, (_title, _text, prefixes) in enumerate(SECTIONS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > length:
                best, length = index, len(prefix)
    return best


def grouped() -> Iterator[tuple[str, str, list[str]]]:
    """The sections of the page with their names, in ``__all__`` order."""
    for index, (title, text, _prefixes) in enumerate(SECTIONS):
        names = sorted(n for n in api.__all__ if _section_of(n) == index)
        yield title, text, names


def api_markdown() -> str:
    """The public API reference page."""
    lines = [
        "# Public API reference",
        "",
        "<!-- Generated by `python -m frontdesk_core.docgen docs/reference`; do not edit. -->",
        "",
        _markdown(inspect.cleandoc(api.__doc__ or "")),
        "",
    ]
    for title, text, names in grouped():
        lines += [f"## {title}", "", text, ""]
        for name in names:
            lines += entry(name)
    return "\n".join(lines).rstrip() + "\n"
