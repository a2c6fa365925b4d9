"""Reading the ``display:`` section from a file of its own (``frontdesk serve --display``).

Useful when the reception's configuration is shared and the staff accounts are
kept apart from it. Problems are reported as ``file:line:column: message``,
like the core's (through :func:`frontdesk_core.api.load_section`).
"""

from __future__ import annotations

from pathlib import Path

from frontdesk_core.api import load_section
from frontdesk_display.settings import SECTION, DisplaySettings


def load_settings_file(path: str | Path) -> DisplaySettings:
    """The ``display:`` section of ``path``; :class:`ConfigError` listing every problem."""
    return load_section(path, SECTION, DisplaySettings)
