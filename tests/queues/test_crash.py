"""A process issuing and serving tickets is killed with SIGKILL at random moments.

After every kill the store is opened afresh: every command the process
acknowledged (it acknowledges only after a command returned) is in the log,
the file passes SQLite's integrity check, the rebuilt state keeps its
invariants, and the next run carries on with the next number.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter as Tally
from pathlib import Path

from frontdesk_core.config.loader import load_config
from frontdesk_core.queues.state import CALLED, DAY_ENDED, FINISHED, ISSUED, load, rebuild
from frontdesk_core.queues.tickets import TicketState
from frontdesk_core.store import SqliteStore
from queues.conftest import write_config

WORKER = Path(__file__).with_name("worker.py")
ROUNDS = 6


def _acks(output: str) -> list[tuple[str, str]]:
    lines = [line.split() for line in output.splitlines()]
    return [(parts[1], parts[2]) for parts in lines if len(parts) == 3 and parts[0] == "ack"]


def test_killed_process_loses_no_acknowledged_command(tmp_path: Path) -> None:
    config_path = write_config(tmp_path)
    config = load_config(config_path)
    db = tmp_path / "crash.db"
    rng = random.Random(20261123)
    acknowledged: list[tuple[str, str]] = []
    for _ in range(ROUNDS):
        process = subprocess.Popen(
            [sys.executable, str(WORKER), str(config_path), str(db), "cycle"],
            stdout=subprocess.PIPE,
            text=True,
        )
        # Let it start (imports take a while) and work, then kill it mid-stride.
        assert process.stdout is not None
        first = process.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.25))
        os.kill(process.pid, signal.SIGKILL)
        rest, _ = process.communicate()
        assert process.returncode == -signal.SIGKILL
        round_acks = _acks(first + rest)
        assert round_acks, "the worker acknowledged nothing before it was killed"
        acknowledged += round_acks

        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        store = SqliteStore(str(db))
        log = list(store.read())
        store.close()
        stored = {(e.kind, e.key) for e in log}
        names = {"issue": ISSUED, "call": CALLED, "finish": FINISHED, "eod": DAY_ENDED}
        missing = [(c, t) for c, t in acknowledged if (names[c], t) not in stored]
        assert not missing, f"acknowledged but lost: {missing[:5]}"
        issued = [e for e in log if e.kind == ISSUED]
        assert len({e.payload.number for e in issued}) == len(issued), "a number was reused"
        served = Tally(e.key for e in log if e.kind == FINISHED)
        assert set(served.values()) <= {1}, "a ticket was served twice"
        state = rebuild(config, log)
        reopened = SqliteStore(str(db))
        assert load(config, reopened) == state  # what a restarted process starts from
        reopened.close()
        at_counter = [t for t in state.tickets.values() if t.state is TicketState.CALLED]
        assert len(at_counter) <= 1
    assert len(acknowledged) > ROUNDS
