"""Registers the built-in call-next policies."""

from __future__ import annotations

from collections.abc import Callable

from frontdesk_core.hookspecs import hookimpl
from frontdesk_core.queues.policies import FifoPolicy, ServiceLevelPolicy
from frontdesk_core.queues.policy import CallPolicy


@hookimpl
def frontdesk_call_policies(register: Callable[[str, CallPolicy], None]) -> None:
    """Register ``service_level`` (the default) and ``fifo``."""
    register("service_level", ServiceLevelPolicy())
    register("fifo", FifoPolicy())
