"""Small parts on their own: passwords, the broadcaster, kiosk sessions, the config section."""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from conftest import EXAMPLE, SETTINGS, Served, monday_morning
from frontdesk_display import hub as hub_module
from frontdesk_display import plugin
from frontdesk_display.auth import SECRET_ENV, Throttle, secret_key
from frontdesk_display.hub import Hub
from frontdesk_display.kiosk.sessions import KioskSessions
from frontdesk_display.live.broadcast import CLOSE, QUEUE_SIZE, Broadcaster
from frontdesk_display.passwords import hash_password, verify_password
from frontdesk_display.settings import DisplaySettings, settings_of

from frontdesk_core.api import (
    Config,
    ConfigError,
    DemoDriver,
    Frontdesk,
    Hooks,
    HousekeepingReport,
    RunningClock,
    TicketState,
    load_config,
    make_plugin_manager,
)

T = TypeVar("T")


def run_async(scenario: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine on a loop of its own thread (the browser's sync API owns this one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, scenario()).result(timeout=10)


def test_passwords_verify_only_themselves_and_salts_differ() -> None:
    one, two = hash_password("pw", n=2**10), hash_password("pw", n=2**10)
    assert one != two
    assert verify_password("pw", one) and verify_password("pw", two)
    assert not verify_password("pW", one)
    for broken in ("", "scrypt$1$2", "md5$1$1$1$AA==$AA==", one.replace("$", "$x", 1)):
        assert not verify_password("pw", broken)
    with pytest.raises(ValueError):
        hash_password("")


def test_messages_published_from_another_thread_reach_subscribers_in_order() -> None:
    async def scenario() -> list[str]:
        broadcaster = Broadcaster()
        broadcaster.bind(asyncio.get_running_loop())
        got: list[str] = []
        async with broadcaster.subscribe("screen:a") as queue:
            sender = threading.Thread(
                target=lambda: [broadcaster.publish("screen:a", "state", i) for i in range(5)]
            )
            sender.start()
            broadcaster.publish("screen:b", "state", "elsewhere")
            for _ in range(5):
                got.append((await asyncio.wait_for(queue.get(), 2)).data)
            sender.join()
        assert broadcaster.subscribers("screen:a") == 0
        return got

    assert run_async(scenario) == ["0", "1", "2", "3", "4"]


def test_a_subscriber_that_falls_behind_is_closed_so_it_reconnects() -> None:
    async def scenario() -> object:
        broadcaster = Broadcaster()
        broadcaster.bind(asyncio.get_running_loop())
        async with broadcaster.subscribe("t") as queue:
            for i in range(QUEUE_SIZE + 1):
                broadcaster.publish("t", "state", i)
            last = None
            while not queue.empty():
                last = queue.get_nowait()
            return last

    assert run_async(scenario) is CLOSE


class Stopwatch:
    """A monotonic clock in seconds that moves only when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_kiosk_sessions_expire_when_left_alone() -> None:
    watch = Stopwatch()
    sessions = KioskSessions(timedelta(seconds=20), limit=2, monotonic=watch)
    first = sessions.add("c", "k", "da", object())
    watch.now += 59  # kept for three times the page's idle time
    assert sessions.get(first.id) is first
    watch.now += 59  # touched a moment ago: still there
    assert sessions.get(first.id) is first
    watch.now += 61
    assert sessions.get(first.id) is None
    ids = [sessions.add("c", "k", "da", object()).id for _ in range(3)]
    assert len(sessions) == 2 and sessions.get(ids[0]) is None


def test_the_display_section_is_part_of_the_configuration(tmp_path: Path) -> None:
    hooks = Hooks(make_plugin_manager(load_entrypoints=False, plugins=[plugin]))
    copy = tmp_path / "kobenhavn"
    shutil.copytree(EXAMPLE, copy)
    root = copy / "frontdesk.yaml"
    text = root.read_text(encoding="utf-8")
    root.write_text(text + "\ndisplay:\n  kiosk_idle: 90 s\n  info: {da: Hej}\n", "utf-8")
    settings = settings_of(load_config(root, hooks.load_context()))
    assert settings.kiosk_idle == timedelta(seconds=90) and settings.info == {"da": "Hej"}
    root.write_text(text + "\ndisplay:\n  users: nobody\n", "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(root, hooks.load_context())
    (problem,) = caught.value.problems
    assert problem.file.endswith("frontdesk.yaml") and "users" in problem.message
    assert settings_of(load_config(EXAMPLE, hooks.load_context())) == DisplaySettings()


def test_citizen_text_is_escaped_in_the_served_html(served: Served) -> None:
    served.fd.queues.issue("generel", note='<script>alert("x")</script>')
    from frontdesk_display.live.state import DisplayState

    hub_state = DisplayState(served.fd, DisplaySettings())
    hub_state.set_info("nyropsgade", "<b>Lukket</b> & åbent", by="test")
    page = httpx.get(f"{served.url}/screen/nyropsgade").text
    assert "<b>Lukket</b>" not in page
    assert "&lt;b&gt;Lukket&lt;/b&gt; &amp; åbent" in page


def test_the_signing_key_is_kept_in_a_file_so_sessions_survive_a_restart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SECRET_ENV, raising=False)
    key_file = tmp_path / "state.db.key"
    first = secret_key(DisplaySettings(), default_file=str(key_file))
    assert secret_key(DisplaySettings(), default_file=str(key_file)) == first
    assert key_file.stat().st_mode & 0o077 == 0  # readable by the server's user only
    assert secret_key(DisplaySettings()) != secret_key(DisplaySettings())
    monkeypatch.setenv(SECRET_ENV, "from-the-environment")
    assert secret_key(DisplaySettings(), default_file=str(key_file)) == "from-the-environment"


def test_the_throttle_pauses_one_user_at_one_address_and_forgets_on_success() -> None:
    watch = Stopwatch()
    throttle = Throttle(failures=2, window=60, pause=5, monotonic=watch)
    for _ in range(2):
        throttle.failed("Anna", "10.0.0.1")
    assert not throttle.allowed("anna", "10.0.0.1")
    assert throttle.allowed("anna", "10.0.0.2") and throttle.allowed("bo", "10.0.0.1")
    watch.now += 4.9
    assert not throttle.allowed("anna", "10.0.0.1")
    watch.now += 0.1
    assert throttle.allowed("anna", "10.0.0.1")
    throttle.failed("anna", "10.0.0.1")
    throttle.succeeded("anna", "10.0.0.1")
    throttle.failed("anna", "10.0.0.1")
    assert throttle.allowed("anna", "10.0.0.1")


def test_the_server_runs_the_cores_timed_rules_on_its_loop(
    kobenhavn: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hub's loop calls ``fd.housekeeping``: a call past ``no_show_after`` is expired."""
    monkeypatch.setattr(hub_module, "HOUSEKEEPING_SECONDS", 0.01)
    clock = monday_morning()
    pm = make_plugin_manager(load_entrypoints=False)
    with Frontdesk.open(kobenhavn, store=":memory:", clock=clock, plugins=pm) as fd:
        fd.queues.sign_in("skranke-1", "A17")
        ticket = fd.queues.issue("pas")
        fd.queues.call_next("skranke-1")
        rounds: list[HousekeepingReport] = []
        keep_house = fd.housekeeping

        def counted() -> HousekeepingReport:
            rounds.append(keep_house())
            return rounds[-1]

        monkeypatch.setattr(fd, "housekeeping", counted)
        hub = Hub(fd, SETTINGS)

        async def scenario() -> TicketState:
            loop = asyncio.get_running_loop()
            hub.start(loop)
            try:
                deadline = loop.time() + 5
                while len(rounds) < 2:  # a round before the time ran out changes nothing
                    assert loop.time() < deadline, "the loop ran no housekeeping"
                    await asyncio.sleep(0.01)
                assert not any(r.changed for r in rounds)
                clock.advance(fd.config.queue("pas").no_show_after)
                while not any(r.tickets_expired for r in rounds):
                    assert loop.time() < deadline, "the expired call was not seen to"
                    await asyncio.sleep(0.01)
                return await hub.core.run(lambda: fd.queues.ticket(ticket.id).state)
            finally:
                hub.stop()

        assert run_async(scenario) is TicketState.NO_SHOW


def test_a_demonstration_moves_the_screens_on_the_core_thread(
    kobenhavn: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``serve --demo``: the driver's steps run on the core's thread, and citizens are
    called to the counters on the info screen without anyone at a kiosk or dashboard."""
    monkeypatch.setattr(hub_module, "DEMO_SECONDS", 0.01)
    ticks = [0.0]
    clock = RunningClock(monday_morning().now(), ticks=lambda: ticks[0])
    pm = make_plugin_manager(load_entrypoints=False)
    with Frontdesk.open(kobenhavn, store=":memory:", clock=clock, plugins=pm) as fd:
        driver = DemoDriver.from_scenario(fd, EXAMPLE / "scenarios" / "peak-day.yaml", seed=3)
        threads: set[str] = set()

        def step() -> object:
            threads.add(threading.current_thread().name)
            ticks[0] += 60  # a minute of the demo's day per step
            return driver.step()

        hub = Hub(fd, SETTINGS, demo=step)

        async def scenario() -> int:
            loop = asyncio.get_running_loop()
            hub.start(loop)
            try:
                deadline = loop.time() + 10
                while not fd.queues.screen("nyropsgade").called:
                    assert loop.time() < deadline, "nobody was called"
                    await asyncio.sleep(0.01)
                return len(fd.queues.screen("nyropsgade").called)
            finally:
                hub.stop()

        assert run_async(scenario) >= 1
        assert threads and all(name.startswith("frontdesk-core") for name in threads)
