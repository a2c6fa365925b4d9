"""The forecast on the info screen and the dashboards, refreshed by the server's own loop."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import httpx
from conftest import EXAMPLE, PASSWORD, monday_morning, serve
from frontdesk_display import plugin

from frontdesk_core.api import (
    Config,
    Frontdesk,
    forecaster,
    load_scenario,
    make_plugin_manager,
    short,
)

NORMAL_DAY = Path(EXAMPLE) / "scenarios" / "normal-day.yaml"


def test_the_server_refreshes_the_forecast_and_the_screen_shows_it(kobenhavn: Config) -> None:
    forecast = kobenhavn.site.forecast.model_copy(update={"every": timedelta(seconds=0.2)})
    site = kobenhavn.site.model_copy(update={"forecast": forecast})
    config = kobenhavn.model_copy(update={"site": site})
    clock = monday_morning()
    pm = make_plugin_manager(load_entrypoints=False, plugins=[plugin])
    fd = Frontdesk.open(config, store=":memory:", clock=clock, plugins=pm)
    queues = fd.queues
    queues.sign_in("skranke-2", "AB")
    for _ in range(2):  # a little history for the counter time
        queues.issue("generel")
        queues.call_next("skranke-2")
        clock.advance(minutes=6)
        queues.finish("skranke-2")
    for _ in range(3):
        queues.issue("generel")
    running = serve(fd)
    try:
        deadline = time.monotonic() + 10
        while forecaster(fd).latest() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        latest = forecaster(fd).latest()
        assert latest is not None and latest.method == "queue_length"
        found = latest.queue("generel")
        assert found is not None and found.minutes is not None
        text = short(found.minutes)
        assert text is not None and text.endswith(" min")
        screen = httpx.get(f"{running.url}/screen/nyropsgade").text
        row = screen.split('data-queue="generel"', 1)[1].split("</tr>", 1)[0]
        assert text in row
    finally:
        running.stop()
        fd.close()


def test_the_manager_sees_staffing_advice_in_words(kobenhavn: Config, tmp_path: Path) -> None:
    pm = make_plugin_manager(load_entrypoints=False, plugins=[plugin])
    fd = Frontdesk.open(kobenhavn, store=":memory:", clock=monday_morning(), plugins=pm)
    forecaster(fd).use(load_scenario(NORMAL_DAY, kobenhavn), "simulation")
    fd.queues.sign_in("skranke-1", "AB")  # one counter for the passports, many waiting
    for _ in range(25):
        fd.queues.issue("pas")
    forecasts = forecaster(fd)
    advice = forecasts.advise(forecasts.snapshot())
    assert advice is not None
    running = serve(fd)
    try:
        with httpx.Client(base_url=running.url) as client:
            page = client.get("/login")
            csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            data = {"username": "mette", "password": PASSWORD, "csrf": csrf}
            assert client.post("/login", data=data).status_code == 303
            danish = client.get("/manager", params={"centre": "nyropsgade"}).text
            english = client.get("/manager", params={"centre": "nyropsgade", "lang": "en"}).text
    finally:
        running.stop()
        fd.close()
    assert "Pas og kørekort falder under 80%" in danish
    assert "Passports and driving licences will fall below 80%" in english
