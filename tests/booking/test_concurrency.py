"""Many bookers at once: the last free counter goes to exactly one of them."""

from __future__ import annotations

import threading
from pathlib import Path

from booking.conftest import at
from frontdesk_core.app import Frontdesk
from frontdesk_core.booking.records import Contact
from frontdesk_core.clock import ManualClock
from frontdesk_core.config.models import Config
from frontdesk_core.errors import CapacityError
from frontdesk_core.testing import MakeFrontdesk

BOOKERS = 12


def race(engines: list[Frontdesk]) -> tuple[list[str], list[str]]:
    """Let every engine book Tuesday 09:00 (one counter on duty) at the same moment."""
    barrier = threading.Barrier(len(engines))
    won: list[str] = []
    lost: list[str] = []
    errors: list[BaseException] = []

    def book(fd: Frontdesk, n: int) -> None:
        barrier.wait()
        try:
            booking = fd.booking.book("passport", at(24, 9), contact=Contact(phone=f"2{n:07d}"))
            won.append(booking.id)
        except CapacityError as exc:
            lost.append(str(exc))
        except BaseException as exc:  # anything else is a failure of the test
            errors.append(exc)

    threads = [threading.Thread(target=book, args=(fd, n)) for n, fd in enumerate(engines)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return won, lost


def test_threads_sharing_one_engine(
    make_frontdesk: MakeFrontdesk, config: Config, clock: ManualClock, tmp_path: Path
) -> None:
    fd = make_frontdesk(config, clock=clock, store=str(tmp_path / "one.db"))
    won, lost = race([fd] * BOOKERS)
    assert len(won) == 1 and len(lost) == BOOKERS - 1
    assert all("no longer free" in message for message in lost)
    assert len(list(fd.store.read(kinds=["booking.created"]))) == 1
    # The losers' personal data was not kept.
    assert fd.store.purge_personal(at(1, 0, year=2030)) == 1


def test_separate_engines_on_one_file_each_with_its_own_connection(
    make_frontdesk: MakeFrontdesk, config: Config, clock: ManualClock, tmp_path: Path
) -> None:
    path = str(tmp_path / "shared.db")
    engines = [make_frontdesk(config, clock=clock, store=path) for _ in range(BOOKERS)]
    for fd in engines:  # every engine has looked at the (empty) log before the race
        assert fd.booking.free_slots("passport", at(24, 9).date(), at(24, 9).date())
    won, lost = race(engines)
    assert len(won) == 1 and len(lost) == BOOKERS - 1
    assert len(list(engines[0].store.read(kinds=["booking.created"]))) == 1
    slots = engines[-1].booking.free_slots("passport", at(24, 9).date(), at(24, 9).date())
    assert at(24, 9) not in {s.start for s in slots}
