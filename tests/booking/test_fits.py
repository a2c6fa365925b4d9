"""The seating match's kept answers give exactly what asking the match afresh gives, after
any bookings, moves, cancellations, check-ins, no-shows, absences and time passing, made by
this engine or by another one on the same store; and without the reducer dropping them on
each kind of event (or on time passing), they would not."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from booking.conftest import CPH, at
from frontdesk_core.app import Frontdesk
from frontdesk_core.booking.fits import Answer, Fits, Key
from frontdesk_core.booking.ledger import Ledger
from frontdesk_core.booking.records import Contact
from frontdesk_core.booking.slots import Slot
from frontdesk_core.clock import ManualClock
from frontdesk_core.config.models import Config
from frontdesk_core.errors import FrontdeskError
from frontdesk_core.events.log import Event
from frontdesk_core.plugins import make_plugin_manager
from frontdesk_core.store.memory import MemoryStore

SERVICES = ("passport", "tax", "permit")
DAYS = [date(2026, 11, 23) + timedelta(days=day) for day in range(4)]
TUESDAY = date(2026, 11, 24)


def open_pair(config: Config, clock: ManualClock) -> tuple[Frontdesk, Frontdesk]:
    """Two engines on one store, as two processes sharing a log."""
    store = MemoryStore()
    return tuple(  # type: ignore[return-value]
        Frontdesk.open(
            config, store=store, clock=clock, plugins=make_plugin_manager(load_entrypoints=False)
        )
        for _ in range(2)
    )


def ledger_of(fd: Frontdesk) -> Ledger:
    """The engine's ledger, whose kept answers are under test."""
    return fd.booking._journal.ledger


def answers(fd: Frontdesk, days: list[date]) -> list[list[Slot]]:
    """Every start time with its room (full ones too), the free slots within notice and
    horizon, and the next free times today: each asks the match of every full time."""
    out = []
    for service in SERVICES:
        out.append(fd.booking.schedule(service, days[0], days[-1]))
        out.append(fd.booking.free_slots(service, days[0], days[-1]))
        out.append(fd.booking.next_free_today(service))
    return out


def afresh(fd: Frontdesk, days: list[date]) -> list[list[Slot]]:
    """:func:`answers` with the match asked again for every full time."""
    ledger = ledger_of(fd)
    kept = ledger._fits
    ledger._fits = Fits()
    try:
        return answers(fd, days)
    finally:
        ledger._fits = kept


codes_ = st.integers(0, 40)
operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("book"), st.sampled_from(SERVICES), st.integers(0, 3), st.integers(0, 48)
        ),
        st.tuples(st.just("book_free"), st.sampled_from(SERVICES), st.integers(0, 300)),
        st.tuples(st.just("cancel"), codes_),
        st.tuples(st.just("move_free"), codes_, st.integers(0, 300)),
        st.tuples(st.just("arrive"), codes_, st.integers(-10, 40)),
        st.tuples(st.just("advance"), st.integers(1, 240)),
        st.tuples(st.just("no_shows")),
        st.tuples(st.just("absent"), st.sampled_from(["c1", "c2"]), st.integers(0, 3)),
        st.tuples(st.just("withdraw"), st.integers(0, 5)),
    ),
    min_size=5,
    max_size=40,
)


def on_day(day: int, hours: int, quarters: int = 0) -> datetime:
    """``hours`` and ``quarters`` of an hour into the ``day``-th day of :data:`DAYS`."""
    midnight = datetime.combine(DAYS[day], time(0), CPH)
    return midnight + timedelta(hours=hours, minutes=15 * quarters)


def step(
    fd: Frontdesk, clock: ManualClock, op: tuple[Any, ...], codes: list[str], absences: list[str]
) -> None:
    """Run one operation on ``fd`` (refusals change nothing and are ignored)."""
    kind = op[0]
    if kind == "book":
        start = on_day(op[2], 9, op[3])
        codes.append(fd.booking.book(op[1], start, contact=Contact()).code)
    elif kind == "book_free":
        slots = fd.booking.free_slots(op[1], DAYS[0], DAYS[-1])
        if slots:
            slot = slots[op[2] % len(slots)]
            codes.append(fd.booking.book(slot.service_id, slot.start, contact=Contact()).code)
    elif kind == "cancel" and codes:
        fd.booking.cancel(codes[op[1] % len(codes)])
    elif kind == "move_free" and codes:
        code = codes[op[1] % len(codes)]
        slots = fd.booking.free_slots(fd.booking.find(code).service_id, DAYS[0], DAYS[-1])
        if slots:
            fd.booking.reschedule(code, slots[op[2] % len(slots)].start)
    elif kind == "arrive" and codes:
        # The citizen comes some minutes before (or after) the appointment.
        code = codes[op[1] % len(codes)]
        when = fd.booking.find(code).start - timedelta(minutes=op[2])
        if when > clock.now():
            clock.set(when)
        fd.booking.check_in(code)
    elif kind == "advance":
        clock.advance(minutes=op[1])
    elif kind == "no_shows":
        fd.booking.mark_no_shows()
    elif kind == "absent":
        start = on_day(op[2], 10)
        absence = fd.booking.add_absence(op[1], start, start + timedelta(hours=2), reason="sick")
        absences.append(absence.absence.id)
    elif kind == "withdraw" and absences:
        fd.booking.withdraw_absence(absences.pop(op[1] % len(absences)))


