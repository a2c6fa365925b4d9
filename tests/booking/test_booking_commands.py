"""``frontdesk slots`` and ``frontdesk purge``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from booking.conftest import CPH, PHONE, at, write_config
from frontdesk_core.booking.records import Contact
from frontdesk_core.cli import main
from frontdesk_core.clock import ManualClock
from frontdesk_core.config.models import Config
from frontdesk_core.testing import MakeFrontdesk


@pytest.fixture(autouse=True)
def _no_installed_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRONTDESK_LOAD_PLUGINS", "")


def test_slots_for_consultants(
    tmp_path: Path, data: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_config(tmp_path, data)
    code = main(["slots", str(path), "--service", "tax", "--from", "2026-12-23", "--days", "3"])
    assert code == 0
    assert capsys.readouterr().out.splitlines() == [
        "tax at centre 'main', 2026-12-23 to 2026-12-25 "
        "(in brackets: counters free; notice and horizon not applied)",
        "Wed 2026-12-23  4 of 4 start times free",
        "    10:00 (1)  10:30 (1)  11:00 (1)  11:30 (1)",
        "Thu 2026-12-24  closed (Juleaftensdag)",
        "Fri 2026-12-25  closed (Juledag)",
        "4 free start time(s) in 3 day(s)",
    ]


def test_slots_count_the_bookings_in_a_store(
    tmp_path: Path,
    data: dict[str, Any],
    make_frontdesk: MakeFrontdesk,
    config: Config,
    clock: ManualClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = str(tmp_path / "frontdesk.db")
    fd = make_frontdesk(config, clock=clock, store=db)
    fd.booking.book("passport", at(24, 10), contact=Contact())
    fd.booking.book("passport", at(24, 9), contact=Contact())
    path = write_config(tmp_path, data)
    args = ["slots", str(path), "--service", "passport", "--from", "2026-11-24", "--days", "1"]
    assert main([*args, "--db", db]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "Tue 2026-11-24  23 of 24 start times free"
    assert out[2].startswith("    09:00 (full)  09:15 (1)")
    assert "10:00 (1)  10:15 (2)" in out[2]


def test_slots_refuses_bad_input(
    tmp_path: Path, data: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(write_config(tmp_path, data))
    assert main(["slots", path, "--service", "pasport"]) == 1
    assert "unknown service 'pasport'; did you mean 'passport'?" in capsys.readouterr().err
    assert main(["slots", path, "--service", "tax", "--days", "0"]) == 1
    assert "--days must be at least 1" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["slots", path, "--service", "tax", "--from", "24/11"])
    assert "'24/11' is not a date" in capsys.readouterr().err


def test_purge_deletes_what_is_past_retention(
    tmp_path: Path,
    data: dict[str, Any],
    make_frontdesk: MakeFrontdesk,
    config: Config,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Bookings made a year ago (by a manual clock) are past retention by any wall clock now.
    db = str(tmp_path / "frontdesk.db")
    clock = ManualClock(datetime(2025, 11, 24, 9, 0, tzinfo=CPH))
    fd = make_frontdesk(config, clock=clock, store=db)
    old = fd.booking.book("tax", at(25, 10, year=2025), contact=Contact(phone=PHONE))
    fd.store.put_personal("booking:future", {"phone": PHONE}, datetime(2999, 1, 1, tzinfo=CPH))
    path = str(write_config(tmp_path, data))
    assert main(["purge", "--config", path, "--db", db]) == 0
    assert capsys.readouterr().out == (
        "1 personal record(s) deleted (retention 30 days after the appointment)\n"
        "checkpoint written: 0 booking(s) within retention or still to come\n"
    )
    assert fd.store.get_checkpoint("booking") is not None
    assert fd.store.get_personal(f"booking:{old.id}") is None
    assert fd.store.get_personal("booking:future") is not None
    assert len(list(fd.store.read(kinds=["booking.created"]))) == 1


def test_absence_add_list_and_withdraw(
    tmp_path: Path,
    data: dict[str, Any],
    make_frontdesk: MakeFrontdesk,
    config: Config,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A Tuesday well after any wall clock that runs this test (absences in the past are refused).
    db = str(tmp_path / "frontdesk.db")
    clock = ManualClock(datetime(2030, 3, 4, 9, 0, tzinfo=CPH))
    fd = make_frontdesk(config, clock=clock, store=db)
    one = fd.booking.book("passport", at(5, 10, month=3, year=2030), contact=Contact())
    two = fd.booking.book("passport", at(5, 10, month=3, year=2030), contact=Contact())
    tax = fd.booking.book("tax", at(5, 11, month=3, year=2030), contact=Contact())
    path = str(write_config(tmp_path, data))
    base = ["absence", "--config", path, "--db", db]
    args = ["add", "--counter", "c1", "--from", "2030-03-05 09:00", "--until", "2030-03-05 12:00"]
    assert main([*base, *args, "--reason", "sick"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("absence ab-")
    assert out[0].endswith(
        "recorded: counter 'c1' from 05-03-2030 09:00 until 05-03-2030 12:00 (sick)"
    )
    on_c1 = one if one.counter_id == "c1" else two
    assert sorted(out[1:]) == sorted(
        [
            f"  NOT MOVED: {on_c1.code} at 05-03-2030 10:00 (passport): no other counter is "
            "free then; contact the citizen or reschedule",
            f"  NOT MOVED: {tax.code} at 05-03-2030 11:00 (tax): no other counter is free then; "
            "contact the citizen or reschedule",
        ]
    )
    assert main([*base, "list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[-1] == "1 absence(s)"
    absence_id = listed[0].split()[0]
    assert main([*base, "withdraw", absence_id]) == 0
    assert (
        capsys.readouterr().out == f"absence {absence_id} withdrawn: counter 'c1' takes bookings\n"
    )
    assert main([*base, "withdraw", absence_id]) == 1
    assert f"no absence '{absence_id}' is recorded" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([*base, "add", "--counter", "c1", "--from", "tomorrow", "--until", "2030-03-05 12:00"])
    assert "'tomorrow' is not a time" in capsys.readouterr().err
