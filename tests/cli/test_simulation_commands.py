"""The planner's commands end to end, as a planner types them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from simulation.test_planning import small_day

from frontdesk_core.cli import main

MMC = Path(__file__).parents[1] / "simulation" / "data" / "mmc"


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    return Path(small_day(tmp_path).path)


def test_simulate_prints_a_table_and_writes_json_and_a_report(
    scenario: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, report = tmp_path / "r.json", tmp_path / "report"
    code = main(
        ["simulate", str(scenario), "--workers", "1", "--json", str(out), "--report", str(report)]
    )
    printed = capsys.readouterr()
    assert code == 0
    assert printed.out.splitlines()[0].split()[:3] == ["queue", "tickets", "wait"]
    assert "\r" not in printed.err  # no progress bar when not on a terminal
    data = json.loads(out.read_text())
    assert data["replications"] == 3 and data["records"][0]["queue_id"] == "q"
    page = (report / "index.html").read_text()
    assert "waits.png" in page and (report / "waits.png").stat().st_size > 1000


def test_simulate_reports_scenario_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nconfig: nowhere.yaml\n", encoding="utf-8")
    assert main(["simulate", str(bad)]) == 1
    assert "bad.yaml:1:1: the scenario has no 'arrivals'" in capsys.readouterr().out


def test_plan_finds_the_counters_and_writes_them_out(
    scenario: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "staffing.yaml"
    code = main(
        [
            "plan",
            str(scenario),
            "--target",
            "80% within 5 minutes",
            "--workers",
            "1",
            "--out",
            str(out),
        ]
    )
    printed = capsys.readouterr()
    assert code == 0
    rows = {
        row[1]: row[3]
        for row in (line.split() for line in printed.out.splitlines())
        if row and row[0] == "centre" and row[1][0].isdigit()
    }
    # 50 an hour for 4 minutes is 3.3 Erlangs: Erlang C asks for 4 or 5 counters for 80% in
    # 5 min (4 give 71%, 5 give 96% at exactly that load); the empty hours need nobody.
    assert set(rows) == {"10:00-11:00", "11:00-12:00"}
    assert set(rows.values()) <= {"4", "5"}
    assert "14 open hour(s) without citizens need no counter" in printed.out
    assert "80% within 5 min: met in every hour with 95% confidence" in printed.out
    assert "round 1:" in printed.err  # progress, also when not on a terminal
    assert f"the plan's staffing written to {out}" in printed.out
    assert main(["simulate", str(out), "--workers", "1"]) == 0


def test_plan_names_the_queue_that_misses(
    scenario: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    busy = (
        scenario.read_text()
        .replace(": 50}", ": 170}")
        .replace("replications: 3", "replications: 2")
    )
    scenario.write_text(busy, encoding="utf-8")
    assert main(["plan", str(scenario), "--target", "80% within 5 minutes", "--workers", "1"]) == 1
    printed = capsys.readouterr().out
    assert "MISSED, with all its counters" in printed
    assert "80% within 5 min: Queue misses it at 11:00-12:00" in printed


def test_plan_refuses_a_bad_target(scenario: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(scenario), "--target", "fast please"]) == 1
    assert "not a service-level target" in capsys.readouterr().err


def test_compare_shows_both(
    scenario: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(
        scenario.read_text().replace("name: small", "name: busier").replace(": 50}", ": 80}")
    )
    assert main(["compare", str(scenario), str(other), "--workers", "1"]) == 0
    printed = capsys.readouterr().out
    assert "A: small" in printed and "B: busier" in printed
    tickets = next(line.split() for line in printed.splitlines() if " tickets " in line)
    # Queue, tickets, A (low-high), B (low-high), B-A (low, high): shown to differ.
    assert float(tickets[4]) > float(tickets[2]) and tickets[6].startswith("+")
    assert not tickets[-1].endswith("~")
    within = next(line for line in printed.splitlines() if " within target " in line)
    assert "pp" in within


def test_scenario_from_log_writes_a_scenario_that_loads(
    scenario: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import random

    from frontdesk_core.simulation.model import DaySimulation
    from frontdesk_core.simulation.scenario import load_scenario

    loaded = load_scenario(scenario)
    db = tmp_path / "log.db"
    DaySimulation(loaded, loaded.dates[0], random.Random(1), store=str(db)).run()
    out = tmp_path / "replay" / "replay.yaml"
    out.parent.mkdir()
    code = main(["scenario-from-log", "--db", str(db), "--config", str(MMC), "--out", str(out)])
    assert code == 0
    assert capsys.readouterr().out == f"scenario written to {out}\n"
    replay = load_scenario(out)
    assert replay.scenario.arrivals[0].service == "errand"
    assert main(["scenario-from-log", "--db", str(tmp_path / "none.db"), "--config", str(MMC)])


def test_the_scenario_schema_checks_the_examples(capsys: pytest.CaptureFixture[str]) -> None:
    import jsonschema

    from frontdesk_core.config.types import as_plain

    assert main(["scenario-schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    from ruamel.yaml import YAML

    examples = Path(__file__).parents[2] / "examples"
    for path in sorted(examples.glob("*/scenarios/*.yaml")):
        data = as_plain(YAML(typ="safe").load(path.read_text(encoding="utf-8")))
        data = json.loads(json.dumps(data, default=str))  # dates as the strings YAML wrote
        jsonschema.validate(data, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": "x", "config": "y", "arrivals": [], "typo": 1}, schema)


def test_hours_across_the_day_reset_are_refused_where_they_are_written(
    scenario: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "night.yaml"
    text = (MMC / "frontdesk.yaml").read_text(encoding="utf-8")
    config.write_text(text.replace('tue: "06:00-22:00"', 'tue: "02:00-06:00"'), encoding="utf-8")
    night = tmp_path / "night-scenario.yaml"
    night.write_text(
        scenario.read_text().replace(str(MMC / "frontdesk.yaml"), str(config)), encoding="utf-8"
    )
    assert main(["simulate", str(night), "--workers", "1"]) == 1
    printed = capsys.readouterr()
    assert "night.yaml:13:12: the hours 02:00-06:00 run across the day reset at 04:00" in (
        printed.out
    )
    assert "Traceback" not in printed.out + printed.err


def test_validate_checks_a_scenario_and_a_folder_of_scenarios(
    scenario: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(scenario)]) == 0
    assert "valid: scenario 'small' with 1 day, 1 arrival stream" in capsys.readouterr().out
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "good.yaml").write_text(scenario.read_text(), encoding="utf-8")
    broken = scenario.read_text().replace("service: errand", "service: erand")
    (folder / "broken.yaml").write_text(broken + "warmup: soon\n", encoding="utf-8")
    assert main(["validate", str(folder)]) == 1
    printed = capsys.readouterr()
    lines = printed.out.splitlines()
    assert lines[0].endswith(
        "good.yaml: valid: scenario 'small' with 1 day, 1 arrival stream, centre(s) centre"
    )
    assert lines[1].endswith(
        "broken.yaml:10:1: 'soon' is not a duration; write it like '15 min', '2 h' or '30 days'"
    )
    assert "1 problem(s) found" in printed.err
    # Shapes first, then the names: with the duration fixed, the errand is the problem.
    (folder / "broken.yaml").write_text(broken, encoding="utf-8")
    assert main(["validate", str(folder / "broken.yaml")]) == 1
    assert "broken.yaml:6:14: unknown service 'erand'; did you mean 'errand'?" in (
        capsys.readouterr().out
    )


@pytest.mark.parametrize(
    ("low", "high", "share", "printed"),
    [
        (0.0004, 0.003, False, "+0.0017 (+0.0004, +0.0030)"),  # tiny, but shown to differ
        (0.00004, 0.0003, True, "+0.017pp (+0.004, +0.030)"),
        (-0.3, -0.02, False, "-0.16 (-0.30, -0.02)"),  # no bound printed as 0
        (-0.01, 0.02, False, "+0.0 (-0.0, +0.0) ~"),  # holds 0: not shown to differ
        (1e-7, 2e-7, False, "+<0.0001, shown to differ"),
    ],
)
def test_compare_prints_a_difference_shown_to_differ_with_digits_that_say_so(
    low: float, high: float, share: bool, printed: str
) -> None:
    from frontdesk_core.cli.simulation_commands import _difference
    from frontdesk_core.simulation.compare import Difference
    from frontdesk_core.simulation.results import Estimate

    nothing = Estimate(1.0, 1.0, 1.0, 5)
    found = Difference(
        "q",
        "mean wait",
        "within_target" if share else "wait_mean",
        nothing,
        nothing,
        Estimate((low + high) / 2, low, high, 5),
    )
    assert _difference(found) == printed
