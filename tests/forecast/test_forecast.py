"""The forward-simulation forecast: from a live state, with the real engine, read as words."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from frontdesk_core.app import Frontdesk
from frontdesk_core.clock import ManualClock
from frontdesk_core.devices import PrintResult, TicketPrint
from frontdesk_core.forecast import QUEUE_LENGTH, SIMULATION, Band, describe, short
from frontdesk_core.forecast.forecast import simulate_forecast
from frontdesk_core.forecast.records import band_of
from frontdesk_core.forecast.service import Forecaster, calibrated_model, forecaster
from frontdesk_core.forecast.snapshot import take_snapshot
from frontdesk_core.hookspecs import hookimpl
from frontdesk_core.plugins import Hooks, make_plugin_manager
from frontdesk_core.simulation.model import DaySimulation
from frontdesk_core.simulation.scenario import LoadedScenario, load_scenario
from frontdesk_core.store.memory import MemoryStore
from frontdesk_core.testing import walk_kiosk

SCENARIO = Path(__file__).parents[2] / "examples" / "kobenhavn" / "scenarios" / "normal-day.yaml"
CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture(scope="module")
def normal_day() -> LoadedScenario:
    return load_scenario(SCENARIO)


@pytest.fixture
def live(normal_day: LoadedScenario) -> Iterator[Frontdesk]:
    """Nyropsgade at 11:00 on the scenario's Tuesday, nobody signed in yet."""
    day = normal_day.dates[0]
    clock = ManualClock(datetime(day.year, day.month, day.day, 11, 0, tzinfo=CPH))
    pm = make_plugin_manager(load_entrypoints=False)
    fd = Frontdesk.open(normal_day.config, store=":memory:", clock=clock, plugins=pm)
    yield fd
    fd.close()


def _forecast(fd: Frontdesk, model: LoadedScenario, runs: int = 8):  # type: ignore[no-untyped-def]
    hooks = Hooks(make_plugin_manager(load_entrypoints=False))
    return simulate_forecast(take_snapshot(fd), model, hooks=hooks, replications=runs)


def test_waiting_tickets_are_forecast_in_the_order_the_engine_calls_them(
    live: Frontdesk, normal_day: LoadedScenario
) -> None:
    live.queues.sign_in("skranke-4", "AB")  # the only counter for tax
    tickets = [live.queues.issue("skat", service_id="tax") for _ in range(5)]
    before = live.store.last_seq()
    forecast = _forecast(live, normal_day)
    assert live.store.last_seq() == before  # the live log is left alone
    medians = [forecast.ticket(t.id).minutes.median for t in tickets]  # type: ignore[union-attr]
    assert medians == sorted(medians) and medians[0] < 1.0 < medians[-1]
    first = forecast.ticket(tickets[0].id)
    assert first is not None and first.text("en") == "soon"
    band = forecast.ticket(tickets[-1].id).minutes  # type: ignore[union-attr]
    assert band is not None and band.low <= band.median <= (band.high or math.inf)
    # A new tax ticket waits behind all five; a queue nobody serves has no estimate.
    new_tax = forecast.queue("skat")
    assert new_tax is not None and new_tax.minutes is not None
    assert new_tax.minutes.median > medians[-1]
    assert forecast.queue("pas").minutes is None  # type: ignore[union-attr]


def test_a_booked_citizen_whose_time_has_come_is_forecast_ahead_of_earlier_walk_ins(
    live: Frontdesk, normal_day: LoadedScenario
) -> None:
    live.queues.sign_in("skranke-4", "AB")
    walk_ins = [live.queues.issue("skat", service_id="tax") for _ in range(4)]
    booked = live.queues.issue(
        "skat", service_id="tax", appointment_at=live.clock.now() - timedelta(minutes=1)
    )
    forecast = _forecast(live, normal_day)
    mine = forecast.ticket(booked.id).minutes  # type: ignore[union-attr]
    assert mine is not None
    assert mine.median < forecast.ticket(walk_ins[1].id).minutes.median  # type: ignore[union-attr]


def test_nothing_open_gives_no_estimate(live: Frontdesk, normal_day: LoadedScenario) -> None:
    ticket = live.queues.issue("generel")
    forecast = _forecast(live, normal_day, runs=3)
    found = forecast.ticket(ticket.id)
    assert found is not None and found.minutes is None
    assert (found.text("da"), found.text("en")) == ("intet estimat", "no estimate")


