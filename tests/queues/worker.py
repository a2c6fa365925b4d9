"""A separate process acting as a kiosk or a counter on a shared store (for the tests).

    python worker.py CONFIG DB kiosk QUEUE COUNT       issue COUNT tickets
    python worker.py CONFIG DB counter COUNTER TOTAL   serve until TOTAL tickets are done
    python worker.py CONFIG DB cycle                   issue, call, finish (and end the day)

DB is a SQLite file or a ``postgresql://`` URL. Each command that returned is
acknowledged on stdout ("ack <command> <ticket id>") only after it returned, that
is after it is durable.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta

from frontdesk_core.clock import ManualClock
from frontdesk_core.config.loader import load_config
from frontdesk_core.plugins import Hooks, make_plugin_manager
from frontdesk_core.queues.engine import QueueEngine
from frontdesk_core.queues.tickets import TicketState
from frontdesk_core.store import open_store

START = datetime.fromisoformat("2026-11-23T09:00:00+01:00")


def ack(command: str, ticket_id: str) -> None:
    """Tell the test a command is durable."""
    sys.stdout.write(f"ack {command} {ticket_id}\n")
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    """Run the role named on the command line."""
    config_path, db, role, *rest = argv
    config = load_config(config_path)
    clock = ManualClock(START)
    hooks = Hooks(make_plugin_manager(load_entrypoints=False))
    engine = QueueEngine(config, open_store(db), clock, hooks)
    if role == "kiosk":
        queue, count = rest[0], int(rest[1])
        for _ in range(count):
            ack("issue", engine.issue(queue).id)
    elif role == "counter":
        counter, total = rest[0], int(rest[1])
        engine.sign_in(counter, counter.upper())
        while True:
            ticket = engine.call_next(counter)
            if ticket is None:
                engine.refresh()
                done = sum(t.state is TicketState.DONE for t in engine.state.tickets.values())
                if done >= total:
                    return 0
                continue
            ack("call", ticket.id)
            clock.advance(timedelta(seconds=1))
            ack("finish", engine.finish(counter).id)
    elif role == "cycle":
        engine.roll_day()
        counter = engine.state.counters["c3"]
        if counter.employee_ref is None:
            engine.sign_in("c3", "CRASH")
        if counter.ticket_id is not None:
            ack("finish", engine.finish("c3").id)  # the call acknowledged before the crash
        cycles = 0
        while True:
            cycles += 1
            if cycles % 15 == 0:
                # A day end now and then, so restarts replay from one.
                engine.end_of_day("main")
                ack("eod", "main")
                engine.sign_in("c3", "CRASH")
            ack("issue", engine.issue("pass").id)
            ticket = engine.call_next("c3")
            if ticket is not None:
                ack("call", ticket.id)
                clock.advance(timedelta(seconds=1))
                ack("finish", engine.finish("c3").id)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
