"""How long one kiosk step takes on the København tree (target: under 50 µs median).

Run: ``.venv/bin/python benchmarks/bench_referral.py``

Twelve citizens' paths through Borgerservice Nyropsgade's tree (questions,
checklists, branches on the time, the queues and earlier answers) are played
over and over; every ``answer`` is timed on its own.

1. A step with fixed queue facts: the pure cost of the session (conditions,
   branches, building the step to show).
2. A step with the live queue engine behind ``queue.*`` conditions, as a kiosk
   runs it (``fd.referral.start``), with 40 tickets waiting.
3. The reference in the same run: starting a session (the first step is built
   there), so the figures can be compared on any machine.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from frontdesk_core.app import Frontdesk
from frontdesk_core.clock import ManualClock
from frontdesk_core.plugins import make_plugin_manager
from frontdesk_core.referral.conditions import StaticFacts
from frontdesk_core.referral.session import CompiledTree, KioskSession

ROOT = Path(__file__).resolve().parents[1]
CPH = ZoneInfo("Europe/Copenhagen")
AT = datetime(2026, 11, 26, 13, 55, tzinfo=CPH)  # a Thursday, just before 14:00
TARGET_US = 50.0
ROUNDS = 400
PATHS = [
    ["passport", "new", "all"],
    ["passport", "lost", "have:police_report"],
    ["passport", "child", "missing:parental_consent"],
    ["driving_licence", "renew", "yes", "missing:medical_certificate"],
    ["driving_licence", "lost", "all"],
    ["health_card", "none"],
    ["mitid", "all"],
    ["moving", "continue", "have:photo_id"],
    ["tax", "assessment", "all"],
    ["cash_benefit", "apply", "all"],
    ["pension", "advice"],
    ["job"],
]


def time_steps(start: Callable[[], KioskSession]) -> tuple[list[float], list[float]]:
    """Microseconds per answered step, and per session start."""
    steps: list[float] = []
    starts: list[float] = []
    clock = time.perf_counter_ns
    for _ in range(ROUNDS):
        for path in PATHS:
            t0 = clock()
            session = start()
            starts.append((clock() - t0) / 1000)
            for answer in path:
                t0 = clock()
                session.answer(answer)
                steps.append((clock() - t0) / 1000)
            if not session.done:
                raise RuntimeError(f"the path {path} did not reach an outcome")
    return steps, starts


def describe(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[int(len(ordered) * 0.95)]
    return (
        f"{name:<42} median {statistics.median(values):7.1f} µs   p95 {p95:7.1f} µs"
        f"   ({len(values)} timed)"
    )


def main() -> int:
    pm = make_plugin_manager(load_entrypoints=False)
    fd = Frontdesk.open(
        ROOT / "examples" / "kobenhavn", store=":memory:", clock=ManualClock(AT), plugins=pm
    )
    try:
        tree = CompiledTree.for_centre(fd.config, "nyropsgade")
        facts = StaticFacts()
        clock = ManualClock(AT)

        def pure() -> KioskSession:
            return KioskSession(
                tree, centre_id="nyropsgade", language="da", clock=clock, facts=facts
            )

        for queue_id in ("generel", "skat", "ydelser", "pas"):
            for _ in range(10):
                fd.queues.issue(queue_id)
        fd.queues.sign_in("skranke-4", "bench")

        def live() -> KioskSession:
            return fd.referral.start("nyropsgade", "da")

        pure_steps, pure_starts = time_steps(pure)
        live_steps, _ = time_steps(live)
    finally:
        fd.close()
    median = statistics.median(pure_steps)
    print(f"København tree: {len(tree.nodes)} nodes, depth {tree.depth}, {len(PATHS)} paths")
    print(describe("step, fixed queue facts", pure_steps))
    print(describe("step, live queue engine", live_steps))
    print(describe("reference: start a session", pure_starts))
    print(
        f"median step / target {TARGET_US:.0f} µs: {median / TARGET_US:.2f}"
        f"   live / fixed: {statistics.median(live_steps) / median:.2f}"
        f"   step / start: {median / statistics.median(pure_starts):.2f}"
    )
    if median >= TARGET_US:
        print(f"the median step ({median:.1f} µs) misses the {TARGET_US:.0f} µs target")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
