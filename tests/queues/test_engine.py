"""The queue engine's commands, their hooks and their typed errors."""

from __future__ import annotations

from datetime import timedelta

import pytest

from frontdesk_core.app import Frontdesk
from frontdesk_core.clock import ManualClock
from frontdesk_core.config.models import Config
from frontdesk_core.errors import CommandError, InvalidStateError, NotFoundError
from frontdesk_core.events import QueuesAssigned
from frontdesk_core.queues.counters import CounterStatus
from frontdesk_core.queues.state import rebuild
from frontdesk_core.queues.tickets import TicketState
from frontdesk_core.store import SqliteStore
from queues.conftest import Recorder, open_engine


def _log(fd: Frontdesk) -> list[tuple[str, str]]:
    return [(e.kind, e.key) for e in fd.store.read()]


def test_issue_call_finish_fires_hooks_after_the_events_are_stored(
    fd: Frontdesk, clock: ManualClock, recorder: Recorder
) -> None:
    seen_in_store: list[int] = []
    recorder.calls.clear()
    ticket = fd.queues.issue("pass", service_id="passport", language="en")
    seen_in_store.append(fd.store.last_seq())
    assert ticket.number == "P001"
    assert ticket.state is TicketState.WAITING
    assert ticket.language == "en"
    fd.queues.sign_in("c1", "AB")
    called = fd.queues.call_next("c1")
    assert called is not None and called.id == ticket.id
    assert called.state is TicketState.CALLED and called.counter_id == "c1"
    clock.advance(minutes=4)
    done = fd.queues.finish("c1")
    assert done.state is TicketState.DONE
    assert done.ended_at == clock.now()
    assert fd.queues.serving("c1") is None
    assert recorder.kinds() == ["issued", "called", "finished"]
    assert recorder.calls[0][1]["ticket"] == ticket
    assert [k for k, _ in _log(fd)] == [
        "ticket.issued",
        "counter.signed_in",
        "ticket.called",
        "ticket.finished",
    ]


def test_numbers_count_per_queue(fd: Frontdesk) -> None:
    numbers = [fd.queues.issue(q).number for q in ("pass", "pass", "tax", "pass", "cash")]
    assert numbers == ["P001", "P002", "S001", "P003", "K001"]


