"""Fixtures: the København example served by uvicorn on 127.0.0.1, and Chromium."""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import uvicorn
from frontdesk_display import plugin
from frontdesk_display.app import create_app
from frontdesk_display.cli import server_config
from frontdesk_display.passwords import hash_password
from frontdesk_display.settings import DisplaySettings, User

from frontdesk_core.api import (
    Config,
    Frontdesk,
    Hooks,
    ManualClock,
    load_config,
    make_plugin_manager,
)

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tests"))  # the one recipe for a test PostgreSQL server
from pgserver import PostgresServer, create_database, running_postgres  # noqa: E402

EXAMPLE = ROOT / "examples" / "kobenhavn"
ARTIFACTS = ROOT / "test-artifacts" / "display"
CPH = ZoneInfo("Europe/Copenhagen")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Info screens and kiosks speak without a tap first, as signage browsers are set up to.
    "--autoplay-policy=no-user-gesture-required",
]
PASSWORD = "correct horse battery"
# Cheap work factors: the tests sign in often; production hashes use the defaults.
_HASH = hash_password(PASSWORD, n=2**10)
SETTINGS = DisplaySettings(
    users=[
        User(username="anna", role="employee", password_hash=_HASH, name="Anna", ref="A17"),
        User(username="bo", role="employee", password_hash=_HASH),
        User(username="mette", role="manager", password_hash=_HASH, name="Mette", ref="M03"),
    ],
    info={"da": "Velkommen til Borgerservice", "en": "Welcome"},
)


@pytest.fixture(scope="session")
def kobenhavn() -> Config:
    """The København example, loaded once."""
    hooks = Hooks(make_plugin_manager(load_entrypoints=False, plugins=[plugin]))
    return load_config(EXAMPLE, hooks.load_context())


def monday_morning() -> ManualClock:
    """A Monday at 10:30 in Copenhagen, when Nyropsgade is open."""
    return ManualClock(datetime(2026, 11, 23, 10, 30, tzinfo=CPH))


@dataclass
class Served:
    """A running server: its URL, the reception behind it and the thread serving it."""

    url: str
    fd: Frontdesk
    server: uvicorn.Server
    thread: threading.Thread
    sock: socket.socket

    def forget_guesses(self) -> None:
        """Forget the wrong codes and passwords counted so far (tests share one address)."""
        self.server.config.app.state.guesses.clear()

    def stop(self) -> None:
        """Stop the server and wait for it."""
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


def bind(port: int = 0) -> socket.socket:
    """A listening socket on 127.0.0.1 (port 0: any free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(128)
    return sock


def serve(
    fd: Frontdesk,
    *,
    port: int = 0,
    settings: DisplaySettings = SETTINGS,
    forwarded_allow_ips: str | None = None,
) -> Served:
    """Serve ``fd`` with uvicorn in a thread, configured as ``frontdesk serve`` does,
    until :meth:`Served.stop`."""
    app = create_app(
        fd, settings=settings, secret="test-secret", forwarded_allow_ips=forwarded_allow_ips
    )
    sock = bind(port)
    config = server_config(app, lifespan="on", access_log=False)
    config.timeout_graceful_shutdown = 1
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.01)
    host, bound = sock.getsockname()
    return Served(f"http://{host}:{bound}", fd, server, thread, sock)


@pytest.fixture
def open_frontdesk(kobenhavn: Config, tmp_path: Path) -> Iterator[Callable[..., Frontdesk]]:
    """Open receptions on a SQLite file of the test (closed after the test)."""
    opened: list[Frontdesk] = []

    def make(db: Path | str | None = None, clock: ManualClock | None = None) -> Frontdesk:
        pm = make_plugin_manager(load_entrypoints=False, plugins=[plugin])
        fd = Frontdesk.open(
            kobenhavn,
            store=str(db or tmp_path / "frontdesk.db"),
            clock=clock or monday_morning(),
            plugins=pm,
        )
        opened.append(fd)
        return fd

    yield make
    for fd in opened:
        fd.close()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server on 127.0.0.1, started for the tests that ask for it."""
    with running_postgres() as server:
        yield server


@pytest.fixture
def postgres_database(postgres_server: PostgresServer) -> str:
    """The URL of a fresh database on the test server."""
    return create_database(postgres_server.url)


@pytest.fixture
def served(open_frontdesk: Callable[..., Frontdesk]) -> Iterator[Served]:
    """The København example served on 127.0.0.1."""
    running = serve(open_frontdesk())
    yield running
    running.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (one for the session)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Open pages in fresh browser contexts (closed after the test, before the server stops)."""
    contexts: list[Any] = []
    errors: list[str] = []

    def make(width: int = 1280, height: int = 800, timezone_id: str | None = None) -> Any:
        context = browser.new_context(
            viewport={"width": width, "height": height}, timezone_id=timezone_id
        )
        context.set_default_timeout(5000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"script errors in the pages: {errors}"


def screenshot(page: Any, name: str) -> None:
    """Save a screenshot under test-artifacts/display/.

    Chromium now and then refuses one capture ("Unable to capture screenshot") and
    takes the same picture when asked again a moment later: asked up to three times.
    """
    from playwright.sync_api import Error as PlaywrightError

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for attempt in range(3):
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)
            return
        except PlaywrightError as exc:
            if "Unable to capture screenshot" not in str(exc) or attempt == 2:
                raise
            page.wait_for_timeout(200)


def sign_in(page: Any, url: str, username: str) -> None:
    """Sign in through the login form."""
    page.goto(f"{url}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
