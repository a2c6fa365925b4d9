"""A forecast refresh by forward simulation, for a busy centre: under a second on one core.

Run: ``.venv/bin/python benchmarks/bench_forecast.py``

Nyropsgade (København example) at 11:00 on its peak day: all six counters open,
100 tickets waiting across the four queues, and 300 citizens still to come
(every booking the calendar still takes, and walk-ins at the rate that makes up
the rest). One refresh is a snapshot of the live engines and
``site.forecast.replications`` forward runs of the rest of the day with the real
engine. The reference, measured in the same run, is the planner simulating the
whole peak day once (``simulate_day``).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from frontdesk_core.app import Frontdesk
from frontdesk_core.booking.records import Contact
from frontdesk_core.clock import ManualClock
from frontdesk_core.errors import CapacityError
from frontdesk_core.forecast.forecast import simulate_forecast
from frontdesk_core.forecast.snapshot import take_snapshot
from frontdesk_core.plugins import Hooks, make_plugin_manager
from frontdesk_core.simulation.model import simulate_day
from frontdesk_core.simulation.scenario import load_scenario

PEAK = Path(__file__).parents[1] / "examples" / "kobenhavn" / "scenarios" / "peak-day.yaml"
WAITING = 100
TO_COME = 300
ROUNDS = 5
TARGET_SECONDS = 1.0


def main() -> int:
    loaded = load_scenario(PEAK)
    day = loaded.dates[0]
    tz = ZoneInfo(loaded.config.site.timezone)
    now = datetime(day.year, day.month, day.day, 11, 0, tzinfo=tz)
    clock = ManualClock(now - timedelta(days=3))
    pm = make_plugin_manager(load_entrypoints=False)
    fd = Frontdesk.open(loaded.config, store=":memory:", clock=clock, plugins=pm)
    booked = 0
    for service in loaded.config.services:
        if service.booking is None or "in_person" not in service.booking.channels:
            continue
        for slot in fd.booking.free_slots(service.id, day, day):
            for _ in range(slot.free):
                if slot.start <= now or booked >= TO_COME:
                    break
                try:
                    fd.booking.book(service.id, slot.start, contact=Contact())
                except CapacityError:
                    break
                booked += 1
    clock.set(now)
    centre = loaded.config.centre("nyropsgade")
    for counter in centre.counters:
        fd.queues.sign_in(counter.id, "AB")
    rng = random.Random(1)
    queues = [q.id for q in centre.queues]
    for _ in range(WAITING):
        fd.queues.issue(rng.choice(queues))
    # Walk-ins make up the rest of the 300: the peak day's streams scaled to that many.
    expected = sum(
        value * (min(minute_end, 900.0) - max(minute_start, 660.0)) / 60.0
        for stream in loaded.scenario.arrivals
        for span, value in stream.ranges()
        for minute_start, minute_end in [(span.start.hour * 60.0, span.end.hour * 60.0)]
        if min(minute_end, 900.0) > max(minute_start, 660.0)
    )
    scale = max(TO_COME - booked, 0) / expected if expected else 1.0
    model = loaded.with_changes(scale=scale)
    hooks = Hooks(make_plugin_manager(load_entrypoints=False))
    replications = loaded.config.site.forecast.replications

    reference = []
    for index in range(ROUNDS):
        began = time.perf_counter()
        simulate_day(loaded, day, f"reference/{index}")
        reference.append(time.perf_counter() - began)
    refresh = []
    for index in range(ROUNDS):
        began = time.perf_counter()
        snapshot = take_snapshot(fd)
        forecast = simulate_forecast(
            snapshot, model, hooks=hooks, replications=replications, seed=f"bench/{index}"
        )
        refresh.append(time.perf_counter() - began)
    fd.close()
    known = sum(1 for t in forecast.tickets.values() if t.minutes is not None)
    best, ref = min(refresh), min(reference)
    print(f"forecast refresh: {len(snapshot.tickets)} waiting, {booked} bookings and about "
          f"{TO_COME - booked} walk-ins still to come, {replications} replications")  # fmt: skip
    median = statistics.median(refresh) * 1000
    print(f"  refresh     best {best * 1000:7.1f} ms   median {median:7.1f} ms   "
          f"({known} tickets with an estimate)")  # fmt: skip
    print(f"  reference   best {ref * 1000:7.1f} ms   (the planner simulating the whole peak day)")
    print(f"  ratio       {best / ref:.2f} x the reference; per replication "
          f"{best / replications * 1000:.1f} ms")  # fmt: skip
    verdict = "met" if best < TARGET_SECONDS else "NOT met"
    print(f"  target      under {TARGET_SECONDS:.1f} s on one core: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
