"""Kiosks and counters at once on one SQLite file: separate processes and threads.

Two kiosk processes and kiosk threads issue tickets while counter processes and
a counter thread call and finish them. Afterwards every ticket was served
exactly once, no number was given twice, and every engine's live state equals
the state rebuilt from the file.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections import Counter as Tally
from pathlib import Path

from frontdesk_core.clock import ManualClock
from frontdesk_core.config.loader import load_config
from frontdesk_core.queues.state import CALLED, FINISHED, ISSUED, rebuild
from frontdesk_core.queues.tickets import TicketState
from frontdesk_core.store import SqliteStore
from queues.conftest import START, open_engine, write_config

WORKER = Path(__file__).with_name("worker.py")
PER_KIOSK = 40


def test_kiosks_and_counters_in_processes_and_threads(tmp_path: Path) -> None:
    config_path = write_config(tmp_path)
    config = load_config(config_path)
    db = tmp_path / "shared.db"
    SqliteStore(str(db)).close()  # create the schema before the race
    kiosk_threads = 2
    total = (2 + kiosk_threads) * PER_KIOSK

    def spawn(*args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, str(WORKER), str(config_path), str(db), *args],
            stdout=subprocess.PIPE,
            text=True,
        )

    processes = [
        spawn("kiosk", "pass", str(PER_KIOSK)),
        spawn("kiosk", "tax", str(PER_KIOSK)),
        spawn("counter", "c1", str(total)),
        spawn("counter", "c3", str(total)),
    ]
    errors: list[BaseException] = []
    served_here: list[str] = []
    clock = ManualClock(START)
    shared = open_engine(config, SqliteStore(str(db)), clock)  # threads share this engine

    def kiosk(queue: str) -> None:
        try:
            for _ in range(PER_KIOSK):
                shared.issue(queue)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    def counter() -> None:
        engine = open_engine(config, SqliteStore(str(db)), clock)  # its own connection
        try:
            engine.sign_in("c2", "C2")
            while True:
                ticket = engine.call_next("c2")
                if ticket is None:
                    engine.refresh()
                    states = [t.state for t in engine.state.tickets.values()]
                    if states.count(TicketState.DONE) >= total:
                        return
                    continue
                served_here.append(engine.finish("c2").id)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=kiosk, args=(q,)) for q in ("pass", "tax")]
    threads.append(threading.Thread(target=counter))
    for thread in threads:
        thread.start()
    try:
        outputs = [p.communicate(timeout=60)[0] for p in processes]
    finally:
        for process in processes:  # a worker that hangs must not outlive a failed test
            process.kill()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert all(p.returncode == 0 for p in processes)

    store = SqliteStore(str(db))
    log = list(store.read())
    issued = [e for e in log if e.kind == ISSUED]
    assert len(issued) == total
    numbers = Tally((e.payload.queue_id, e.payload.number) for e in issued)
    assert set(numbers.values()) == {1}, "a number was given twice"
    assert sorted(numbers) == sorted(
        [("pass", f"P{n:03d}") for n in range(1, 2 * PER_KIOSK + 1)]
        + [("tax", f"S{n:03d}") for n in range(1, 2 * PER_KIOSK + 1)]
    ), "numbers are not consecutive"
    finished = Tally(e.key for e in log if e.kind == FINISHED)
    assert set(finished.values()) == {1} and len(finished) == total, "lost or served twice"
    calls = Tally(e.key for e in log if e.kind == CALLED)
    assert set(calls.values()) == {1}, "a ticket was called by two counters"
    acked = sum(o.count("ack finish") for o in outputs) + len(served_here)
    assert acked == total
    rebuilt = rebuild(config, log)
    shared.refresh()
    assert shared.state == rebuilt
    assert all(t.state is TicketState.DONE for t in rebuilt.tickets.values())
    store.close()
