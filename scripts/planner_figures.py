"""Regenerate the planner tutorial's pictures (docs/img/planner-*.png) from the example scenarios.

Run with ``make docs-figures``. Each picture is a plot of ``frontdesk simulate
--report`` for a shipped scenario, with the scenario's own replications and seed,
so the pictures are what a planner gets from the commands the tutorial shows.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from frontdesk_core.simulation.report import write_scenario_report
from frontdesk_core.simulation.runner import run
from frontdesk_core.simulation.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
FIGURES = {
    "examples/kobenhavn/scenarios/normal-day.yaml": {
        "waits": "planner-normal-waits.png",
        "utilisation": "planner-normal-utilisation.png",
    },
    "examples/kobenhavn/scenarios/peak-day.yaml": {
        "service-level": "planner-peak-service-level.png",
        "queue": "planner-peak-queue.png",
    },
    "examples/kobenhavn/scenarios/booked-70.yaml": {"waits": "planner-booked-70-waits.png"},
    "examples/hvidovre/scenarios/tuesday.yaml": {
        "service-level": "planner-hvidovre-service-level.png"
    },
}
"""Per scenario: which of its report's plots becomes which picture."""


def main(out: Path) -> None:
    """Simulate each scenario and copy its plots to ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    for scenario, pictures in FIGURES.items():
        loaded = load_scenario(ROOT / scenario)
        result = run(loaded)
        with tempfile.TemporaryDirectory() as report:
            write_scenario_report(result, loaded, report)
            for stem, picture in pictures.items():
                shutil.copyfile(Path(report) / f"{stem}.png", out / picture)
                print(
                    f"{out / picture}: {loaded.scenario.name}, {result.replications} replications"
                )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "img")
