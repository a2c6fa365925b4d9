"""The referral engine against the real queue and booking engines and a real event store."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from frontdesk_core.app import Frontdesk
from frontdesk_core.booking.records import Contact
from frontdesk_core.config.models import Config
from frontdesk_core.devices import PrintResult, TicketPrint
from frontdesk_core.errors import ConfigError, InvalidStateError, NotFoundError
from frontdesk_core.events import KioskAbandoned, KioskCompleted
from frontdesk_core.hookspecs import hookimpl
from frontdesk_core.referral.engine import (
    ABANDONED,
    CHOOSE_SLOT,
    COMPLETED,
    ENTER_BOOKING_CODE,
    NodeCount,
    ReferralEngine,
)
from frontdesk_core.referral.outcomes import Referred, SentHome
from frontdesk_core.referral.session import CompiledTree, SessionState
from frontdesk_core.testing import HookRecorder, MakeFrontdesk

from .conftest import ALL_KINDS, write_config

PHONE = "+4512345678"


class Printer:
    """A printer plugin that prints (``ok``) or has run out of paper."""

    def __init__(self, *, ok: bool = True) -> None:
        self.ok = ok
        self.printed: list[TicketPrint] = []

    @hookimpl
    def frontdesk_print_ticket(self, ticket: TicketPrint) -> PrintResult:
        self.printed.append(ticket)
        if self.ok:
            return PrintResult(ok=True, printer="test")
        return PrintResult(ok=False, printer="test", fault="paper_out")


def test_the_engine_is_one_per_frontdesk(config: Config, make_frontdesk: MakeFrontdesk) -> None:
    fd = make_frontdesk(config)
    assert isinstance(fd.referral, ReferralEngine)
    assert fd.referral is fd.referral
    assert fd.referral.tree("main") is fd.referral.tree("annex")  # the same tree, compiled once


def test_engines_may_share_their_compiled_trees(
    config: Config, make_frontdesk: MakeFrontdesk
) -> None:
    trees: dict[str, CompiledTree] = {}
    first, second = make_frontdesk(config), make_frontdesk(config)
    first.referral.share_trees(trees)
    compiled = first.referral.tree("main")
    assert trees == {compiled.tree.id: compiled}
    walked = first.referral.start("main", "en")
    walked.answer("passport")
    walked.answer("all")
    second.referral.share_trees(trees)
    again = second.referral.start("main", "en")
    assert again.tree is compiled
    again.answer("passport")
    assert again.answer("all") is walked.step  # the step the first engine's session made
    result = second.referral.complete(again)  # performed by the second engine, on its store
    assert result.ticket is not None and second.queues.waiting("pass") == [result.ticket]
    assert first.queues.waiting("pass") == []


def test_a_queue_outcome_issues_and_prints_a_ticket(
    config: Config, make_frontdesk: MakeFrontdesk
) -> None:
    printer, recorder = Printer(), HookRecorder()
    fd = make_frontdesk(config, plugins=[printer, recorder])
    session = fd.referral.start("main", "en")
    session.answer("passport")
    session.answer("all")
    result = fd.referral.complete(session, kiosk_id="k1")
    ticket = result.ticket
    assert ticket is not None
    assert (ticket.queue_id, ticket.service_id, ticket.priority, ticket.note, ticket.language) == (
        "pass",
        "passport",
        3,
        "Pas",
        "en",
    )
    assert fd.queues.waiting("pass") == [fd.queues.ticket(ticket.id)]
    assert [call["ticket"].id for call in recorder.named("frontdesk_ticket_issued")] == [ticket.id]
    assert result.printed and not result.show_number_on_screen
    assert result.kind == "queue" and result.where == "Waiting area A"
    assert printer.printed == [
        TicketPrint(
            kiosk_id="k1",
            centre_id="main",
            centre_name="Citizen Service",
            number=ticket.number,
            queue_name="Passport",
            issued_at=ticket.issued_at,
            language="en",
            people_ahead=0,
            expected_wait_minutes=result.wait.minutes if result.wait else None,
            where="Waiting area A",
            lines=("Take your number. You will be called on the screen.",),
        )
    ]
    assert session.state is SessionState.COMPLETED


def test_a_failed_print_still_gives_the_ticket_shown_on_screen(
    config: Config, make_frontdesk: MakeFrontdesk
) -> None:
    recorder = HookRecorder()
    fd = make_frontdesk(config, plugins=[Printer(ok=False), recorder])
    session = fd.referral.start("main")
    session.answer("tax")
    result = fd.referral.complete(session, kiosk_id="k1")
    assert result.ticket is not None and result.ticket.queue_id == "tax"
    assert not result.printed and result.show_number_on_screen
    assert result.print_result == PrintResult(ok=False, printer="test", fault="paper_out")
    # The manager hears of the fault.
    [fault] = [call["fault"] for call in recorder.named("frontdesk_device_fault")]
    assert (fault.device, fault.centre_id, fault.kind) == ("printer:k1", "main", "paper_out")
    assert fault.at == fd.clock.now()
    # Without a kiosk nothing is printed: the number is shown.
    session = fd.referral.start("main")
    session.answer("tax")
    unprinted = fd.referral.complete(session)
    assert unprinted.print_result is None and unprinted.show_number_on_screen
    assert len(fd.queues.waiting("tax")) == 2
    assert len(recorder.named("frontdesk_device_fault")) == 1


@pytest.mark.parametrize("ok", [True, False])
def test_a_ticket_can_be_printed_after_the_command_on_another_thread(
    config: Config, make_frontdesk: MakeFrontdesk, ok: bool
) -> None:
    printer, recorder = Printer(ok=ok), HookRecorder()
    fd = make_frontdesk(config, plugins=[printer, recorder])
    session = fd.referral.start("main", "en")
    session.answer("tax")
    result = fd.referral.complete(session, kiosk_id="k1", print_later=True)
    # The ticket is issued and recorded; nothing printed yet, the number shown meanwhile.
    assert result.ticket is not None and printer.printed == []
    assert result.print_job is not None and result.print_job.number == result.ticket.number
    assert result.show_number_on_screen and result.print_result is None
    [record] = [e for e in fd.store.read(kinds=[COMPLETED])]
    assert record.payload.printed is None
    done: list[Any] = []
    worker = threading.Thread(target=lambda: done.append(fd.referral.print_ticket(result)))
    worker.start()
    worker.join(5)
    [printed] = done
    assert [p.number for p in printer.printed] == [result.ticket.number]
    assert printed.printed is ok and printed.show_number_on_screen is not ok
    assert printed.print_job is None and printed.ticket == result.ticket
    faults = [call["fault"].kind for call in recorder.named("frontdesk_device_fault")]
    assert faults == ([] if ok else ["paper_out"])
    # Printing a result with nothing left to print does nothing.
    assert fd.referral.print_ticket(printed) is printed
    assert len(printer.printed) == 1


def test_a_kiosk_without_a_printer_is_no_device_fault(
    config: Config, make_frontdesk: MakeFrontdesk
) -> None:
    recorder = HookRecorder()
    fd = make_frontdesk(config, plugins=[recorder])
    session = fd.referral.start("main")
    session.answer("tax")
    result = fd.referral.complete(session, kiosk_id="k1")
    assert result.print_result is not None and result.print_result.fault == "no_printer"
    assert result.show_number_on_screen
    assert recorder.named("frontdesk_device_fault") == []


def test_a_print_job_is_made_only_for_a_plugin_that_prints(
    config: Config, make_frontdesk: MakeFrontdesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[TicketPrint] = []

    def counted(**fields: Any) -> TicketPrint:
        made.append(TicketPrint(**fields))
        return made[-1]

    monkeypatch.setattr("frontdesk_core.referral.engine.TicketPrint", counted)

    def ticket(fd: Frontdesk, **how: Any) -> Any:
        session = fd.referral.start("main")
        session.answer("tax")
        return fd.referral.complete(session, kiosk_id="k1", **how)

    # Nobody prints: the kiosk shows the number, and no job was made for nobody.
    unheard = ticket(make_frontdesk(config))
    assert unheard.print_result == PrintResult(
        ok=False, fault="no_printer", detail="no printer plugin handles this kiosk"
    )
    assert unheard.show_number_on_screen and unheard.print_job is None
    assert made == []
    # Printed later, the job is handed back whoever may print it then.
    later = ticket(make_frontdesk(config), print_later=True)
    assert [later.print_job] == made
    made.clear()
    printer = Printer()
    printed = ticket(make_frontdesk(config, plugins=[printer]))
    assert printed.print_result is not None and printed.print_result.ok
    assert [job.number for job in made] == [p.number for p in printer.printed]


def test_the_queue_length_from_the_queue_engine_steers_the_branch(
    config: Config, make_frontdesk: MakeFrontdesk
) -> None:
    fd = make_frontdesk(config)
    for _ in range(11):
        fd.queues.issue("tax")
    session = fd.referral.start("main")
    session.answer("tax")
    assert session.outcome is not None and session.outcome.node_id == "tax-book"


def test_sent_home_and_referred_fire_their_hooks(
    config: Config, make_frontdesk: MakeFrontdesk
) -> None:
    recorder = HookRecorder()
    fd = make_frontdesk(config, plugins=[recorder])
    home = fd.referral.start("main")
    home.answer("passport")
    home.answer("have:photo")
    result = fd.referral.complete(home)
    assert isinstance(result.outcome, SentHome) and result.message == "Kom igen"
    assert result.ticket is None
    away = fd.referral.start("main")
    away.answer("job")
    referred = fd.referral.complete(away)
    assert isinstance(referred.outcome, Referred) and referred.where == "Stueetagen"
    assert recorder.named("frontdesk_citizen_sent_home") == [
        {"frontdesk": fd, "outcome": home.outcome}
    ]
    assert recorder.named("frontdesk_citizen_referred") == [
        {"frontdesk": fd, "outcome": away.outcome}
    ]
    assert fd.queues.waiting("pass") == []


def test_book_now_offers_the_next_free_slots(config: Config, make_frontdesk: MakeFrontdesk) -> None:
    fd = make_frontdesk(config)
    session = fd.referral.start("main")
    session.answer("book")
    session.answer("continue")
    result = fd.referral.complete(session)
    assert result.next_step == CHOOSE_SLOT
    assert result.slots == tuple(fd.booking.next_free_today("permit", limit=3))
    assert all(slot.service_id == "permit" for slot in result.slots)


def test_check_in_hands_over_to_the_booking_engine(
    config: Config, make_frontdesk: MakeFrontdesk
) -> None:
    printer, recorder = Printer(), HookRecorder()
    fd = make_frontdesk(config, plugins=[printer, recorder])
    slot = fd.booking.free_slots("passport", fd.clock.now().date(), fd.clock.now().date())[0]
    booking = fd.booking.book("passport", slot.start, contact=Contact(phone=PHONE))
    assert slot.start - fd.clock.now() <= timedelta(minutes=30)  # inside the check-in window

    session = fd.referral.start("main")
    session.answer("booked")
    handover = fd.referral.complete(session)
    assert handover.next_step == ENTER_BOOKING_CODE and handover.ticket is None

    session = fd.referral.start("main")
    session.answer("booked")
    with pytest.raises(NotFoundError):
        fd.referral.complete(session, kiosk_id="k1", booking_code="ZZZZZZ")
    assert session.state is SessionState.ACTIVE  # a wrong code can be typed again
    result = fd.referral.complete(session, kiosk_id="k1", booking_code=booking.code)
    assert result.check_in is not None and result.check_in.booking.id == booking.id
    assert result.ticket is not None and result.ticket.booking_id == booking.id
    assert result.printed and printer.printed[-1].number == result.ticket.number
    assert [c["booking"].id for c in recorder.named("frontdesk_citizen_checked_in")] == [booking.id]
    events = list(fd.store.read(kinds=[COMPLETED]))
    assert PHONE not in repr([e.payload for e in events])
    assert booking.code not in repr([e.payload for e in events])


def test_complete_refuses_what_does_not_fit(config: Config, make_frontdesk: MakeFrontdesk) -> None:
    fd = make_frontdesk(config)
    session = fd.referral.start("main")
    with pytest.raises(InvalidStateError, match="not reached an outcome"):
        fd.referral.complete(session)
    session.answer("tax")
    with pytest.raises(NotFoundError, match="unknown kiosk in centre 'main' 'k2'"):
        fd.referral.complete(session, kiosk_id="k2")
    assert fd.queues.waiting("tax") == []
    fd.referral.complete(session, kiosk_id="k1")
    with pytest.raises(InvalidStateError, match="the session is completed"):
        fd.referral.complete(session, kiosk_id="k1")
    assert len(fd.queues.waiting("tax")) == 1
    gone = fd.referral.start("main")
    gone.answer("job")
    gone.abandon()
    with pytest.raises(InvalidStateError, match="the session is abandoned"):
        fd.referral.complete(gone)
    with pytest.raises(NotFoundError, match="unknown centre 'nowhere'"):
        fd.referral.start("nowhere")


def play(fd: Frontdesk, answers: list[str], *, centre: str = "main", finish: bool = True) -> None:
    """Walk ``answers``; then complete, or walk away (a timeout once something was answered)."""
    session = fd.referral.start(centre)
    for answer in answers:
        session.answer(answer)
    if finish:
        fd.referral.complete(session)
    elif answers:
        session.timeout()
    else:
        session.abandon()


def test_path_statistics_survive_a_restart(
    config: Config, make_frontdesk: MakeFrontdesk, tmp_path: Path
) -> None:
    store = str(tmp_path / "frontdesk.db")
    fd = make_frontdesk(config, store=store)
    play(fd, ["job"])
    play(fd, ["job"])
    play(fd, ["passport", "none"])
    play(fd, ["job"], centre="annex")
    play(fd, ["passport"], finish=False)
    play(fd, [], finish=False)
    stats = fd.referral.stats()
    fd.close()
    again = make_frontdesk(config, store=store)
    assert again.referral.stats() == stats
    assert (stats.completed, stats.abandoned, stats.timed_out) == (4, 2, 1)
    assert stats.outcomes == (
        NodeCount("main", "main", "to-jobcenter", "refer", 2),
        NodeCount("annex", "main", "to-jobcenter", "refer", 1),
        NodeCount("main", "main", "passport-home", "send_home", 1),
    )
    assert stats.abandoned_at == (
        NodeCount("main", "main", "errand", "question", 1),
        NodeCount("main", "main", "passport-docs", "checklist", 1),
    )
    assert stats.by_kind == {"refer": 3, "send_home": 1}
    assert stats.abandonment_rate == pytest.approx(2 / 6)
    assert again.referral.stats(centre_id="annex").completed == 1


def test_events_say_where_and_never_who(config: Config, make_frontdesk: MakeFrontdesk) -> None:
    fd = make_frontdesk(config)
    play(fd, ["passport", "have:photo"])
    play(fd, ["passport"], finish=False)
    completed, abandoned = (list(fd.store.read(kinds=[kind])) for kind in (COMPLETED, ABANDONED))
    assert completed[0].payload == KioskCompleted(
        tree="main",
        node="passport-home",
        outcome="send_home",
        language="da",
        path=("errand", "passport-docs", "passport-home"),
        missing=1,
        documents=("old_passport",),
    )
    assert abandoned[0].payload == KioskAbandoned(
        tree="main",
        node="passport-docs",
        step="checklist",
        reason="timeout",
        language="da",
        path=("errand", "passport-docs"),
    )


class BusyDay:
    """A plugin that adds the condition function ``busy``: a queue longer than ``limit``."""

    @hookimpl
    def frontdesk_condition_functions(self, register: Callable[[str, object], None]) -> None:
        def busy(args: dict[str, Any], variables: dict[str, Any]) -> bool:
            return bool(variables[f"queue.{args['queue']}.length"] > args["limit"])

        register("busy", busy)


def test_a_plugin_condition_function_is_checked_and_evaluated(
    make_frontdesk: MakeFrontdesk, tmp_path: Path
) -> None:
    tree = ALL_KINDS.replace(
        "{var: queue.tax.length, gt: 10}", "{call: busy, args: {queue: tax, limit: 1}}"
    )
    directory = write_config(tmp_path / "cfg", tree)
    with pytest.raises(ConfigError, match="unknown condition function 'busy'"):
        make_frontdesk(directory)
    fd = make_frontdesk(directory, plugins=[BusyDay()])
    session = fd.referral.start("main")
    assert session.answer("tax").node_id == "tax-queue"
    fd.queues.issue("tax")
    fd.queues.issue("tax")
    session = fd.referral.start("main")
    assert session.answer("tax").node_id == "tax-book"
