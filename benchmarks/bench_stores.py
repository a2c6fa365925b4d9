"""Durable queue commands per second on PostgreSQL, against SQLite in the same run.

Run: ``.venv/bin/python benchmarks/bench_stores.py``

Issue + call + finish cycles of the queue engine, every command its own durable
transaction (``synchronous=FULL`` on SQLite, ``fsync=on`` and the default
``synchronous_commit=on`` on a PostgreSQL server started for the run on
127.0.0.1, as the tests start it). The stores alternate over several rounds;
each PostgreSQL round is compared with the SQLite round just before it, and the
median of those ratios is the figure (the best rounds are shown too). The target
is PostgreSQL at 0.7 of SQLite or better.

On a machine shared with other work the rates swing with everyone's disk and CPU
use, so the benchmark also prints what does not: the round trips to the
PostgreSQL server per command (a command alone on the database is one
statement: the server function ``frontdesk_append``), counted in a run of its own.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
from bench_queues import engine_cycles

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from pgserver import create_database, running_postgres

ROUNDS = 7
CYCLES = 500
TARGET_RATIO = 0.7


def _waits(directory: Path, url: str, cycles: int) -> int:
    """How often the client waited for the server in a run of ``cycles`` cycles."""
    waits = 0
    wait: Callable[..., Any] = psycopg.Connection.wait

    def counted(self: psycopg.Connection[Any], *args: Any, **kwargs: Any) -> Any:
        nonlocal waits
        waits += 1
        return wait(self, *args, **kwargs)

    psycopg.Connection.wait = counted  # type: ignore[method-assign]
    try:
        engine_cycles(directory, cycles, url)
    finally:
        psycopg.Connection.wait = wait  # type: ignore[method-assign]
    return waits


def round_trips(directory: Path, server_url: str) -> float:
    """Round trips to the server per command in issue+call+finish cycles (opening the
    store and the engine and signing in, counted in a run without cycles, left out)."""
    run = _waits(directory / "trips", create_database(server_url, "bench"), CYCLES)
    fixed = _waits(directory / "fixed", create_database(server_url, "bench"), 0)
    return (run - fixed) / (3 * CYCLES)


def main() -> int:
    """Print both rates and their ratio; exit 1 if PostgreSQL misses the target."""
    sqlite: list[float] = []
    postgres: list[float] = []
    with tempfile.TemporaryDirectory(prefix="frontdesk-bench-") as tmp, running_postgres() as pg:
        directory = Path(tmp)
        for round_ in range(ROUNDS):
            sqlite.append(engine_cycles(directory / f"sqlite{round_}", CYCLES))
            url = create_database(pg.url, "bench")
            postgres.append(engine_cycles(directory / f"postgres{round_}", CYCLES, url))
        trips = round_trips(directory, pg.url)
    best_sqlite, best_pg = max(sqlite), max(postgres)
    # Each PostgreSQL round against the SQLite round just before it: on a shared machine
    # the load changes between rounds, so the median of these pairs is the steadier figure.
    ratio = statistics.median(p / s for s, p in zip(sqlite, postgres, strict=True))
    print(f"rounds (alternating)                   : {ROUNDS} x {CYCLES} cycles")
    print(
        f"SQLite issue+call+finish cycles/s      : {best_sqlite:8.0f}  "
        f"(median {statistics.median(sqlite):.0f})"
    )
    print(
        f"PostgreSQL issue+call+finish cycles/s  : {best_pg:8.0f}  "
        f"(median {statistics.median(postgres):.0f})"
    )
    print(
        f"PostgreSQL / SQLite                    : {ratio:8.2f}  (median of the paired rounds; "
        f"best against best {best_pg / best_sqlite:.2f}; target {TARGET_RATIO})"
    )
    print(f"PostgreSQL round trips per command     : {trips:8.2f}  (issue, call, finish alike)")
    return 0 if ratio >= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
