"""The simulated day against queueing theory, shift changes and the engine's own events."""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Generator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk_core.app import Frontdesk
from frontdesk_core.clock import ManualClock
from frontdesk_core.events import BookingCreated
from frontdesk_core.hookspecs import hookimpl
from frontdesk_core.plugins import Hooks, make_plugin_manager
from frontdesk_core.queues.tickets import Ticket
from frontdesk_core.simulation.erlang import ErlangC
from frontdesk_core.simulation.model import (
    DaySimulation,
    Kiosks,
    _nearest,
    simulate_day,
    simulation_plugins,
)
from frontdesk_core.simulation.runner import SerialExecutor, run
from frontdesk_core.simulation.scenario import LoadedScenario, load_scenario
from frontdesk_core.store.memory import MemoryStore

MMC = Path(__file__).parent / "data" / "mmc"
EXAMPLES = Path(__file__).parents[2] / "examples"


def _scenario(tmp_path: Path, body: str, name: str = "s.yaml") -> LoadedScenario:
    path = tmp_path / name
    path.write_text(
        f"config: {MMC / 'frontdesk.yaml'}\ndays: [2026-03-03]\n" + body, encoding="utf-8"
    )
    return load_scenario(path)


@pytest.mark.slow
def test_steady_state_matches_erlang_c() -> None:
    """1.8 arrivals a minute, 4 minutes' service, 8 counters: Erlang C inside the intervals."""
    loaded = load_scenario(MMC / "scenario.yaml")
    result = run(loaded, replications=10, seed=11)
    day = result.record("q")
    theory = ErlangC(1.8, 4.0, 8)
    assert day.within_target_low <= theory.share_within(5.0) <= day.within_target_high
    assert day.waited_low <= theory.wait_probability <= day.waited_high
    assert day.within_target_high - day.within_target_low < 0.2  # the interval says something
    assert day.utilisation == pytest.approx(0.9, abs=0.05)


def test_eight_one_hour_shifts_equal_a_fixed_eight(tmp_path: Path) -> None:
    common = """arrivals:
  - service: errand
    per_hour: {"06:00-12:00": 108}
service_times:
  errand: {distribution: exponential, mean: 4 min}
staffing:
"""
    fixed = _scenario(
        tmp_path, "name: fixed\n" + common + '  - {hours: "06:00-12:00", counters: 8}\n'
    )
    hourly = "".join(
        f'  - {{hours: "{h:02d}:00-{h + 1:02d}:00", counters: 8}}\n' for h in range(6, 12)
    )
    shifts = _scenario(tmp_path, "name: fixed\n" + common + hourly, "shifts.yaml")
    a = run(fixed, replications=3, seed=5, executor=SerialExecutor())
    b = run(shifts, replications=3, seed=5, executor=SerialExecutor())
    assert a.records == b.records
    assert a.record("q").served > 300


class Recorder:
    """Collects the engine's own events through its hooks."""

    def __init__(self) -> None:
        self.called: list[tuple[str, datetime, str]] = []
        self.finished: list[tuple[str, datetime, str]] = []

    @hookimpl
    def frontdesk_ticket_called(self, ticket: Ticket, counter_id: str) -> None:
        assert ticket.called_at is not None
        self.called.append((counter_id, ticket.called_at, ticket.id))

    @hookimpl
    def frontdesk_ticket_finished(self, ticket: Ticket) -> None:
        assert ticket.ended_at is not None and ticket.counter_id is not None
        self.finished.append((ticket.counter_id, ticket.ended_at, ticket.id))


def test_a_counter_going_off_duty_finishes_its_citizen(tmp_path: Path) -> None:
    loaded = _scenario(
        tmp_path,
        """name: handover
arrivals:
  - service: errand
    per_hour: {"10:00-12:00": 6}
service_times:
  errand: {distribution: fixed, value: 25 min}
staffing:
  - {hours: "10:00-11:00", counters: [c1]}
  - {hours: "11:00-12:00", counters: [c2]}
""",
    )
    recorder = Recorder()
    hooks = Hooks(make_plugin_manager(load_entrypoints=False, plugins=[recorder]))
    DaySimulation(loaded, loaded.dates[0], random.Random(1), hooks=hooks).run()
    day = loaded.dates[0]
    tz = loaded.config.site.timezone
    eleven = datetime.fromisoformat(f"{day}T11:00:00").replace(
        tzinfo=__import__("zoneinfo").ZoneInfo(tz)
    )
    c1_calls = [at for counter, at, _ in recorder.called if counter == "c1"]
    c2_calls = [at for counter, at, _ in recorder.called if counter == "c2"]
    assert c1_calls and c2_calls
    assert max(c1_calls) < eleven  # no new citizen after the end of duty
    assert min(c2_calls) >= eleven  # and nobody before duty
    c1_last = max(at for counter, at, _ in recorder.finished if counter == "c1")
    assert c1_last > eleven  # the citizen being served at 11:00 was served to the end
    # Every call was finished, and no counter ever had two citizens at once.
    assert {t for *_, t in recorder.called} == {t for *_, t in recorder.finished}
    for counter in ("c1", "c2"):
        spans = sorted(
            (at, next(f for c, f, t in recorder.finished if t == ticket))
            for c, at, ticket in recorder.called
            if c == counter
        )
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert start >= end


