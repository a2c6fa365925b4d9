"""Citizens press the buttons the scenario's weights say, on the real tree."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from referral.conftest import ALL_KINDS, write_config

from frontdesk_core import check
from frontdesk_core.app import Frontdesk
from frontdesk_core.clock import ManualClock
from frontdesk_core.config.loader import load_config
from frontdesk_core.referral.model import Checklist, Question
from frontdesk_core.simulation.answers import AnswerStrategy, Goal, Plans, StepPlans, TreeMap

KOBENHAVN = Path(__file__).parents[2] / "examples" / "kobenhavn"


@pytest.fixture(scope="module")
def tree() -> TreeMap:
    config = load_config(KOBENHAVN)
    return TreeMap(config.tree("kbh-borgerservice"), config)


def _question(tree: TreeMap, node_id: str) -> Question:
    node = tree.node(node_id)
    assert isinstance(node, Question)
    return node


def _picks(tree: TreeMap, goal: Goal, node_id: str, weights: dict[str, float]) -> Counter[str]:
    strategy = AnswerStrategy(tree, goal, [{node_id: weights}], [], random.Random(3))
    question = _question(tree, node_id)
    visible = [o.id for o in question.options]
    return Counter(strategy.choose(question, visible) for _ in range(2000))


def test_an_errand_leads_to_its_own_button(tree: TreeMap) -> None:
    assert set(_picks(tree, Goal("tax"), "errand", {})) == {"tax"}
    assert set(_picks(tree, Goal("passport", booked=True), "errand", {})) == {"booked"}


def test_weights_share_out_neutral_answers(tree: TreeMap) -> None:
    picks = _picks(tree, Goal("tax"), "tax-kind", {"debt": 0.2})
    assert set(picks) == {"assessment", "debt"}
    assert picks["debt"] / 2000 == pytest.approx(0.2, abs=0.03)


def test_other_errands_are_never_pressed(tree: TreeMap) -> None:
    # 'child' leads to another service's booking, 'pickup' to another service's queue.
    picks = _picks(tree, Goal("passport"), "passport-kind", {"new": 0.8, "lost": 0.2})
    assert set(picks) == {"new", "lost"}


def test_citizens_without_an_errand_follow_the_weights(tree: TreeMap) -> None:
    picks = _picks(tree, Goal(None), "errand", {"job": 0.75, "other": 0.25})
    assert set(picks) == {"job", "other"}
    assert picks["job"] / 2000 == pytest.approx(0.75, abs=0.03)


def test_missing_documents_follow_their_probabilities(tree: TreeMap) -> None:
    node = tree.node("passport-docs")
    assert isinstance(node, Checklist)
    strategy = AnswerStrategy(tree, Goal("passport"), [], [{"old_passport": 0.3}], random.Random(5))
    lacking = Counter(d for _ in range(2000) for d in strategy.missing_documents(node))
    assert lacking["old_passport"] / 2000 == pytest.approx(0.3, abs=0.03)
    assert "photo_id" not in lacking


def test_an_errand_presses_its_own_button_not_something_else(tree: TreeMap) -> None:
    # 'other' takes anyone to the general queue, where health cards are served too: it is
    # not the health card's button, and a citizen who came for one does not press it.
    for service, button in (("health_card", "health_card"), ("moving", "moving")):
        assert set(_picks(tree, Goal(service), "errand", {})) == {button}


def test_a_step_seen_before_is_answered_as_choosing_afresh_would(tmp_path: Path) -> None:
    """Citizens who share their plans by the step shown press what citizens who list
    each step's options again press, draw for draw: on a tree whose first question
    shows an option in English only, in both languages, for several errands."""
    config, found = check(write_config(tmp_path / "all", ALL_KINDS))
    assert config is not None, found
    tree = TreeMap(config.tree("main"), config)
    clock = ManualClock(datetime(2026, 3, 3, 10, 0, tzinfo=ZoneInfo(config.site.timezone)))
    fd = Frontdesk.open(config, store="memory://", clock=clock)
    shared: dict[Goal, tuple[Plans, StepPlans]] = {}
    for citizen in range(400):
        goal = (Goal("passport"), Goal("tax"), Goal(None), Goal(None, booked=True))[citizen % 4]
        memo, by_step = shared.setdefault(goal, ({}, {}))
        language = ("da", "en")[citizen // 4 % 2]
        walks = []
        for strategy in (
            AnswerStrategy(tree, goal, [], [{"photo": 0.3}], random.Random(citizen)),
            AnswerStrategy(tree, goal, [], [{"photo": 0.3}], random.Random(citizen), memo, by_step),
        ):
            session = fd.referral.start("main", language=language)
            strategy.walk(session)
            walks.append((session.path, session.outcome))
        assert walks[0] == walks[1]
    assert all(by_step for _, by_step in shared.values())  # steps were met again
