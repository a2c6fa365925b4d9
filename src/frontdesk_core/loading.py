"""Load a configuration in the language of the core and its built-in plugins.

:func:`frontdesk_core.config.loader.load_config` checks what its
:class:`~frontdesk_core.config.loader.LoadContext` names, and a bare context names
no plugin, not even the built-in ones (the cross-checks of referral trees and
booking rules are built-in plugins). These are the package root's
``load_config`` and ``check``: without a context they use
:func:`~frontdesk_core.plugins.builtin_context`, so an integrator's
``load_config(path)`` checks everything the core knows.
"""

from __future__ import annotations

import os

from frontdesk_core.config.loader import LoadContext
from frontdesk_core.config.loader import check as check_with
from frontdesk_core.config.loader import load_config as load_config_with
from frontdesk_core.config.models import Config
from frontdesk_core.errors import Problem
from frontdesk_core.plugins import builtin_context


def check(
    path: str | os.PathLike[str], context: LoadContext | None = None
) -> tuple[Config | None, list[Problem]]:
    """Load and check the configuration at ``path``: the models, or every problem found.

    ``context`` defaults to the built-in plugins' (installed plugins are not asked;
    pass ``Hooks(make_plugin_manager()).load_context()`` for them).
    """
    return check_with(path, context if context is not None else builtin_context())


def load_config(path: str | os.PathLike[str], context: LoadContext | None = None) -> Config:
    """Load the configuration at ``path``; raise :class:`ConfigError` with every problem.

    ``context`` defaults to the built-in plugins' (see :func:`check`).
    """
    return load_config_with(path, context if context is not None else builtin_context())
