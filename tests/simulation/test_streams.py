"""Common random numbers: two plans on one seed meet the same citizens, drawn without a
random.Random per citizen."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk_core.hookspecs import hookimpl
from frontdesk_core.plugins import Hooks, make_plugin_manager
from frontdesk_core.queues.tickets import Ticket
from frontdesk_core.simulation.model import Citizen, DaySimulation
from frontdesk_core.simulation.scenario import LoadedScenario, load_scenario
from frontdesk_core.simulation.streams import CitizenDraws, DayStreams, Purpose

MMC = Path(__file__).parent / "data" / "mmc"
KOBENHAVN = Path(__file__).parents[2] / "examples" / "kobenhavn" / "frontdesk.yaml"


def _write(tmp_path: Path, name: str, body: str) -> LoadedScenario:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return load_scenario(path)


def _mmc(tmp_path: Path, counters: int, scale: float = 1.0) -> LoadedScenario:
    """A busy morning at the M/M/c centre with impatient citizens and skewed service times."""
    return _write(
        tmp_path,
        f"mmc{counters}-{scale}.yaml",
        f"""name: crn
config: {MMC / "frontdesk.yaml"}
days: [2026-03-03]
scale: {scale}
arrivals:
  - service: errand
    per_hour: {{"08:00-12:00": 100}}
service_times:
  errand: {{distribution: lognormal, mean: 4 min, sd: 3 min}}
patience: {{distribution: exponential, mean: 15 min}}
staffing:
  - {{hours: "08:00-12:00", counters: {counters}}}
""",
    )


def _kobenhavn(tmp_path: Path, counters: int, kiosks: int, scale: float = 1.0) -> LoadedScenario:
    """The København normal day with another number of counters and kiosks."""
    normal = KOBENHAVN.parent / "scenarios" / "normal-day.yaml"
    body = normal.read_text(encoding="utf-8")
    body = body.replace("config: ../frontdesk.yaml", f"config: {KOBENHAVN}")
    body = body.replace(
        '{hours: "10:00-15:00", counters: 6}', f'{{hours: "10:00-15:00", counters: {counters}}}'
    )
    body = body.replace("kiosks:\n", f"kiosks:\n  count: {{nyropsgade: {kiosks}}}\n", 1)
    body = body.replace("seed: 2026\n", f"seed: 2026\nscale: {scale}\n")
    return _write(tmp_path, f"kbh{counters}-{kiosks}-{scale}.yaml", body)


class Served:
    """Each finished ticket's service time in minutes, as the engine recorded it."""

    def __init__(self) -> None:
        self.minutes: dict[str, float] = {}

    @hookimpl
    def frontdesk_ticket_finished(self, ticket: Ticket) -> None:
        if ticket.started_at is not None and ticket.ended_at is not None:
            seconds = (ticket.ended_at - ticket.started_at).total_seconds()
            self.minutes[ticket.id] = seconds / 60.0


def _day(loaded: LoadedScenario, seed: str) -> tuple[DaySimulation, dict[float, float]]:
    """Run one day; return the simulation and each served citizen's service time by arrival."""
    served = Served()
    hooks = Hooks(make_plugin_manager(load_entrypoints=False, plugins=[served]))
    sim = DaySimulation(loaded, loaded.dates[0], seed, hooks=hooks)
    sim.run()
    by_arrival = {}
    for ticket_id, citizen in sim.citizens.items():
        if ticket_id in served.minutes:
            by_arrival[citizen.wish] = served.minutes[ticket_id]
    return sim, by_arrival


def _who(citizen: Citizen) -> tuple[Any, ...]:
    """Everything drawn for a citizen before the day starts."""
    return (
        citizen.wish,
        citizen.service,
        citizen.patience,
        citizen.service_time,
        citizen.no_show,
        citizen.early,
        citizen.key,
    )


def test_six_and_eight_counters_see_the_same_citizens(tmp_path: Path) -> None:
    six, served_six = _day(_mmc(tmp_path, 6), "crn/1")
    eight, served_eight = _day(_mmc(tmp_path, 8), "crn/1")
    assert len(six.generated) > 300
    assert [_who(c) for c in six.generated] == [_who(c) for c in eight.generated]
    # Eight counters serve them in another order, and some who gave up with six stay:
    # whoever is served under both plans takes exactly as long under both.
    both = served_six.keys() & served_eight.keys()
    assert len(both) > 200
    assert len(served_eight) > len(served_six)
    assert all(served_six[at] == pytest.approx(served_eight[at], abs=1e-6) for at in both)
    other, _ = _day(_mmc(tmp_path, 8), "crn/2")
    assert [_who(c) for c in other.generated] != [_who(c) for c in eight.generated]


