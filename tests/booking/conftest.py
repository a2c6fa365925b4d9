"""A small booking configuration of our own, written as YAML and loaded like any other.

Testby's Borgerservice, Tuesday 24 November 2026 (the clock starts on Monday 09:00):

* opening hours 09:00-15:00 Monday to Friday (Thursday 09:00-12:00 and 13:00-17:00),
  short day 23 December (09:00-12:00), Danish holidays;
* ``c1`` serves passports and tax, lunch 12:00-12:30; ``c2`` serves passports and
  takes bookings 10:00-14:00 only; ``c3`` is the building-permit officer;
* a staff meeting on Wednesdays 09:00-10:00 (every counter);
* ``passport``: 15 min, notice 2 h, horizon 30 days; ``permit``: 30 min, 5 min
  before and 10 min after, a start every 15 min, in person or by phone, notice 1 h.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from frontdesk_core.app import Frontdesk
from frontdesk_core.clock import ManualClock
from frontdesk_core.config.loader import load_config
from frontdesk_core.config.models import Config
from frontdesk_core.testing import HookRecorder, MakeFrontdesk

CPH = ZoneInfo("Europe/Copenhagen")
PHONE = "+4512345678"

BASE: dict[str, Any] = {
    "site": {
        "id": "testby",
        "name": "Testby Kommune",
        "languages": ["da", "en"],
        "booking": {"reminders": ["24 h", "2 h"], "retention": "30 days"},
    },
    "centres": [
        {
            "id": "main",
            "name": {"da": "Borgerservice", "en": "Citizen Service"},
            "address": "Rådhuspladsen 1, 9999 Testby",
            "opening_hours": {
                "mon": "09:00-15:00",
                "tue": "09:00-15:00",
                "wed": "09:00-15:00",
                "thu": ["09:00-12:00", "13:00-17:00"],
                "fri": "09:00-15:00",
            },
            "exceptions": [{"date": "2026-12-23", "hours": "09:00-12:00"}],
            "queues": [
                {
                    "id": "pass",
                    "name": {"da": "Pas", "en": "Passport"},
                    "prefix": "P",
                    "where": {"da": "Venteområde A", "en": "Waiting area A"},
                },
                {"id": "tax", "name": {"da": "Skat", "en": "Tax"}, "prefix": "S"},
                {"id": "walkin", "name": {"da": "Uden tid", "en": "Walk-in"}, "prefix": "W"},
                {"id": "build", "name": {"da": "Byggesag", "en": "Permits"}, "prefix": "B"},
            ],
            "counters": [
                {
                    "id": "c1",
                    "name": {"da": "Skranke 1", "en": "Counter 1"},
                    "queues": ["pass", "tax", "walkin"],
                    "location": {"da": "Stuen, skranke 1", "en": "Ground floor, counter 1"},
                },
                {
                    "id": "c2",
                    "name": {"da": "Skranke 2", "en": "Counter 2"},
                    "queues": ["pass"],
                    "booking_hours": {
                        day: "10:00-14:00" for day in ("mon", "tue", "wed", "thu", "fri")
                    },
                },
                {
                    "id": "c3",
                    "name": {"da": "Byggesag", "en": "Building permits"},
                    "queues": ["build"],
                    "location": {"da": "1. sal, lokale 12", "en": "1st floor, room 12"},
                },
            ],
            "kiosks": [{"id": "k1", "name": "Kiosk 1"}],
            "tree": "reception",
            "booking": {
                "check_in_early": "30 min",
                "check_in_late": "10 min",
                "breaks": [
                    {"time": "12:00-12:30", "counters": ["c1"]},
                    {"weekdays": ["wed"], "time": "09:00-10:00"},
                ],
            },
        }
    ],
    "services": [
        {
            "id": "passport",
            "name": {"da": "Pas", "en": "Passport"},
            "queue": "pass",
            "booking": {"duration": "15 min", "min_notice": "2 h", "horizon": "30 days"},
        },
        {
            "id": "tax",
            "name": {"da": "Skat", "en": "Tax"},
            "queue": "tax",
            "booking": {"duration": "30 min", "min_notice": "0 min"},
        },
        {
            "id": "permit",
            "name": {"da": "Byggetilladelse", "en": "Building permit"},
            "queue": "build",
            "booking": {
                "duration": "30 min",
                "buffer_before": "5 min",
                "buffer_after": "10 min",
                "slot_step": "15 min",
                "channels": ["in_person", "phone"],
                "min_notice": "1 h",
            },
        },
    ],
}


TREE: dict[str, Any] = {
    "id": "reception",
    "name": "Reception",
    "start": "errand",
    "nodes": [
        {
            "kind": "question",
            "id": "errand",
            "text": {"da": "Hvad skal du?", "en": "What is your errand?"},
            "options": [
                {
                    "id": "booked",
                    "label": {"da": "Jeg har en tid", "en": "I have booked"},
                    "next": "arrive",
                },
                {"id": "tax", "label": {"da": "Skat", "en": "Tax"}, "next": "tax_now_or_later"},
            ],
        },
        {
            "kind": "check_in",
            "id": "arrive",
            "text": {"da": "Velkommen", "en": "Welcome"},
        },
        {
            "kind": "question",
            "id": "tax_now_or_later",
            "text": {"da": "Vent eller få en tid i dag?", "en": "Wait, or a time today?"},
            "options": [
                {"id": "wait", "label": {"da": "Vent", "en": "Wait"}, "next": "tax_queue"},
                {"id": "later", "label": {"da": "En tid", "en": "A time"}, "next": "tax_today"},
            ],
        },
        {"kind": "queue", "id": "tax_queue", "queue": "tax", "service": "tax"},
        {
            "kind": "book",
            "id": "tax_today",
            "service": "tax",
            "text": {"da": "Vælg en tid", "en": "Choose a time"},
        },
    ],
}
BASE["trees"] = [TREE]


def write_config(directory: Path, data: dict[str, Any]) -> Path:
    """Write ``data`` as a YAML file (JSON is YAML) and return its path."""
    path = directory / "frontdesk.yaml"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


@pytest.fixture
def data() -> dict[str, Any]:
    """A fresh copy of the base configuration, to change before loading."""
    return copy.deepcopy(BASE)


@pytest.fixture
def load(tmp_path: Path) -> Callable[[dict[str, Any]], Config]:
    """Write a configuration to ``tmp_path`` and load it with the real loader."""

    def _load(config_data: dict[str, Any]) -> Config:
        return load_config(write_config(tmp_path, config_data))

    return _load


@pytest.fixture
def config(load: Callable[[dict[str, Any]], Config], data: dict[str, Any]) -> Config:
    """The base configuration, loaded."""
    return load(data)


@pytest.fixture
def clock() -> ManualClock:
    """Monday 23 November 2026, 09:00 in Copenhagen."""
    return ManualClock(datetime(2026, 11, 23, 9, 0, tzinfo=CPH))


@pytest.fixture
def recorder() -> HookRecorder:
    """Records every event hook."""
    return HookRecorder()


@pytest.fixture
def fd(
    make_frontdesk: MakeFrontdesk, config: Config, clock: ManualClock, recorder: HookRecorder
) -> Frontdesk:
    """A Frontdesk on the base configuration, an in-memory store and the manual clock."""
    return make_frontdesk(config, clock=clock, plugins=[recorder])


def at(day: int, hour: int, minute: int = 0, month: int = 11, year: int = 2026) -> datetime:
    """A Copenhagen time (November 2026 unless told)."""
    return datetime(year, month, day, hour, minute, tzinfo=CPH)
