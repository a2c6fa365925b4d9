"""Kiosk sessions: every kind of node and outcome, back, restart, abandon, bad answers."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontdesk_core.clock import ManualClock
from frontdesk_core.config.models import Config
from frontdesk_core.devices import QueueStatus
from frontdesk_core.errors import CommandError, InvalidStateError, NotFoundError
from frontdesk_core.referral.conditions import StaticFacts
from frontdesk_core.referral.outcomes import (
    BookTime,
    CheckIn,
    Closed,
    Referred,
    SentHome,
    TakeTicket,
)
from frontdesk_core.referral.session import (
    CompiledTree,
    KioskSession,
    SessionState,
    parse_checklist_answer,
)
from frontdesk_core.referral.steps import CONTINUE, Choice, DocumentItem

CPH = ZoneInfo("Europe/Copenhagen")
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=CPH)


def start(
    config: Config,
    *,
    centre: str = "main",
    language: str = "da",
    at: datetime = MONDAY_9,
    facts: StaticFacts | None = None,
    listener: object = None,
) -> KioskSession:
    return KioskSession(
        CompiledTree.for_centre(config, centre),
        centre_id=centre,
        language=language,
        clock=ManualClock(at),
        facts=facts or StaticFacts(),
        listener=listener,  # type: ignore[arg-type]
    )


def test_a_question_shows_its_text_help_and_visible_options(config: Config) -> None:
    step = start(config).step
    assert (step.kind, step.node_id, step.number, step.can_go_back) == (
        "question",
        "errand",
        1,
        False,
    )
    assert step.text == "Hvad skal du?"
    assert step.help == "Vælg en"
    assert step.options[0] == Choice("passport", "Pas", "passport", "Nyt pas")
    # 'english' shows only in English; 'annex' only at the main centre.
    assert [c.id for c in step.options] == ["passport", "tax", "job", "annex", "booked", "book"]


def test_sessions_sharing_a_tree_see_only_the_options_their_own_conditions_allow(
    config: Config,
) -> None:
    # A step every session shows alike is made once per tree; one with a conditional
    # option is made for each session.
    tree = CompiledTree.for_centre(config, "main")

    def first_options(centre: str) -> list[str]:
        session = KioskSession(
            tree, centre_id=centre, language="da", clock=ManualClock(MONDAY_9), facts=StaticFacts()
        )
        return [c.id for c in session.step.options]

    assert "annex" in first_options("main")
    assert "annex" not in first_options("annex")
    assert "annex" in first_options("main")


def test_options_follow_language_and_centre_conditions(config: Config) -> None:
    english = start(config, language="en").step
    assert [c.id for c in english.options] == [
        "passport",
        "tax",
        "job",
        "annex",
        "english",
        "booked",
        "book",
    ]
    assert english.text == "What is your errand?"
    annex = start(config, centre="annex").step
    assert "annex" not in [c.id for c in annex.options]


def test_a_checklist_with_everything_leads_to_a_ticket_outcome(config: Config) -> None:
    session = start(config)
    step = session.answer("passport")
    assert step.kind == "checklist"
    assert step.documents == (
        DocumentItem("old_passport", "Gammelt pas"),
        DocumentItem("photo", "Pasfoto", "Højst 6 måneder gammelt"),
    )
    step = session.check(["old_passport", "photo"])
    assert session.done and step.kind == "outcome"
    assert session.outcome == TakeTicket(
        centre_id="main",
        tree_id="main",
        node_id="passport-queue",
        language="da",
        text="Tag dit nummer. Du bliver kaldt frem på skærmen.",
        queue_id="pass",
        queue_name="Pas",
        service_id="passport",
        priority=3,
        note="Pas",
        where="Venteområde A",
    )
    assert step.outcome is session.outcome
    assert session.path == ("errand", "passport-docs", "passport-queue")
    assert session.answers == {"errand": "passport"}


def test_a_missing_document_sends_the_citizen_home_with_what_to_bring(config: Config) -> None:
    session = start(config, language="en")
    session.answer("passport")
    session.answer("have:photo")
    assert session.missing == {"old_passport"}
    assert session.outcome == SentHome(
        centre_id="main",
        tree_id="main",
        node_id="passport-home",
        language="en",
        text="Come back",
        missing_documents=("old_passport",),
        bring=("Old passport", "Passport photo"),
        book_service="passport",
        url="https://testby.dk/book",
    )
    assert session.outcome.kind == "send_home"


def test_sessions_sharing_a_tree_share_outcomes_their_own_answers_and_time_allow(
    config: Config,
) -> None:
    tree = CompiledTree.for_centre(config, "main")
    clock = ManualClock(MONDAY_9)

    def walk(have: str, language: str = "en") -> KioskSession:
        session = KioskSession(
            tree, centre_id="main", language=language, clock=clock, facts=StaticFacts()
        )
        session.answer("passport")
        session.answer(have)
        return session

    first, second = walk("all"), walk("all")
    assert isinstance(first.outcome, TakeTicket)
    assert second.step is first.step  # made once, the same for both
    assert walk("all", "da").outcome == replace(
        first.outcome,
        language="da",
        text="Tag dit nummer. Du bliver kaldt frem på skærmen.",
        queue_name="Pas",
        where="Venteområde A",
    )
    lacks_photo, lacks_both = walk("have:old_passport"), walk("none")
    assert isinstance(lacks_photo.outcome, SentHome) and isinstance(lacks_both.outcome, SentHome)
    assert lacks_photo.outcome.missing_documents == ("photo",)
    assert lacks_both.outcome.missing_documents == ("old_passport", "photo")
    assert walk("have:old_passport").outcome == lacks_photo.outcome
    # Monday 14:50, after the last ticket: the ticket kept for the node is not handed out.
    clock.set(MONDAY_9.replace(hour=14, minute=50))
    late = walk("all")
    assert isinstance(late.outcome, Closed) and late.outcome.reason == "last_ticket"
    clock.set(MONDAY_9 + timedelta(days=1))  # Tuesday 09:00: open again
    assert walk("all").outcome == first.outcome


def test_a_send_home_keeps_its_own_link(config: Config) -> None:
    session = start(config, at=MONDAY_9.replace(hour=14, minute=30))
    session.answer("tax")
    assert isinstance(session.outcome, SentHome)
    assert (session.outcome.node_id, session.outcome.url) == ("tax-home", "https://skat.dk")
    assert session.outcome.bring == ()


def test_a_branch_follows_the_first_case_that_holds(config: Config) -> None:
    long_queue = StaticFacts({"tax": QueueStatus("tax", "Skat", 11, 30, True)})
    assert start(config, facts=long_queue).answer("tax").node_id == "tax-book"
    assert start(config).answer("tax").node_id == "tax-queue"
    late = MONDAY_9.replace(hour=14)
    assert start(config, at=late).answer("tax").node_id == "tax-home"
    # The first case wins even when a later one holds too.
    assert start(config, at=late, facts=long_queue).answer("tax").node_id == "tax-book"
    session = start(config)
    session.answer("tax")
    assert session.path == ("errand", "tax-branch", "tax-queue")


def test_a_referral_to_an_authority_carries_its_details(config: Config) -> None:
    session = start(config, language="en")
    session.answer("job")
    assert session.outcome == Referred(
        centre_id="main",
        tree_id="main",
        node_id="to-jobcenter",
        language="en",
        text="Your errand belongs elsewhere.",
        authority_id="jobcenter",
        name="The Job Centre",
        address="Jobvej 1, 9999 Testby",
        opening_hours="Mon-Fri 9-15",
        where="Ground floor",
        phone="+45 11 22 33 44",
        url="https://testby.dk/job",
    )


def test_a_referral_to_a_centre_gives_its_address_and_hours(config: Config) -> None:
    session = start(config)
    session.answer("annex")
    assert session.outcome == Referred(
        centre_id="main",
        tree_id="main",
        node_id="to-annex",
        language="da",
        text="Gå til annekset",
        to_centre_id="annex",
        name="Annekset",
        address="Rådhuspladsen 3, 9999 Testby",
        opening_hours="man 10:00-14:00, tor 10:00-12:00, 13:00-17:00",
    )


def test_check_in_and_book_outcomes(config: Config) -> None:
    session = start(config)
    session.answer("booked")
    assert session.outcome == CheckIn(
        "main", "main", "booked", "da", "Tjek ind med din bookingkode."
    )
    session = start(config, language="en")
    step = session.answer("book")
    assert step.kind == "info"
    assert step.options == (Choice(CONTINUE, "Continue"),)
    session.answer(CONTINUE)
    assert session.outcome == BookTime(
        centre_id="main",
        tree_id="main",
        node_id="permit-book",
        language="en",
        text="Choose a time",
        service_id="permit",
        service_name="Building permit",
        channels=("in_person", "phone"),
    )


def test_back_undoes_the_last_answer_and_its_missing_documents(config: Config) -> None:
    session = start(config)
    session.answer("passport")
    session.answer("none")
    assert session.done
    step = session.back()
    assert (step.kind, step.node_id, step.number, step.can_go_back) == (
        "checklist",
        "passport-docs",
        2,
        True,
    )
    assert not session.done and session.outcome is None
    assert session.missing == frozenset()
    assert session.path == ("errand", "passport-docs")
    session.back()
    assert session.answers == {}
    with pytest.raises(InvalidStateError, match="nothing to go back to"):
        session.back()
    session.answer("passport")
    session.answer("all")
    assert session.outcome is not None and session.outcome.node_id == "passport-queue"


def test_restart_forgets_everything(config: Config) -> None:
    session = start(config)
    session.answer("passport")
    session.answer("none")
    step = session.restart()
    assert step.node_id == "errand" and step.number == 1
    assert (session.answers, session.missing, session.path) == ({}, frozenset(), ("errand",))


def test_a_bad_answer_changes_nothing(config: Config) -> None:
    session = start(config)
    before = session.step
    with pytest.raises(
        NotFoundError,
        match="unknown option 'pasport' at question 'errand'; did you mean 'passport'",
    ):
        session.answer("pasport")
    with pytest.raises(
        InvalidStateError, match="option 'english' of question 'errand' is not offered now"
    ):
        session.answer("english")
    assert session.step is before and session.path == ("errand",)
    session.answer("passport")
    with pytest.raises(NotFoundError, match="unknown document on this checklist 'fotos'"):
        session.answer("have:fotos")
    with pytest.raises(NotFoundError, match="unknown document on this checklist 'passport'"):
        session.check(["passport"])
    with pytest.raises(CommandError, match="no checklist answer"):
        session.answer("yes")
    assert session.step.node_id == "passport-docs" and session.missing == frozenset()
    with pytest.raises(InvalidStateError, match="no checklist"):
        start(config).check([])


def test_nothing_can_be_answered_after_the_outcome(config: Config) -> None:
    session = start(config)
    session.answer("job")
    with pytest.raises(InvalidStateError, match="reached its outcome"):
        session.answer("job")
    with pytest.raises(InvalidStateError, match="reached its outcome"):
        session.check([])


def test_the_info_step_takes_only_continue(config: Config) -> None:
    session = start(config)
    session.answer("book")
    assert session.step.options == (Choice(CONTINUE, "Fortsæt"),)
    with pytest.raises(NotFoundError, match="unknown option 'ok' at info 'permit-info'"):
        session.answer("ok")


class Listener:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []

    def session_abandoned(self, session: KioskSession, reason: str) -> None:
        self.calls.append((session.id, session.step.node_id, reason))


def test_abandon_and_timeout_tell_the_listener_and_close_the_session(config: Config) -> None:
    listener = Listener()
    session = start(config, listener=listener)
    session.answer("passport")
    session.abandon()
    assert session.state is SessionState.ABANDONED
    other = start(config, listener=listener)
    other.timeout()
    assert listener.calls == [
        (session.id, "passport-docs", "abandoned"),
        (other.id, "errand", "timeout"),
    ]
    for action in (session.back, session.restart, session.abandon, lambda: session.answer("all")):
        with pytest.raises(InvalidStateError, match="the session is abandoned"):
            action()


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=st.lists(st.integers(0, 5), max_size=14))
def test_going_back_restores_each_step_as_it_was(config: Config, moves: list[int]) -> None:
    """Answers, missing documents and path after every back are those before the answer
    it undoes (0 goes back; another number picks an option, or a checklist answer)."""
    session = start(config)
    before: list[tuple[dict[str, str], frozenset[str], tuple[str, ...]]] = []
    for move in moves:
        if move == 0 or session.done:
            if before:
                session.back()
                assert (dict(session.answers), session.missing, session.path) == before.pop()
            continue
        before.append((dict(session.answers), session.missing, session.path))
        step = session.step
        if step.kind == "checklist":
            session.answer("none" if move % 2 else "all")
        else:
            session.answer(step.options[move % len(step.options)].id)


def test_idle_time_counts_from_the_last_thing_the_citizen_did(config: Config) -> None:
    session = start(config)
    clock = session.clock
    assert isinstance(clock, ManualClock)
    clock.advance(seconds=20)
    assert session.idle_for() == timedelta(seconds=20)
    session.answer("passport")
    clock.advance(seconds=5)
    assert session.idle_for() == timedelta(seconds=5)
    session.back()
    assert session.idle_for() == timedelta(0)
    clock.advance(seconds=7)
    session.restart()
    assert session.idle_for() == timedelta(0)
    clock.advance(seconds=90)
    if session.idle_for() > timedelta(seconds=60):
        session.timeout()
    assert session.state is SessionState.ABANDONED


def test_mark_completed_needs_an_outcome(config: Config) -> None:
    session = start(config)
    with pytest.raises(InvalidStateError, match="not reached an outcome"):
        session.mark_completed()
    session.answer("job")
    session.mark_completed()
    assert session.state is SessionState.COMPLETED
    with pytest.raises(InvalidStateError, match="the session is completed"):
        session.back()


def test_sessions_are_independent(config: Config) -> None:
    first, second = start(config), start(config)
    first.answer("passport")
    assert second.step.node_id == "errand" and second.answers == {}
    assert first.id != second.id


def test_start_refuses_unknown_centres_and_languages(config: Config) -> None:
    with pytest.raises(CommandError, match="language 'de' is not offered"):
        start(config, language="de")
    tree = CompiledTree.for_centre(config, "main")
    with pytest.raises(NotFoundError, match="unknown centre 'mian'; did you mean 'main'"):
        KioskSession(
            tree, centre_id="mian", language="da", clock=ManualClock(MONDAY_9), facts=StaticFacts()
        )
    with pytest.raises(NotFoundError, match="unknown centre 'nowhere'"):
        CompiledTree.for_centre(config, "nowhere")
    without = config.model_copy(
        update={"centres": [config.centres[0].model_copy(update={"tree": None})]}
    )
    with pytest.raises(NotFoundError, match="centre 'main' has no referral tree"):
        CompiledTree.for_centre(without, "main")


def test_the_compiled_tree_knows_its_depth(config: Config) -> None:
    # errand -> tax-branch -> tax-book, errand -> passport-docs -> passport-home, ...
    # errand -> permit-info -> permit-book: three nodes at most.
    assert CompiledTree.for_centre(config, "main").depth == 3


@pytest.mark.parametrize(
    ("text", "have"),
    [
        ("all", {"a", "b", "c"}),
        ("none", set()),
        ("have:all", {"a", "b", "c"}),
        ("have:none", set()),
        ("have:a,c", {"a", "c"}),
        ("have: a , b", {"a", "b"}),
        ("missing:b", {"a", "c"}),
        ("missing:a,b,c", set()),
        ("missing:all", set()),
        ("missing:none", {"a", "b", "c"}),
    ],
)
def test_checklist_answers(text: str, have: set[str]) -> None:
    assert parse_checklist_answer(text, ["a", "b", "c"]) == have


def test_step_as_dict_is_plain_data(config: Config) -> None:
    session = start(config)
    session.answer("job")
    data = session.step.as_dict()
    assert data["kind"] == "outcome"
    assert data["outcome"]["kind"] == "refer"
    assert data["outcome"]["authority_id"] == "jobcenter"
