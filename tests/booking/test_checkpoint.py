"""The booking checkpoint: a start-up reads only the events after it, and ends up the same."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracles import Oracle, Tally, booking_state

from booking.conftest import CPH, at
from booking.test_invariants import moment
from frontdesk_core.app import Frontdesk
from frontdesk_core.booking import engine as booking_engine
from frontdesk_core.booking.records import Contact
from frontdesk_core.clock import ManualClock
from frontdesk_core.config.models import Config
from frontdesk_core.errors import NotFoundError
from frontdesk_core.plugins import make_plugin_manager
from frontdesk_core.testing import MakeFrontdesk

DAYS = [date(2026, 11, 23) + timedelta(days=d) for d in range(75)]
OPS_DAYS = DAYS[:41]
"""The days the operations below book on and move to."""


def open_on(config: Config, db: Path, clock: ManualClock) -> Frontdesk:
    return Frontdesk.open(
        config, store=str(db), clock=clock, plugins=make_plugin_manager(load_entrypoints=False)
    )


def seen(fd: Frontdesk, days: list[date]) -> dict[str, object]:
    """Everything the booking engine answers about ``days``."""
    return {
        "bookings": {d: fd.booking.bookings_on(d) for d in days},
        "absences": fd.booking.absences(),
        "slots": {
            s: fd.booking.schedule(s, days[0], days[-1]) for s in ("passport", "tax", "permit")
        },
    }


def test_a_start_up_from_the_checkpoint_reads_only_what_came_after(
    make_frontdesk: MakeFrontdesk, config: Config, clock: ManualClock, tmp_path: Path
) -> None:
    db = tmp_path / "frontdesk.db"
    fd = make_frontdesk(config, clock=clock, store=str(db))
    first = fd.booking.book("passport", at(24, 10), contact=Contact(phone="12345678"))
    assert fd.booking.checkpoint() == 1
    after = fd.booking.book("tax", at(24, 11), contact=Contact(phone="87654321"))
    kept = fd.store.get_checkpoint("booking")
    assert kept is not None and kept[0] < fd.store.last_seq()
    again = make_frontdesk(config, clock=clock, store=str(db))
    assert again.booking.find(first.code) == fd.booking.find(first.code)
    assert again.booking.find(after.code) == fd.booking.find(after.code)
    assert seen(again, DAYS[:10]) == seen(fd, DAYS[:10])


def test_ended_bookings_still_hold_their_time_after_a_start_up(
    make_frontdesk: MakeFrontdesk, config: Config, clock: ManualClock, tmp_path: Path
) -> None:
    db = str(tmp_path / "frontdesk.db")
    fd = make_frontdesk(config, clock=clock, store=db)
    fd.booking.book("tax", at(24, 10), contact=Contact())
    clock.set(at(25, 9))
    assert fd.booking.mark_no_shows() == 1
    fd.booking.checkpoint()
    again = make_frontdesk(config, clock=clock, store=db)
    day = date(2026, 11, 24)
    before = {s.start: s.free for s in fd.booking.schedule("tax", day, day)}
    assert before[at(24, 10)] == 0
    assert {s.start: s.free for s in again.booking.schedule("tax", day, day)} == before


def test_bookings_past_retention_are_forgotten_at_the_checkpoint(
    make_frontdesk: MakeFrontdesk, config: Config, clock: ManualClock
) -> None:
    fd = make_frontdesk(config, clock=clock)
    old = fd.booking.book("passport", at(24, 10), contact=Contact())
    recent = fd.booking.book("passport", at(18, 10, month=12), contact=Contact())
    clock.set(at(24, 10) + timedelta(days=31))  # retention: 30 days after the appointment
    fd.booking.mark_no_shows()
    assert fd.booking.checkpoint() == 1
    with pytest.raises(NotFoundError):
        fd.booking.find(old.code)
    assert fd.booking.bookings_on(date(2026, 11, 24)) == []
    assert fd.booking.find(recent.code).code == recent.code


def test_an_unusable_checkpoint_is_ignored_and_the_log_replayed(
    make_frontdesk: MakeFrontdesk,
    config: Config,
    clock: ManualClock,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    db = tmp_path / "frontdesk.db"
    fd = make_frontdesk(config, clock=clock, store=str(db))
    booking = fd.booking.book("passport", at(24, 10), contact=Contact())
    for seq, data in [
        (999, {"version": 1, "tz": "Europe/Copenhagen", "entries": [], "absences": []}),
        (1, {"version": 0, "entries": []}),
        (2, {"version": 1, "tz": "Europe/Copenhagen", "entries": [{"id": "x"}], "absences": []}),
    ]:
        with sqlite3.connect(db) as conn:
            conn.execute("DELETE FROM checkpoints")
        fd.store.put_checkpoint("booking", seq, data)
        fresh = make_frontdesk(config, clock=clock, store=str(db))
        assert fresh.booking.find(booking.code) == booking
    assert "booking checkpoint ignored" in caplog.text


def test_housekeeping_writes_a_checkpoint_now_and_then(
    make_frontdesk: MakeFrontdesk,
    config: Config,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(booking_engine, "CHECKPOINT_EVERY", 3)
    fd = make_frontdesk(config, clock=clock)
    fd.booking.book("passport", at(24, 10), contact=Contact())
    fd.booking.housekeeping()
    assert fd.store.get_checkpoint("booking") is None  # one event so far
    fd.booking.book("passport", at(24, 11), contact=Contact())
    fd.booking.book("passport", at(24, 12, 30), contact=Contact())
    fd.booking.housekeeping()
    kept = fd.store.get_checkpoint("booking")
    assert kept is not None and len(kept[1]["entries"]) == 3


operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("book"),
            st.sampled_from(["passport", "tax", "permit"]),
            st.integers(0, 40),
            st.integers(36, 56),
        ),
        st.tuples(st.just("cancel"), st.integers(0, 40)),
        st.tuples(st.just("move"), st.integers(0, 40), st.integers(0, 40), st.integers(36, 56)),
        # To one of the free slots: most random times are refused, and the restart must
        # also see bookings made and moved.
        st.tuples(
            st.just("book_free"), st.sampled_from(["passport", "tax", "permit"]), st.integers()
        ),
        st.tuples(st.just("move_free"), st.integers(0, 40), st.integers(0, 500)),
        st.tuples(st.just("absent"), st.sampled_from(["c1", "c2"]), st.integers(0, 40)),
        st.tuples(st.just("advance"), st.integers(1, 14)),
        st.tuples(st.just("advance"), st.integers(1, 3)),
        st.tuples(st.just("checkpoint")),
        st.tuples(st.just("checkpoint")),
    ),
    min_size=5,
    max_size=40,
)


def test_a_start_up_from_any_checkpoint_equals_the_live_engine(
    config: Config, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tally = Tally()

    # The same examples every run: the tally below judges the generator, and a rare
    # unlucky draw of random ones failed it (1 move of 40 went through).
    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(ops=operations)
    def run(ops: list[tuple[object, ...]]) -> None:
        db = tmp_path_factory.mktemp("checkpoint") / "frontdesk.db"
        play_and_restart(config, db, ops, tally)

    run()
    # Measured over runs of 40 examples: half the bookings, a third of the moves and most
    # cancellations and absences go through (moves vary most: many bookings are past by
    # then); the floors sit well below that.
    tally.check(overall=0.3, each={"book": 0.15, "cancel": 0.1, "move": 0.05, "absent": 0.3})


def play_and_restart(config: Config, db: Path, ops: list[tuple[object, ...]], tally: Tally) -> None:
    """Run ``ops`` live, then start a second engine on the store: it must see the same."""
    clock = ManualClock(datetime(2026, 11, 23, 8, 0, tzinfo=CPH))
    live = open_on(config, db, clock)
    oracle = Oracle(booking_state(live, OPS_DAYS), tally)
    codes: list[str] = []
    try:
        for op in ops:
            if op[0] == "book":
                start = moment(int(op[2]), int(op[3]))  # type: ignore[call-overload]
                made = oracle.attempt(
                    "book",
                    live.booking.book,
                    str(op[1]),
                    start,
                    contact=Contact(phone=f"2{len(codes):07d}"),
                )
                if made is not None:
                    codes.append(made.code)
            elif op[0] == "cancel" and codes:
                code = codes[int(op[1]) % len(codes)]  # type: ignore[call-overload]
                oracle.attempt("cancel", live.booking.cancel, code)
            elif op[0] == "move" and codes:
                code = codes[int(op[1]) % len(codes)]  # type: ignore[call-overload]
                start = moment(int(op[2]), int(op[3]))  # type: ignore[call-overload]
                oracle.attempt("move", live.booking.reschedule, code, start)
            elif op[0] == "book_free":
                slots = live.booking.free_slots(str(op[1]), OPS_DAYS[0], OPS_DAYS[-1])
                if slots:
                    start = slots[int(op[2]) % len(slots)].start  # type: ignore[call-overload]
                    made = oracle.attempt(
                        "book",
                        live.booking.book,
                        str(op[1]),
                        start,
                        contact=Contact(phone=f"3{len(codes):07d}"),
                    )
                    if made is not None:
                        codes.append(made.code)
            elif op[0] == "move_free" and codes:
                code = codes[int(op[1]) % len(codes)]  # type: ignore[call-overload]
                try:
                    service_id = live.booking.find(code).service_id
                except NotFoundError:
                    continue  # forgotten by a checkpoint: past retention
                slots = live.booking.free_slots(service_id, OPS_DAYS[0], OPS_DAYS[-1])
                if slots:
                    start = slots[int(op[2]) % len(slots)].start  # type: ignore[call-overload]
                    oracle.attempt("move", live.booking.reschedule, code, start)
            elif op[0] == "absent":
                start = moment(int(op[2]), 40)  # type: ignore[call-overload]
                end = start + timedelta(hours=2)
                oracle.attempt("absent", live.booking.add_absence, str(op[1]), start, end)
            elif op[0] == "advance":
                clock.advance(days=int(op[1]))  # type: ignore[call-overload]
                live.booking.mark_no_shows()
            elif op[0] == "checkpoint":
                live.booking.checkpoint()
        started = open_on(config, db, clock)
        try:
            assert seen(started, DAYS) == seen(live, DAYS)
            for code in codes:
                try:
                    expected = live.booking.find(code)
                except NotFoundError:
                    with pytest.raises(NotFoundError):
                        started.booking.find(code)
                else:
                    assert started.booking.find(code) == expected
        finally:
            started.close()
    finally:
        live.close()