def test_unknown_names_raise_not_found_with_a_suggestion(fd: Frontdesk) -> None:
    with pytest.raises(NotFoundError, match="unknown queue 'pas'; did you mean 'pass'"):
        fd.queues.issue("pas")
    with pytest.raises(NotFoundError, match="unknown counter 'c9'"):
        fd.queues.call_next("c9")
    with pytest.raises(NotFoundError, match="unknown ticket"):
        fd.queues.cancel("nope")
    with pytest.raises(NotFoundError, match="unknown service"):
        fd.queues.issue("pass", service_id="passprt")
    assert _log(fd) == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"language": "fr"}, "language 'fr'"),
        ({"priority": "high"}, "whole number"),
        ({"note": "x" * 201}, "at most 200"),
    ],
)
def test_bad_issue_arguments_change_nothing(
    fd: Frontdesk, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        fd.queues.issue("pass", **kwargs)  # type: ignore[arg-type]
    assert _log(fd) == []
    assert fd.queues.issue("pass").number == "P001"  # the failed issue used no number


def test_calling_on_a_closed_or_paused_counter_is_refused(fd: Frontdesk) -> None:
    fd.queues.issue("pass")
    with pytest.raises(InvalidStateError, match="closed; sign in or open it"):
        fd.queues.call_next("c1")
    fd.queues.open_counter("c1")
    fd.queues.pause("c1")
    with pytest.raises(InvalidStateError, match="paused"):
        fd.queues.call_next("c1")
    fd.queues.resume("c1")
    assert fd.queues.call_next("c1") is not None
    with pytest.raises(InvalidStateError, match="still has ticket P001"):
        fd.queues.call_next("c1")


def test_finish_without_a_ticket_is_refused_and_changes_nothing(fd: Frontdesk) -> None:
    fd.queues.sign_in("c1", "AB")
    before = _log(fd)
    for command in (fd.queues.finish, fd.queues.start, fd.queues.recall, fd.queues.no_show):
        with pytest.raises(InvalidStateError, match="no ticket called or in service"):
            command("c1")
    assert _log(fd) == before


def test_call_next_with_nobody_waiting_returns_none_and_logs_nothing(fd: Frontdesk) -> None:
    fd.queues.sign_in("c2", "CD")
    before = _log(fd)
    assert fd.queues.call_next("c2") is None
    assert _log(fd) == before


def test_counters_only_call_their_queues(fd: Frontdesk) -> None:
    fd.queues.issue("cash")
    fd.queues.sign_in("c1", "AB")
    assert fd.queues.call_next("c1") is None  # c1 serves pass and tax
    fd.queues.sign_in("c2", "CD")
    called = fd.queues.call_next("c2")
    assert called is not None and called.queue_id == "cash"


def test_start_then_finish_measures_the_service_from_the_start(
    fd: Frontdesk, clock: ManualClock
) -> None:
    fd.queues.issue("pass")
    fd.queues.sign_in("c1", "AB")
    fd.queues.call_next("c1")
    clock.advance(minutes=1)
    serving = fd.queues.start("c1")
    assert serving.state is TicketState.SERVING and serving.started_at == clock.now()
    with pytest.raises(InvalidStateError, match="serving, not called"):
        fd.queues.recall("c1")
    clock.advance(minutes=6)
    done = fd.queues.finish("c1")
    assert done.started_at == serving.started_at


def test_recalls_are_limited_then_no_show(fd: Frontdesk, recorder: Recorder) -> None:
    fd.queues.issue("pass")
    fd.queues.sign_in("c1", "AB")
    fd.queues.call_next("c1")
    with pytest.raises(InvalidStateError, match="recalled 0 of 2"):
        fd.queues.no_show("c1")
    assert fd.queues.recall("c1").recalls == 1
    assert fd.queues.recall("c1").recalls == 2
    with pytest.raises(InvalidStateError, match="the most its queue allows"):
        fd.queues.recall("c1")
    gone = fd.queues.no_show("c1")
    assert gone.state is TicketState.NO_SHOW and gone.end_reason == "recalls"
    assert recorder.kinds()[-3:] == ["recalled", "recalled", "no_show"]
    assert fd.queues.serving("c1") is None


def test_no_show_after_the_timeout(fd: Frontdesk, clock: ManualClock) -> None:
    fd.queues.issue("pass")
    fd.queues.sign_in("c1", "AB")
    fd.queues.call_next("c1")
    clock.advance(minutes=5)
    assert fd.queues.no_show("c1").end_reason == "timeout"


def test_expire_calls_marks_only_timed_out_calls(fd: Frontdesk, clock: ManualClock) -> None:
    fd.queues.issue("pass")
    fd.queues.issue("pass")
    fd.queues.sign_in("c1", "AB")
    fd.queues.sign_in("c3", "EF")
    first = fd.queues.call_next("c1")
    clock.advance(minutes=3)
    fd.queues.call_next("c3")
    clock.advance(minutes=2)
    expired = fd.queues.expire_calls()
    assert [t.id for t in expired] == [first.id if first else ""]
    assert fd.queues.serving("c3") is not None


def test_put_back_keeps_the_place_by_arrival(fd: Frontdesk, clock: ManualClock) -> None:
    first = fd.queues.issue("pass")
    clock.advance(minutes=1)
    fd.queues.issue("pass")
    fd.queues.sign_in("c3", "AB")
    fd.queues.call_next("c3")
    back = fd.queues.put_back("c3")
    assert back.state is TicketState.WAITING and back.counter_id is None
    again = fd.queues.call_next("c3")
    assert again is not None and again.id == first.id


def test_transfer_keeps_number_and_arrival(
    fd: Frontdesk, clock: ManualClock, recorder: Recorder
) -> None:
    ticket = fd.queues.issue("pass")
    fd.queues.sign_in("c1", "AB")
    fd.queues.call_next("c1")
    clock.advance(minutes=5)
    moved = fd.queues.transfer(ticket.id, "cash")
    assert moved.queue_id == "cash" and moved.number == ticket.number
    assert moved.arrived_at == ticket.arrived_at and moved.entered_at == clock.now()
    assert moved.state is TicketState.WAITING and moved.transfers == 1
    assert moved.priority == 1  # it follows the new queue's priority
    assert fd.queues.serving("c1") is None
    assert recorder.calls[-2][1]["from_queue"] == "pass"
    with pytest.raises(CommandError, match="already in queue 'cash'"):
        fd.queues.transfer(ticket.id, "cash")
    with pytest.raises(NotFoundError, match="unknown queue"):
        fd.queues.transfer(ticket.id, "kash")


def test_transfer_to_another_centre(fd: Frontdesk) -> None:
    ticket = fd.queues.issue("pass")
    moved = fd.queues.transfer(ticket.id, "jobs")
    assert moved.centre_id == "job"
    fd.queues.sign_in("j1", "GH")
    called = fd.queues.call_next("j1")
    assert called is not None and called.id == ticket.id


def test_cancel_and_no_more_commands_on_an_ended_ticket(fd: Frontdesk) -> None:
    ticket = fd.queues.issue("tax")
    assert fd.queues.cancel(ticket.id).state is TicketState.CANCELLED
    with pytest.raises(InvalidStateError, match="only an open ticket"):
        fd.queues.cancel(ticket.id)
    with pytest.raises(InvalidStateError, match="only an open ticket moves"):
        fd.queues.transfer(ticket.id, "pass")
    fd.queues.sign_in("c2", "AB")
    assert fd.queues.call_next("c2") is None
    with pytest.raises(InvalidStateError, match="cancelled, not waiting"):
        fd.queues.call("c2", ticket.id)


def test_call_a_specific_ticket(fd: Frontdesk) -> None:
    fd.queues.issue("pass")
    second = fd.queues.issue("pass")
    other_centre = fd.queues.issue("jobs")
    fd.queues.sign_in("c1", "AB")
    with pytest.raises(CommandError, match="another centre"):
        fd.queues.call("c1", other_centre.id)
    assert fd.queues.call("c1", second.id).id == second.id


def test_counter_life_cycle(fd: Frontdesk) -> None:
    counter = fd.queues.sign_in("c1", "AB")
    assert counter.status is CounterStatus.OPEN and counter.employee_ref == "AB"
    assert fd.queues.sign_in("c1", "AB") == counter  # twice changes nothing
    with pytest.raises(InvalidStateError, match="another employee"):
        fd.queues.sign_in("c1", "XY")
    with pytest.raises(CommandError, match="never a name"):
        fd.queues.sign_in("c2", "   ")
    fd.queues.issue("pass")
    fd.queues.call_next("c1")
    with pytest.raises(InvalidStateError, match="still has ticket"):
        fd.queues.sign_out("c1")
    with pytest.raises(InvalidStateError, match="still has ticket"):
        fd.queues.close_counter("c1")
    fd.queues.finish("c1")
    assert fd.queues.sign_out("c1").status is CounterStatus.CLOSED
    with pytest.raises(InvalidStateError, match="nobody is signed in"):
        fd.queues.sign_out("c1")
    with pytest.raises(InvalidStateError, match="already closed"):
        fd.queues.close_counter("c1")
    with pytest.raises(InvalidStateError, match="not paused"):
        fd.queues.resume("c1")
    with pytest.raises(InvalidStateError, match="only an open one pauses"):
        fd.queues.pause("c1")
    fd.queues.open_counter("c1")
    with pytest.raises(InvalidStateError, match="already open"):
        fd.queues.open_counter("c1")
    assert [c.id for c in fd.queues.counters("main")] == ["c1", "c2", "c3"]


def test_managers_move_counters_between_queues_and_it_is_logged(fd: Frontdesk) -> None:
    fd.queues.issue("cash")
    fd.queues.sign_in("c1", "AB")
    assert fd.queues.call_next("c1") is None
    moved = fd.queues.assign_queues("c1", ["cash"])
    assert moved.queue_ids == ("cash",)
    called = fd.queues.call_next("c1")
    assert called is not None and called.queue_id == "cash"
    assigned = [e for e in fd.store.read(kinds=["counter.queues_assigned"])]
    assert assigned[0].payload == QueuesAssigned(("cash",), from_queues=("pass", "tax"))
    with pytest.raises(CommandError, match="another centre"):
        fd.queues.assign_queues("c1", ["jobs"])
    with pytest.raises(CommandError, match="at least one"):
        fd.queues.assign_queues("c1", [])
    with pytest.raises(CommandError, match="twice"):
        fd.queues.assign_queues("c1", ["pass", "pass"])


def test_booked_citizen_at_their_time_goes_first(fd: Frontdesk, clock: ManualClock) -> None:
    fd.queues.issue("pass")
    clock.advance(minutes=2)
    booked = fd.queues.issue(
        "pass", booking_id="b1", appointment_at=clock.now() + timedelta(minutes=5)
    )
    fd.queues.sign_in("c1", "AB")
    early = fd.queues.call_next("c1")
    assert early is not None and early.id != booked.id  # not yet their time
    fd.queues.finish("c1")
    fd.queues.issue("pass")
    clock.advance(minutes=5)
    on_time = fd.queues.call_next("c1")
    assert on_time is not None and on_time.id == booked.id


def test_queue_priority_then_share_of_target(fd: Frontdesk, clock: ManualClock) -> None:
    tax = fd.queues.issue("tax")  # target 10 min
    clock.advance(minutes=1)
    cash = fd.queues.issue("cash")  # priority 1
    fd.queues.sign_in("c2", "AB")
    first = fd.queues.call_next("c2")
    assert first is not None and first.id == cash.id
    fd.queues.finish("c2")
    second = fd.queues.call_next("c2")
    assert second is not None and second.id == tax.id


def test_service_level_policy_favours_the_tighter_target(fd: Frontdesk, clock: ManualClock) -> None:
    passport = fd.queues.issue("pass")  # target 15 min
    clock.advance(minutes=2)
    tax = fd.queues.issue("tax")  # target 10 min
    clock.advance(minutes=8)  # pass used 10/15, tax 8/10 of its target
    fd.queues.sign_in("c1", "AB")
    first = fd.queues.call_next("c1")
    assert first is not None and first.id == tax.id
    fd.queues.finish("c1")
    assert fd.queues.call_next("c1").id == passport.id  # type: ignore[union-attr]


def test_screen_shows_called_numbers_newest_first(fd: Frontdesk, clock: ManualClock) -> None:
    fd.queues.issue("pass")
    fd.queues.issue("tax")
    fd.queues.sign_in("c1", "AB")
    fd.queues.sign_in("c2", "CD")
    fd.queues.call_next("c1")
    clock.advance(seconds=30)
    fd.queues.call_next("c2")
    screen = fd.queues.screen("main")
    assert [c.counter_id for c in screen.called] == ["c2", "c1"]
    assert screen.called[0].counter_name == "Skranke 2"
    status = {q.queue_id: q for q in screen.queues}
    assert status["pass"].open and status["cash"].open
    assert status["pass"].name == "Pas"


def test_render_display_is_fired_with_the_screen(fd: Frontdesk, recorder: Recorder) -> None:
    fd.queues.issue("pass")
    renders = [c for c in recorder.calls if c[0] == "render"]
    assert renders and renders[-1][1]["screen"].queues[0].waiting == 1


def test_a_second_engine_on_the_same_store_sees_the_first_ones_commands(
    config: Config, clock: ManualClock, tmp_path: object
) -> None:
    path = str(tmp_path) + "/shared.db"  # type: ignore[operator]
    kiosk = open_engine(config, SqliteStore(path), clock)
    counter = open_engine(config, SqliteStore(path), clock)
    issued = kiosk.issue("pass")
    counter.sign_in("c1", "AB")
    called = counter.call_next("c1")
    assert called is not None and called.id == issued.id
    assert kiosk.ticket(issued.id).state is TicketState.CALLED
    assert kiosk.issue("pass").number == "P002"
    assert counter.waiting("pass")[0].number == "P002"  # a view reads the other's commands
    assert counter.state == kiosk.state


def test_rebuilding_from_the_store_gives_the_live_state(fd: Frontdesk, clock: ManualClock) -> None:
    for queue in ("pass", "tax", "cash", "pass"):
        fd.queues.issue(queue)
        clock.advance(seconds=40)
    fd.queues.sign_in("c1", "AB")
    fd.queues.sign_in("c2", "CD")
    fd.queues.call_next("c1")
    fd.queues.call_next("c2")
    fd.queues.finish("c2")
    fd.queues.recall("c1")
    assert rebuild(fd.config, fd.store.read()) == fd.queues.state


@pytest.mark.parametrize("url", ["memory://", ":memory:"])
def test_commands_decided_on_an_old_look_are_decided_again(
    config: Config, clock: ManualClock, url: str
) -> None:
    """A command first tries the lean path (decided on the engine's last look, written
    only if the log is still so); when another engine wrote meanwhile it looks again."""
    from frontdesk_core.store import open_store

    store = open_store(url)
    a, b = open_engine(config, store, clock), open_engine(config, store, clock)
    a.sign_in("c3", "AB")
    a.issue("pass")
    a.issue("pass")  # a knows the day's counter now: its next issue goes the lean way
    b.issue("pass")  # behind a's back
    assert a.issue("pass").number == "P004"  # not P003: the counter had moved on
    a.issue("pass")
    b.call_next("c3")  # b calls P001 at a's counter
    # a saw nobody at c3, nor P001 called: looked again, it finishes P001 and calls P002.
    assert a.finish("c3").number == "P001"
    b.issue("pass")
    called = a.call_next("c3")
    assert called is not None and called.number == "P002"
    b.finish("c3")
    with pytest.raises(InvalidStateError):  # a's look says P002 is at c3; it is not
        a.start("c3")
    b.sign_in("c1", "CD")
    assert b.call_next("c1").number == "P003"  # type: ignore[union-attr]
    assert a.call_next("c3").number == "P004"  # type: ignore[union-attr]  # not P003
    log = list(store.read())
    issued = [e.payload.number for e in log if e.kind == "ticket.issued"]
    assert issued == [f"P{n:03d}" for n in range(1, 7)]
    for engine in (a, b):
        engine.refresh()
        assert engine.state == rebuild(config, log)
    store.close()