def test_bands_in_words() -> None:
    assert describe(Band(14.2, 12.4, 17.6), "en") == "about 12–18 min"
    assert describe(Band(14.2, 12.4, 17.6), "da") == "ca. 12–18 min"
    assert describe(Band(30.0, 20.0, None), "en") == "more than 30 min"
    assert describe(Band(6.0, 6.0, 6.0), "en") == "about 6 min"
    assert describe(None, "en") == "no estimate"
    assert (short(Band(14.2, 12.4, 17.6)), short(Band(30.0, 20.0, None))) == (
        "12–18 min",
        "> 30 min",
    )
    assert band_of([math.inf, math.inf, 5.0]) is None
    assert band_of([1.0, 2.0, 3.0, math.inf]) == Band(2.5, 1.3, None)
    assert band_of([1.0, 2.0, 6.0]) == Band(2.0, 1.2, 5.2, 3.0)


def test_the_forecaster_keeps_the_latest_and_refreshes_when_due(
    live: Frontdesk, normal_day: LoadedScenario
) -> None:
    live.queues.sign_in("skranke-4", "AB")
    ticket = live.queues.issue("skat", service_id="tax")
    queue_length = Forecaster(live)
    assert queue_length.latest() is None and queue_length.ticket(ticket.id) is None
    made = queue_length.refresh_if_due()
    assert made is not None and made.method == QUEUE_LENGTH
    assert queue_length.refresh_if_due() is None  # not due again within 5 seconds
    simulated = Forecaster(live, model=normal_day, method=SIMULATION)
    simulated.refresh()
    found = simulated.ticket(ticket.id)
    assert simulated.latest().method == SIMULATION  # type: ignore[union-attr]
    assert found is not None and found.minutes is not None
    assert forecaster(live) is forecaster(live)
    assert forecaster(live).method == "queue_length"  # the configuration's default


class Printer:
    """A printer that keeps what it was asked to print."""

    def __init__(self) -> None:
        self.printed: list[TicketPrint] = []

    @hookimpl
    def frontdesk_print_ticket(self, ticket: TicketPrint) -> PrintResult:
        self.printed.append(ticket)
        return PrintResult(ok=True, printer="test")


def test_the_kiosk_result_and_printed_ticket_carry_the_latest_forecast(
    normal_day: LoadedScenario,
) -> None:
    day = normal_day.dates[0]
    clock = ManualClock(datetime(day.year, day.month, day.day, 11, 0, tzinfo=CPH))
    printer = Printer()
    pm = make_plugin_manager(load_entrypoints=False, plugins=[printer])
    with Frontdesk.open(normal_day.config, store=":memory:", clock=clock, plugins=pm) as fd:
        fd.queues.sign_in("skranke-2", "AB")
        first = walk_kiosk(fd, "nyropsgade", ["other"], kiosk_id="kiosk-1")
        assert first.forecast is None and printer.printed[0].expected_wait_text is None
        forecaster(fd).refresh()
        second = walk_kiosk(fd, "nyropsgade", ["other"], "en", kiosk_id="kiosk-1")
        assert second.forecast is not None and second.forecast.queue_id == "generel"
        assert printer.printed[1].expected_wait_text == second.forecast.text("en")
        assert printer.printed[1].expected_wait_text.startswith("about ")  # type: ignore[union-attr]


def test_the_model_is_calibrated_from_the_stores_own_log(normal_day: LoadedScenario) -> None:
    store = MemoryStore()
    DaySimulation(normal_day, normal_day.dates[0], "last-week", store=store).run()
    day = normal_day.dates[0] + timedelta(days=7)
    clock = ManualClock(datetime(day.year, day.month, day.day, 11, 0, tzinfo=CPH))
    hooks = Hooks(make_plugin_manager(load_entrypoints=False))
    fd = Frontdesk(normal_day.config, store=store, clock=clock, hooks=hooks)
    model = calibrated_model(fd, clock.now())
    assert model is not None and model.centres == ("nyropsgade",)
    assert "passport" in model.scenario.service_times
    assert model.scenario.patience is not None  # fitted to the day's no-shows
    fd.queues.sign_in("skranke-4", "AB")
    ticket = fd.queues.issue("skat", service_id="tax")
    forecaster = Forecaster(fd, method=SIMULATION)
    made = forecaster.refresh()
    assert made.method == SIMULATION and made.ticket(ticket.id) is not None
    empty = Frontdesk(normal_day.config, store=MemoryStore(), clock=clock, hooks=hooks)
    assert calibrated_model(empty, clock.now()) is None  # nothing to calibrate from
    assert Forecaster(empty, method=SIMULATION).refresh().method == QUEUE_LENGTH
