"""Shared fixtures for the core's tests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from frontdesk_core.clock import ManualClock

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def clock() -> ManualClock:
    """A manual clock on a Monday morning in Copenhagen."""
    return ManualClock(datetime(2026, 11, 23, 9, 0, tzinfo=CPH))
