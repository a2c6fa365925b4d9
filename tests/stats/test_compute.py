"""The statistics' definitions on a scripted day whose figures are known by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from queues.conftest import START

from frontdesk_core.app import Frontdesk
from frontdesk_core.clock import ManualClock
from frontdesk_core.events import KioskCompleted, NewEvent
from frontdesk_core.stats import Distribution, Report

CPH = ZoneInfo("Europe/Copenhagen")
DAY = date(2026, 11, 23)


def test_distribution_uses_nearest_rank_p90() -> None:
    assert Distribution.of([]) == Distribution()
    dist = Distribution.of([float(v) for v in range(1, 11)])
    assert (dist.count, dist.mean, dist.median, dist.p90, dist.max) == (10, 5.5, 5.5, 9.0, 10.0)
    assert Distribution.of([4.0]).p90 == 4.0


def _scripted_day(fd: Frontdesk, clock: ManualClock) -> None:
    """09:00-10:10 at the main centre; every figure below follows from this script."""
    q = fd.queues
    q.sign_in("c1", "AB")
    a = q.issue("pass")  # 09:00
    clock.advance(minutes=5)
    b = q.issue("pass")  # 09:05
    q.call("c1", a.id)  # a waited 5 min
    q.recall("c1")  # 09:05 still
    clock.advance(minutes=2)
    q.recall("c1")  # 09:07: the last call counts, a waited 7 min
    q.start("c1")
    clock.advance(minutes=4)
    q.finish("c1")  # 09:11: service 4 min
    clock.advance(minutes=20)
    q.call("c1", b.id)  # 09:31: b waited 26 min, over the 15 min target
    clock.advance(minutes=5)
    q.no_show("c1")  # 09:36: timeout, a no-show
    c = q.issue("tax")  # 09:36
    clock.advance(minutes=3)
    q.call("c1", c.id)  # 09:39: waited 3 min (target 10)
    clock.advance(minutes=2)
    q.transfer(c.id, "cash")  # 09:41: served at tax for 2 min, moved on
    d = q.issue("tax")  # 09:41
    q.cancel(d.id)  # left uncalled: abandoned
    clock.advance(minutes=29)
    q.sign_in("c2", "CD")
    q.call("c2", c.id)  # 10:10: 29 min in cash (target 20)
    clock.advance(minutes=10)
    q.finish("c2")  # 10:20: service 10 min
    q.issue("pass")  # 10:20, still waiting at the day's end
    fd.store.append(
        [
            NewEvent("kiosk.completed", "s1", clock.now(), "main", _completed("send_home")),
            NewEvent("kiosk.completed", "s2", clock.now(), "main", _completed("refer")),
            NewEvent("kiosk.completed", "s3", clock.now(), "main", _completed("queue")),
        ]
    )
    q.end_of_day("main")  # closes the last one: abandoned too


@pytest.fixture
def report(fd: Frontdesk, clock: ManualClock) -> Report:
    _scripted_day(fd, clock)
    return fd.stats.report(DAY, DAY)


def _queue(report: Report, queue: str, hour: int | None = None):  # type: ignore[no-untyped-def]
    rows = [r for r in report.queues if r.queue_id == queue and r.hour == hour]
    assert len(rows) == 1
    return rows[0]


def _completed(outcome: str) -> KioskCompleted:
    return KioskCompleted(tree="t", node="n", outcome=outcome, language="da", path=("n",))


def test_queue_figures_follow_qmatic_definitions(report: Report) -> None:
    passport = _queue(report, "pass")
    assert (passport.arrivals, passport.served, passport.no_shows) == (3, 1, 1)
    assert passport.waiting == Distribution(1, 420.0, 420.0, 420.0, 420.0)  # last call counts
    assert passport.service.mean == 240.0
    assert passport.within_target == 1.0
    assert (passport.closed, passport.abandoned) == (1, 1)
    assert passport.abandonment == pytest.approx(1 / 3)
    tax = _queue(report, "tax")
    assert (tax.arrivals, tax.served, tax.transfers_out, tax.cancelled) == (2, 1, 1, 1)
    assert tax.waiting.mean == 180.0 and tax.service.mean == 120.0
    assert tax.abandonment == 0.5
    cash = _queue(report, "cash")
    assert (cash.arrivals, cash.transfers_in, cash.served) == (0, 1, 1)
    assert cash.waiting.mean == 29 * 60.0  # from the transfer, not the first arrival
    assert cash.within_target == 0.0
    assert cash.target_seconds == 20 * 60.0


def test_centre_and_counter_figures(report: Report) -> None:
    (centre,) = [c for c in report.centres if c.hour is None]
    assert (centre.arrivals, centre.served, centre.no_shows) == (5, 3, 1)
    assert (centre.sent_home, centre.referred, centre.transfers) == (1, 1, 1)
    assert centre.waiting.max == 29 * 60.0
    assert centre.within_target == pytest.approx(2 / 3)
    counters = {c.counter_id: c for c in report.counters if c.hour is None}
    assert (counters["c1"].served, counters["c1"].no_shows, counters["c1"].transfers) == (2, 1, 1)
    assert counters["c1"].service == Distribution.of([240.0, 120.0])
    assert counters["c2"].served == 1


def test_hour_rows_split_the_day(report: Report) -> None:
    nine = _queue(report, "pass", 9)
    assert (nine.arrivals, nine.served, nine.no_shows) == (2, 1, 1)
    ten = _queue(report, "pass", 10)
    assert (ten.arrivals, ten.served) == (1, 0)
    assert _queue(report, "cash", 10).served == 1  # counted in the hour of the call


def test_date_span_and_centre_filters(fd: Frontdesk, clock: ManualClock) -> None:
    _scripted_day(fd, clock)
    clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=CPH))
    fd.queues.issue("pass")
    fd.queues.issue("jobs")
    assert fd.stats.report(date(2026, 11, 24)).centres[0].arrivals == 1
    assert {c.centre_id for c in fd.stats.report(date(2026, 11, 24)).centres} == {"main", "job"}
    only = fd.stats.report(date(2026, 11, 24), centre_id="job")
    assert {c.centre_id for c in only.centres} == {"job"}
    assert [q.queue_id for q in only.queues if q.hour is None] == ["jobs"]
    whole = fd.stats.report()
    assert sum(c.arrivals for c in whole.centres if c.hour is None) == 7
    assert fd.stats.report(date(2026, 11, 25)).queues == ()


def test_an_empty_log_gives_an_empty_report(fd: Frontdesk) -> None:
    assert fd.stats.report() == Report(None, None, (), (), ())


def test_a_ticket_issued_before_the_span_still_counts_when_served_in_it(
    fd: Frontdesk, clock: ManualClock
) -> None:
    clock.set(START.replace(hour=23, minute=50))
    ticket = fd.queues.issue("pass")
    fd.queues.sign_in("c1", "AB")
    clock.advance(timedelta(minutes=20))  # 00:10 the next calendar day, same service day
    fd.queues.call("c1", ticket.id)
    fd.queues.finish("c1")
    tuesday = fd.stats.report(date(2026, 11, 24))
    assert _queue(tuesday, "pass").served == 1
    assert _queue(tuesday, "pass").arrivals == 0
    assert _queue(tuesday, "pass").waiting.mean == 20 * 60.0
