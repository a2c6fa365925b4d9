"""A scenario calibrated from an event log replays what the log saw."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from frontdesk_core.simulation.calibration import calibrate, dump_yaml
from frontdesk_core.simulation.model import DaySimulation
from frontdesk_core.simulation.scenario import load_scenario
from frontdesk_core.store import open_store

MMC = Path(__file__).parent / "data" / "mmc"


def test_a_log_becomes_a_scenario_that_loads(tmp_path: Path) -> None:
    source = tmp_path / "source.yaml"
    source.write_text(
        f"""name: source
config: {MMC / "frontdesk.yaml"}
days: [2026-03-03, 2026-03-10]
arrivals:
  - service: errand
    per_hour: {{"10:00-12:00": 60}}
    booked: 0.0
service_times:
  errand: {{distribution: exponential, mean: 4 min}}
staffing:
  - {{hours: "10:00-12:00", counters: 5}}
""",
        encoding="utf-8",
    )
    loaded = load_scenario(source)
    db = tmp_path / "log.db"
    for index, day in enumerate(loaded.dates):
        DaySimulation(loaded, day, random.Random(index), store=str(db)).run()
    store = open_store(str(db))
    try:
        data = calibrate(store, loaded.config, config_path=str(MMC / "frontdesk.yaml"))
    finally:
        store.close()
    out = tmp_path / "replay.yaml"
    out.write_text(dump_yaml(data), encoding="utf-8")
    replay = load_scenario(out)
    assert replay.dates[0] == date(2026, 3, 3) and replay.dates[-1] == date(2026, 3, 10)
    (stream,) = replay.scenario.arrivals
    assert stream.service == "errand" and stream.weekdays == ["tue"]
    rates = dict(stream.ranges())
    assert sum(rates.values()) == pytest.approx(120, rel=0.15)
    mean = replay.scenario.service_times["errand"].mean_minutes()
    assert mean == pytest.approx(4.0, rel=0.15)
    staffed = {(str(r.hours[0]), tuple(r.counters)) for r in replay.scenario.staffing}  # type: ignore[arg-type]
    assert ("10:00-11:00", ("c1", "c2", "c3", "c4", "c5")) in staffed  # by name, as signed in


def test_an_empty_log_is_refused(tmp_path: Path) -> None:
    loaded = load_scenario(MMC / "scenario.yaml")
    store = open_store(str(tmp_path / "empty.db"))
    try:
        with pytest.raises(ValueError, match="no tickets"):
            calibrate(store, loaded.config, config_path="x")
    finally:
        store.close()


def test_citizens_turned_away_at_the_kiosk_are_replayed(tmp_path: Path) -> None:
    kobenhavn = Path(__file__).parents[2] / "examples" / "kobenhavn"
    loaded = load_scenario(kobenhavn / "scenarios" / "normal-day.yaml")
    db = tmp_path / "log.db"
    observed = DaySimulation(loaded, loaded.dates[0], random.Random(4), store=str(db)).run()
    turned = sum(c.sent_home + c.referred for c in observed.cells.values())
    store = open_store(str(db))
    try:
        data = calibrate(store, loaded.config, config_path=str(kobenhavn / "frontdesk.yaml"))
    finally:
        store.close()
    out = tmp_path / "replay.yaml"
    out.write_text(dump_yaml(data), encoding="utf-8")
    replay = load_scenario(out)
    tickets = sum(c.arrivals for c in observed.cells.values())
    replayed = sum(sum(dict(s.ranges()).values()) for s in replay.scenario.arrivals)
    assert replayed == pytest.approx(tickets + turned, abs=0.5)
    # Those sent home or referred with an errand of this centre come back as part of it,
    # with the answers and missing documents of their errand's paths...
    by_service = {s.service: s for s in replay.scenario.arrivals}
    assert by_service["passport"].missing_documents
    assert set(by_service["tax"].answers["tax-kind"]) == {"assessment", "debt"}
    # ...and only those whose errand is no service here stay at the door.
    # Citizens who pressed "something else" and got a ticket come back the same way, not as
    # the general queue's first errand.
    away = [s for s in replay.scenario.arrivals if s.service is None]
    assert {o for s in away for o in s.answers["errand"]} == {"job", "other"}


def test_a_ticket_issued_while_closed_counts_in_the_nearest_open_hour(tmp_path: Path) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from frontdesk_core.api import Frontdesk, ManualClock, load_config, make_plugin_manager

    config_path = Path(__file__).parent / "data" / "truth" / "frontdesk.yaml"
    config = load_config(config_path)
    tz = ZoneInfo(config.site.timezone)
    clock = ManualClock(datetime(2026, 3, 2, 8, 50, tzinfo=tz))  # a Monday, open 09:00-15:00
    db = tmp_path / "log.db"
    pm = make_plugin_manager(load_entrypoints=False)
    with Frontdesk.open(config, store=str(db), clock=clock, plugins=pm) as fd:
        for at in ((8, 50), (9, 30), (14, 59), (15, 1), (15, 2)):  # two after closing, one early
            clock.set(datetime(2026, 3, 2, *at, tzinfo=tz))
            fd.queues.issue("general", service_id="card_errand")
        fd.queues.sign_in("c1", "e")
        fd.queues.call_next("c1")
        fd.queues.start("c1")
        clock.advance(minutes=5)
        fd.queues.finish("c1")  # a service time to calibrate
    store = open_store(str(db))
    try:
        data = calibrate(store, config, config_path=str(config_path))
    finally:
        store.close()
    (stream,) = data["arrivals"]
    # A closed hour's rate would be dropped by the simulator, and its citizens with it.
    assert stream["per_hour"] == {"09:00-10:00": 2.0, "14:00-15:00": 3.0}
