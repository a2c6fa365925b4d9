"""Call-next policies: the built-in ones, a counter's own, and one from a plugin."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk_core.app import Frontdesk
from frontdesk_core.clock import ManualClock
from frontdesk_core.config.models import Config, Counter
from frontdesk_core.errors import PluginError
from frontdesk_core.hookspecs import hookimpl
from frontdesk_core.queues.policies import FifoPolicy, ServiceLevelPolicy
from frontdesk_core.queues.policy import CallPolicy, Waiting
from frontdesk_core.queues.tickets import Ticket, TicketState
from frontdesk_core.store import SqliteStore
from queues.conftest import START, hooks_with


def _ticket(
    n: int,
    queue: str,
    minutes_ago: float,
    *,
    priority: int = 0,
    appointment_in: float | None = None,
    arrived: datetime | None = None,
) -> Ticket:
    if arrived is None:
        arrived = START - timedelta(minutes=minutes_ago)
    return Ticket(
        id=f"t{n}",
        number=f"X{n:03d}",
        queue_id=queue,
        centre_id="main",
        state=TicketState.WAITING,
        issued_at=arrived,
        arrived_at=arrived,
        priority=priority,
        appointment_at=START + timedelta(minutes=appointment_in)
        if appointment_in is not None
        else None,
    )


def _counter(config: Config) -> Counter:
    return config.centre("main").counters[0]


def test_service_level_order(config: Config) -> None:
    policy = ServiceLevelPolicy()
    counter = _counter(config)
    old_pass = _ticket(1, "pass", 12)  # 12 of 15 minutes: 80 %
    tax = _ticket(2, "tax", 9)  # 9 of 10 minutes: 90 %
    vip = _ticket(3, "pass", 1, priority=3)
    booked_due = _ticket(4, "pass", 0, appointment_in=-1)
    booked_later = _ticket(5, "pass", 30, appointment_in=10)
    assert policy.choose([old_pass, tax], counter, START, config) == tax
    assert policy.choose([old_pass, tax, vip], counter, START, config) == vip
    assert policy.choose([old_pass, tax, vip, booked_due], counter, START, config) == booked_due
    # A booking not yet due waits like anyone else (by its arrival).
    assert policy.choose([booked_later, tax], counter, START, config) == booked_later
    assert policy.choose([], counter, START, config) is None


def test_fifo_ignores_priority(config: Config) -> None:
    first = _ticket(1, "pass", 5)
    vip = _ticket(2, "pass", 1, priority=9)
    assert FifoPolicy().choose([vip, first], _counter(config), START, config) == first


def test_a_counter_with_the_fifo_policy_calls_by_arrival(fd: Frontdesk, clock: ManualClock) -> None:
    first = fd.queues.issue("pass")
    clock.advance(minutes=1)
    vip = fd.queues.issue("pass", priority=5)
    fd.queues.sign_in("c3", "AB")  # c3 is configured with call_policy: fifo
    fd.queues.sign_in("c1", "CD")
    called = fd.queues.call_next("c3")
    assert called is not None and called.id == first.id
    fd.queues.put_back("c3")
    other = fd.queues.call_next("c1")  # the centre's service_level policy
    assert other is not None and other.id == vip.id


class NewestFirst:
    """A plugin's policy: the newest arrival first."""

    def choose(
        self, waiting: Sequence[Ticket], counter: Counter, now: datetime, config: Config
    ) -> Ticket | None:
        return max(waiting, key=lambda t: t.arrived_at) if waiting else None


class Rogue:
    """A broken policy that invents a ticket."""

    def choose(
        self, waiting: Sequence[Ticket], counter: Counter, now: datetime, config: Config
    ) -> Ticket | None:
        return _ticket(99, "pass", 0)


class PolicyPlugin:
    """Registers the two policies above."""

    @hookimpl
    def frontdesk_call_policies(self, register: Callable[[str, CallPolicy], None]) -> None:
        register("newest_first", NewestFirst())
        register("rogue", Rogue())


def _with_policy(config: Config, name: str) -> Config:
    centre = config.centre("main").model_copy(update={"call_policy": name})
    return config.model_copy(update={"centres": [centre, *config.centres[1:]]})


def test_a_plugin_policy_chosen_in_the_configuration(config: Config) -> None:
    clock = ManualClock(START)
    fd = Frontdesk(
        _with_policy(config, "newest_first"),
        store=SqliteStore(":memory:"),
        clock=clock,
        hooks=hooks_with(PolicyPlugin()),
    )
    fd.queues.issue("pass")
    clock.advance(minutes=1)
    newest = fd.queues.issue("tax")
    fd.queues.sign_in("c1", "AB")
    called = fd.queues.call_next("c1")
    assert called is not None and called.id == newest.id


