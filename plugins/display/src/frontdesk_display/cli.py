"""``frontdesk serve`` and ``frontdesk hash-password``."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from frontdesk_core.api import (
    Config,
    DemoDriver,
    RunningClock,
    demo_start,
    forecaster,
    load_config,
)
from frontdesk_display.passwords import hash_password
from frontdesk_display.settings import DisplaySettings

if TYPE_CHECKING:
    import uvicorn
    from starlette.types import ASGIApp


def configure_serve(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``frontdesk serve``."""
    parser.add_argument("config", help="a configuration file or directory")
    parser.add_argument("--db", default="frontdesk.db", help="the SQLite file holding the state")
    parser.add_argument("--host", default="127.0.0.1", help="the address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="the port to listen on")
    parser.add_argument(
        "--display",
        metavar="FILE",
        help="a YAML file with the 'display:' section (staff users), instead of the config's",
    )
    parser.add_argument(
        "--demo",
        metavar="SCENARIO",
        help="a demonstration: the clock starts on a weekday morning and runs forward, and "
        "the scenario's citizens and employees come and go (never on a real reception's data)",
    )
    parser.add_argument(
        "--speed",
        type=float,
        default=1.0,
        help="with --demo: how much faster than the wall clock the demo's clock runs",
    )
    parser.add_argument(
        "--forwarded-allow-ips",
        default="",
        metavar="ADDRESSES",
        help=(
            "comma-separated addresses or networks of reverse proxies whose X-Forwarded-For "
            "and X-Forwarded-Proto are believed ('*': any); default: none"
        ),
    )


def server_config(app: ASGIApp, **options: Any) -> uvicorn.Config:
    """uvicorn's configuration for the application: uvicorn's own proxy-header handling
    is off (it trusts loopback by default), the application applies the proxies it was
    given itself (:func:`~frontdesk_display.middleware.trusted_proxies`)."""
    import uvicorn

    return uvicorn.Config(
        app,
        proxy_headers=False,
        log_level="warning",
        timeout_graceful_shutdown=3,
        **options,
    )


def urls(config: Config, base: str) -> list[str]:
    """The pages a reception has, one line each."""
    lines = []
    for centre in config.centres:
        for kiosk in centre.kiosks:
            lines.append(f"  kiosk       {base}/kiosk/{centre.id}/{kiosk.id}")
        lines.append(f"  info screen {base}/screen/{centre.id}")
        lines.append(f"  booking     {base}/book/{centre.id}")
    lines += [
        f"  employee    {base}/staff",
        f"  manager     {base}/manager",
        f"  JSON API    {base}/api/v1/openapi.json",
    ]
    return lines


def demo_config(config: Config) -> Config:
    """The configuration a demonstration runs on: ``config`` with the forecast made by
    simulation (``site.forecast.method``), so the forecasts and the staffing advice move
    as the demo's citizens come and go."""
    settings = config.site.forecast
    forecast = type(settings).model_validate({**settings.model_dump(), "method": "simulation"})
    site = config.site.model_copy(update={"forecast": forecast})
    return config.model_copy(update={"site": site})


def demo_forecast(demo: DemoDriver) -> None:
    """Forecast with the demo's own scenario as the model of the day: its citizens are the
    ones who come (a fresh demo has no log yet to calibrate a model from)."""
    forecaster(demo.fd).use(demo.loaded)


def demo_clock(config: Config, speed: float) -> RunningClock:
    """A clock from the next weekday morning the first centre with kiosks opens, running."""
    tz = ZoneInfo(config.site.timezone)
    centre = next((c for c in config.centres if c.kiosks), config.centres[0])
    # The wall clock only picks the day; the reception runs on the demo's clock.
    return RunningClock(demo_start(config, centre.id, datetime.now(tz).date()), speed)


def default_key_file(db: str) -> str | None:
    """Where ``frontdesk serve --db DB`` keeps the signing key when none is configured:
    next to a SQLite file, so signed-in staff stay signed in across restarts; none for
    ``:memory:`` or a server's URL (``postgresql://...`` is no file name)."""
    if db == ":memory:" or "://" in db:
        return None
    return f"{db}.key"


def run_serve(args: argparse.Namespace) -> int:
    """Open the reception and serve it until interrupted."""
    import uvicorn

    from frontdesk_core.api import Frontdesk
    from frontdesk_display.app import create_app
    from frontdesk_display.auth import SECRET_ENV, secret_key
    from frontdesk_display.settings import settings_of
    from frontdesk_display.settings_file import load_settings_file

    settings: DisplaySettings | None = None
    if args.display:
        settings = load_settings_file(args.display)
    clock: RunningClock | None = None
    if args.demo:
        config = demo_config(load_config(args.config, args.hooks.load_context()))
        clock = demo_clock(config, args.speed)
        fd = Frontdesk.open(config, store=args.db, clock=clock, plugins=args.hooks.pm)
    else:
        fd = Frontdesk.open(args.config, store=args.db, plugins=args.hooks.pm)
    try:
        demo = DemoDriver.from_scenario(fd, args.demo) if args.demo else None
        if demo is not None:
            demo_forecast(demo)
        settings = settings if settings is not None else settings_of(fd.config)
        key_file = default_key_file(args.db)
        secret = secret_key(settings, default_file=key_file)
        configured = settings.session.secret_file or os.environ.get(SECRET_ENV)
        if key_file is None and args.db != ":memory:" and not configured:
            print(
                f"frontdesk: set {SECRET_ENV} or display.session.secret_file, so staff "
                "stay signed in across restarts and on every server of this database",
                file=sys.stderr,
            )
        app = create_app(
            fd,
            host=args.host,
            settings=settings,
            secret=secret,
            forwarded_allow_ips=args.forwarded_allow_ips,
            demo=demo.step if demo else None,
        )
        base = f"http://{args.host}:{args.port}"
        print(f"frontdesk: serving '{fd.config.site.name}' from {args.db} (Ctrl-C stops)")
        print("\n".join(urls(fd.config, base)), flush=True)
        if clock is not None:
            print(
                f"frontdesk: demo clock from {clock.start:%A %d %B %Y %H:%M} "
                f"at {args.speed:g}x; simulated citizens from {args.demo}",
                flush=True,
            )
        if not settings.users:
            print(
                "frontdesk: no staff users: add them to a 'display:' section "
                "(passwords from 'frontdesk hash-password')",
                file=sys.stderr,
            )
        # uvicorn raises the Ctrl-C again once it has shut down; that is the way out.
        with contextlib.suppress(KeyboardInterrupt):
            uvicorn.Server(server_config(app, host=args.host, port=args.port)).run()
    finally:
        fd.close()
    return 0


def configure_hash_password(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``frontdesk hash-password``."""
    parser.add_argument(
        "--stdin", action="store_true", help="read the password from standard input"
    )


def run_hash_password(args: argparse.Namespace) -> int:
    """Print the hash to paste into ``display.users[].password_hash``."""
    if args.stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            print("frontdesk: the passwords differ", file=sys.stderr)
            return 1
    if not password:
        print("frontdesk: a password cannot be empty", file=sys.stderr)
        return 1
    print(hash_password(password))
    return 0
