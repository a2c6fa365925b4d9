"""How fast a booking page gets a month of free slots, and how fast bookings are made.

Run: ``.venv/bin/python benchmarks/bench_booking.py``

A centre open 08:00-18:00 on weekdays with six counters (staggered booking hours,
a lunch break each, a weekly staff meeting) and three bookable services; the
store already holds 600 bookings spread over the month.

1. A month of free slots of one service (target: well under 100 ms), cold (the
   engine catches up with the log first) and warm (already caught up).
2. The same month for every bookable service of the centre.
3. The reference in the same run: the month computed on an empty store, so the
   cost of the bookings already made shows as a ratio.
4. Durable bookings per second on a SQLite file (each one its own transaction).
5. Start-up after a year of history (100,000 past bookings, 200,000 events): the
   first answer of a fresh process replaying the whole log, against one starting
   from the booking checkpoint (which forgets bookings past retention).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from frontdesk_core.app import Frontdesk
from frontdesk_core.booking.records import Contact
from frontdesk_core.clock import ManualClock
from frontdesk_core.errors import CapacityError
from frontdesk_core.plugins import make_plugin_manager
from frontdesk_core.store.base import NewEvent

CPH = ZoneInfo("Europe/Copenhagen")
NOW = datetime(2026, 11, 2, 8, 0, tzinfo=CPH)  # a Monday
FIRST, LAST = date(2026, 11, 2), date(2026, 12, 1)
TARGET_MS = 100.0
WEEK = ("mon", "tue", "wed", "thu", "fri")


def config_data() -> dict[str, object]:
    """The benchmark centre."""
    counters = []
    for n in range(1, 7):
        hours = "08:00-18:00" if n <= 3 else ("08:00-13:00" if n % 2 else "12:00-18:00")
        counters.append(
            {
                "id": f"c{n}",
                "name": {"da": f"Skranke {n}"},
                "queues": ["pass", "tax"] if n <= 4 else ["tax", "pension"],
                "booking_hours": {day: hours for day in WEEK},
            }
        )
    breaks = [
        {"time": f"{11 + n % 3}:30-{12 + n % 3}:00", "counters": [f"c{n}"]} for n in range(1, 7)
    ]
    breaks.append({"weekdays": ["wed"], "time": "08:00-09:00"})
    return {
        "site": {"id": "bench", "name": "Bench", "languages": ["da"]},
        "centres": [
            {
                "id": "main",
                "name": {"da": "Borgerservice"},
                "address": "Torvet 1",
                "opening_hours": {day: "08:00-18:00" for day in WEEK},
                "queues": [
                    {"id": "pass", "name": {"da": "Pas"}, "prefix": "P"},
                    {"id": "tax", "name": {"da": "Skat"}, "prefix": "S"},
                    {"id": "pension", "name": {"da": "Pension"}, "prefix": "PE"},
                ],
                "counters": counters,
                "booking": {"breaks": breaks},
            }
        ],
        "services": [
            {
                "id": "passport",
                "name": {"da": "Pas"},
                "queue": "pass",
                "booking": {"duration": "15 min", "min_notice": "0 min"},
            },
            {
                "id": "tax",
                "name": {"da": "Skat"},
                "queue": "tax",
                "booking": {
                    "duration": "20 min",
                    "buffer_after": "5 min",
                    "slot_step": "10 min",
                    "min_notice": "0 min",
                },
            },
            {
                "id": "pension",
                "name": {"da": "Pension"},
                "queue": "pension",
                "booking": {
                    "duration": "30 min",
                    "min_notice": "0 min",
                    "channels": ["in_person", "phone"],
                },
            },
        ],
    }


def open_fd(directory: Path, store: str) -> Frontdesk:
    """A Frontdesk on the benchmark centre, with a manual clock at the start of the month."""
    path = directory / "frontdesk.yaml"
    path.write_text(json.dumps(config_data()), encoding="utf-8")
    return Frontdesk.open(
        path,
        store=store,
        clock=ManualClock(NOW),
        plugins=make_plugin_manager(load_entrypoints=False),
    )


def fill(fd: Frontdesk, count: int) -> tuple[int, float]:
    """Book ``count`` slots spread over the month; returns (made, seconds)."""
    services = ["passport", "tax", "pension"]
    made = 0
    began = time.perf_counter()
    for i in range(count * 3):
        if made == count:
            break
        service = services[i % 3]
        slots = fd.booking.free_slots(
            service, FIRST + timedelta(days=i % 30), FIRST + timedelta(days=i % 30)
        )
        if not slots:
            continue
        slot = slots[(i * 7) % len(slots)]
        try:
            fd.booking.book(service, slot.start, contact=Contact(phone=f"2{i:07d}"))
            made += 1
        except CapacityError:
            continue
    return made, time.perf_counter() - began


YEAR_BOOKINGS = 100_000


def write_year(fd: Frontdesk) -> None:
    """A year of past bookings, each created and then met, appended as the engine would."""
    events: list[NewEvent] = []
    start = NOW - timedelta(days=365)
    for i in range(YEAR_BOOKINGS):
        day = start + timedelta(days=(i // 400) * 365 // 250)
        at = day.replace(hour=8) + timedelta(minutes=15 * (i % 40))
        end = at + timedelta(minutes=15)
        data = {
            "code": f"Y{i:06d}",
            "service_id": "passport",
            "start": at.isoformat(),
            "end": end.isoformat(),
            "busy_from": at.isoformat(),
            "busy_until": end.isoformat(),
            "channel": "in_person",
            "counter_id": f"c{1 + i % 6}",
            "language": "da",
        }
        events.append(NewEvent("booking.created", f"bk-y{i}", at - timedelta(days=7), "main", data))
        events.append(NewEvent("booking.no_show", f"bk-y{i}", end + timedelta(hours=1), "main", {}))
    with fd.store.transaction() as tx:
        tx.append(events)


def first_answer(directory: Path, store: str) -> float:
    """Seconds from opening a Frontdesk to its first list of free slots."""
    began = time.perf_counter()
    fd = open_fd(directory, store)
    fd.booking.free_slots("passport", FIRST, FIRST)
    seconds = time.perf_counter() - began
    fd.close()
    return seconds


def timed(action: Callable[[], object], repeat: int) -> float:
    """The median wall time of ``action`` in milliseconds."""
    runs = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        runs.append((time.perf_counter() - began) * 1000)
    return statistics.median(runs)


def main() -> int:
    """Measure and print; exit 1 when a month of one service misses the target."""
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        empty = open_fd(directory, ":memory:")
        reference = timed(lambda: empty.booking.free_slots("passport", FIRST, LAST), 15)
        empty.close()

        fd = open_fd(directory, str(directory / "bench.db"))
        made, seconds = fill(fd, 600)
        other = open_fd(directory, str(directory / "bench.db"))  # a second process: cold
        began = time.perf_counter()
        other.booking.free_slots("passport", FIRST, LAST)
        cold = (time.perf_counter() - began) * 1000
        warm_slots = other.booking.free_slots("passport", FIRST, LAST)
        warm = timed(lambda: other.booking.free_slots("passport", FIRST, LAST), 15)
        every = timed(
            lambda: [
                other.booking.free_slots(s, FIRST, LAST) for s in ("passport", "tax", "pension")
            ],
            9,
        )
        other.close()
        fd.close()

        history = open_fd(directory, str(directory / "year.db"))
        write_year(history)
        replay = first_answer(directory, str(directory / "year.db"))
        kept = history.booking.checkpoint()
        history.close()
        resumed = first_answer(directory, str(directory / "year.db"))

    print("Booking: a month (30 days) of one centre, 6 counters, 600 bookings in the store")
    print(f"  one service, warm:              {warm:7.2f} ms  ({len(warm_slots)} free slots)")
    print(f"  one service, cold (catch-up):   {cold:7.2f} ms")
    print(f"  every bookable service (3):     {every:7.2f} ms")
    ratio = warm / reference
    print(f"  reference, empty store:         {reference:7.2f} ms  (with bookings: x{ratio:.2f})")
    print(f"  target {TARGET_MS:.0f} ms: one service uses {warm / TARGET_MS:.0%} of it")
    rate = made / seconds
    print(f"  bookings made durably:          {rate:7.1f} per second ({made} in {seconds:.2f} s,")
    print("                                  each after its own free-slot look-up)")
    print(f"Start-up after a year ({YEAR_BOOKINGS:,} past bookings, {2 * YEAR_BOOKINGS:,} events)")
    print(f"  replaying the whole log:        {replay:7.2f} s")
    print(f"  from the checkpoint:            {resumed:7.2f} s  ({kept} bookings kept;")
    print(f"                                  x{replay / resumed:.0f} faster)")
    if warm >= TARGET_MS:
        print("  SLOWER THAN THE TARGET", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
