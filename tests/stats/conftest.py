"""The queue tests' configuration and fixtures, shared with the statistics tests."""

from __future__ import annotations

from queues.conftest import clock, config, fd, recorder

__all__ = ["clock", "config", "fd", "recorder"]