def test_a_policy_choosing_a_ticket_that_does_not_wait_is_refused(config: Config) -> None:
    fd = Frontdesk(
        _with_policy(config, "rogue"),
        store=SqliteStore(":memory:"),
        clock=ManualClock(START),
        hooks=hooks_with(PolicyPlugin()),
    )
    fd.queues.issue("pass")
    fd.queues.sign_in("c1", "AB")
    before = fd.store.last_seq()
    with pytest.raises(PluginError, match="not waiting"):
        fd.queues.call_next("c1")
    assert fd.store.last_seq() == before


def _most_urgent_by_the_rules(waiting: Sequence[Ticket], config: Config) -> Ticket:
    """The service-level order written out plainly, one key for every ticket."""
    due = [t for t in waiting if t.appointment_at is not None and t.appointment_at <= START]
    if due:
        return min(due, key=lambda t: (t.appointment_at, t.arrived_at))

    def urgency(ticket: Ticket) -> tuple[int, float, datetime]:
        target = config.queue(ticket.queue_id).target.within.total_seconds()
        used = (START - ticket.arrived_at).total_seconds() / target
        return (-ticket.priority, -used, ticket.arrived_at)

    return min(waiting, key=urgency)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["pass", "tax"]),
            st.integers(0, 600).map(lambda s: s / 10),
            st.sampled_from([0, 0, 0, 1]),
            st.one_of(st.none(), st.integers(-20, 20)),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_service_level_picks_what_the_rules_say(
    config: Config, spec: list[tuple[str, float, int, int | None]]
) -> None:
    waiting = [
        _ticket(n, queue, ago, priority=priority, appointment_in=appointment)
        for n, (queue, ago, priority, appointment) in enumerate(spec)
    ]
    chosen = ServiceLevelPolicy().choose(waiting, _counter(config), START, config)
    assert chosen is _most_urgent_by_the_rules(waiting, config)


class _Witness:
    """A policy that records what the engine hands it, and calls the first ticket."""

    def __init__(self) -> None:
        self.seen: list[tuple[type, bool]] = []

    def choose(
        self, waiting: Sequence[Ticket], counter: Counter, now: datetime, config: Config
    ) -> Ticket | None:
        self.seen.append((type(waiting), getattr(waiting, "alike", None)))
        return waiting[0] if waiting else None


def test_a_policy_is_told_when_a_line_is_alike(config: Config) -> None:
    """``waiting.alike``: one queue, one priority, nobody booked; anything else says False."""
    witness = _Witness()
    fd = Frontdesk(
        config, store=SqliteStore(":memory:"), clock=ManualClock(START), hooks=hooks_with()
    )
    engine = fd.queues
    engine._counter_policies["c3"] = engine._counter_policies["c1"] = witness
    for counter in ("c3", "c1"):
        engine.sign_in(counter, f"E{counter}")

    def call(counter: str) -> None:
        engine.call_next(counter)
        engine.finish(counter)

    for _ in range(3):
        engine.issue("pass")
    call("c3")  # c3 serves "pass" alone: three alike tickets wait
    engine.issue("pass", priority=9)  # a priority of its own joins two others
    call("c3")  # (the witness calls the line's first)
    call("c3")
    call("c3")  # the one of its own waits alone: alike again
    engine.issue("pass", appointment_at=START + timedelta(minutes=1))
    call("c3")  # a booked ticket waits
    engine.issue("tax")
    call("c1")  # c1 serves "pass" and "tax": two queues
    assert witness.seen == [
        (Waiting, True),
        (Waiting, False),
        (Waiting, False),
        (Waiting, True),
        (Waiting, False),
        (Waiting, False),
    ]


def test_service_level_orders_an_alike_line_by_arrival_alone(config: Config) -> None:
    tickets = [_ticket(1, "pass", 3), _ticket(2, "pass", 9), _ticket(3, "pass", 5)]
    counter = _counter(config)
    told = ServiceLevelPolicy().choose(Waiting.of(tickets, alike=True), counter, START, config)
    assert told is not None and told.id == "t2"
    assert told == ServiceLevelPolicy().choose(tickets, counter, START, config)


def test_service_level_counts_waits_across_the_spring_change(config: Config) -> None:
    cph = ZoneInfo("Europe/Copenhagen")
    now = datetime(2026, 3, 29, 3, 10, tzinfo=cph)  # CEST, 01:10 UTC
    # 12 of pass's 15 minutes (80 %; 72 minutes by the wall clock, from before the change)
    # against 9 of tax's 10 minutes (90 %).
    passport = _ticket(1, "pass", 0, arrived=datetime(2026, 3, 29, 1, 58, tzinfo=cph))
    tax = _ticket(2, "tax", 0, arrived=datetime(2026, 3, 29, 3, 1, tzinfo=cph))
    assert ServiceLevelPolicy().choose([passport, tax], _counter(config), now, config) is tax