def test_the_same_seed_gives_the_same_results(tmp_path: Path) -> None:
    loaded = _scenario(
        tmp_path,
        """name: seeded
arrivals:
  - service: errand
    per_hour: {"10:00-12:00": 60}
service_times:
  errand: {distribution: gamma, mean: 4 min, sd: 2 min}
patience: {distribution: exponential, mean: 10 min}
staffing:
  - {hours: "10:00-12:00", counters: 2}
""",
    )
    first = run(loaded, replications=2, seed=3, executor=SerialExecutor())
    again = run(loaded, replications=2, seed=3, executor=SerialExecutor())
    other = run(loaded, replications=2, seed=4, executor=SerialExecutor())
    assert first.records == again.records
    assert first.records != other.records
    assert first.record("q").abandoned > 0


def test_patience_leads_to_abandonment_and_no_shows(tmp_path: Path) -> None:
    loaded = _scenario(
        tmp_path,
        """name: impatient
arrivals:
  - service: errand
    per_hour: {"10:00-11:00": 60}
service_times:
  errand: {distribution: fixed, value: 5 min}
patience: {distribution: fixed, value: 10 min}
staffing:
  - {hours: "10:00-11:00", counters: 1}
""",
    )
    result = run(loaded, replications=1, seed=1, executor=SerialExecutor())
    day = result.record("q")
    assert day.abandoned > 20
    assert day.wait_p90 <= 10.0 + 1e-9  # nobody still there after their patience is served
    assert replace(day, scenario="x").scenario == "x"


def test_arrivals_follow_the_piecewise_rates(tmp_path: Path) -> None:
    loaded = _scenario(
        tmp_path,
        """name: rates
scale: 2
arrivals:
  - service: errand
    per_hour: {"10:00-11:00": 30, "11:00-12:00": 0}
  - service: errand
    counts: {"12:00-13:00": 7}
service_times:
  errand: {distribution: fixed, value: 1 min}
""",
    )
    result = run(loaded, replications=20, seed=2, executor=SerialExecutor())
    assert result.record("q", 10).arrivals == pytest.approx(60, rel=0.1)
    assert result.record("q", 11).arrivals == 0
    assert result.record("q", 12).arrivals == 14  # counts are exact (scaled)
    assert result.record("q", 12).arrivals_low == result.record("q", 12).arrivals_high


def test_the_hours_own_answers_come_before_the_whole_days(tmp_path: Path) -> None:
    path = tmp_path / "hours.yaml"
    path.write_text(
        f"""name: hours
config: {Path(__file__).parent / "data" / "truth" / "frontdesk.yaml"}
days: [2026-03-03]
arrivals:
  - service: card_errand
    per_hour: {{"09:00-12:00": 20}}
    missing_documents: {{card: 0.0}}
    by_hour: {{"10:00-11:00": {{missing_documents: {{card: 1.0}}}}}}
  - service: tax_errand
    per_hour: {{"09:00-12:00": 20}}
    answers: {{tax-kind: {{debt: 1.0}}}}
    by_hour: {{"09:00-10:00": {{answers: {{tax-kind: {{debt: 0.0}}}}}}}}
service_times:
  default: {{distribution: fixed, value: 1 min}}
""",
        encoding="utf-8",
    )
    result = run(load_scenario(path), replications=2, seed=3, executor=SerialExecutor())
    # Everyone is sent home in the hour that says so, and nobody in the others; the tax
    # citizens are referred except in the hour whose answers keep them (under their queue).
    assert result.record("general", 9).sent_home == 0
    assert result.record("general", 10).sent_home > 10 and result.record("general", 10).arrivals < 1
    assert result.record("general", 11).sent_home == 0
    assert result.record("tax", 9).referred == 0 and result.record("tax", 9).arrivals > 10
    assert result.record("tax", 10).arrivals < 1 and result.record("tax", 11).referred > 10


