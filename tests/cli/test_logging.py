"""The ``frontdesk`` command logs structured lines on standard error, without personal data.

A citizen books with a name, a Danish phone number and a CPR-like number; the
reception runs (a ticket with them in its note, a check-in by phone, a
cancellation by SMS reply, housekeeping) with the logging ``frontdesk``
installs, then ``frontdesk`` commands run on the same store. A plugin
registered without a name (pluggy names it by its ``id()``, a long number)
fails in every booking hook with the citizen's data in its error message.
Nothing personal may appear in any line; the plugin's name must.
"""

from __future__ import annotations

import argparse
import json
import logging
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import CPH, EXAMPLES

from frontdesk_core import Frontdesk, ManualClock, hookimpl
from frontdesk_core import cli as cli_module
from frontdesk_core.booking.records import Booking, Contact
from frontdesk_core.cli import main
from frontdesk_core.logs import installed_logging
from frontdesk_core.plugins import make_plugin_manager

CONFIG = str(EXAMPLES / "kobenhavn")
NAME = "Jens Hansen"
CPR_LIKE = "010190-1234"
PHONE = "+45 12 34 56 78"
SECRETS = (
    "Jens",
    "Hansen",
    CPR_LIKE,
    "0101901234",
    PHONE,
    "12 34 56 78",
    "12345678",
    "4512345678",
)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A Copenhagen time in March 2030 (Monday the 4th), far ahead of any wall clock here."""
    return datetime(2030, 3, day, hour, minute, tzinfo=CPH)


class Leaky:
    """A careless plugin: its errors quote the citizen's contact."""

    @hookimpl
    def frontdesk_booking_created(self, booking: Booking, contact: Contact) -> None:
        """Fail, quoting the contact."""
        raise ValueError(f"cannot confirm to {contact.name} on {contact.phone}")

    @hookimpl
    def frontdesk_booking_cancelled(self, booking: Booking, contact: Contact, reason: str) -> None:
        """Fail, quoting the contact."""
        raise RuntimeError(f"{contact.name} ({contact.phone}) was not told: {reason}")


class Chatty:
    """A plugin with a command of its own that logs, as ``frontdesk serve`` does."""

    @hookimpl
    def frontdesk_cli_commands(self, register: Any) -> None:
        """Add ``frontdesk chatty``."""
        register("chatty", "log one warning", lambda parser: None, self.run)

    def run(self, args: argparse.Namespace) -> int:
        """Log a warning with a field, and print a line."""
        logging.getLogger("frontdesk.chatty").warning(
            "printer paper low", extra={"printer": "kiosk-1", "left": 3}
        )
        print("chatty done")
        return 0


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


@pytest.fixture
def plugins(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The plugins ``frontdesk`` loads in these tests (no installed ones)."""
    chosen: list[object] = [Leaky(), Chatty()]

    def only_these(**kwargs: Any) -> Any:
        return make_plugin_manager(load_entrypoints=False, plugins=chosen)

    monkeypatch.setattr(cli_module, "make_plugin_manager", only_these)
    return chosen


def test_no_name_phone_or_cpr_number_in_any_line(
    tmp_path: Path, plugins: list[object], capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "frontdesk.db")
    leaky_name = str(id(plugins[0]))
    assert len(leaky_name) >= 8  # long enough to pass for a phone number
    clock = ManualClock(at(4, 9))
    contact = Contact(phone=PHONE, name=f"{NAME} {CPR_LIKE}")
    pm = make_plugin_manager(load_entrypoints=False, plugins=plugins)
    with (
        installed_logging("debug"),  # what `frontdesk --log-level debug` installs
        Frontdesk.open(CONFIG, store=db, clock=clock, plugins=pm) as fd,
    ):
        checked = fd.booking.book("passport", at(5, 11), contact=contact)
        replied = fd.booking.book("passport", at(6, 11), contact=contact)
        left = fd.booking.book("driving_licence", at(7, 11), contact=contact)
        fd.queues.issue("generel", note=f"{NAME}, cpr {CPR_LIKE}, tlf {PHONE}")
        clock.set(at(5, 10, 50))
        fd.booking.check_in(phone=PHONE)
        assert fd.booking.cancel_by_reply(PHONE, "AFBUD") is not None
        clock.set(at(5, 11, 30))
        fd.housekeeping()
        assert fd.booking.find(checked.code).state == "checked_in"
        assert fd.booking.find(replied.code).state == "cancelled"

    # The commands, on the same store: the driving-licence counters away, so the booking
    # left is cancelled (and the plugin fails again), then the rest.
    for counter in ("skranke-1", "skranke-2", "skranke-3"):
        code = main(
            ["--log-level", "debug", "absence", "--config", CONFIG, "--db", db, "add",
             "--counter", counter, "--from", "2030-03-07 10:00", "--until",
             "2030-03-07 15:00", "--cancel-unplaced"]
        )  # fmt: skip
        assert code == 0
    code = main(["--log-format", "text", "--log-level", "debug", "purge", "--config", CONFIG,
                 "--db", db])  # fmt: skip
    assert code == 0
    code = main(["slots", CONFIG, "--service", "passport", "--from", "2030-03-05", "--db", db,
                 "--log-level", "info"])  # fmt: skip
    assert code == 0
    with Frontdesk.open(CONFIG, store=db, clock=clock, plugins=pm) as fd:
        assert fd.booking.find(left.code).state == "cancelled"

    err = capsys.readouterr().err
    for secret in SECRETS:
        assert secret not in err, secret
    lines = json_lines(err)
    messages = {line["message"] for line in lines}
    assert {
        "booking created",
        "booking checked in",
        "booking cancelled",
        "absence recorded",
        "plugin failed",
    } <= messages
    failed = [line for line in lines if line["message"] == "plugin failed"]
    # Three bookings created, two cancelled (the last one by a command).
    assert len(failed) == 5
    assert {line["plugin"] for line in failed} == {leaky_name}  # the name, not "<phone>"
    assert {line["hook"] for line in failed} == {
        "frontdesk_booking_created",
        "frontdesk_booking_cancelled",
    }
    assert {line["error"] for line in failed} == {"ValueError", "RuntimeError"}
    text = [line for line in err.splitlines() if " frontdesk.booking: " in line]
    assert any("booking checkpoint written" in line for line in text)


def test_a_plugins_command_inherits_the_log_options(
    plugins: list[object], capsys: pytest.CaptureFixture[str]
) -> None:
    before = list(logging.getLogger("frontdesk").handlers)
    assert main(["chatty", "--log-format", "text"]) == 0
    out, err = capsys.readouterr()
    assert out == "chatty done\n"
    assert err.rstrip("\n").endswith(
        "WARNING frontdesk.chatty: printer paper low printer=kiosk-1 left=3"
    )
    assert main(["--log-level", "error", "chatty"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["chatty"]) == 0
    (line,) = json_lines(capsys.readouterr().err)
    assert line["level"] == "warning" and line["printer"] == "kiosk-1" and line["left"] == 3
    # Running the command from Python leaves the caller's logging as it was.
    assert logging.getLogger("frontdesk").handlers == before


def test_the_log_options_come_from_the_environment_too(
    plugins: list[object], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FRONTDESK_LOG_FORMAT", "text")
    monkeypatch.setenv("FRONTDESK_LOG_LEVEL", "ERROR")
    assert main(["chatty"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["chatty", "--log-level", "warning"]) == 0
    assert "WARNING frontdesk.chatty: printer paper low" in capsys.readouterr().err
