"""Slot capacities agree with a minute-by-minute reference for random schedules (hypothesis)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from booking.conftest import CPH
from frontdesk_core.booking.slots import SlotPlanner
from frontdesk_core.config.models import Config

DAY = date(2026, 11, 24)  # a Tuesday, no daylight-saving change


def hhmm(minute: int) -> str:
    """``"09:05"`` for minute 545 of the day."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


@st.composite
def ranges(draw: st.DrawFn, low: int, high: int, most: int) -> list[tuple[int, int]]:
    """Up to ``most`` disjoint ranges of five-minute steps between ``low`` and ``high``."""
    cuts = sorted(draw(st.sets(st.integers(low // 5, high // 5), max_size=2 * most)))
    if len(cuts) % 2:
        cuts = cuts[:-1]
    return [(cuts[i] * 5, cuts[i + 1] * 5) for i in range(0, len(cuts), 2)]


@st.composite
def schedules(draw: st.DrawFn) -> dict[str, Any]:
    opening = draw(ranges(6 * 60, 20 * 60, 2).filter(bool))
    counters = []
    for n in range(draw(st.integers(1, 3))):
        counter: dict[str, Any] = {"id": f"c{n}", "name": {"da": "S"}, "queues": ["q"]}
        if draw(st.booleans()):
            own = draw(ranges(6 * 60, 20 * 60, 2))
            counter["booking_hours"] = {"tue": [f"{hhmm(a)}-{hhmm(b)}" for a, b in own]}
        counters.append(counter)
    breaks = [
        {"time": f"{hhmm(a)}-{hhmm(b)}", "counters": draw(st.sampled_from([None, ["c0"]]))}
        for a, b in draw(ranges(6 * 60, 20 * 60, 2))
    ]
    booking = {
        "duration": f"{draw(st.integers(1, 12)) * 5} min",
        "buffer_before": f"{draw(st.integers(0, 3)) * 5} min",
        "buffer_after": f"{draw(st.integers(0, 3)) * 5} min",
        "slot_step": f"{draw(st.integers(1, 6)) * 5} min",
    }
    return {
        "site": {"id": "s", "name": "S", "languages": ["da"]},
        "centres": [
            {
                "id": "main",
                "name": {"da": "B"},
                "address": "A",
                "opening_hours": {"tue": [f"{hhmm(a)}-{hhmm(b)}" for a, b in opening]},
                "queues": [{"id": "q", "name": {"da": "Q"}, "prefix": "Q"}],
                "counters": counters,
                "booking": {
                    "breaks": [{k: v for k, v in b.items() if v is not None} for b in breaks]
                },
            }
        ],
        "services": [{"id": "svc", "name": {"da": "S"}, "queue": "q", "booking": booking}],
    }


def minutes(text: str) -> int:
    """Minute of the day of ``"09:05"``."""
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def reference(data: dict[str, Any]) -> list[tuple[int, int]]:
    """(start minute, counters on duty) by scanning every minute of the day."""
    centre = data["centres"][0]
    rules = data["services"][0]["booking"]
    duration, step = (int(rules[k].split()[0]) for k in ("duration", "slot_step"))
    before, after = (int(rules[k].split()[0]) for k in ("buffer_before", "buffer_after"))
    opening = [tuple(map(minutes, r.split("-"))) for r in centre["opening_hours"]["tue"]]
    is_open = {m for a, b in opening for m in range(a, b)}
    duty = []
    for counter in centre["counters"]:
        free = set(is_open)
        if "booking_hours" in counter:
            own = [tuple(map(minutes, r.split("-"))) for r in counter["booking_hours"]["tue"]]
            free &= {m for a, b in own for m in range(a, b)}
        for brk in centre["booking"]["breaks"]:
            if counter["id"] in brk.get("counters", [counter["id"]]):
                a, b = map(minutes, brk["time"].split("-"))
                free -= set(range(a, b))
        duty.append(free)
    out = []
    for a, b in sorted(opening):
        start = a
        while start + duration <= b:
            window = set(range(start - before, start + duration + after))
            on = sum(1 for free in duty if window <= free)
            if on:
                out.append((start, on))
            start += step
    return out


@settings(max_examples=150, deadline=None)
@given(data=schedules())
def test_capacity_matches_a_minute_by_minute_scan(data: dict[str, Any]) -> None:
    config = Config.model_validate(data)
    planner = SlotPlanner(config, CPH)
    found = []
    for c in planner.candidates(planner.service("svc"), DAY, {}):
        local = datetime.fromtimestamp(c.start, CPH)
        found.append((local.hour * 60 + local.minute, len(c.on_duty)))
    assert found == reference(data)
