"""frontdesk: citizen reception for public service centres.

The public API, for integrators::

    from frontdesk_core import Frontdesk, ManualClock, load_config
"""

from __future__ import annotations

import logging

from frontdesk_core.app import Frontdesk
from frontdesk_core.clock import Clock, ManualClock, SystemClock
from frontdesk_core.config.loader import LoadContext
from frontdesk_core.config.models import Config
from frontdesk_core.errors import (
    CapacityError,
    CommandError,
    ConfigError,
    FrontdeskError,
    InvalidStateError,
    NotFoundError,
    PluginError,
    Problem,
)
from frontdesk_core.hookspecs import hookimpl
from frontdesk_core.housekeeping import HousekeepingReport, RuleFailure
from frontdesk_core.loading import check, load_config
from frontdesk_core.plugins import Hooks, make_plugin_manager

__version__ = "0.1.0"

# A library leaves logging set-up to the application (see frontdesk_core.logs).
logging.getLogger("frontdesk").addHandler(logging.NullHandler())

__all__ = [
    "CapacityError",
    "Clock",
    "CommandError",
    "Config",
    "ConfigError",
    "Frontdesk",
    "FrontdeskError",
    "Hooks",
    "HousekeepingReport",
    "InvalidStateError",
    "LoadContext",
    "ManualClock",
    "NotFoundError",
    "PluginError",
    "Problem",
    "RuleFailure",
    "SystemClock",
    "__version__",
    "check",
    "hookimpl",
    "load_config",
    "make_plugin_manager",
]
