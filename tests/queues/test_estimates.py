"""Wait estimates: the formula on hand-made states, and against a simulated day."""

from __future__ import annotations

import random
import statistics
from collections import deque
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from frontdesk_core.app import Frontdesk
from frontdesk_core.clock import ManualClock
from frontdesk_core.queues.counters import CounterState, CounterStatus
from frontdesk_core.queues.estimates import (
    WaitEstimate,
    capacity,
    counter_time,
    minutes_for,
    people_ahead,
)
from frontdesk_core.queues.state import LiveState
from frontdesk_core.queues.tickets import Ticket, TicketState


def _state(*counters: CounterState, recent: list[float] | None = None) -> LiveState:
    state = LiveState(counters={c.id: c for c in counters})
    if recent is not None:
        state.recent["pass"] = deque(recent)
    return state


def test_no_estimate_without_an_open_counter_or_any_history() -> None:
    closed = CounterState("c1", "main", ("pass",))
    assert minutes_for(_state(closed, recent=[300.0]), "pass", 3) is None
    opened = CounterState("c1", "main", ("pass",), CounterStatus.OPEN, ticket_id="x")
    assert minutes_for(_state(opened), "pass", 3) is None
    assert minutes_for(_state(opened), "pass", 3, fallback=600.0) == 40  # 4 x 10 min


def test_a_free_counter_calls_at_once() -> None:
    free = CounterState("c1", "main", ("pass",), CounterStatus.OPEN)
    assert minutes_for(_state(free, recent=[300.0]), "pass", 0) == 0


def test_busy_counters_share_the_line() -> None:
    busy = [
        CounterState(f"c{i}", "main", ("pass",), CounterStatus.OPEN, ticket_id=f"t{i}")
        for i in range(2)
    ]
    state = _state(*busy, recent=[240.0, 360.0])  # mean 5 minutes
    assert counter_time(state, "pass") == 300.0
    assert capacity(state, "pass") == (2.0, 0)
    assert minutes_for(state, "pass", 0) == 3  # 1 x 5 / 2 = 2.5, rounded up
    assert minutes_for(state, "pass", 3) == 10  # 4 x 5 / 2


def test_a_counter_serving_two_queues_counts_half() -> None:
    shared = CounterState("c1", "main", ("pass", "tax"), CounterStatus.OPEN, ticket_id="t")
    paused = CounterState("c2", "main", ("pass",), CounterStatus.PAUSED)
    state = _state(shared, paused, recent=[600.0])
    assert capacity(state, "pass") == (0.5, 0)
    assert minutes_for(state, "pass", 1) == 40  # 2 x 10 / 0.5


BASE_TIME = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))


@given(
    line=st.lists(
        st.tuples(
            st.integers(0, 3),  # priority
            st.integers(0, 30),  # arrived, minutes after 09:00
            st.one_of(st.none(), st.integers(0, 60)),  # appointment, minutes after 09:00
        ),
        min_size=1,
        max_size=12,
    ),
    now=st.integers(0, 60),
    which=st.integers(0, 11),
)
def test_people_ahead_are_those_the_policy_calls_first(
    line: list[tuple[int, int, int | None]], now: int, which: int
) -> None:
    """Counted as the module text says: booked tickets whose time has come, then higher
    priority, then earlier arrival (ties of all three: nobody ahead of the other)."""

    def minutes(m: int) -> datetime:
        return BASE_TIME + timedelta(minutes=m)

    tickets = [
        Ticket(
            f"t{i}",
            f"P{i:03d}",
            "pass",
            "main",
            TicketState.WAITING,
            minutes(arrived),
            minutes(arrived),
            priority=priority,
            appointment_at=None if at is None else minutes(at),
        )
        for i, (priority, arrived, at) in enumerate(line)
    ]
    state = LiveState(waiting={"pass": {t.id: t for t in tickets}})
    moment = minutes(now)

    def rank(t: Ticket) -> tuple[bool, int, datetime]:
        due = t.appointment_at is not None and t.appointment_at <= moment
        return (not due, -t.priority, t.arrived_at)

    mine = tickets[which % len(tickets)]
    expected = sum(1 for t in tickets if t.id != mine.id and rank(t) < rank(mine))
    assert people_ahead(state, mine, moment) == expected


def test_ticket_estimates_count_people_ahead(fd: Frontdesk, clock: ManualClock) -> None:
    first = fd.queues.issue("pass")
    clock.advance(minutes=1)
    second = fd.queues.issue("pass")
    vip = fd.queues.issue("pass", priority=5)
    assert fd.queues.estimate(first.id) == WaitEstimate(1, None)  # nobody open yet
    fd.queues.sign_in("c3", "AB")
    # No history: the booked duration of the queue's service (10 min) is the first guess.
    assert fd.queues.estimate(second.id) == WaitEstimate(2, 20)
    assert fd.queues.estimate(vip.id).people_ahead == 0
    called = fd.queues.call_next("c3")
    assert called is not None and fd.queues.estimate(called.id) == WaitEstimate(0, 0)
    status = {q.queue_id: q for q in fd.queues.queue_status("main")}
    assert status["pass"].waiting == 2


def test_estimates_match_a_simulated_day(fd: Frontdesk, clock: ManualClock) -> None:
    """An M/M/3 queue at 85 % load for 23 hours driven through the engine on the manual clock.

    The mean estimate given at issue is compared with the mean wait that followed.
    """
    rng = random.Random(7)
    clock.set(clock.now().replace(hour=4, minute=5) + timedelta(days=1))  # a whole day
    counters = ["c1", "c2", "c3"]
    for counter in counters:
        fd.queues.assign_queues(counter, ["pass"])
        fd.queues.sign_in(counter, counter.upper())
    mean_service, load = 3.0, 0.85
    rate = load * len(counters) / mean_service  # arrivals per minute
    now = 0.0
    next_arrival = rng.expovariate(rate)
    busy_until: dict[str, float] = {}
    estimates: dict[str, int] = {}
    waits: dict[str, float] = {}
    while now < 23 * 60:
        # The next thing to happen: an arrival, or a counter finishing.
        finishing = min(busy_until.items(), key=lambda kv: kv[1], default=None)
        if finishing is not None and finishing[1] <= next_arrival:
            counter, at = finishing
            clock.advance(timedelta(minutes=at - now))
            now = at
            fd.queues.finish(counter)
            del busy_until[counter]
        else:
            clock.advance(timedelta(minutes=next_arrival - now))
            now = next_arrival
            ticket = fd.queues.issue("pass")
            estimate = fd.queues.estimate(ticket.id).minutes
            if estimate is not None and len(fd.queues.state.recent.get("pass", ())) >= 20:
                estimates[ticket.id] = estimate
            next_arrival = now + rng.expovariate(rate)
        for counter in counters:
            if counter not in busy_until:
                called = fd.queues.call_next(counter)
                if called is not None:
                    waits[called.id] = (called.called_at - called.issued_at).total_seconds() / 60
                    busy_until[counter] = now + rng.expovariate(1 / mean_service)
    judged = [t for t in estimates if t in waits]
    assert len(judged) > 800
    predicted = statistics.fmean(estimates[t] for t in judged)
    actual = statistics.fmean(waits[t] for t in judged)
    # Minutes are rounded up, so the estimate leans half a minute long on average.
    assert abs(predicted - 0.5 - actual) < 0.2 * actual + 0.5, (predicted, actual)
    # Longer lines are told longer waits: the estimate follows the real wait.
    pairs = [(estimates[t], waits[t]) for t in judged]
    assert statistics.correlation([p for p, _ in pairs], [w for _, w in pairs]) > 0.5
