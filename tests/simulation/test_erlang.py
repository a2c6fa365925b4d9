"""Erlang C against published worked examples, and its invariants."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk_core.simulation.erlang import (
    ErlangC,
    erlang_b,
    mean_wait,
    servers_for,
    share_within,
    wait_probability,
)


def test_the_capacity_planning_example_of_the_project() -> None:
    # 1.8 arrivals a minute, 4 minutes' service, 8 counters.
    queue = ErlangC(1.8, 4.0, 8)
    assert queue.wait_probability == pytest.approx(0.7015, abs=5e-5)
    assert queue.share_within(5.0) == pytest.approx(0.7419, abs=5e-5)


def test_call_centre_helper_worked_example() -> None:
    # callcentrehelper.com, "Erlang C formula - made simple": 100 calls in 30 minutes,
    # 180 s handling time, 11 agents: Pw = 68.21%, ASA = 122.8 s; 14 agents reach 80% in 20 s.
    rate = 100 / 1800
    assert wait_probability(rate, 180, 11) == pytest.approx(0.6821, abs=5e-5)
    assert mean_wait(rate, 180, 11) == pytest.approx(122.8, abs=0.05)
    assert servers_for(rate, 180, share=0.8, within=20) == 14
    assert share_within(rate, 180, 13, 20) < 0.8 <= share_within(rate, 180, 14, 20)


def test_westbay_worked_example() -> None:
    # Westbay Engineers' Erlang-C page: 360 calls per half hour, 4 minutes, 55 agents,
    # 15 s target: traffic 48 Erlangs, occupancy 87.3%, Pw 23.9%, ASA 8.2 s, service level 84.6%.
    queue = ErlangC(360 / 30, 4.0, 55)
    assert queue.load == pytest.approx(48.0)
    assert queue.utilisation == pytest.approx(0.873, abs=5e-4)
    assert queue.wait_probability == pytest.approx(0.239, abs=5e-4)
    assert queue.mean_wait * 60 == pytest.approx(8.2, abs=0.05)
    assert queue.share_within(0.25) == pytest.approx(0.846, abs=5e-4)


def test_erlang_b_stays_finite_for_thousands_of_counters() -> None:
    assert 0 < erlang_b(5000.0, 5000) < 1
    big = ErlangC(4900.0, 1.0, 5000)
    assert 0 < big.wait_probability < 1
    assert math.isfinite(big.mean_wait)


def test_an_overloaded_queue_always_waits() -> None:
    queue = ErlangC(2.0, 4.0, 8)
    assert not queue.stable
    assert queue.wait_probability == 1.0
    assert queue.mean_wait == math.inf
    assert queue.share_within(30) == 0.0


def test_quantile_inverts_share_within() -> None:
    queue = ErlangC(1.8, 4.0, 8)
    assert queue.share_within(queue.wait_quantile(0.9)) == pytest.approx(0.9)
    assert queue.wait_quantile(0.2) == 0.0


@pytest.mark.parametrize(
    ("args", "message"),
    [((-1.0, 4.0, 8), "arrival rate"), ((1.0, 0.0, 8), "service"), ((1.0, 4.0, 0), "counters")],
)
def test_bad_inputs_are_refused(args: tuple[float, float, int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ErlangC(*args)


def test_no_arrivals_need_the_minimum() -> None:
    assert servers_for(0.0, 4.0, share=0.8, within=5, minimum=2) == 2


@given(
    rate=st.floats(0.01, 20.0),
    service=st.floats(0.1, 30.0),
    extra=st.integers(0, 30),
)
def test_more_counters_never_make_it_worse(rate: float, service: float, extra: int) -> None:
    servers = math.floor(rate * service) + 1 + extra
    fewer, more = ErlangC(rate, service, servers), ErlangC(rate, service, servers + 1)
    assert 0.0 <= more.wait_probability <= fewer.wait_probability <= 1.0
    assert more.share_within(5.0) >= fewer.share_within(5.0) - 1e-12
    found = servers_for(rate, service, share=0.8, within=5.0)
    assert ErlangC(rate, service, found).share_within(5.0) >= 0.8 - 1e-9
    if found > math.floor(rate * service) + 1:
        assert ErlangC(rate, service, found - 1).share_within(5.0) < 0.8
