"""Invariants on the example trees: any valid answers reach an outcome within the tree's depth.

And an answer taken back with ``back()`` leaves the session exactly as it was.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk_core.clock import ManualClock
from frontdesk_core.config.link import all_queue_ids
from frontdesk_core.config.loader import load_config
from frontdesk_core.devices import QueueStatus
from frontdesk_core.referral.conditions import StaticFacts
from frontdesk_core.referral.model import OUTCOME_KINDS
from frontdesk_core.referral.outcomes import Closed
from frontdesk_core.referral.session import CompiledTree, KioskSession

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CPH = ZoneInfo("Europe/Copenhagen")
CONFIGS = {name: load_config(EXAMPLES / name) for name in ("kobenhavn", "hvidovre")}
CASES = [
    (name, centre.id)
    for name, config in CONFIGS.items()
    for centre in config.centres
    if centre.tree is not None
]
TREES = {(name, centre): CompiledTree.for_centre(CONFIGS[name], centre) for name, centre in CASES}


def queue_facts(queues: list[str]) -> st.SearchStrategy[StaticFacts]:
    status = st.builds(
        QueueStatus,
        st.just(""),
        st.just(""),
        waiting=st.integers(0, 60),
        expected_wait_minutes=st.none() | st.integers(0, 180),
        open=st.booleans(),
    )
    return st.fixed_dictionaries({q: status for q in queues}).map(StaticFacts)


def answer(session: KioskSession, data: st.DataObject) -> None:
    """Give the current step any valid answer."""
    step = session.step
    if step.kind == "checklist":
        ids = [d.id for d in step.documents]
        session.check(data.draw(st.sets(st.sampled_from(ids))))
    else:
        assert step.options, f"{step.node_id} offers nothing to answer"
        session.answer(data.draw(st.sampled_from([c.id for c in step.options])))


@settings(max_examples=400, deadline=None)
@given(
    case=st.sampled_from(CASES),
    language=st.sampled_from(["da", "en"]),
    at=st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 31), timezones=st.just(CPH)),
    data=st.data(),
)
def test_any_valid_answers_end_in_an_outcome_within_the_depth(
    case: tuple[str, str], language: str, at: datetime, data: st.DataObject
) -> None:
    config = CONFIGS[case[0]]
    tree = TREES[case]
    facts = data.draw(queue_facts(all_queue_ids(config)))
    session = KioskSession(
        tree, centre_id=case[1], language=language, clock=ManualClock(at), facts=facts
    )
    answered = 0
    while not session.done:
        step = session.step
        assert step.text, f"{step.node_id} shows no text"
        if data.draw(st.booleans(), label="detour"):
            # An answer taken back leaves the session exactly as it was.
            path, missing = session.path, session.missing
            answer(session, data)
            assert session.back() == step
            assert (session.path, session.missing) == (path, missing)
        answer(session, data)
        answered += 1
        assert answered < tree.depth
    assert len(session.path) <= tree.depth
    outcome = session.outcome
    assert outcome is not None
    # A queue node at a closed time ends in Closed instead of a ticket.
    assert outcome.kind in OUTCOME_KINDS or isinstance(outcome, Closed)
    if isinstance(outcome, Closed):
        assert tree.nodes[outcome.node_id].kind == "queue"
    assert outcome.text and outcome.language == language
    assert session.step.kind == "outcome" and session.step.outcome is outcome
