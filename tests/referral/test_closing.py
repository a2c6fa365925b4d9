"""The kiosk keeps the centre's hours: no walk-in ticket while closed or after the queue's
last ticket, booked check-ins still within their window, and a warning for a 'book'
outcome that can never offer a time."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from frontdesk_core.booking.records import Contact
from frontdesk_core.cli import main
from frontdesk_core.clock import ManualClock
from frontdesk_core.config.models import Config
from frontdesk_core.events import KioskCompleted
from frontdesk_core.referral.engine import COMPLETED
from frontdesk_core.referral.outcomes import Closed, TakeTicket
from frontdesk_core.testing import MakeFrontdesk

from .conftest import ALL_KINDS, BASE, write_config


def monday(clock: ManualClock, hour: int, minute: int = 0) -> None:
    clock.set(clock.now().replace(hour=hour, minute=minute))


def test_after_the_last_ticket_the_kiosk_says_when_it_opens_and_where_to_book(
    config: Config, make_frontdesk: MakeFrontdesk, frontdesk_clock: ManualClock
) -> None:
    monday(frontdesk_clock, 14, 50)  # testby's main centre closes at 15:00 on Mondays
    fd = make_frontdesk(config)
    session = fd.referral.start("main", "en")
    session.answer("passport")
    session.answer("all")
    assert isinstance(session.outcome, Closed)
    result = fd.referral.complete(session, kiosk_id="k1")
    assert result.kind == "closed" and result.ticket is None and not result.printed
    assert result.message == (
        "We give no more numbers today. We close at 15.00. We open tomorrow, Tuesday "
        "24 November at 09.00. Book a time at https://testby.dk/book, and you are sure to "
        "be seen."
    )
    outcome = result.outcome
    assert isinstance(outcome, Closed)
    assert (outcome.reason, outcome.book_service, outcome.queue_id) == (
        "last_ticket",
        "passport",
        "pass",
    )
    assert fd.queues.waiting("pass") == []
    recorded = [e.payload for e in fd.store.read(kinds=[COMPLETED])]
    assert [(p.outcome, p.queue, p.ticket) for p in recorded if isinstance(p, KioskCompleted)] == [
        ("closed", "pass", None)
    ]
    assert fd.referral.stats().by_kind == {"closed": 1}


def test_at_night_in_danish(
    config: Config, make_frontdesk: MakeFrontdesk, frontdesk_clock: ManualClock
) -> None:
    frontdesk_clock.set(frontdesk_clock.now().replace(hour=22) + timedelta(days=4))  # Friday
    fd = make_frontdesk(config)
    session = fd.referral.start("main", "da")
    session.answer("passport")
    session.answer("all")
    assert session.step.text == (
        "Vi har lukket nu. Vi åbner mandag 30. november kl. 09.00. "
        "Bestil tid på https://testby.dk/book, så er du sikker på at komme til."
    )


def test_a_citizen_who_stood_at_the_kiosk_across_the_last_ticket_gets_none(
    config: Config, make_frontdesk: MakeFrontdesk, frontdesk_clock: ManualClock
) -> None:
    monday(frontdesk_clock, 14, 40)
    fd = make_frontdesk(config)
    session = fd.referral.start("main", "en")
    session.answer("passport")
    session.answer("all")
    assert isinstance(session.outcome, TakeTicket)
    frontdesk_clock.advance(timedelta(minutes=6))
    result = fd.referral.complete(session)
    assert result.kind == "closed" and result.ticket is None


def test_a_queue_may_give_tickets_until_closing(
    tmp_path: Path, make_frontdesk: MakeFrontdesk, frontdesk_clock: ManualClock
) -> None:
    base = BASE.replace("        prefix: P\n", "        prefix: P\n        last_ticket: 0 min\n")
    directory = write_config(tmp_path / "cfg", ALL_KINDS)
    (directory / "base.yaml").write_text(base, encoding="utf-8")
    monday(frontdesk_clock, 14, 59)
    fd = make_frontdesk(directory)
    session = fd.referral.start("main", "en")
    session.answer("passport")
    session.answer("all")
    result = fd.referral.complete(session)
    assert result.kind == "queue" and result.ticket is not None


def test_a_booked_citizen_checks_in_after_the_last_ticket(
    config: Config, make_frontdesk: MakeFrontdesk, frontdesk_clock: ManualClock
) -> None:
    fd = make_frontdesk(config)
    today = frontdesk_clock.now().date()
    last = fd.booking.free_slots("passport", today, today)[-1]
    assert f"{last.start:%H:%M}" == "14:45"
    booking = fd.booking.book("passport", last.start, contact=Contact(phone="+4512345678"))
    monday(frontdesk_clock, 14, 50)
    session = fd.referral.start("main", "en")
    session.answer("booked")
    result = fd.referral.complete(session, booking_code=booking.code)
    assert result.ticket is not None and result.ticket.booking_id == booking.id


def test_validate_warns_of_a_book_outcome_that_can_never_offer_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = write_config(tmp_path / "cfg", ALL_KINDS)
    # The annex is open four hours at most; a permit needs 4 h notice and lasts 30 min.
    base = BASE.replace(
        "      duration: 30 min\n", "      duration: 30 min\n      min_notice: 4 h\n"
    )
    (directory / "base.yaml").write_text(base, encoding="utf-8")
    monkeypatch.chdir(directory)
    monkeypatch.setenv("FRONTDESK_LOAD_PLUGINS", "")
    assert main(["validate", "."]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [
        "tree.yaml:67:18: warning: this 'book' outcome can never offer a time: the kiosk "
        "offers times the same day, service 'permit' needs 4 h notice and lasts 30 min, and "
        "centre 'annex' is open at most 4 h in a day; shorten 'min_notice' or send the "
        "citizen home with 'book_service' instead",
        "tree.yaml:87:18: warning: this 'book' outcome can never offer a time: the kiosk "
        "offers times the same day, service 'permit' needs 4 h notice and lasts 30 min, and "
        "centre 'annex' is open at most 4 h in a day; shorten 'min_notice' or send the "
        "citizen home with 'book_service' instead",
    ]
    assert out[2].startswith(".: valid: site 'testby'")


def test_the_example_configurations_have_no_warnings(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FRONTDESK_LOAD_PLUGINS", "")
    root = Path(__file__).resolve().parents[2]
    for name in ("kobenhavn", "hvidovre"):
        assert main(["validate", str(root / "examples" / name)]) == 0
        assert "warning" not in capsys.readouterr().out