def test_warmup_leaves_early_citizens_out(tmp_path: Path) -> None:
    loaded = _scenario(
        tmp_path,
        """name: warm
warmup: 1 h
arrivals:
  - service: errand
    counts: {"06:00-08:00": 10}
service_times:
  errand: {distribution: fixed, value: 1 min}
""",
    )
    result = run(loaded, replications=1, seed=2, executor=SerialExecutor())
    assert {r.hour for r in result.records if r.arrivals > 0} <= {7, None}
    assert timedelta(hours=1) == loaded.scenario.warmup


def test_a_single_kiosk_is_a_bottleneck(tmp_path: Path) -> None:
    kobenhavn = Path(__file__).parents[2] / "examples" / "kobenhavn" / "frontdesk.yaml"
    body = f"""name: door
config: {kobenhavn}
days: [2026-03-10]
arrivals:
  - service: health_card
    per_hour: {{"10:00-12:00": 40}}
service_times:
  default: {{distribution: fixed, value: 1 min}}
kiosks:
  session: {{distribution: fixed, value: 2 min}}
  count: {{nyropsgade: KIOSKS}}
"""
    waits = {}
    for kiosks in (1, 3):
        path = tmp_path / f"k{kiosks}.yaml"
        path.write_text(body.replace("KIOSKS", str(kiosks)), encoding="utf-8")
        result = run(load_scenario(path), replications=2, seed=1, executor=SerialExecutor())
        waits[kiosks] = result.record("generel").kiosk_wait
    # 40 an hour for 2 minutes is 1.33 kiosks' work: one kiosk cannot keep up, three can.
    assert waits[1] > 10 * waits[3] and waits[1] > 10.0


def test_kiosks_serve_the_waiting_in_the_order_they_came() -> None:
    env = simpy.Environment()
    kiosks = Kiosks(env, ["k1", "k2"])
    got: list[tuple[str, float, str]] = []

    def citizen(name: str, arrive: float, stay: float) -> Generator[simpy.Event, Any, None]:
        yield env.timeout(arrive)
        kiosk = kiosks.take()
        if kiosk is None:
            kiosk = yield kiosks.wait()
        got.append((name, env.now, kiosk))
        yield env.timeout(stay)
        kiosks.give_back(kiosk)

    for name, arrive, stay in (("a", 0, 5), ("b", 1, 2), ("c", 2, 1), ("d", 2.5, 1), ("e", 9, 1)):
        env.process(citizen(name, arrive, stay))
    env.run()
    # c waits for the kiosk b gives back, d (who came after c) for the one c gives back;
    # e finds both free and takes the one given back longest ago.
    assert got == [
        ("a", 0, "k1"),
        ("b", 1, "k2"),
        ("c", 3, "k2"),
        ("d", 4, "k2"),
        ("e", 9, "k1"),
    ]


@settings(max_examples=8, deadline=None)
@given(
    rate=st.integers(10, 120),
    counters=st.lists(st.integers(0, 4), min_size=4, max_size=4),
    patience=st.integers(2, 60),
)
def test_every_citizen_is_accounted_for(rate: int, counters: list[int], patience: int) -> None:
    """Served plus given up never exceeds those who came, whatever the staffing."""
    import tempfile

    staffing = "".join(
        f'  - {{hours: "{10 + h:02d}:00-{11 + h:02d}:00", counters: {n}}}\n'
        for h, n in enumerate(counters)
        if n
    )
    with tempfile.TemporaryDirectory() as folder:
        loaded = _scenario(
            Path(folder),
            f"""name: any
arrivals:
  - service: errand
    per_hour: {{"10:00-14:00": {rate}}}
service_times:
  errand: {{distribution: lognormal, mean: 4 min, sd: 3 min}}
patience: {{distribution: exponential, mean: {patience} min}}
staffing:
{staffing or '  - {hours: "10:00-11:00", counters: [c1]}'}
""",
        )
        result = run(loaded, replications=1, seed=rate, executor=SerialExecutor())
    for record in result.records:
        assert record.served + record.abandoned <= record.arrivals + 1e-9
        assert math.isnan(record.utilisation) or 0.0 <= record.utilisation <= 1.0


