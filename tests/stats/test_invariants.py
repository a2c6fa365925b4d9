"""The statistics keep their books on random days: every ticket is accounted for once."""

from __future__ import annotations

from datetime import timedelta

import hypothesis.strategies as st
from hypothesis import HealthCheck, given, settings
from oracles import Oracle, Tally, queue_state
from queues.conftest import START, hooks_with

from frontdesk_core.app import Frontdesk
from frontdesk_core.clock import ManualClock
from frontdesk_core.config.models import Config
from frontdesk_core.queues.state import ISSUED
from frontdesk_core.store import SqliteStore

QUEUES = ["pass", "tax", "cash", "jobs"]
COUNTERS = ["c1", "c2", "c3", "j1"]
OPS = [
    "issue",
    "sign_in",
    "call_next",
    "recall",
    "start",
    "finish",
    "no_show",
    "put_back",
    "transfer",
    "cancel",
    "wait",
    "serve",
]
"""Commands on a random counter; ``serve`` is call, start and finish there in a row (at random
a counter seldom has the ticket a finish needs)."""
steps = st.lists(
    st.tuples(st.sampled_from(OPS), st.integers(0, 30), st.integers(0, 30)),
    min_size=20,
    max_size=80,
)


def _play(
    fd: Frontdesk, clock: ManualClock, script: list[tuple[str, int, int]], tally: Tally
) -> None:
    oracle = Oracle(queue_state(fd), tally)
    issued: list[str] = []
    for counter in ("c1", "c2", "j1"):  # c3 waits for a sign-in in the script
        fd.queues.sign_in(counter, "E0")
    for op, a, b in script:
        counter = COUNTERS[a % len(COUNTERS)]
        if op == "issue":
            ticket = oracle.attempt(op, fd.queues.issue, QUEUES[a % len(QUEUES)])
            if ticket is not None:
                issued.append(ticket.id)
        elif op == "sign_in":
            oracle.attempt(op, fd.queues.sign_in, counter, "E1")
        elif op == "wait":
            clock.advance(timedelta(minutes=b % 10 + 1))
        elif op == "serve":
            if oracle.attempt("call_next", fd.queues.call_next, counter) is not None:
                clock.advance(timedelta(minutes=a % 3))
                oracle.attempt("start", fd.queues.start, counter)
                clock.advance(timedelta(minutes=b % 10 + 1))
                oracle.attempt("finish", fd.queues.finish, counter)
        elif op in ("transfer", "cancel"):
            if issued:
                ticket_id = issued[b % len(issued)]
                if op == "cancel":
                    oracle.attempt(op, fd.queues.cancel, ticket_id)
                else:
                    oracle.attempt(op, fd.queues.transfer, ticket_id, QUEUES[a % len(QUEUES)])
        else:
            oracle.attempt(op, getattr(fd.queues, op), counter)


def test_every_ticket_is_accounted_for_once(config: Config) -> None:
    tally = Tally()

    # The same examples every run: the tally below judges the generator, and a rare
    # unlucky draw of random ones can fail it (one did so in the checkpoint test).
    @settings(
        max_examples=150,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(script=steps)
    def run(script: list[tuple[str, int, int]]) -> None:
        check_the_books(config, script, tally)

    run()
    # Measured over runs of 150 examples: every issue, three in four calls, half the
    # cancellations, a third of the transfers and one in six finishes go through; the floors
    # sit well below that. (A no-show almost never does: it takes recalls first.) Finishes
    # vary most: 0.15-0.25 over twelve runs, and one run in the full suite gave 0.075.
    tally.check(
        overall=0.2,
        each={"issue": 0.8, "call_next": 0.4, "cancel": 0.2, "transfer": 0.1, "finish": 0.04},
    )


def check_the_books(config: Config, script: list[tuple[str, int, int]], tally: Tally) -> None:
    """Play ``script``, end the day, and check every ticket is counted once."""
    clock = ManualClock(START)
    fd = Frontdesk(config, store=SqliteStore(":memory:"), clock=clock, hooks=hooks_with())
    _play(fd, clock, script, tally)
    fd.queues.end_of_day()
    report = fd.stats.report(START.date(), START.date())
    issued = len(list(fd.store.read(kinds=[ISSUED])))
    fd.close()
    days = [c for c in report.centres if c.hour is None]
    queues = [q for q in report.queues if q.hour is None]
    counters = [c for c in report.counters if c.hour is None]
    arrivals = sum(c.arrivals for c in days)
    assert arrivals == sum(q.arrivals for q in queues) == issued
    served = sum(q.served for q in queues)
    assert served == sum(c.served for c in days) == sum(c.served for c in counters)
    sent_on = sum(c.transfers for c in counters)  # served visits that did not end the ticket
    ended = (
        served
        - sent_on
        + sum(q.no_shows for q in queues)
        + sum(q.cancelled for q in queues)
        + sum(q.closed for q in queues)
    )
    assert ended == arrivals, "a ticket ended twice or never"
    assert sum(q.transfers_in for q in queues) == sum(q.transfers_out for q in queues)
    assert sum(q.transfers_out for q in queues) == sum(c.transfers for c in days)
    for queue in queues:
        assert queue.waiting.count == queue.service.count == queue.served
        assert queue.within_target is None or 0 <= queue.within_target <= 1
        assert queue.abandonment is None or 0 <= queue.abandonment <= 1
        assert queue.abandoned <= queue.cancelled + queue.closed
        hours = [
            q
            for q in report.queues
            if q.hour is not None and (q.queue_id, q.day) == (queue.queue_id, queue.day)
        ]
        assert sum(h.arrivals for h in hours) == queue.arrivals
        assert sum(h.served for h in hours) == queue.served
        if queue.waiting.count:
            assert queue.waiting.median is not None and queue.waiting.max is not None
            assert 0 <= queue.waiting.median <= queue.waiting.max
