"""Built-in behaviour, registered through the same hooks as any plugin."""

from __future__ import annotations

from types import ModuleType

from frontdesk_core.default_plugins import call_policies

DEFAULT_PLUGINS: tuple[ModuleType, ...] = (call_policies,)
