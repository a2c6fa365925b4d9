"""A centre open through the night the clocks change: time that passed is counted as it
passed, not as the wall clock shows it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from frontdesk_core.app import Frontdesk
from frontdesk_core.clock import ManualClock
from frontdesk_core.config.loader import load_config
from frontdesk_core.errors import InvalidStateError
from frontdesk_core.queues.tickets import TicketState
from frontdesk_core.store import SqliteStore
from queues.conftest import CONFIG_YAML, hooks_with

ALWAYS = "".join(
    f'      {day}: "00:00-24:00"\n' for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
)
SPRING = datetime(2026, 3, 29, 0, 50, tzinfo=UTC)
"""01:50 in Copenhagen, ten minutes before the clocks go from 02:00 to 03:00."""


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(SPRING)


@pytest.fixture
def fd(tmp_path: Path, clock: ManualClock) -> Iterator[Frontdesk]:
    """The test centre, open round the clock every day."""
    text = CONFIG_YAML.replace('    day_reset: "04:00"\n', '    day_reset: "00:00"\n')
    start = text.index("    opening_hours:\n", text.index("id: main"))
    end = text.index("    day_reset:", start)
    text = text[:start] + "    opening_hours:\n" + ALWAYS + text[end:]
    (tmp_path / "frontdesk.yaml").write_text(text, encoding="utf-8")
    config = load_config(tmp_path / "frontdesk.yaml")
    desk = Frontdesk(config, store=SqliteStore(":memory:"), clock=clock, hooks=hooks_with())
    yield desk
    desk.close()


def test_a_service_across_the_change_counts_twenty_minutes(
    fd: Frontdesk, clock: ManualClock
) -> None:
    fd.queues.issue("pass")
    fd.queues.sign_in("c1", "AB")
    called = fd.queues.call_next("c1")
    clock.advance(minutes=20)
    done = fd.queues.finish("c1")
    assert (called.called_at.hour, done.ended_at.hour) == (1, 3)  # 80 minutes by the wall
    assert list(fd.queues.state.recent["pass"]) == [20 * 60.0]


def test_a_no_show_waits_its_five_minutes_across_the_change(
    fd: Frontdesk, clock: ManualClock
) -> None:
    fd.queues.issue("pass")
    fd.queues.sign_in("c1", "AB")
    clock.advance(minutes=8)  # 01:58 CET
    fd.queues.call_next("c1")
    clock.advance(minutes=3)  # 03:01 CEST: an hour and three minutes by the wall
    assert fd.queues.expire_calls() == []
    with pytest.raises(InvalidStateError, match="03:03"):
        fd.queues.no_show("c1")
    clock.advance(minutes=2)
    (expired,) = fd.queues.expire_calls()
    assert expired.state is TicketState.NO_SHOW
    assert expired.ended_at - expired.called_at == timedelta(hours=1, minutes=5)  # wall times
