"""Every accept and refuse of the booking engine agrees with a brute-force oracle
(hypothesis): on small random centres a time is offered, and a booking, a move or a
booking kept through an absence goes through, exactly when some assignment of all the
bookings to counters that serve them exists."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from booking.conftest import CPH
from frontdesk_core.app import Frontdesk
from frontdesk_core.booking.records import BookingState, Contact
from frontdesk_core.clock import ManualClock
from frontdesk_core.config.models import Config
from frontdesk_core.errors import CapacityError
from frontdesk_core.plugins import make_plugin_manager

DAY = date(2026, 11, 24)  # a Tuesday; the clock stands on the Monday before
OPEN = datetime(2026, 11, 24, 9, 0, tzinfo=CPH)
MINUTES = 120  # open 09:00-11:00
HOURS = {"09:00-11:00": (0, 120), "09:00-10:00": (0, 60), "09:30-11:00": (30, 120)}
WEEK = ("mon", "tue", "wed", "thu", "fri")


@dataclass(frozen=True)
class Centre:
    """A small random centre: counters with their booking hours, services with theirs."""

    hours: tuple[str, ...]
    """Per counter ``c1``, ``c2``, ...: its booking hours."""
    services: tuple[tuple[int, int, tuple[int, ...]], ...]
    """Per service ``s1``, ``s2``, ...: duration, buffer after (minutes), counters."""

    def window(self, service: int, start: int) -> tuple[int, int]:
        duration, after, _ = self.services[service]
        return start, start + duration + after

    def data(self) -> dict[str, Any]:
        counters = [f"c{n + 1}" for n in range(len(self.hours))]
        return {
            "site": {"id": "small", "name": "Small", "languages": ["da"]},
            "centres": [
                {
                    "id": "main",
                    "name": {"da": "Borgerservice"},
                    "address": "Torvet 1",
                    "opening_hours": dict.fromkeys(WEEK, "09:00-11:00"),
                    "queues": [{"id": "q", "name": {"da": "Kø"}, "prefix": "A"}],
                    "counters": [
                        {
                            "id": cid,
                            "name": {"da": cid},
                            "queues": ["q"],
                            "booking_hours": dict.fromkeys(WEEK, hours),
                        }
                        for cid, hours in zip(counters, self.hours, strict=True)
                    ],
                }
            ],
            "services": [
                {
                    "id": f"s{n + 1}",
                    "name": {"da": f"Ærinde {n + 1}"},
                    "queue": "q",
                    "booking": {
                        "duration": f"{duration} min",
                        "buffer_after": f"{after} min",
                        "slot_step": "15 min",
                        "min_notice": "0 min",
                        "counters": [counters[c] for c in serving],
                    },
                }
                for n, (duration, after, serving) in enumerate(self.services)
            ],
        }


@st.composite
def centres(draw: st.DrawFn) -> Centre:
    size = draw(st.integers(2, 5))
    hours = tuple(draw(st.sampled_from(sorted(HOURS))) for _ in range(size))
    subsets = st.lists(st.integers(0, size - 1), min_size=1, max_size=size, unique=True)
    services = tuple(
        (
            draw(st.sampled_from([15, 30, 45])),
            draw(st.sampled_from([0, 0, 15])),
            tuple(sorted(draw(subsets))),
        )
        for _ in range(draw(st.integers(2, 4)))
    )
    return Centre(hours, services)


operations = st.lists(
    st.one_of(
        st.tuples(st.just("book"), st.integers(0, 3), st.integers(0, 7)),
        # Mostly one of the times offered: the counters fill up, and room must be made.
        *[st.tuples(st.just("book_free"), st.integers(0, 3), st.integers(0, 20))] * 4,
        st.tuples(st.just("cancel"), st.integers(0, 30)),
        st.tuples(st.just("move"), st.integers(0, 30), st.integers(0, 7)),
        st.tuples(st.just("absent"), st.integers(0, 4), st.integers(0, 7), st.integers(1, 8)),
        st.tuples(st.just("withdraw"), st.integers(0, 5)),
    ),
    min_size=20,
    max_size=40,
)


class Oracle:
    """The bookings and absences as plain numbers (minutes after opening), and whether
    they fit, by trying every assignment."""

    def __init__(self, centre: Centre) -> None:
        self.centre = centre
        self.booked: dict[str, tuple[int, int]] = {}
        """Booking id -> (service, start)."""
        self.away: dict[str, tuple[int, int, int]] = {}
        """Absence id -> (counter, start, end)."""

    def counters(self, service: int, start: int) -> list[int]:
        w_start, w_end = self.centre.window(service, start)
        out = []
        for counter in self.centre.services[service][2]:
            on, off = HOURS[self.centre.hours[counter]]
            absent = any(
                c == counter and a < w_end and w_start < b for c, a, b in self.away.values()
            )
            if on <= w_start and w_end <= min(off, MINUTES) and not absent:
                out.append(counter)
        return out

    def fits(self, bookings: list[tuple[int, int]]) -> bool:
        """Whether every booking can have a counter of its own for its whole window."""
        taken: dict[int, list[tuple[int, int]]] = {}

        def seat(i: int) -> bool:
            if i == len(bookings):
                return True
            service, start = bookings[i]
            w_start, w_end = self.centre.window(service, start)
            for counter in self.counters(service, start):
                spans = taken.setdefault(counter, [])
                if all(w_end <= a or b <= w_start for a, b in spans):
                    spans.append((w_start, w_end))
                    if seat(i + 1):
                        return True
                    spans.pop()
            return False

        return seat(0)

    def fits_with(self, service: int, start: int, without: str | None = None) -> bool:
        others = [b for key, b in self.booked.items() if key != without]
        return self.fits([*others, (service, start)])


def test_the_engine_accepts_exactly_what_fits(
    load: Callable[[dict[str, Any]], Config],
) -> None:
    moved: list[int] = []

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(centre=centres(), ops=operations)
    def run(centre: Centre, ops: list[tuple[int | str, ...]]) -> None:
        fd = Frontdesk.open(
            load(centre.data()),
            store=":memory:",
            clock=ManualClock(OPEN - timedelta(days=1)),
            plugins=make_plugin_manager(load_entrypoints=False),
        )
        try:
            play(fd, centre, ops)
            moved.append(len(list(fd.store.read(kinds=["booking.reassigned"]))))
        finally:
            fd.close()

    run()
    # Runs did make room by moving bookings, so the matching was put to work. Measured over
    # ten runs of 60 examples: 12-34 runs move some, and one run in the full suite only 3;
    # the floor asks for evidence that it moves at all.
    assert sum(1 for n in moved if n) >= 2, moved


def play(fd: Frontdesk, centre: Centre, ops: list[tuple[int | str, ...]]) -> None:
    oracle = Oracle(centre)
    services = len(centre.services)
    codes: dict[str, str] = {}
    for op in ops:
        kind = op[0]
        if kind in ("book", "book_free"):
            service, start = int(op[1]) % services, 15 * int(op[2])
            if kind == "book_free":
                offered = fd.booking.free_slots(f"s{service + 1}", DAY, DAY)
                if not offered:
                    continue
                pick = offered[int(op[2]) % len(offered)].start
                start = int((pick - OPEN).total_seconds()) // 60
            expected = oracle.fits_with(service, start)
            try:
                made = fd.booking.book(
                    f"s{service + 1}", OPEN + timedelta(minutes=start), contact=Contact()
                )
            except CapacityError:
                assert not expected, f"refused s{service + 1} at +{start} min, which fits"
            else:
                assert expected, f"accepted s{service + 1} at +{start} min, which does not fit"
                oracle.booked[made.id] = (service, start)
                codes[made.id] = made.code
        elif kind == "cancel" and oracle.booked:
            key = sorted(oracle.booked)[int(op[1]) % len(oracle.booked)]
            fd.booking.cancel(codes[key])
            del oracle.booked[key]
        elif kind == "move" and oracle.booked:
            key = sorted(oracle.booked)[int(op[1]) % len(oracle.booked)]
            service, start = oracle.booked[key][0], 15 * int(op[2])
            expected = oracle.fits_with(service, start, without=key)
            try:
                fd.booking.reschedule(codes[key], OPEN + timedelta(minutes=start))
            except CapacityError:
                assert not expected, f"refused to move s{service + 1} to +{start} min"
            else:
                assert expected, f"moved s{service + 1} to +{start} min, which does not fit"
                oracle.booked[key] = (service, start)
        elif kind == "absent":
            counter = int(op[1]) % len(centre.hours)
            start, end = 15 * int(op[2]), 15 * (int(op[2]) + int(op[3]))
            result = fd.booking.add_absence(
                f"c{counter + 1}",
                OPEN + timedelta(minutes=start),
                OPEN + timedelta(minutes=end),
                cancel_unplaced=True,
            )
            oracle.away[result.absence.id] = (counter, start, end)
            gone = {b.id: oracle.booked.pop(b.id) for b in result.unplaced}
            # Those kept fit; each one cancelled fits with no assignment of those kept.
            assert oracle.fits(list(oracle.booked.values()))
            for service, start in gone.values():
                assert not oracle.fits_with(service, start), "cancelled one that fits"
        elif kind == "withdraw" and oracle.away:
            key = sorted(oracle.away)[int(op[1]) % len(oracle.away)]
            fd.booking.withdraw_absence(key)
            del oracle.away[key]
        check(fd, oracle, services)


def check(fd: Frontdesk, oracle: Oracle, services: int) -> None:
    """The engine's counters are a valid assignment, and it offers exactly the times that
    fit."""
    seats: dict[str, list[tuple[int, int]]] = {}
    for booking in fd.booking.bookings_on(DAY):
        if booking.state is not BookingState.BOOKED:
            continue
        service, start = oracle.booked[booking.id]
        assert booking.counter_id is not None
        assert int(booking.counter_id[1:]) - 1 in oracle.counters(service, start)
        seats.setdefault(booking.counter_id, []).append(oracle.centre.window(service, start))
    for windows in seats.values():
        windows.sort()
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(windows))
    assert len(oracle.booked) == sum(map(len, seats.values()))
    for service in range(services):
        offered = {
            int((s.start - OPEN).total_seconds()) // 60
            for s in fd.booking.free_slots(f"s{service + 1}", DAY, DAY)
        }
        fits = {start for start in range(0, MINUTES, 15) if oracle.fits_with(service, start)}
        assert offered == fits, f"s{service + 1}: offered {sorted(offered)}, fits {sorted(fits)}"
