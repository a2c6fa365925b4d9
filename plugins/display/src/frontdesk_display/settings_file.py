"""Reading the ``display:`` section from a file of its own (``frontdesk serve --display``).

Useful when the reception's configuration is shared and the staff accounts are
kept apart from it. Problems are reported as ``file:line:column: message``,
like the core's.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from frontdesk_core.config.loader import display_name, parse_file
from frontdesk_core.config.locate import Source, walk
from frontdesk_core.config.messages import message_for
from frontdesk_core.errors import ConfigError, Problem
from frontdesk_display.settings import SECTION, DisplaySettings


def load_settings_file(path: str | Path) -> DisplaySettings:
    """The ``display:`` section of ``path``; :class:`ConfigError` listing every problem."""
    file = Path(path)
    name = display_name(file)
    if not file.is_file():
        raise ConfigError([Problem(name, 1, 1, "no such file")])
    node, problems = parse_file(file)
    if problems:
        raise ConfigError(problems)
    if not isinstance(node, dict) or SECTION not in node:
        raise ConfigError([Problem(name, 1, 1, f"the file needs a '{SECTION}:' section")])
    unknown = [key for key in node if key != SECTION]
    if unknown:
        line, column = node.lc.data[unknown[0]][:2]  # type: ignore[attr-defined]
        message = f"only the '{SECTION}:' section belongs in this file, not '{unknown[0]}'"
        raise ConfigError([Problem(name, line + 1, column + 1, message)])
    line, column = node.lc.data[SECTION][:2]  # type: ignore[attr-defined]
    source = Source(name, node[SECTION], line, column)
    try:
        return DisplaySettings.model_validate(node[SECTION])
    except ValidationError as exc:
        found = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            message, at_key = message_for(error, DisplaySettings, loc)
            position = walk(source, list(loc), at_key=at_key)
            found.append(Problem(position.file, position.line, position.column, message))
        raise ConfigError(found) from None
