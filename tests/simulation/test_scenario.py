"""Scenario files: every problem reported with its position, in plain words."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from frontdesk_core.errors import ConfigError
from frontdesk_core.simulation.scenario import check_scenario, counters_on_duty, load_scenario

DATA = Path(__file__).parent / "data"
MMC = DATA / "mmc"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(text.replace("CONFIG", str(MMC / "frontdesk.yaml")), encoding="utf-8")
    return path


def _messages(path: Path) -> list[str]:
    loaded, problems = check_scenario(path)
    assert loaded is None
    return [f"{p.line}:{p.column}: {p.message}" for p in problems]


def test_the_example_loads() -> None:
    loaded = load_scenario(MMC / "scenario.yaml")
    assert loaded.dates == (date(2026, 3, 3),)
    assert loaded.centres == ("centre",)


def test_shape_errors_point_at_the_value(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """name: broken
config: CONFIG
days: [2026-03-03]
replicatons: 5
arrivals:
  - service: errand
    per_hour: {"10:00-0900": 4}
    booked: 1.5
service_times:
  errand: {distribution: lognormal, mean: 4 min}
""",
    )
    assert _messages(path) == [
        "4:1: unknown key 'replicatons'; did you mean 'replications'?",
        "7:15: '10:00-0900' is not a time range; write it like '09:00-17:00' (in the key "
        "'10:00-0900')",
        "8:13: 'booked' must be at most 1.0; got the number 1.5",
        "10:3: missing required key 'sd'",
    ]


def test_cross_reference_errors_suggest_names(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """name: broken
config: CONFIG
days: [2026-03-03]
arrivals:
  - service: erand
    per_hour: {"10:00-12:00": 4}
  - service: errand
    per_hour: {"10:00-12:00": 4}
service_times:
  eror: {distribution: exponential, mean: 4 min}
staffing:
  - hours: "10:00-12:00"
    counters: [c1, c9]
  - hours: "12:00-13:00"
    counters: 9
""",
    )
    assert _messages(path) == [
        "5:14: unknown service 'erand'; did you mean 'errand'?",
        "7:14: no service time for 'errand': add it (or its queue 'q', or 'default') under "
        "'service_times'",
        "10:3: unknown service or queue 'eror'; did you mean 'errand'?",
        "13:20: unknown counter 'c9' in centre 'centre'; known: 'c1', 'c2', 'c3', 'c4', 'c5', "
        "'c6', 'c7', 'c8'",
        "15:15: 9 counters asked for, but in centre 'centre' there are only 8",
    ]


def test_a_closed_day_is_reported(tmp_path: Path) -> None:
    config = tmp_path / "cfg"
    config.mkdir()
    text = (MMC / "frontdesk.yaml").read_text(encoding="utf-8")
    (config / "frontdesk.yaml").write_text(text.replace('sun: "06:00-22:00"', "sun: closed"))
    path = tmp_path / "s.yaml"
    path.write_text(
        """name: sunday
config: cfg/frontdesk.yaml
days: [2026-03-03, 2026-03-08]
arrivals:
  - service: errand
    per_hour: {"10:00-12:00": 4}
service_times:
  default: {distribution: fixed, value: 4 min}
""",
        encoding="utf-8",
    )
    assert _messages(path) == ["3:20: 2026-03-08 (sun) is no opening day of the simulated centres"]


def test_either_days_or_a_period(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """name: both
config: CONFIG
days: [2026-03-03]
period: {from: 2026-03-01, to: 2026-03-31}
arrivals:
  - service: errand
    counts: {"10:00-11:00": 4}
    per_hour: {"10:00-11:00": 4}
service_times:
  default: {distribution: fixed, value: 4 min}
""",
    )
    assert _messages(path) == [
        "6:5: give either 'per_hour' (rates) or 'counts' (numbers), not both"
    ]
    path.write_text(path.read_text().replace('    per_hour: {"10:00-11:00": 4}\n', ""))
    assert _messages(path) == ["1:1: give either 'days' (a list of dates) or 'period', not both"]


def test_a_period_keeps_the_opening_days(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """name: march
config: CONFIG
period: {from: 2026-03-01, to: 2026-03-31}
arrivals:
  - service: errand
    per_hour: {"10:00-11:00": 4}
service_times:
  default: {distribution: fixed, value: 4 min}
""",
    )
    assert len(load_scenario(path).dates) == 31


def test_a_broken_scenario_raises_config_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "name: [unclosed\n")
    with pytest.raises(ConfigError) as caught:
        load_scenario(path)
    assert caught.value.problems[0].message.startswith("YAML syntax error")


def test_hour_long_shifts_merge_into_one_stretch(tmp_path: Path) -> None:
    hourly = "\n".join(
        f'  - {{hours: "{h:02d}:00-{h + 1:02d}:00", counters: 8}}' for h in range(6, 22)
    )
    path = _write(
        tmp_path,
        f"""name: shifts
config: CONFIG
days: [2026-03-03]
arrivals:
  - service: errand
    per_hour: {{"10:00-11:00": 4}}
service_times:
  default: {{distribution: fixed, value: 4 min}}
staffing:
{hourly}
""",
    )
    loaded = load_scenario(path)
    centre = loaded.config.centre("centre")
    from frontdesk_core.opening.hours import OpeningCalendar

    hours = OpeningCalendar(centre, __import__("zoneinfo").ZoneInfo("UTC")).hours_on(
        loaded.dates[0]
    )
    duty = counters_on_duty(loaded.scenario, centre, loaded.dates[0], hours, only_centre=True)
    assert duty == {f"c{i}": [(360.0, 1320.0)] for i in range(1, 9)}


TRUTH = DATA / "truth" / "frontdesk.yaml"


def _hourly(tmp_path: Path, by_hour: str) -> Path:
    """A scenario on the truth centre whose card errand has the ``by_hour`` given."""
    path = tmp_path / "hourly.yaml"
    path.write_text(
        f"""name: broken
config: {TRUTH}
days: [2026-03-03]
arrivals:
  - service: card_errand
    per_hour: {{"09:00-12:00": 4}}
    by_hour:
{by_hour}
service_times:
  default: {{distribution: exponential, mean: 4 min}}
""",
        encoding="utf-8",
    )
    return path


def test_hourly_walks_are_checked_with_their_positions(tmp_path: Path) -> None:
    shape = _hourly(
        tmp_path,
        """      "09:00-1000": {missing_documents: {card: 0.3}}
      "10:00-12:00":
        missing_documents: {card: 1.5}
        answer: {}""",
    )
    assert _messages(shape) == [
        "8:7: '09:00-1000' is not a time range; write it like '09:00-17:00'",
        "10:35: 'card' must be at most 1.0; got the number 1.5",
        "11:9: unknown key 'answer'; did you mean 'answers'?",
    ]
    links = _hourly(
        tmp_path,
        """      "09:00-11:00": {missing_documents: {kard: 0.3}}
      "10:00-12:00":
        answers: {tax-kind: {dept: 0.2}, card-docs: {x: 1}}""",
    )
    assert _messages(links) == [
        "8:43: unknown document 'kard'; did you mean 'card'?",
        "9:7: the range '10:00-12:00' overlaps '09:00-11:00'",
        "10:30: unknown option 'dept' of question 'tax-kind'; did you mean 'debt'?",
        "10:42: 'card-docs' is not a question; only questions take answers",
    ]
