"""A log written by release 0 (before events carried a version) still replays the same.

``data/legacy.db`` holds every event kind as that release wrote it, and
``data/legacy-expected.json.gz`` what that release made of it: the queue state
after every event, the bookings and absences, the statistics and the calibrated
scenario. ``data/make_legacy_log.py`` made both; it is not rerun. The calibrated
scenario alone was replaced when calibration itself changed (answers and missing
documents per errand from the kiosk paths, staffing by name, the fitted family;
tickets issued while the centre was closed counted in the nearest open hour):
what it pins is that the old events read the same as today's.
"""

from __future__ import annotations

import gzip
import json
import shutil
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from frontdesk_core.app import Frontdesk
from frontdesk_core.clock import ManualClock
from frontdesk_core.plugins import make_plugin_manager
from frontdesk_core.simulation.calibration import calibrate
from frontdesk_core.store.sqlite import SqliteStore

DATA = Path(__file__).parent / "data"
sys.path.insert(0, str(DATA))
from make_legacy_log import CONFIG, plain, queue_state  # noqa: E402

with gzip.open(DATA / "legacy-expected.json.gz", "rt", encoding="utf-8") as _file:
    EXPECTED: dict[str, Any] = json.load(_file)


def normal(value: Any) -> Any:
    """The JSON round trip the expected values went through."""
    return json.loads(json.dumps(value, sort_keys=True))


@pytest.fixture
def legacy(tmp_path: Path) -> Frontdesk:
    db = tmp_path / "legacy.db"
    shutil.copy(DATA / "legacy.db", db)
    clock = ManualClock(datetime(2026, 12, 3, 9, 30, tzinfo=ZoneInfo("Europe/Copenhagen")))
    pm = make_plugin_manager(load_entrypoints=False)
    fd = Frontdesk.open(CONFIG, store=SqliteStore(str(db)), clock=clock, plugins=pm)
    yield fd
    fd.close()


def test_the_fixture_holds_every_kind_of_event(legacy: Frontdesk) -> None:
    kinds = {e.kind for e in legacy.store.read()}
    assert sorted(kinds) == EXPECTED["kinds"]
    assert legacy.store.last_seq() == EXPECTED["events"]


def test_the_queue_state_after_every_event_is_the_same(legacy: Frontdesk) -> None:
    for seq, expected in EXPECTED["queues_by_seq"].items():
        assert normal(queue_state(legacy, int(seq))) == expected, f"after event {seq}"
    assert normal(queue_state(legacy)) == EXPECTED["queues"]


def test_the_live_engines_load_the_same_state(legacy: Frontdesk) -> None:
    engine = legacy.queues
    assert normal(plain(engine.state.tickets)) == EXPECTED["queues"]["tickets"]
    assert normal(plain(engine.state.counters)) == EXPECTED["queues"]["counters"]
    for expected in EXPECTED["bookings"]:
        booking = legacy.booking.booking(expected["booking"]["id"])
        assert normal(plain(booking)) == expected["booking"]
    assert normal(plain(legacy.booking.absences())) == EXPECTED["absences"]


def test_statistics_are_the_same(legacy: Frontdesk) -> None:
    assert normal(plain(legacy.stats.report())) == EXPECTED["stats"]


def test_calibration_is_the_same(legacy: Frontdesk) -> None:
    found = calibrate(legacy.store, legacy.config, config_path="examples/kobenhavn/frontdesk.yaml")
    assert normal(plain(found)) == EXPECTED["calibration"]
