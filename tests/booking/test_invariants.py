"""Whatever citizens try, bookings never exceed capacity and never fall outside opening
hours or the counters' schedules (hypothesis)."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracles import Oracle, Tally, booking_state

from booking.conftest import CPH
from frontdesk_core.app import Frontdesk
from frontdesk_core.booking.records import BookingState, Contact
from frontdesk_core.booking.slots import SlotPlanner, epoch
from frontdesk_core.clock import ManualClock
from frontdesk_core.config.models import Config
from frontdesk_core.plugins import make_plugin_manager

MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=CPH)

book_op = st.tuples(
    st.just("book"),
    st.sampled_from(["passport", "tax", "permit"]),
    st.integers(0, 9),  # day after Monday
    st.integers(8 * 4, 17 * 4),  # quarter of an hour of the day
    st.sampled_from(["in_person", "in_person", "in_person", "phone"]),
)
cancel_op = st.tuples(st.just("cancel"), st.integers(0, 50))
move_op = st.tuples(st.just("move"), st.integers(0, 50), st.integers(0, 9), st.integers(32, 68))
# Most random times are refused (closed, too soon, full); these pick one of the free slots
# the engine offers, so bookings and moves that go through are common too.
free_book_op = st.tuples(
    st.just("book_free"),
    st.sampled_from(["passport", "tax", "permit"]),
    st.integers(0, 500),  # which of the free slots
)
free_move_op = st.tuples(st.just("move_free"), st.integers(0, 50), st.integers(0, 500))
advance_op = st.tuples(st.just("advance"), st.integers(1, 600))
absence_op = st.tuples(
    st.just("absent"),
    st.sampled_from(["c1", "c2", "c3"]),
    st.integers(0, 9),
    st.integers(32, 68),
    st.integers(1, 16),  # quarters of an hour away
    st.booleans(),  # cancel the bookings no other counter can take
)
withdraw_op = st.tuples(st.just("withdraw"), st.integers(0, 20))
operations = st.lists(
    st.one_of(
        book_op,
        book_op,
        free_book_op,
        cancel_op,
        move_op,
        free_move_op,
        advance_op,
        absence_op,
        absence_op,
        withdraw_op,
    ),
    min_size=10,
    max_size=60,
)


def moment(day: int, quarter: int) -> datetime:
    """A wall-clock time ``quarter`` quarters of an hour into the ``day``-th day."""
    base = date(2026, 11, 23) + timedelta(days=day)
    return datetime(base.year, base.month, base.day, tzinfo=CPH) + timedelta(minutes=15 * quarter)


def absence_op_run(
    fd: Frontdesk,
    counter: str,
    start: datetime,
    quarters: int,
    cancel: bool,
    absences: list[str],
    kept: set[str],
) -> None:
    """Record an absence; remember it, and the bookings left on the absent counter."""
    result = fd.booking.add_absence(
        counter,
        start,
        start + timedelta(minutes=15 * quarters),
        reason="sick",
        cancel_unplaced=cancel,
    )
    absences.append(result.absence.id)
    if not cancel:
        kept.update(b.id for b in result.unplaced)


def check_invariants(fd: Frontdesk, planner: SlotPlanner, kept: set[str] | None = None) -> None:
    """Capacity, opening hours and schedules hold; and no booking sits in an absence of its
    counter, except those a manager was told no counter could take (``kept``)."""
    taken: dict[str, list[tuple[int, int]]] = {}
    away: dict[str, list[tuple[int, int]]] = {}
    for absence in fd.booking.absences():
        away.setdefault(absence.counter_id, []).append((epoch(absence.start), epoch(absence.end)))
    for day in range(10):
        for booking in fd.booking.bookings_on(date(2026, 11, 23) + timedelta(days=day)):
            if booking.state is BookingState.CANCELLED:
                continue
            service = planner.service(booking.service_id)
            centre = planner.centre_of(service)
            assert booking.counter_id is not None
            counter = next(c for c in centre.counters if c.id == booking.counter_id)
            window = planner.window(service, epoch(booking.start))
            local_day = booking.start.date()
            # Checked through the opening calendar as well as through the planner's spans.
            calendar = planner.calendar(centre)
            assert calendar.is_open(booking.start)
            assert calendar.is_open(booking.end - timedelta(seconds=1))
            # Inside one opening of the centre and the counter's time on duty, buffers included.
            assert any(
                s <= window[0] and window[1] <= e for s, e in planner.opening(centre, local_day)
            )
            duty = planner.on_duty(centre, counter, local_day)
            assert any(s <= window[0] and window[1] <= e for s, e in duty)
            taken.setdefault(counter.id, []).append(window)
            if booking.state is BookingState.BOOKED and booking.id not in (kept or set()):
                for a_start, a_end in away.get(counter.id, []):
                    assert not (a_start < window[1] and window[0] < a_end), booking
    # One counter, one citizen at a time: so never more bookings than counters on duty.
    for windows in taken.values():
        windows.sort()
        for (_, end), (start, _) in itertools.pairwise(windows):
            assert end <= start


DAYS = [date(2026, 11, 23) + timedelta(days=day) for day in range(10)]


def test_bookings_never_exceed_capacity_or_leave_opening_hours(config: Config) -> None:
    """Random bookings, moves, cancellations and absences keep the invariants; a refused
    command changes nothing; and enough of them go through for that to mean something."""
    tally = Tally()

    # The same examples every run: the tally below judges the generator, and a rare
    # unlucky draw of random ones can fail it (one did so in the checkpoint test).
    @settings(
        max_examples=80,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(ops=operations)
    def run(ops: list[tuple[object, ...]]) -> None:
        play(config, ops, tally)

    run()
    # Measured over runs of 80 examples: about half the bookings, a third to a half of the
    # moves and cancellations, nearly every absence and withdrawal go through. The floors
    # sit well below, so only an engine that refuses what it should take trips them.
    tally.check(
        overall=0.3,
        each={"book": 0.15, "cancel": 0.15, "move": 0.1, "absent": 0.5, "withdraw": 0.5},
    )


def play(config: Config, ops: list[tuple[object, ...]], tally: Tally) -> None:
    """Run ``ops`` on a fresh reception, checking the invariants after each."""
    clock = ManualClock(MONDAY)
    fd = Frontdesk.open(
        config, store=":memory:", clock=clock, plugins=make_plugin_manager(load_entrypoints=False)
    )
    oracle = Oracle(booking_state(fd, DAYS), tally)
    planner = SlotPlanner(config, CPH)
    codes: list[str] = []
    kept: set[str] = set()
    absences: list[str] = []
    try:
        for op in ops:
            if op[0] == "book":
                _, service, day, step, channel = op
                booking = oracle.attempt(
                    "book",
                    fd.booking.book,
                    str(service),
                    moment(int(day), int(step)),  # type: ignore[call-overload]
                    contact=Contact(phone=f"2{len(codes):07d}"),
                    channel=str(channel),
                )
                if booking is not None:
                    codes.append(booking.code)
            elif op[0] == "book_free":
                _, service, pick = op
                slots = fd.booking.free_slots(str(service), DAYS[0], DAYS[-1])
                if slots:
                    slot = slots[int(pick) % len(slots)]  # type: ignore[call-overload]
                    booking = oracle.attempt(
                        "book",
                        fd.booking.book,
                        slot.service_id,
                        slot.start,
                        contact=Contact(phone=f"3{len(codes):07d}"),
                    )
                    if booking is not None:
                        codes.append(booking.code)
            elif op[0] == "cancel" and codes:
                code = codes[int(op[1]) % len(codes)]  # type: ignore[call-overload]
                oracle.attempt("cancel", fd.booking.cancel, code)
            elif op[0] == "move_free" and codes:
                _, index, pick = op
                code = codes[int(index) % len(codes)]  # type: ignore[call-overload]
                service_id = fd.booking.find(code).service_id
                slots = fd.booking.free_slots(service_id, DAYS[0], DAYS[-1])
                if slots:
                    start = slots[int(pick) % len(slots)].start  # type: ignore[call-overload]
                    moved = oracle.attempt("move", fd.booking.reschedule, code, start)
                    if moved is not None:
                        kept.discard(moved.id)
            elif op[0] == "move" and codes:
                _, index, day, step = op
                code = codes[int(index) % len(codes)]  # type: ignore[call-overload]
                target = moment(int(day), int(step))  # type: ignore[call-overload]
                moved = oracle.attempt("move", fd.booking.reschedule, code, target)
                if moved is not None:
                    kept.discard(moved.id)  # placed again by the rules
            elif op[0] == "advance":
                clock.advance(minutes=int(op[1]))  # type: ignore[call-overload]
            elif op[0] == "absent":
                _, counter, day, step, length, cancel = op
                start = moment(int(day), int(step))  # type: ignore[call-overload]
                oracle.attempt(
                    "absent",
                    absence_op_run,
                    fd,
                    str(counter),
                    start,
                    int(length),  # type: ignore[call-overload]
                    bool(cancel),
                    absences,
                    kept,
                )
            elif op[0] == "withdraw" and absences:
                absence_id = absences.pop(int(op[1]) % len(absences))  # type: ignore[call-overload]
                oracle.attempt("withdraw", fd.booking.withdraw_absence, absence_id)
            check_invariants(fd, planner, kept)
    finally:
        fd.close()
