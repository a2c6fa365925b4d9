"""Writes ``legacy.db``: an event log with every event kind, as release 0 wrote it.

Run once, with the release whose log format the fixture keeps (events without a
version column, payloads as that release wrote them):

    .venv/bin/python tests/events/data/make_legacy_log.py

It also writes ``legacy-expected.json.gz``: the state, statistics and calibration
that release gave for the log, which later releases must reproduce from it.
Kept for the record of how the fixture was made; later releases do not rerun it.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import random
from datetime import date, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from frontdesk_core.app import Frontdesk
from frontdesk_core.booking.records import Contact
from frontdesk_core.clock import ManualClock
from frontdesk_core.devices import DeviceFault
from frontdesk_core.plugins import make_plugin_manager
from frontdesk_core.queues.state import rebuild
from frontdesk_core.simulation.calibration import calibrate
from frontdesk_core.store.sqlite import SqliteStore

HERE = Path(__file__).parent
ROOT = HERE.parents[2]
CONFIG = ROOT / "examples" / "kobenhavn"
CPH = ZoneInfo("Europe/Copenhagen")


def plain(value: Any) -> Any:
    """JSON-ready form of records, enums, times and containers."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if hasattr(value, "__iter__") and not isinstance(value, str):
        return [plain(v) for v in value]
    return value


def queue_state(fd: Frontdesk, upto: int | None = None) -> dict[str, Any]:
    """The queue engine's state rebuilt from the log (up to event ``upto``)."""
    state = rebuild(fd.config, (e for e in fd.store.read() if upto is None or e.seq <= upto))
    return {
        "tickets": plain(state.tickets),
        "waiting": {q: list(ids) for q, ids in state.waiting.items()},
        "counters": plain(state.counters),
        "open_days": [[c, d.isoformat(), n] for (c, d), n in sorted(state.open_days.items())],
        "recent": {q: list(v) for q, v in sorted(state.recent.items())},
        "own_priority": dict(sorted(state.own_priority.items())),
        "last_seq": state.last_seq,
    }


def forward(clock: ManualClock, when: datetime) -> None:
    """Move the clock to ``when``, or a minute on if it is past that already."""
    clock.set(max(when, clock.now() + timedelta(minutes=1)))


def write_day_one(fd: Frontdesk, clock: ManualClock) -> None:
    """Tuesday 1 December 2026: every queue and counter command, bookings, the kiosk."""
    q = fd.queues
    b = fd.booking
    clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=CPH))
    # Bookings made the day before, for Tuesday and Wednesday.
    slots = b.free_slots("passport", date(2026, 12, 1), date(2026, 12, 1))
    first = b.book("passport", slots[2].start, contact=Contact(phone="+4520304050", name="A B"))
    b.book("passport", slots[3].start, contact=Contact(phone="+4520304051"))
    moved = b.book(
        "tax",
        b.free_slots("tax", date(2026, 12, 1), date(2026, 12, 1))[2].start,
        contact=Contact(phone="+4520304052"),
    )
    b.reschedule(moved.code, b.free_slots("tax", date(2026, 12, 1), date(2026, 12, 1))[6].start)
    gone = b.book("passport", slots[12].start, contact=Contact(phone="+4520304053"))
    b.cancel(gone.code)
    phone_slots = b.free_slots("pension", date(2026, 12, 1), date(2026, 12, 1))
    call = b.book(
        "pension", phone_slots[3].start, contact=Contact(phone="+4520304054"), channel="phone"
    )
    missed = b.book("passport", slots[0].start, contact=Contact(phone="+4520304055"))
    wed = b.free_slots("passport", date(2026, 12, 2), date(2026, 12, 2))
    later = b.book("passport", wed[5].start, contact=Contact(phone="+4520304056"))
    clock.set(datetime(2026, 11, 30, 14, 0, tzinfo=CPH))
    b.send_due_reminders()
    absence = b.add_absence(
        later.counter_id or "skranke-1",
        wed[5].start - timedelta(minutes=30),
        wed[5].start + timedelta(hours=1),
        reason="sick",
    )
    b.withdraw_absence(absence.absence.id)

    clock.set(datetime(2026, 12, 1, 8, 55, tzinfo=CPH))
    for counter in ("skranke-1", "skranke-2", "skranke-3"):
        q.sign_in(counter, f"e{counter[-1]}")
    q.open_counter("skranke-4")
    issued = [q.issue(queue) for queue in ("pas", "skat", "ydelser", "generel") * 3]
    q.issue("generel", priority=2, note="kørestol")
    rng = random.Random(7)
    kiosk = fd.referral
    for index in range(6):
        clock.advance(minutes=3)
        session = kiosk.start("nyropsgade", "da" if index % 2 else "en")
        while not session.done:
            step = session.step
            if step.kind == "question":
                options = [o.id for o in step.options if o.id != "booked"]
                session.answer(rng.choice(options))
            elif step.kind == "checklist":
                session.check([d.id for d in step.documents][: rng.randint(0, 2)])
            else:
                session.answer(step.options[0].id) if step.options else session.check([])
        kiosk.complete(session, kiosk_id="kiosk-1")
    walked = kiosk.start("nyropsgade", "da")
    walked.abandon("timeout")
    forward(clock, first.start - timedelta(minutes=5))
    assert b.check_in(first.code, language="da").ticket is not None
    assert b.check_in(phone="+4520304051").ticket is not None
    q.call_next("skranke-1")
    clock.advance(minutes=1)
    q.recall("skranke-1")
    q.start("skranke-1")
    clock.advance(minutes=6)
    q.finish("skranke-1")
    q.call_next("skranke-2")
    clock.advance(minutes=2)
    q.put_back("skranke-2")
    q.call_next("skranke-2")
    q.finish("skranke-2")
    q.call_next("skranke-3")
    clock.advance(minutes=20)
    q.no_show("skranke-3")
    q.transfer(issued[3].id, "pas")
    q.cancel(issued[7].id)
    q.pause("skranke-2")
    clock.advance(minutes=5)
    q.resume("skranke-2")
    q.assign_queues("skranke-4", ["generel", "pas"])
    for _ in range(5):
        for counter in ("skranke-1", "skranke-2", "skranke-4"):
            clock.advance(minutes=2)
            if q.call_next(counter) is not None:
                clock.advance(minutes=1)
                q.start(counter)
                clock.advance(minutes=4)
                q.finish(counter)
    forward(clock, datetime(2026, 12, 1, 10, 0, tzinfo=CPH))
    b.mark_no_shows()
    forward(clock, call.start + timedelta(minutes=1))
    b.finish_phone_meeting(call.code, reached=True)
    forward(clock, datetime(2026, 12, 1, 13, 0, tzinfo=CPH))
    b.mark_no_shows()
    del missed
    q.close_counter("skranke-4")
    q.sign_out("skranke-3")
    fd.queues.end_of_day("nyropsgade")