def test_simulated_days_share_one_plugin_manager_and_leave_it_as_it_was(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The days of a process share the plugins they run with: made once for each value of
    FRONTDESK_LOAD_PLUGINS, and a day registers nothing in it (what sharing rests on)."""
    monkeypatch.setenv("FRONTDESK_LOAD_PLUGINS", "")
    shared = simulation_plugins()
    assert simulation_plugins() is shared
    names = sorted(name for name, _ in shared.list_name_plugin())
    changes = shared.changes
    loaded = load_scenario(MMC / "scenario.yaml")
    simulate_day(loaded, loaded.dates[0], "a")
    simulate_day(loaded, loaded.dates[0], "b")
    assert simulation_plugins() is shared
    assert shared.changes == changes
    assert sorted(name for name, _ in shared.list_name_plugin()) == names
    monkeypatch.setenv("FRONTDESK_LOAD_PLUGINS", "frontdesk-no-such-plugin")
    assert simulation_plugins() is not shared


def test_a_day_on_a_store_the_caller_keeps_ends_as_the_live_day_does() -> None:
    """The log a caller keeps (a calibration's, the next day's) gets the day's end: every
    counter signed out and the day ended, so a later reader starts from a closed day."""
    loaded = load_scenario(MMC / "scenario.yaml")
    store = MemoryStore()
    DaySimulation(loaded, loaded.dates[0], "kept", store=store).run()
    events = list(store.read())
    assert events[-1].kind == "day.ended"
    fd = Frontdesk.open(loaded.config, store=store, clock=ManualClock(events[-1].at))
    assert not any(counter.is_open for counter in fd.queues.counters(loaded.centres[0]))
    assert fd.queues.waiting("q") == []


def test_a_day_books_alike_every_time_it_runs() -> None:
    """Booking ids and codes come from the day's own streams, not the system's randomness:
    the same seed writes the same log, to the bookings' codes."""
    loaded = load_scenario(EXAMPLES / "hvidovre" / "scenarios" / "tuesday.yaml")

    def bookings(seed: str) -> list[tuple[str, str]]:
        store = MemoryStore()
        DaySimulation(loaded, loaded.dates[0], seed, store=store).run()
        return [
            (event.key, event.payload.code)
            for event in store.read(kinds=["booking.created"])
            if isinstance(event.payload, BookingCreated)
        ]

    first = bookings("a")
    assert len(first) > 10
    assert bookings("a") == first
    assert bookings("b") != first


def test_a_private_day_with_plugins_of_its_own_still_ends_for_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A day whose plugins come from FRONTDESK_LOAD_PLUGINS (they may listen) is closed
    at its end as the live day is; one with the built-in plugins alone need not be."""
    loaded = load_scenario(MMC / "scenario.yaml")
    monkeypatch.setenv("FRONTDESK_LOAD_PLUGINS", "")
    assert not DaySimulation(loaded, loaded.dates[0], "a")._kept
    monkeypatch.setenv("FRONTDESK_LOAD_PLUGINS", "frontdesk-no-such-plugin")
    assert DaySimulation(loaded, loaded.dates[0], "a")._kept
    hooks = Hooks(make_plugin_manager(load_entrypoints=False))
    assert DaySimulation(loaded, loaded.dates[0], "a", hooks=hooks)._kept


@given(
    times=st.lists(st.integers(0, 40).map(lambda m: m * 2.0), min_size=1, max_size=30),
    wish=st.one_of(st.integers(-10, 90).map(float), st.floats(-10.0, 90.0)),
)
def test_the_nearest_free_time_is_the_one_min_finds(times: list[float], wish: float) -> None:
    times.sort()
    expected = min(range(len(times)), key=lambda i: abs(times[i] - wish))
    assert _nearest(times, wish) == expected


def test_the_days_of_a_scenario_share_what_they_work_out_alike() -> None:
    normal = Path(__file__).parents[2] / "examples" / "kobenhavn" / "scenarios" / "normal-day.yaml"
    loaded = load_scenario(normal)
    first = DaySimulation(loaded, loaded.dates[0], "a")
    first.run()
    assert first.tree_maps and first._answer_plans  # the kiosk's walks worked plans out
    second = DaySimulation(loaded, loaded.dates[0], "b")
    assert second.tree_maps is first.tree_maps
    assert second._answer_plans is first._answer_plans
    # The compiled referral tree too, with the outcome steps the first day made.
    assert second.fd.referral.tree("nyropsgade").outcome_steps
    # Another scenario (a what-if's changed weights) works its own out.
    other = DaySimulation(loaded.with_changes(scale=1.2), loaded.dates[0], "a")
    assert other._answer_plans is not first._answer_plans
    assert other._answer_plans == {}
