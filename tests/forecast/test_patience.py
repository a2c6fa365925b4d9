"""The citizens' patience, fitted to the waits and no-shows of the log."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk_core.app import Frontdesk
from frontdesk_core.clock import ManualClock
from frontdesk_core.config.loader import load_config
from frontdesk_core.forecast.patience import exponential_mean, fitted_patience
from frontdesk_core.plugins import Hooks, make_plugin_manager
from frontdesk_core.store.memory import MemoryStore

CPH = ZoneInfo("Europe/Copenhagen")
KOBENHAVN = Path(__file__).parents[2] / "examples" / "kobenhavn"


def test_the_fit_finds_the_mean_patience_from_who_had_left_when_called() -> None:
    rng = random.Random(4)
    stayed, left = [], []
    for _ in range(4000):
        patience, wait = rng.expovariate(1 / 30.0), rng.uniform(0.0, 60.0)
        (left if patience < wait else stayed).append(wait)
    mean = exponential_mean(stayed, left)
    assert mean is not None and mean == pytest.approx(30.0, rel=0.08)
    # Counting a no-show's whole wait as patience (no EM) would say about 45 minutes.
    assert (sum(stayed) + sum(left)) / len(left) > 40


@given(st.lists(st.floats(0.0, 300.0), max_size=20), st.lists(st.floats(0.1, 300.0), max_size=20))
def test_a_fit_is_positive_and_none_without_a_no_show(
    stayed: list[float], left: list[float]
) -> None:
    mean = exponential_mean(stayed, left)
    if not left:
        assert mean is None
    else:
        assert mean is not None and mean > 0


def test_the_patience_is_read_off_the_log() -> None:
    config = load_config(KOBENHAVN)
    clock = ManualClock(datetime(2026, 11, 23, 10, 30, tzinfo=CPH))
    hooks = Hooks(make_plugin_manager(load_entrypoints=False))
    fd = Frontdesk(config, store=MemoryStore(), clock=clock, hooks=hooks)
    fd.queues.sign_in("skranke-4", "AB")
    first, second = (fd.queues.issue("skat", service_id="tax") for _ in range(2))
    clock.advance(timedelta(minutes=10))
    fd.queues.call_next("skranke-4")  # served after 10 minutes
    fd.queues.start("skranke-4")
    fd.queues.finish("skranke-4")
    clock.advance(timedelta(minutes=10))
    fd.queues.call_next("skranke-4")  # gone after 20 minutes
    for _ in range(config.queue("skat").recalls_before_no_show):
        fd.queues.recall("skranke-4")
    fd.queues.no_show("skranke-4")
    assert fd.queues.ticket(second.id).state.value == "no_show" and first.id != second.id
    mean = fitted_patience(fd.store, since=None, until=None)
    assert mean == pytest.approx(exponential_mean([10.0], [20.0]))
    assert fitted_patience(MemoryStore(), since=None, until=None) is None