def write_day_two(fd: Frontdesk, clock: ManualClock) -> None:
    """Wednesday: a day left open, closed by Thursday's first command (day reset)."""
    q = fd.queues
    clock.set(datetime(2026, 12, 2, 9, 0, tzinfo=CPH))
    q.sign_in("skranke-1", "e1")
    for queue in ("pas", "pas", "skat", "generel"):
        q.issue(queue, language="en")
    clock.advance(minutes=4)
    q.call_next("skranke-1")
    clock.advance(minutes=5)
    q.finish("skranke-1")
    q.call_next("skranke-1")
    clock.set(datetime(2026, 12, 3, 9, 0, tzinfo=CPH))
    q.sign_in("skranke-2", "e2")
    q.issue("pas")


def write_display(fd: Frontdesk) -> None:
    """The display plugin's own kinds, as its state module writes them."""
    from frontdesk_display.settings import DisplaySettings
    from frontdesk_display.state import DisplayState

    display = DisplayState(fd, DisplaySettings())
    display.set_info("nyropsgade", "Husk nummer", by="leder")
    now = fd.clock.now()
    fault = display.record_fault(DeviceFault("kiosk-1", "nyropsgade", "paper_out", "papir", now))
    display.record_fault(DeviceFault("kiosk-2", "nyropsgade", "offline", "ingen forbindelse", now))
    display.clear_fault(fault["id"], by="leder")


def main() -> None:
    db = HERE / "legacy.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    store = SqliteStore(str(db))
    clock = ManualClock(datetime(2026, 11, 30, 9, 0, tzinfo=CPH))
    pm = make_plugin_manager(load_entrypoints=False)
    fd = Frontdesk.open(CONFIG, store=store, clock=clock, plugins=pm)
    write_day_one(fd, clock)
    write_day_two(fd, clock)
    write_display(fd)
    kinds = sorted({e.kind for e in fd.store.read()})
    expected = {
        "kinds": kinds,
        "events": fd.store.last_seq(),
        "queues": queue_state(fd),
        # The state after every event, as it was replayed up to there.
        "queues_by_seq": {
            str(seq): queue_state(fd, seq) for seq in range(1, fd.store.last_seq() + 1)
        },
        "bookings": [
            {"booking": plain(fd.booking.booking(booking_id))}
            for booking_id in sorted({e.key for e in fd.store.read(kinds=["booking.created"])})
        ],
        "absences": plain(fd.booking.absences()),
        "stats": plain(fd.stats.report()),
        "calibration": plain(
            calibrate(fd.store, fd.config, config_path="examples/kobenhavn/frontdesk.yaml")
        ),
    }
    fd.close()
    store = SqliteStore(str(db))
    # The fixture is about events: no contact details, even made-up ones, are kept.
    store._conn.execute("DELETE FROM personal")
    store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store._conn.execute("PRAGMA journal_mode=DELETE")
    store.close()
    text = json.dumps(expected, separators=(",", ":"), sort_keys=True) + "\n"
    with gzip.open(HERE / "legacy-expected.json.gz", "wt", encoding="utf-8") as out:
        out.write(text)
    print(f"{expected['events']} events of {len(kinds)} kinds: {', '.join(kinds)}")


if __name__ == "__main__":
    main()
