"""Built-in behaviour, registered through the same hooks as any plugin.

:func:`~frontdesk_core.plugins.make_plugin_manager` registers
:data:`DEFAULT_PLUGINS` first, under ``frontdesk.<module>``. The core's
sub-commands (:mod:`~frontdesk_core.default_plugins.cli_commands`) are registered
by the command line itself, which sits above the rest of the core.
"""

from __future__ import annotations

from types import ModuleType

from frontdesk_core.default_plugins import call_policies, config_checks

DEFAULT_PLUGINS: tuple[ModuleType, ...] = (call_policies, config_checks)
"""The built-in call-next policies, and the cross-checks of referral trees and booking rules."""
