"""Shared fixtures for the core's tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pgserver import PostgresServer, create_database, pg_bin, running_postgres

from frontdesk_core.clock import ManualClock

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def clock() -> ManualClock:
    """A manual clock on a Monday morning in Copenhagen."""
    return ManualClock(datetime(2026, 11, 23, 9, 0, tzinfo=CPH))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server on 127.0.0.1, started for the test session."""
    try:
        pg_bin()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    with running_postgres() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PostgresServer) -> str:
    """The URL of the test server's ``postgres`` database."""
    return postgres_server.url


@pytest.fixture
def postgres_database(postgres_url: str) -> str:
    """The URL of a fresh database on the test server (tests stay independent on one server)."""
    return create_database(postgres_url)
