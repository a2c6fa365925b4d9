"""The report's figures: names, axes from opening, bands only where there are citizens."""

from __future__ import annotations

import math
from pathlib import Path

from frontdesk_core.simulation.report import band, hourly_records, write_scenario_report
from frontdesk_core.simulation.runner import SerialExecutor, run
from frontdesk_core.simulation.scenario import load_scenario

MMC = Path(__file__).parent / "data" / "mmc"


def test_the_report_names_queues_and_draws_bands_only_where_there_are_citizens(
    tmp_path: Path,
) -> None:
    path = tmp_path / "thin.yaml"
    path.write_text(
        f"""name: thin
config: {MMC / "frontdesk.yaml"}
days: [2026-03-03]
warmup: 1 h
arrivals:
  - service: errand
    per_hour: {{"06:00-08:00": 40, "08:00-09:00": 2}}
service_times:
  errand: {{distribution: exponential, mean: 4 min}}
""",
        encoding="utf-8",
    )
    loaded = load_scenario(path)
    result = run(loaded, replications=3, executor=SerialExecutor())
    hourly = hourly_records(result, "q", (6, 22))
    by_hour = {r.hour: r for r in hourly}
    low, high = band(hourly, "wait_mean")
    bands = {r.hour: (lo, hi) for r, lo, hi in zip(hourly, low, high, strict=True)}
    assert by_hour[7].arrivals > 20 and not math.isnan(bands[7][0])
    assert by_hour[8].arrivals < 5 and math.isnan(bands[8][0])  # two citizens: no band
    assert math.isnan(by_hour[6].utilisation)  # the warm-up counts for no figure
    page = write_scenario_report(result, loaded, tmp_path / "report").read_text()
    assert "<td>Queue</td>" in page and "P(wait &gt; 0)" in page
    assert "60 minutes after opening" in page
