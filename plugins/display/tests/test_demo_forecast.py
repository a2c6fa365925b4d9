"""The demonstration forecasts by simulation: its forecasts move as its citizens come."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from conftest import EXAMPLE
from frontdesk_display import plugin
from frontdesk_display.cli import demo_config, demo_forecast

from frontdesk_core.api import (
    Config,
    DemoDriver,
    Frontdesk,
    ManualClock,
    demo_start,
    forecaster,
    make_plugin_manager,
)

SCENARIO = EXAMPLE / "scenarios" / "normal-day.yaml"


def test_the_demo_configuration_forecasts_by_simulation_and_validates(kobenhavn: Config) -> None:
    config = demo_config(kobenhavn)
    assert kobenhavn.site.forecast.method == "queue_length"  # the example itself is left alone
    assert config.site.forecast.method == "simulation"
    site = type(config.site).model_validate(config.site.model_dump(mode="json"))
    assert site.forecast == config.site.forecast


def test_a_refresh_in_the_demo_forecasts_the_demo_citizens(
    kobenhavn: Config, tmp_path: Path
) -> None:
    config = demo_config(kobenhavn)
    start = demo_start(config, "nyropsgade", date(2026, 11, 21))  # Monday 23 November, 10:30
    clock = ManualClock(start + timedelta(minutes=30))  # the morning's first crowd
    pm = make_plugin_manager(load_entrypoints=False, plugins=[plugin])
    fd = Frontdesk.open(config, store=str(tmp_path / "demo.db"), clock=clock, plugins=pm)
    try:
        demo = DemoDriver.from_scenario(fd, SCENARIO, seed=3)
        demo_forecast(demo)
        forecasts = forecaster(fd)
        moments = []
        for _ in range(6):  # the demo's steps over the next half hour, refreshed as a server does
            clock.advance(timedelta(minutes=5))
            demo.step()
            forecast = forecasts.refresh()
            assert forecast.method == "simulation" and forecast.replications == 12
            moments.append(forecast)
        waiting = [t for f in moments for t in f.tickets.values()]
        assert waiting and all(t.minutes is not None for t in waiting)
        assert any(
            f.queue(q.id) is not None for f in moments for c in config.centres for q in c.queues
        )
        # The forecast moves with the demo: new citizens, new tickets, other waits.
        assert len({frozenset(f.tickets) for f in moments}) > 1
        assert any(t.minutes is not None and t.minutes.median > 1 for t in waiting)
        # And so does the staffing advice, from the same model.
        advice = forecasts.advise(forecasts.snapshot())
        assert advice is not None and advice.baseline
    finally:
        fd.close()
