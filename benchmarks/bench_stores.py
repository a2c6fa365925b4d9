"""Durable queue commands per second on PostgreSQL, against SQLite in the same run.

Run: ``.venv/bin/python benchmarks/bench_stores.py``

Issue + call + finish cycles of the queue engine, every command its own durable
transaction (``synchronous=FULL`` on SQLite, ``fsync=on`` and the default
``synchronous_commit=on`` on a PostgreSQL server started for the run on
127.0.0.1, as the tests start it). The stores alternate over several rounds and
the best round of each is compared; the target is PostgreSQL at 0.7 of SQLite
or better.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from bench_queues import engine_cycles

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from pgserver import create_database, running_postgres

ROUNDS = 5
CYCLES = 500
TARGET_RATIO = 0.7


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
    best_sqlite, best_pg = max(sqlite), max(postgres)
    ratio = best_pg / best_sqlite
    print(f"rounds (alternating)                   : {ROUNDS} x {CYCLES} cycles")
    print(
        f"SQLite issue+call+finish cycles/s      : {best_sqlite:8.0f}  "
        f"(median {statistics.median(sqlite):.0f})"
    )
    print(
        f"PostgreSQL issue+call+finish cycles/s  : {best_pg:8.0f}  "
        f"(median {statistics.median(postgres):.0f})"
    )
    print(f"PostgreSQL / SQLite                    : {ratio:8.2f}  (target {TARGET_RATIO})")
    return 0 if ratio >= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