def test_counters_and_kiosks_leave_the_kiosk_visits_alone(tmp_path: Path) -> None:
    """Fewer counters and a single kiosk: the same citizens, who press the same buttons."""
    plans = [_kobenhavn(tmp_path, 6, 3), _kobenhavn(tmp_path, 3, 1)]
    days = [_day(loaded, "crn/kbh") for loaded in plans]
    runs = [run for run, _ in days]
    first, second = ([_who(c) for c in run.generated] for run in runs)
    assert len(first) > 100 and first == second
    # Where a citizen's ticket sent them, matched by arrival. Only MitID asks about the
    # wait at the kiosk (a wait the plans change), so its citizens may choose otherwise.
    queues = [
        {c.wish: c.queue_id for c in run.citizens.values() if c.service != "mitid"} for run in runs
    ]
    both = queues[0].keys() & queues[1].keys()
    assert len(both) > 80
    assert all(queues[0][at] == queues[1][at] for at in both)
    served = [minutes for _, minutes in days]
    both = served[0].keys() & served[1].keys() & queues[0].keys()
    assert len(both) > 50  # three counters leave many unserved by closing time
    assert all(served[0][at] == pytest.approx(served[1][at], abs=1e-6) for at in both)


class CountingRandom(random.Random):
    """random.Random that counts how often it is made."""

    made = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        type(self).made += 1
        super().__init__(*args, **kwargs)


def _constructions(monkeypatch: pytest.MonkeyPatch, run: Callable[[], int]) -> tuple[int, int]:
    """(random.Random objects made, citizens) while ``run`` simulates a day."""
    CountingRandom.made = 0
    with monkeypatch.context() as patch:
        patch.setattr(random, "Random", CountingRandom)
        citizens = run()
    return CountingRandom.made, citizens


@pytest.mark.parametrize("which", ["mmc", "kobenhavn"])
def test_no_random_generator_per_citizen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, which: str
) -> None:
    def day(scale: float) -> Callable[[], int]:
        mmc = which == "mmc"
        loaded = _mmc(tmp_path, 8, scale) if mmc else _kobenhavn(tmp_path, 6, 3, scale)

        def run() -> int:
            sim = DaySimulation(loaded, loaded.dates[0], "count/1")
            return sim.run().citizens

        return run

    small, few = _constructions(monkeypatch, day(1.0))
    large, many = _constructions(monkeypatch, day(4.0))
    assert many > 3 * few > 100
    assert small == large  # a fixed number of streams per day, whatever its citizens
    assert large <= 20


def test_streams_are_named_by_the_seed_and_purpose() -> None:
    a, b = DayStreams("s/1"), DayStreams("s/1")
    assert [a.service.random() for _ in range(3)] == [b.service.random() for _ in range(3)]
    assert a.patience.random() != a.booking.random()
    assert DayStreams("s/2").service.random() != DayStreams("s/1").service.random()
    assert a.arrivals(0).random() != a.arrivals(1).random()


def test_a_citizens_draws_are_reproducible_and_apart_by_purpose() -> None:
    draws = CitizenDraws(42, Purpose.KIOSK)
    kiosk = [draws.random(), draws.random()]
    again = CitizenDraws(42, Purpose.KIOSK)
    assert kiosk[0] == again.random() and kiosk[1] == again.random()
    assert kiosk[0] != CitizenDraws(42, Purpose.ANSWERS).random()
    assert kiosk[0] != CitizenDraws(43, Purpose.KIOSK).random()
    numbers = [CitizenDraws(key, Purpose.ANSWERS).random() for key in range(20_000)]
    assert all(0.0 <= u < 1.0 for u in numbers)
    assert sum(numbers) / len(numbers) == pytest.approx(0.5, abs=0.01)
    # Ten equal bins, each near a tenth: keys in a row give no pattern.
    bins = [0] * 10
    for u in numbers:
        bins[int(u * 10)] += 1
    assert all(abs(b - 2_000) < 200 for b in bins)


_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
"""SplitMix64's increment: the odd 64-bit constant nearest 2**64 / golden ratio."""


def _mix(z: int) -> int:
    """SplitMix64's finaliser, in its function form: a bijection on 64-bit integers."""
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


@given(key=st.integers(0, 2**64 - 1), purpose=st.sampled_from(list(Purpose)))
def test_a_citizens_draws_are_splitmix64_on_a_counter(key: int, purpose: Purpose) -> None:
    """The draws written out are SplitMix64 as the function form gives it: seeded by the
    key mixed with the purpose, then the mix of a counter advanced by the golden step."""
    state = _mix((key + int(purpose) * _GOLDEN) & _MASK)
    draws = CitizenDraws(key, purpose)
    for _ in range(4):
        state = (state + _GOLDEN) & _MASK
        assert draws.random() == (_mix(state) >> 11) * 2.0**-53
