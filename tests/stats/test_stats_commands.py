"""``frontdesk stats``: the table, the CSV and the plain errors."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from queues.conftest import START, hooks_with, write_config

from frontdesk_core.app import Frontdesk
from frontdesk_core.cli import main
from frontdesk_core.clock import ManualClock
from frontdesk_core.config.loader import load_config
from frontdesk_core.store import SqliteStore


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """An event store with a short morning at the main centre."""
    path = tmp_path / "frontdesk.db"
    clock = ManualClock(START)
    config = load_config(write_config(tmp_path))
    fd = Frontdesk(config, store=SqliteStore(str(path)), clock=clock, hooks=hooks_with())
    fd.queues.sign_in("c1", "AB")
    for _ in range(3):
        fd.queues.issue("pass")
        clock.advance(minutes=4)
        fd.queues.call_next("c1")
        clock.advance(minutes=6)
        fd.queues.finish("c1")
    fd.queues.issue("tax")
    fd.close()
    return path


def test_table_and_csv(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "week.csv"
    config = tmp_path / "frontdesk.yaml"
    span = ["--from", "2026-11-23", "--to", "2026-11-23", "--centre", "main"]
    code = main(["stats", "--db", str(db), "--config", str(config), *span, "--csv", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    lines = printed.splitlines()
    centre = next(line for line in lines if "(all)" in line).split()
    assert centre[:5] == ["2026-11-23", "main", "(all)", "4", "3"]
    passport = next(line for line in lines if line.split()[:1] == ["pass"]).split()
    # arrivals, served, no-shows, transfers, then wait mean/median/p90/max, service, target
    assert passport[1:4] == ["3", "3", "0"]
    assert passport[5:11] == ["4.0", "4.0", "4.0", "4.0", "6.0", "100%"]
    assert "c1" in printed and "wrote" in printed
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    queue_day = [r for r in rows if r["level"] == "queue" and r["id"] == "pass" and not r["hour"]]
    assert len(queue_day) == 1
    assert queue_day[0]["served"] == "3" and float(queue_day[0]["waiting_mean_s"]) == 240.0
    assert float(queue_day[0]["within_target"]) == 1.0
    assert {r["level"] for r in rows} == {"centre", "queue", "counter"}


def test_without_a_config_the_targets_are_unknown(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stats", "--db", str(db)]) == 0
    passport = next(
        line for line in capsys.readouterr().out.splitlines() if line.split()[:1] == ["pass"]
    )
    assert passport.split()[10] == "-"


def test_an_empty_span(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--db", str(db), "--from", "2027-01-01"]) == 0
    assert "no activity" in capsys.readouterr().out


def test_plain_errors(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--db", str(tmp_path / "missing.db")]) == 1
    assert "no event store" in capsys.readouterr().err
    assert main(["stats", "--db", str(db), "--from", "2026-11-24", "--to", "2026-11-23"]) == 1
    assert "--to is before --from" in capsys.readouterr().err
    config = str(tmp_path / "frontdesk.yaml")
    assert main(["stats", "--db", str(db), "--config", config, "--centre", "mian"]) == 1
    assert "did you mean 'main'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["stats", "--db", str(db), "--from", "23-11-2026"])
    assert "is not a date" in capsys.readouterr().err


def test_hourly_rows(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--db", str(db), "--hourly"]) == 0
    lines = capsys.readouterr().out.splitlines()
    nine = next(line for line in lines if line.split()[:1] == ["09:00"]).split()
    assert nine[1:3] == ["3", "3"]  # the passport queue at nine: three came, three served
