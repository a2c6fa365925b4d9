"""Why citizens are sent home: the counts of a scripted log of real kiosk sessions."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest

from frontdesk_core.app import Frontdesk
from frontdesk_core.cli import main
from frontdesk_core.clock import ManualClock
from frontdesk_core.config.loader import load_config
from frontdesk_core.events import KioskCompleted
from frontdesk_core.events.registry import decode, encode
from frontdesk_core.stats.referral import iso_week, read_referral_report
from frontdesk_core.testing import MakeFrontdesk, walk_kiosk

EXAMPLE = Path(__file__).parents[2] / "examples" / "kobenhavn"
WEEK = iso_week(date(2026, 11, 23))


def _walk(fd: Frontdesk, answers: list[str | list[str]]) -> str:
    """The id of the ticket the walk ended with ("" when it ended without one)."""
    ticket = walk_kiosk(fd, "nyropsgade", answers).ticket
    return ticket.id if ticket is not None else ""


def _script(fd: Frontdesk, clock: ManualClock) -> None:
    """Three sent home without photo id, two referred to the job centre, two tickets."""
    for _ in range(2):
        _walk(fd, ["health_card", []])  # no photo id: home
    _walk(fd, ["mitid", []])  # home from another node
    for _ in range(2):
        _walk(fd, ["job"])
    first = _walk(fd, ["other"])
    second = _walk(fd, ["health_card", ["photo_id"]])
    q = fd.queues
    q.sign_in("skranke-5", "AB")
    clock.advance(minutes=4)
    q.call("skranke-5", first)
    clock.advance(minutes=3)
    q.finish("skranke-5")
    clock.advance(minutes=5)
    q.call("skranke-5", second)  # waited 12 minutes
    q.finish("skranke-5")


@pytest.fixture
def logged(
    make_frontdesk: MakeFrontdesk, frontdesk_clock: ManualClock, tmp_path: Path
) -> Frontdesk:
    fd = make_frontdesk(load_config(EXAMPLE), store=str(tmp_path / "log.db"))
    frontdesk_clock.advance(hours=1.5)  # Nyropsgade opens at 10:00: walk-ins get tickets
    _script(fd, frontdesk_clock)
    return fd


def test_counts_per_document_referral_answer_and_path(logged: Frontdesk) -> None:
    report = read_referral_report(logged.store, logged.config)
    assert (report.completed, report.sent_home, report.referred) == (7, 3, 2)
    documents = {(d.week, d.node_id, d.document_id): d.count for d in report.documents}
    assert documents == {
        (WEEK, "health-card-home", "photo_id"): 2,
        (WEEK, "mitid-home", "photo_id"): 1,
    }
    assert report.top_documents() == [("photo_id", 3)]
    assert [(r.node_id, r.to, r.count) for r in report.referrals] == [
        ("to-jobcenter", "jobcenter-kbh", 2)
    ]
    answers = {(a.question, a.answer): a for a in report.answers}
    health = answers[("errand", "health_card")]
    assert (health.count, health.sent_home, health.referred, health.ticket) == (3, 2, 0, 1)
    job = answers[("errand", "job")]
    assert (job.count, job.referred) == (2, 2)
    flows = {(f.first, f.outcome): f.count for f in report.flows}
    assert flows == {
        ("health_card", "send_home"): 2,
        ("health_card", "queue"): 1,
        ("mitid", "send_home"): 1,
        ("job", "refer"): 2,
        ("other", "queue"): 1,
    }
    waited = {p.path[-1]: p for p in report.paths if p.outcome == "queue"}
    assert waited["other-queue"].queue_id == "generel"
    assert waited["other-queue"].waiting.mean == 4 * 60
    assert waited["health-card-queue"].waiting.mean == 12 * 60
    assert report.paths[0].count == 2  # most frequent first


def test_days_outside_the_span_are_left_out(logged: Frontdesk) -> None:
    day = date(2026, 11, 23)
    assert read_referral_report(logged.store, logged.config, start=day, end=day).completed == 7
    later = day + timedelta(days=1)
    assert read_referral_report(logged.store, logged.config, start=later).completed == 0


def test_a_version_1_event_reads_with_its_documents_unknown() -> None:
    old = encode(KioskCompleted("t", "home", "send_home", "da", ("a", "home"), missing=2))
    payload = decode(KioskCompleted.KIND, 1, old, seq=1)
    assert isinstance(payload, KioskCompleted) and payload.documents is None


def test_the_command_prints_and_writes_csv(
    logged: Frontdesk, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_csv = tmp_path / "why.csv"
    db = str(tmp_path / "log.db")
    code = main(
        ["stats", "--db", db, "--config", str(EXAMPLE), "--referral", "--csv", str(out_csv)]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "7 kiosk sessions completed: 3 sent home (43%), 2 referred elsewhere" in printed
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8")))
    documents = [r for r in rows if r["table"] == "documents"]
    assert sorted((r["node_id"], r["detail"], r["count"]) for r in documents) == [
        ("health-card-home", "photo_id", "2"),
        ("mitid-home", "photo_id", "1"),
    ]
    assert {r["table"] for r in rows} == {"documents", "referrals", "answers", "paths"}
