"""When walk-in tickets stop: outside opening hours and after a queue's last-ticket time."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import example, given, settings
from hypothesis import strategies as st

from frontdesk_core.config.loader import load_config
from frontdesk_core.config.models import Centre, Queue, WeeklyHours
from frontdesk_core.events.base import to_us
from frontdesk_core.opening import OpeningCalendar
from frontdesk_core.opening.admission import Admission, ClosedReason, WalkInClosed, walk_in_closed
from frontdesk_core.opening.words import spoken_date, spoken_moment

CPH = ZoneInfo("Europe/Copenhagen")
BASE = Path(__file__).parents[1] / "config" / "valid" / "base.yaml"


def calendar() -> OpeningCalendar:
    """Testby's main centre: Monday-Wednesday 09-15, Thursday 09-12 and 13-17.30, Friday 09-13."""
    return OpeningCalendar(load_config(BASE).centre("main"), CPH)


QUARTER = timedelta(minutes=15)


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=CPH)


def test_open_until_the_last_ticket_then_the_next_morning() -> None:
    cal = calendar()  # Monday 23 November 2026: 09:00-15:00
    assert walk_in_closed(cal, at(23, 14, 44), QUARTER) is None
    assert walk_in_closed(cal, at(23, 14, 45), QUARTER) == WalkInClosed(
        ClosedReason.LAST_TICKET, opens_at=at(24, 9), closes_at=at(23, 15)
    )
    assert walk_in_closed(cal, at(23, 14, 59), timedelta(0)) is None
    assert walk_in_closed(cal, at(23, 15), timedelta(0)) == WalkInClosed(
        ClosedReason.CLOSED, opens_at=at(24, 9)
    )
    assert walk_in_closed(cal, at(23, 8, 59), QUARTER) == WalkInClosed(
        ClosedReason.CLOSED, opens_at=at(23, 9)
    )


def test_a_lunch_break_closes_the_morning_and_opens_after_lunch() -> None:
    cal = calendar()  # Thursday 26 November: 09:00-12:00 and 13:00-17:30
    closed = walk_in_closed(cal, at(26, 11, 50), QUARTER)
    assert closed == WalkInClosed(ClosedReason.LAST_TICKET, at(26, 13), at(26, 12))
    assert walk_in_closed(cal, at(26, 12, 30), QUARTER) == WalkInClosed(
        ClosedReason.CLOSED, at(26, 13)
    )


def test_the_weekend_and_holidays_are_skipped() -> None:
    cal = calendar()  # Friday 27 November 09:00-13:00; closed Saturday and Sunday
    assert walk_in_closed(cal, at(28, 10), QUARTER) == WalkInClosed(ClosedReason.CLOSED, at(30, 9))
    # 24-26 December are closed (customary and public holidays), the 27th is a Sunday.
    assert walk_in_closed(cal, at(24, 10, month=12), QUARTER) == WalkInClosed(
        ClosedReason.CLOSED, at(28, 9, month=12)
    )


def centre(hours: dict[str, list[str]]) -> OpeningCalendar:
    queue = Queue.model_validate({"id": "q", "name": {"da": "Q"}, "prefix": "Q"})
    model = Centre.model_validate(
        {
            "id": "c",
            "name": {"da": "C"},
            "address": "-",
            "opening_hours": WeeklyHours.model_validate(hours),
            "public_holidays": "none",
            "queues": [queue],
        }
    )
    return OpeningCalendar(model, CPH)


def test_touching_hours_are_one_opening() -> None:
    always = centre({d: ["00:00-24:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})
    assert walk_in_closed(always, at(23, 23, 55), QUARTER) is None
    split = centre({"mon": ["08:00-12:00", "12:00-16:00"]})
    assert walk_in_closed(split, at(23, 11, 50), QUARTER) is None
    assert walk_in_closed(split, at(23, 15, 50), QUARTER) == WalkInClosed(
        ClosedReason.LAST_TICKET, at(30, 8), at(23, 16)
    )


def test_a_centre_that_never_opens_has_no_next_opening() -> None:
    assert walk_in_closed(centre({}), at(23, 10), QUARTER) == WalkInClosed(
        ClosedReason.CLOSED, None
    )


@settings(max_examples=200, deadline=None)
@given(
    moment=st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 31), timezones=st.just(CPH)),
    minutes=st.integers(0, 90),
)
def test_a_ticket_only_while_open_and_the_next_opening_is_later_and_open(
    moment: datetime, minutes: int
) -> None:
    cal = calendar()
    last = timedelta(minutes=minutes)
    closed = walk_in_closed(cal, moment, last)
    assert Admission(cal).closed(moment, last) == closed  # the cached week says the same
    # A ticket exactly when the centre stays open from ``moment`` until ``last`` after it
    # (a lunch closing in between counts: the last ticket is before *each* closing).
    minutes_open = all(cal.is_open(moment + timedelta(minutes=m)) for m in range(minutes + 1))
    if closed is None:
        assert minutes_open
        return
    assert not minutes_open
    assert closed.opens_at is not None and closed.opens_at > moment
    assert cal.is_open(closed.opens_at)
    assert not cal.is_open(closed.opens_at - timedelta(minutes=1))
    assert (closed.reason is ClosedReason.CLOSED) == (not cal.is_open(moment))


ALWAYS = {d: ["00:00-24:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


@settings(max_examples=100, deadline=None)
@given(
    always=st.booleans(),
    start=st.datetimes(datetime(2026, 3, 20), datetime(2026, 11, 5), timezones=st.just(CPH)),
    steps=st.lists(
        st.one_of(*[st.integers(0, 10)] * 5, st.integers(60, 36 * 60)), min_size=1, max_size=150
    ),
    minutes=st.integers(0, 90),
)
@example(always=False, start=at(23, 14, 30), steps=[0, 20], minutes=15)
def test_open_at_says_what_closed_says_as_time_goes_on(
    always: bool, start: datetime, steps: list[int], minutes: int
) -> None:
    # The remembered opening must never answer for a moment past its last ticket: across
    # lunch breaks, nights, weekends, the summer-time changes (29 March, 25 October) and a
    # centre open round the clock (whose openings the week's look cuts short).
    cal = centre(ALWAYS) if always else calendar()
    last = timedelta(minutes=minutes)
    admission, fresh = Admission(cal), Admission(cal)
    moment = start
    for step in steps:
        moment += timedelta(minutes=step)
        us = to_us(moment)
        assert admission.open_at(us, last) == (fresh.closed(moment, last) is None), moment


def test_moments_are_said_relative_to_today() -> None:
    today = date(2026, 12, 7)
    assert spoken_moment(at(8, 10, 30, month=12), "en", today) == (
        "tomorrow, Tuesday 8 December at 10.30"
    )
    assert spoken_moment(at(8, 10, 30, month=12), "da", today) == (
        "i morgen, tirsdag 8. december kl. 10.30"
    )
    assert spoken_moment(at(7, 9, 5, month=12), "da", today) == "i dag kl. 09.05"
    assert spoken_moment(at(14, 9, month=12), "en", today) == "Monday 14 December at 09.00"
    assert spoken_date(date(2026, 12, 14), "uk") == "Monday 14 December"  # English otherwise
