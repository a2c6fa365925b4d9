"""Shared fixtures for the core's tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from frontdesk_core.clock import ManualClock

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def clock() -> ManualClock:
    """A manual clock on a Monday morning in Copenhagen."""
    return ManualClock(datetime(2026, 11, 23, 9, 0, tzinfo=CPH))


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        pytest.fail("PostgreSQL is not installed: `make system-deps` installs it (Debian package)")
    return found[-1].parent


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server on 127.0.0.1, started for the test session."""
    bin_dir = _pg_bin()
    # Not under pytest's temporary folder: the server's user must be able to reach it.
    base = Path(tempfile.mkdtemp(prefix="frontdesk-pg-"))
    data, sockets = base / "data", base / "run"
    sockets.mkdir()
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(base, "postgres")
        shutil.chown(sockets, "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    subprocess.run(
        [*as_postgres, str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"],
        check=True, capture_output=True,
    )  # fmt: skip
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=on"
    subprocess.run(
        [*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-w", "start",
         "-l", str(base / "log")],
        check=True, capture_output=True,
    )  # fmt: skip
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
            check=False, capture_output=True,
        )  # fmt: skip
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def postgres_database(postgres_url: str) -> str:
    """The URL of a fresh database on the test server (tests stay independent on one server)."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return postgres_url.rsplit("/", 1)[0] + f"/{name}"
