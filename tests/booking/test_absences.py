"""Absences: a counter away (sick, on a course) takes no bookings, and its bookings move."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracles import Oracle, Tally, booking_state

from booking.conftest import CPH, at
from booking.test_invariants import absence_op_run, check_invariants
from frontdesk_core.app import Frontdesk
from frontdesk_core.booking.engine import ABSENCE_CANCEL_REASON
from frontdesk_core.booking.records import AbsenceReason, Booking, BookingState, Contact
from frontdesk_core.booking.slots import SlotPlanner
from frontdesk_core.clock import ManualClock
from frontdesk_core.config.models import Config
from frontdesk_core.errors import CapacityError, CommandError, NotFoundError
from frontdesk_core.plugins import make_plugin_manager
from frontdesk_core.testing import HookRecorder, MakeFrontdesk


def passport(fd: Frontdesk, start: datetime, phone: str = "12345678") -> Booking:
    return fd.booking.book("passport", start, contact=Contact(phone=phone, name="Jens"))


def test_an_absent_counter_takes_no_new_bookings(fd: Frontdesk) -> None:
    ten = at(24, 10)
    before = next(
        s for s in fd.booking.free_slots("passport", ten.date(), ten.date()) if s.start == ten
    )
    assert (before.capacity, before.free) == (2, 2)
    fd.booking.add_absence("c2", at(24, 9), at(24, 12), reason="sick")
    slots = {s.start: s for s in fd.booking.free_slots("passport", ten.date(), ten.date())}
    assert (slots[ten].capacity, slots[ten].free) == (1, 1)
    assert slots[at(24, 12, 30)].capacity == 2  # back after noon (c1 had lunch until 12:30)
    assert passport(fd, ten).counter_id == "c1"
    with pytest.raises(CapacityError, match="no longer free"):
        passport(fd, ten, phone="22222222")


def test_bookings_of_the_absent_counter_move_to_a_free_one_quietly(
    fd: Frontdesk, recorder: HookRecorder
) -> None:
    booking = passport(fd, at(24, 10))
    assert booking.counter_id == "c1"
    recorder.calls.clear()
    result = fd.booking.add_absence("c1", at(24, 9), at(24, 15), reason=AbsenceReason.TRAINING)
    assert [b.code for b in result.moved] == [booking.code]
    assert result.moved[0].counter_id == "c2"
    assert result.unplaced == ()
    assert fd.booking.find(booking.code).counter_id == "c2"
    assert fd.booking.find(booking.code).start == booking.start
    # Same time for the citizen: nobody is told, nothing is cancelled or rescheduled.
    assert recorder.named("frontdesk_booking_rescheduled") == []
    assert recorder.named("frontdesk_booking_cancelled") == []
    kinds = [e.kind for e in fd.store.read(kinds=["booking.absence", "booking.reassigned"])]
    assert kinds == ["booking.absence", "booking.reassigned"]
    # The check-in tells the citizen the new counter's place.
    assert result.absence.reason is AbsenceReason.TRAINING
    assert fd.booking.absences(counter_id="c1") == [result.absence]


def test_a_booking_no_counter_can_take_stays_for_the_manager(
    fd: Frontdesk, recorder: HookRecorder
) -> None:
    first = passport(fd, at(24, 10))
    second = passport(fd, at(24, 10), phone="22222222")
    assert {first.counter_id, second.counter_id} == {"c1", "c2"}
    on_c1 = first if first.counter_id == "c1" else second
    result = fd.booking.add_absence("c1", at(24, 9), at(24, 11), reason="sick")
    assert result.moved == ()
    assert [b.code for b in result.unplaced] == [on_c1.code]
    assert not result.cancelled
    kept = fd.booking.find(on_c1.code)
    assert (kept.state, kept.counter_id) == (BookingState.BOOKED, "c1")
    assert recorder.named("frontdesk_booking_cancelled") == []


def test_unplaced_bookings_can_be_cancelled_and_the_citizen_told(
    fd: Frontdesk, recorder: HookRecorder
) -> None:
    first = passport(fd, at(24, 10))
    second = passport(fd, at(24, 10), phone="22222222")
    on_c1 = first if first.counter_id == "c1" else second
    result = fd.booking.add_absence(
        "c1", at(24, 9), at(24, 11), reason="sick", cancel_unplaced=True
    )
    assert result.cancelled and [b.code for b in result.unplaced] == [on_c1.code]
    assert fd.booking.find(on_c1.code).state is BookingState.CANCELLED
    told = recorder.named("frontdesk_booking_cancelled")
    assert [(c["booking"].code, c["reason"]) for c in told] == [(on_c1.code, ABSENCE_CANCEL_REASON)]
    assert told[0]["contact"].phone is not None  # the SMS plugin can tell the citizen
    assert fd.store.get_personal(f"booking:{on_c1.id}") is None


def test_two_bookings_never_move_onto_the_same_free_counter(fd: Frontdesk) -> None:
    # Two tax bookings on c1 (the only tax counter) cannot move; two passports at 10:00 and
    # 10:15 on c1 both fit c2 in turn.
    a = passport(fd, at(24, 10))
    b = passport(fd, at(24, 10, 15), phone="22222222")
    assert (a.counter_id, b.counter_id) == ("c1", "c1")
    result = fd.booking.add_absence("c1", at(24, 10), at(24, 10, 30), reason="meeting")
    assert sorted(x.counter_id or "" for x in result.moved) == ["c2", "c2"]
    with pytest.raises(CapacityError):  # c1 away, c2 taken by the move
        passport(fd, at(24, 10), phone="33333333")


def test_a_withdrawn_absence_opens_the_counter_again(fd: Frontdesk) -> None:
    result = fd.booking.add_absence("c2", at(24, 9), at(24, 15), reason="leave")
    assert fd.booking.withdraw_absence(result.absence.id) == result.absence
    assert fd.booking.absences() == []
    slots = fd.booking.free_slots("passport", at(24, 10).date(), at(24, 10).date())
    assert next(s for s in slots if s.start == at(24, 10)).capacity == 2
    with pytest.raises(NotFoundError, match="no absence"):
        fd.booking.withdraw_absence(result.absence.id)


def test_absences_are_durable_and_seen_by_other_processes(
    make_frontdesk: MakeFrontdesk, config: Config, clock: ManualClock, tmp_path: object
) -> None:
    db = f"{tmp_path}/absence.db"
    kiosk = make_frontdesk(config, clock=clock, store=db)
    web = make_frontdesk(config, clock=clock, store=db)
    booking = passport(kiosk, at(24, 10))
    kiosk.booking.add_absence("c1", at(24, 9), at(24, 15), reason="sick")
    assert web.booking.find(booking.code).counter_id == "c2"
    assert [a.counter_id for a in web.booking.absences(day=at(24, 9).date())] == ["c1"]
    restarted = make_frontdesk(config, clock=clock, store=db)
    slot = next(
        s
        for s in restarted.booking.free_slots("passport", at(24, 11).date(), at(24, 11).date())
        if s.start == at(24, 11)
    )
    assert slot.capacity == 1


@pytest.mark.parametrize(
    ("counter", "start", "end", "reason", "message"),
    [
        ("c9", at(24, 9), at(24, 10), "sick", "unknown counter 'c9'"),
        ("c1", at(24, 10), at(24, 9), "sick", "must end after it starts"),
        ("c1", at(23, 7), at(23, 8), "sick", "over already"),
        ("c1", at(24, 9), at(24, 10), "hangover", "unknown absence reason 'hangover'"),
        ("c1", datetime(2026, 11, 24, 9), at(24, 10), "sick", "needs times with a timezone"),
    ],
)
def test_a_bad_absence_is_refused_and_changes_nothing(
    fd: Frontdesk, counter: str, start: datetime, end: datetime, reason: str, message: str
) -> None:
    before = fd.store.last_seq()
    with pytest.raises(CommandError, match=message):
        fd.booking.add_absence(counter, start, end, reason=reason)
    assert fd.store.last_seq() == before


tuesday_op = st.one_of(
    st.tuples(st.just("book"), st.integers(36, 56), st.sampled_from(["passport", "tax"])),
    st.tuples(
        st.just("absent"),
        st.sampled_from(["c1", "c2"]),
        st.integers(36, 56),
        st.integers(1, 12),
        st.booleans(),
    ),
    st.tuples(st.just("withdraw"), st.integers(0, 9)),
    st.tuples(st.just("cancel"), st.integers(0, 30)),
)


def test_absences_never_let_a_booking_sit_with_a_counter_that_is_away(config: Config) -> None:
    tally = Tally()

    # The same examples every run: the tally below judges the generator, and a rare
    # unlucky draw of random ones can fail it (one did so in the checkpoint test).
    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(ops=st.lists(tuesday_op, min_size=5, max_size=40))
    def run(ops: list[tuple[object, ...]]) -> None:
        play_tuesday(config, ops, tally)

    run()
    # Measured over runs of 60 examples: about 60% of the bookings, half the cancellations and
    # nearly every absence and withdrawal go through; the floors sit well below that.
    tally.check(overall=0.3, each={"book": 0.2, "absent": 0.3, "withdraw": 0.5, "cancel": 0.2})


def play_tuesday(config: Config, ops: list[tuple[object, ...]], tally: Tally) -> None:
    """Bookings and absences on one Tuesday; the invariants after every command."""
    fd = Frontdesk.open(
        config,
        store="memory://",
        clock=ManualClock(datetime(2026, 11, 23, 9, 0, tzinfo=CPH)),
        plugins=make_plugin_manager(load_entrypoints=False),
    )
    tuesday = datetime(2026, 11, 24, tzinfo=CPH)
    oracle = Oracle(booking_state(fd, [tuesday.date()]), tally)
    planner = SlotPlanner(config, CPH)
    codes: list[str] = []
    absences: list[str] = []
    kept: set[str] = set()
    try:
        for op in ops:
            if op[0] == "book":
                start = tuesday + timedelta(minutes=15 * int(op[1]))  # type: ignore[call-overload]
                made = oracle.attempt(
                    "book",
                    fd.booking.book,
                    str(op[2]),
                    start,
                    contact=Contact(phone=f"2{len(codes):07d}"),
                )
                if made is not None:
                    codes.append(made.code)
            elif op[0] == "absent":
                _, counter, step, length, cancel = op
                start = tuesday + timedelta(minutes=15 * int(step))  # type: ignore[call-overload]
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
            elif op[0] == "cancel" and codes:
                code = codes[int(op[1]) % len(codes)]  # type: ignore[call-overload]
                oracle.attempt("cancel", fd.booking.cancel, code)
            check_invariants(fd, planner, kept)
    finally:
        fd.close()
