"""A time is free when some assignment of the bookings to counters can take one more."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from frontdesk_core.app import Frontdesk
from frontdesk_core.booking.matching import Budget, Job, place
from frontdesk_core.booking.records import Contact
from frontdesk_core.clock import ManualClock
from frontdesk_core.errors import CapacityError
from frontdesk_core.events import BookingReassigned
from frontdesk_core.testing import MakeFrontdesk

KOBENHAVN = Path(__file__).resolve().parents[2] / "examples" / "kobenhavn"
TUESDAY = date(2026, 11, 24)


class Floor:
    """Jobs sitting on counters, for :func:`place` to read."""

    def __init__(self, *jobs: Job) -> None:
        self.jobs = jobs

    def sitting(self, counter: str, start: int, end: int) -> list[Job]:
        return [j for j in self.jobs if j.at == counter and j.start < end and start < j.end]


def job(key: str, start: int, end: int, counters: str, at: str | None = None) -> Job:
    return Job(key, start, end, tuple(counters), at)


def test_a_free_counter_is_taken_and_nothing_moves() -> None:
    floor = Floor(job("x", 0, 10, "AB", "A"))
    assert place(job("n", 0, 10, "AB"), floor) == {"n": "B"}


def test_an_augmenting_path_moves_one_booking_after_the_other() -> None:
    # n can only sit on A; x leaves A for B, y leaves B for C.
    floor = Floor(job("x", 0, 10, "AB", "A"), job("y", 0, 10, "BC", "B"))
    assert place(job("n", 0, 10, "A"), floor) == {"n": "A", "x": "B", "y": "C"}


def test_two_bookings_of_other_lengths_both_make_room() -> None:
    # Two bookings in the way on A: no single move frees it, the exact search does.
    floor = Floor(job("x", 0, 10, "AB", "A"), job("y", 10, 20, "AB", "A"))
    assert place(job("n", 0, 20, "A"), floor) == {"n": "A", "x": "B", "y": "B"}


def test_a_time_free_at_every_moment_but_on_no_one_counter_is_refused() -> None:
    # B is free while A is taken and the other way round: each moment matches, but a
    # booking keeps one counter, so it does not fit.
    floor = Floor(job("p", 0, 10, "A", "A"), job("q", 10, 30, "B", "B"))
    assert place(job("n", 0, 30, "AB"), floor) is None


def test_a_full_moment_refuses_at_once() -> None:
    floor = Floor(job("x", 0, 10, "AB", "A"), job("y", 5, 15, "AB", "B"))
    assert place(job("n", 0, 10, "AB"), floor) is None


def test_bookings_that_cannot_move_stay() -> None:
    floor = Floor(job("x", 0, 10, "A", "A"), job("y", 0, 10, "B", "B"))
    assert place(job("n", 0, 10, "AB"), floor) is None


def test_a_search_past_its_budget_refuses_rather_than_over_book() -> None:
    floor = Floor(job("x", 0, 10, "AB", "A"), job("y", 10, 20, "AB", "A"))
    assert place(job("n", 0, 20, "A"), floor, Budget(1)) is None
    assert place(job("n", 0, 20, "A"), floor, Budget(10)) == {"n": "A", "x": "B", "y": "B"}


# -- the engine, on the København example ------------------------------------------------


def kobenhavn(make_frontdesk: MakeFrontdesk) -> tuple[Frontdesk, datetime]:
    """Nyropsgade, and a Tuesday time at which skranke-1, 2, 3 and 6 all take bookings."""
    fd = make_frontdesk(KOBENHAVN)
    passport = {s.start for s in fd.booking.free_slots("passport", TUESDAY, TUESDAY)}
    mitid = {s.start: s for s in fd.booking.free_slots("mitid", TUESDAY, TUESDAY)}
    start = min(t for t in passport & set(mitid) if mitid[t].capacity == 3)
    return fd, start


@pytest.mark.parametrize("mitid_at", range(4))
def test_three_passports_and_a_mitid_fit_in_every_order(
    make_frontdesk: MakeFrontdesk, mitid_at: int
) -> None:
    fd, start = kobenhavn(make_frontdesk)
    services = ["passport"] * 3
    services.insert(mitid_at, "mitid")
    made = [fd.booking.book(s, start, contact=Contact()) for s in services]
    placed = {fd.booking.find(b.code).counter_id: b.service_id for b in made}
    assert placed == {
        "skranke-1": "passport",
        "skranke-2": "passport",
        "skranke-3": "passport",
        "skranke-6": "mitid",
    }
    assert all(fd.booking.find(b.code).start == start for b in made)
    with pytest.raises(CapacityError, match="no longer free"):
        fd.booking.book("passport", start, contact=Contact())
    assert not [s for s in fd.booking.free_slots("passport", TUESDAY, TUESDAY) if s.start == start]


def test_a_move_is_a_reassignment_that_check_in_follows(
    make_frontdesk: MakeFrontdesk, frontdesk_clock: ManualClock
) -> None:
    fd, start = kobenhavn(make_frontdesk)
    mitid = fd.booking.book("mitid", start, contact=Contact())
    assert mitid.counter_id == "skranke-2"  # first fit
    for _ in range(2):
        fd.booking.book("passport", start, contact=Contact())
    # The third passport needs skranke-2 or 3: the MitID booking moves to skranke-6.
    slot = next(s for s in fd.booking.free_slots("passport", TUESDAY, TUESDAY) if s.start == start)
    assert (slot.capacity, slot.free) == (3, 1)
    fd.booking.book("passport", start, contact=Contact())
    moved = [e for e in fd.store.read(kinds=["booking.reassigned"])]
    assert [(e.key, e.payload) for e in moved] == [
        (mitid.id, BookingReassigned("skranke-6", from_counter=mitid.counter_id, reason="booking"))
    ]
    assert fd.booking.find(mitid.code).counter_id == "skranke-6"
    frontdesk_clock.set(start - timedelta(minutes=5))
    checked = fd.booking.check_in(mitid.code, language="da")
    assert checked.where == "Stueetagen, skranke 6"


def test_an_absence_moves_other_bookings_to_keep_everyone(make_frontdesk: MakeFrontdesk) -> None:
    fd, start = kobenhavn(make_frontdesk)
    mitid = fd.booking.book("mitid", start, contact=Contact())
    passport = fd.booking.book("passport", start, contact=Contact())
    assert (mitid.counter_id, passport.counter_id) == ("skranke-2", "skranke-1")
    fd.booking.book("passport", start, contact=Contact())  # on skranke-3
    # skranke-1 is away: its passport can only go to skranke-2 if the MitID booking
    # there moves on to skranke-6.
    result = fd.booking.add_absence(
        "skranke-1", start - timedelta(hours=1), start + timedelta(hours=1), cancel_unplaced=True
    )
    assert result.unplaced == ()
    assert {b.code: b.counter_id for b in result.moved} == {
        passport.code: "skranke-2",
        mitid.code: "skranke-6",
    }
    owners = [fd.booking.find(b.code).counter_id for b in (mitid, passport)]
    assert owners == ["skranke-6", "skranke-2"]
