"""Simulated days pinned to what they gave when the fixture was written.

The simulator may be rewritten for speed, never for its figures: the same
scenario, day and seed must observe exactly the same thing in every cell (counts,
waits, queue lengths, busy and on-duty time), to the last bit. Each day is kept as
a digest of its cells in ``data/pinned/days.json``; a change meant to move the
figures regenerates it with ``python tests/simulation/test_pinned_days.py``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
from datetime import date
from pathlib import Path

import pytest

from frontdesk_core.simulation.model import simulate_day
from frontdesk_core.simulation.results import DayObservations
from frontdesk_core.simulation.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
PINNED = Path(__file__).parent / "data" / "pinned" / "days.json"
DAYS = [
    ("tests/simulation/data/mmc/scenario.yaml", "2026-03-03"),
    ("examples/kobenhavn/scenarios/normal-day.yaml", "2026-03-02"),
    ("examples/kobenhavn/scenarios/normal-day.yaml", "2026-03-05"),
    ("examples/kobenhavn/scenarios/peak-day.yaml", "2026-03-02"),
    ("examples/kobenhavn/scenarios/booked-70.yaml", "2026-03-03"),
    ("examples/hvidovre/scenarios/tuesday.yaml", "2026-03-03"),
]
SEEDS = ("a", "b")


def digest(observed: DayObservations) -> str:
    """Every cell of the day, in a stable order, hashed (floats by their exact repr)."""
    cells = sorted((key, dataclasses.astuple(cell)) for key, cell in observed.cells.items())
    return hashlib.sha256(repr((observed.citizens, cells)).encode()).hexdigest()


def observe(scenario: str, day: str, seed: str) -> str:
    return digest(simulate_day(load_scenario(ROOT / scenario), date.fromisoformat(day), seed))


def name(scenario: str, day: str, seed: str) -> str:
    return f"{scenario} {day} {seed}"


@pytest.mark.parametrize("scenario,day", DAYS)
@pytest.mark.parametrize("seed", SEEDS)
def test_a_day_observes_what_it_did(scenario: str, day: str, seed: str) -> None:
    pinned = json.loads(PINNED.read_text())
    assert observe(scenario, day, seed) == pinned[name(scenario, day, seed)]


if __name__ == "__main__":
    found = {name(s, d, seed): observe(s, d, seed) for s, d in DAYS for seed in SEEDS}
    PINNED.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
    sys.exit(0)
