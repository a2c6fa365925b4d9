"""Load a plugin's own configuration section from a file of its own, with positioned errors.

A section a plugin registers with ``frontdesk_config_sections`` is validated by
the core as part of the whole configuration and reaches the plugin as
``config.sections[name]``. Some sections are better kept apart (staff accounts
beside a shared configuration, say), so a plugin reads them itself:

    settings = load_section("display.yaml", "display", DisplaySettings)

The file holds that one section; every problem (YAML syntax, a wrong value, an
unknown key, another section in the file) is reported as
``file:line:column: message`` exactly as the core reports its own.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, TypeVar, overload

from pydantic import TypeAdapter, ValidationError

from frontdesk_core.config.locate import Source, walk
from frontdesk_core.config.messages import message_for
from frontdesk_core.config.syntax import display_name, parse_file
from frontdesk_core.errors import ConfigError, Problem

T = TypeVar("T")


@overload
def check_section(
    path: str | os.PathLike[str], name: str, schema: type[T]
) -> tuple[T | None, list[Problem]]: ...


@overload
def check_section(
    path: str | os.PathLike[str], name: str, schema: Any
) -> tuple[Any, list[Problem]]: ...


def check_section(
    path: str | os.PathLike[str], name: str, schema: Any
) -> tuple[Any, list[Problem]]:
    """Read the section ``name`` from the YAML file ``path`` and validate it against ``schema``.

    ``schema`` is what ``frontdesk_config_sections`` registers: a pydantic model or
    any type pydantic validates (``list[Model]``). Returns ``(value, [])`` or
    ``(None, problems)`` with every problem found, each at its ``file:line:column``.
    """
    file = Path(path)
    shown = display_name(file)
    if not file.is_file():
        return None, [Problem(shown, 1, 1, "no such file")]
    node, problems = parse_file(file)
    if problems:
        return None, problems
    if not isinstance(node, dict) or name not in node:
        return None, [Problem(shown, 1, 1, f"the file needs a '{name}:' section")]
    others = [key for key in node if key != name]
    if others:
        line, column = node.lc.data[others[0]][:2]  # type: ignore[attr-defined]
        message = f"only the '{name}:' section belongs in this file, not '{others[0]}'"
        return None, [Problem(shown, line + 1, column + 1, message)]
    line, column = node.lc.data[name][:2]  # type: ignore[attr-defined]
    source = Source(shown, node[name], line, column)
    try:
        return TypeAdapter(schema).validate_python(node[name]), []
    except ValidationError as exc:
        found = []
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            message, at_key = message_for(error, schema, loc)
            position = walk(source, list(loc), at_key=at_key)
            found.append(Problem(position.file, position.line, position.column, message))
        return None, sorted(set(found))


@overload
def load_section(path: str | os.PathLike[str], name: str, schema: type[T]) -> T: ...


@overload
def load_section(path: str | os.PathLike[str], name: str, schema: Any) -> Any: ...


def load_section(path: str | os.PathLike[str], name: str, schema: Any) -> Any:
    """Like :func:`check_section`, but raise :class:`~frontdesk_core.errors.ConfigError`.

    The error's ``problems`` list every problem with its ``file``, ``line`` and
    ``column``; ``str(error)`` prints them one per line, as ``frontdesk validate`` does.
    """
    value, problems = check_section(path, name, schema)
    if problems:
        raise ConfigError(problems)
    return value