def play(config: Config, ops: list[tuple[Any, ...]], writers: list[int]) -> None:
    """Run ``ops`` (each on the engine ``writers`` names in turn), and after each check
    that both engines' kept answers are what asking afresh gives."""
    clock = ManualClock(datetime(2026, 11, 23, 8, 0, tzinfo=CPH))
    engines = open_pair(config, clock)
    codes: list[str] = []
    absences: list[str] = []
    try:
        for n, op in enumerate(ops):
            with suppress(FrontdeskError):
                step(engines[writers[n % len(writers)]], clock, op, codes, absences)
            for engine in engines:
                assert answers(engine, DAYS) == afresh(engine, DAYS)
    finally:
        for engine in engines:
            engine.close()


def test_kept_answers_are_what_the_match_answers_afresh(config: Config) -> None:
    """Random commands on two engines sharing a store: after each, every slot list of
    either engine is the same with its kept answers as with the match asked again."""

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(ops=operations, writers=st.lists(st.integers(0, 1), min_size=1, max_size=4))
    def run(ops: list[tuple[Any, ...]], writers: list[int]) -> None:
        play(config, ops, writers)

    run()


# -- each way an answer goes stale, and that the comparison sees it ----------------------------


@contextmanager
def deaf_to(kind: str) -> Iterator[None]:
    """The reducer applies events of ``kind`` without dropping any kept answer."""
    apply = Ledger._apply

    def _apply(self: Ledger, event: Event) -> None:
        if event.kind != kind:
            apply(self, event)
            return
        kept, self._fits = self._fits, Fits()
        try:
            apply(self, event)
        finally:
            self._fits = kept

    Ledger._apply = _apply  # type: ignore[method-assign]
    try:
        yield
    finally:
        Ledger._apply = apply  # type: ignore[method-assign]


@contextmanager
def timeless() -> Iterator[None]:
    """Kept answers held whatever the clock says."""
    get = Fits.get

    def _get(self: Fits, key: Key, now: int) -> Answer | None:
        answer = self._answers.get(key)
        return None if answer is None else get(self, key, answer.since)

    Fits.get = _get  # type: ignore[method-assign]
    try:
        yield
    finally:
        Fits.get = get  # type: ignore[method-assign]


def book(fd: Frontdesk, service: str, hour: int, minute: int = 0) -> str:
    """Book Tuesday ``hour:minute``; the booking's code."""
    return fd.booking.book(service, at(24, hour, minute), contact=Contact()).code


def passport_on_c1(fd: Frontdesk, clock: ManualClock) -> str:
    """A passport at Tuesday 10:00 on ``c1``: tax at 10:00 (``c1`` only) fits by moving it
    to ``c2``, which the slot lists ask the match (and keep)."""
    code = book(fd, "passport", 10)
    assert fd.booking.find(code).counter_id == "c1"
    return code


def both_counters(fd: Frontdesk, clock: ManualClock) -> str:
    """Passports at Tuesday 10:00 on ``c1`` and ``c2``: tax at 10:00 does not fit."""
    book(fd, "passport", 10)
    return book(fd, "passport", 10)


def second_passport(fd: Frontdesk, clock: ManualClock, code: str) -> None:
    book(fd, "passport", 10)


def cancel(fd: Frontdesk, clock: ManualClock, code: str) -> None:
    fd.booking.cancel(code)


def reschedule(fd: Frontdesk, clock: ManualClock, code: str) -> None:
    fd.booking.reschedule(code, at(24, 11))


def check_in(fd: Frontdesk, clock: ManualClock, code: str) -> None:
    clock.set(at(24, 9, 45))
    fd.booking.check_in(code)


def absence(fd: Frontdesk, clock: ManualClock, code: str) -> None:
    fd.booking.add_absence("c2", at(24, 9), at(24, 11), reason="sick")


def begin(fd: Frontdesk, clock: ManualClock, code: str) -> None:
    clock.set(at(24, 10))


CHANGES = [
    ("booking.created", passport_on_c1, second_passport),
    ("booking.cancelled", both_counters, cancel),
    ("booking.rescheduled", both_counters, reschedule),
    ("booking.checked_in", passport_on_c1, check_in),
    ("booking.absence", passport_on_c1, absence),
    ("time", passport_on_c1, begin),
]


@pytest.mark.parametrize(("kind", "setup", "change"), CHANGES, ids=[c[0] for c in CHANGES])
@pytest.mark.parametrize("writer", [0, 1], ids=["same engine", "other engine"])
@pytest.mark.parametrize("deaf", [False, True], ids=["heard", "deaf"])
def test_an_answer_goes_stale_only_unheard(
    config: Config,
    kind: str,
    setup: Callable[[Frontdesk, ManualClock], str],
    change: Callable[[Frontdesk, ManualClock, str], None],
    writer: int,
    deaf: bool,
) -> None:
    """A change near a kept answer changes the slot lists; the kept answers follow it when
    the reducer hears the change (from this engine or from the log), and only then."""
    clock = ManualClock(at(23, 9))
    engines = open_pair(config, clock)
    reader = engines[0]
    try:
        code = setup(reader, clock)
        before = answers(reader, [TUESDAY])
        assert len(ledger_of(reader).fits) > 0
        with timeless() if kind == "time" and deaf else deaf_to(kind if deaf else ""):
            change(engines[writer], clock, code)
            after = answers(reader, [TUESDAY])
            fresh = afresh(reader, [TUESDAY])
        assert fresh != before  # the change matters to the slot lists
        assert (after == fresh) is not deaf
    finally:
        for engine in engines:
            engine.close()
