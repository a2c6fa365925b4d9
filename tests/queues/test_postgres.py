"""The same engine on the PostgreSQL store: two engines (a kiosk, a counter) on one database."""

from __future__ import annotations

import threading
from collections import Counter as Tally

from frontdesk_core.clock import ManualClock
from frontdesk_core.config.models import Config
from frontdesk_core.queues.state import FINISHED, ISSUED, load, rebuild
from frontdesk_core.queues.tickets import TicketState
from frontdesk_core.store import EventStore, open_store
from queues.conftest import START, open_engine


def test_kiosks_and_a_counter_on_postgres(config: Config, postgres_database: str) -> None:
    clock = ManualClock(START)
    stores: list[EventStore] = [open_store(postgres_database) for _ in range(3)]
    kiosks = [open_engine(config, stores[i], clock) for i in range(2)]
    counter = open_engine(config, stores[2], clock)
    per_kiosk = 15
    errors: list[BaseException] = []

    def kiosk(index: int) -> None:
        try:
            for _ in range(per_kiosk):
                kiosks[index].issue("pass")
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=kiosk, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    counter.sign_in("c3", "AB")
    served = 0
    while served < 2 * per_kiosk:
        if counter.call_next("c3") is not None:
            counter.finish("c3")
            served += 1
    for thread in threads:
        thread.join()
    assert not errors, errors

    log = list(stores[2].read())
    issued = [e for e in log if e.kind == ISSUED]
    numbers = Tally(e.payload.number for e in issued)
    assert len(numbers) == 2 * per_kiosk and set(numbers.values()) == {1}
    assert set(Tally(e.key for e in log if e.kind == FINISHED).values()) == {1}
    counter.end_of_day()
    rebuilt = rebuild(config, stores[0].read())
    for engine in (*kiosks, counter):
        engine.refresh()
        assert engine.state == rebuilt
    assert load(config, stores[1]) == rebuilt
    assert all(t.state is not TicketState.WAITING for t in rebuilt.tickets.values())
    for store in stores:
        store.close()
