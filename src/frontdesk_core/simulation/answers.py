"""How a simulated citizen answers the kiosk: a strategy over the real referral tree.

The kiosk session itself is the live engine's; this only decides which button
a citizen presses, from what the scenario says:

* ``answers``: weights per question and option (a stream's own weights come first);
* ``missing_documents``: the probability that a citizen lacks each document.

A citizen with an errand never presses a button whose every path ends in
another errand's queue; among the rest, options with a weight are chosen with
that probability, and what is left goes to the options that lead to the
citizen's own errand: to the errand itself where the tree names it, and only
where no option does, to its queue in general (a "something else" button that
takes anyone to the errand's queue is not the errand's own button). So "1 in 5
sent home" is not a number in the scenario: it falls out of the tree and the
documents people forget.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from frontdesk_core.config.models import Config
from frontdesk_core.drafts import quick_init
from frontdesk_core.referral.model import (
    BookNow,
    Branch,
    CheckIn,
    Checklist,
    Info,
    JoinQueue,
    Node,
    Question,
    ReferralTree,
)
from frontdesk_core.referral.steps import Step
from frontdesk_core.simulation.distributions import Uniforms

if TYPE_CHECKING:
    from frontdesk_core.referral.session import KioskSession


@quick_init
@dataclass(frozen=True, slots=True)
class Goal:
    """What a citizen came for: an errand (service id) or, when booked, a check-in."""

    service: str | None
    booked: bool = False


class TreeMap:
    """The outcomes reachable from each node of a tree (computed once per tree)."""

    def __init__(self, tree: ReferralTree, config: Config) -> None:
        self.tree = tree
        self.config = config
        self._nodes = {node.id: node for node in tree.nodes}
        self._kinds: dict[tuple[str, Goal], str] = {}

    @cached_property
    def reach(self) -> dict[str, frozenset[str]]:
        """Per node, the ids of the outcome nodes some path from it ends in."""
        memo: dict[str, frozenset[str]] = {}

        def visit(node_id: str, path: frozenset[str]) -> frozenset[str]:
            if node_id in memo:
                return memo[node_id]
            node = self._nodes.get(node_id)
            if node is None or node_id in path:
                return frozenset()  # a loop or a dangling id reaches nothing new
            inner = path | {node_id}
            found: frozenset[str]
            if isinstance(node, Question):
                found = frozenset().union(*(visit(o.next, inner) for o in node.options))
            elif isinstance(node, Info):
                found = visit(node.next, inner)
            elif isinstance(node, Checklist):
                found = visit(node.next, inner) | visit(node.missing, inner)
            elif isinstance(node, Branch):
                found = visit(node.otherwise, inner).union(
                    *(visit(c.next, inner) for c in node.cases)
                )
            else:
                found = frozenset({node_id})
            memo[node_id] = found
            return found

        for node in self.tree.nodes:
            visit(node.id, frozenset())
        return memo

    def node(self, node_id: str) -> Node:
        """The node with this id."""
        return self._nodes[node_id]

    def serves(self, outcome_id: str) -> str | None:
        """The service an outcome serves (a queue or booking outcome), if any."""
        node = self._nodes[outcome_id]
        if isinstance(node, JoinQueue):
            if node.service is not None:
                return node.service
            return f"queue:{node.queue}"
        if isinstance(node, BookNow):
            return node.service
        return None

    def is_check_in(self, outcome_id: str) -> bool:
        """Whether the outcome checks a booking in."""
        return isinstance(self._nodes[outcome_id], CheckIn)

    def kind(self, option_next: str, goal: Goal) -> str:
        """Where pressing an option can lead ``goal``: ``own`` (its errand, or its check-in),
        ``queue`` (only its errand's queue, with no errand named), ``other`` or ``neutral``."""
        key = (option_next, goal)
        found = self._kinds.get(key)
        if found is None:
            found = self._kinds[key] = self._kind(option_next, goal)
        return found

    def _kind(self, option_next: str, goal: Goal) -> str:
        reached = self.reach.get(option_next, frozenset())
        own = other = queue = False
        queue_of = self._queue_of(goal.service)
        for outcome_id in reached:
            if goal.booked:
                if self.is_check_in(outcome_id):
                    own = True
                elif self.serves(outcome_id) is not None:
                    other = True
                continue
            if self.is_check_in(outcome_id):
                other = True
                continue
            served = self.serves(outcome_id)
            if served is None:
                continue
            if served == goal.service:
                own = True
            elif queue_of is not None and served == f"queue:{queue_of}":
                queue = True
            else:
                other = True
        if own:
            return "own"
        if queue:
            return "queue"
        return "other" if other else "neutral"

    def _queue_of(self, service_id: str | None) -> str | None:
        if service_id is None:
            return None
        for service in self.config.services:
            if service.id == service_id:
                return service.queue
        return None


Plan = tuple[list[str], list[float], float]
"""For one question and the options it shows: the options a citizen may press, each one's
chance, and the sum of the chances (0: any eligible option, each equally likely)."""
Plans = dict[tuple[str, tuple[str, ...]], Plan]
"""Plans by question id and the ids of the options shown."""
StepPlans = dict[int, tuple[Step, Plan]]
"""Plans by the step shown (its ``id``, with the step kept so that the id stays its own)."""
STEP_PLANS_KEPT = 1024
"""Steps whose plans :class:`AnswerStrategy` keeps by the step (cleared when full: a
tree's steps are made once and shared, but a step whose options have conditions is
made anew for every session)."""


class AnswerStrategy:
    """Chooses options and missing documents for one citizen, from the scenario's weights.

    ``memo`` may be shared by citizens with the same goal, tree and weights: what they
    may press, and with which chances, is worked out once per question and set of
    visible options, and only the draw is their own. ``by_step``, shared alike, finds
    the plan of a step shown before without listing its options again.
    """

    def __init__(
        self,
        tree_map: TreeMap,
        goal: Goal,
        weights: Sequence[Mapping[str, Mapping[str, float]]],
        missing: Sequence[Mapping[str, float]],
        rng: Uniforms,
        memo: Plans | None = None,
        by_step: StepPlans | None = None,
    ) -> None:
        self.map = tree_map
        self.goal = goal
        self.weights = weights
        self.missing = missing
        self.rng = rng
        self.memo: Plans = {} if memo is None else memo
        self.by_step: StepPlans = {} if by_step is None else by_step

    def _weights_for(self, node_id: str) -> Mapping[str, float] | None:
        for layer in self.weights:
            if node_id in layer:
                return layer[node_id]
        return None

    def choose(self, question: Question, visible: Sequence[str]) -> str:
        """The id of the option this citizen presses among the ``visible`` ones."""
        return self._draw(self._plan_for(question, visible))

    def _plan_for(self, question: Question, visible: Sequence[str]) -> Plan:
        key = (question.id, tuple(visible))
        plan = self.memo.get(key)
        if plan is None:
            plan = self.memo[key] = self._plan(question, visible)
        return plan

    def _draw(self, plan: Plan) -> str:
        options, chances, total = plan
        if total <= 0:
            return options[int(self.rng.random() * len(options))]
        pick = self.rng.random() * total
        for i, chance in enumerate(chances):  # the options' chances, in their order
            pick -= chance
            if pick < 0:
                return options[i]
        return options[0]

    def _plan(self, question: Question, visible: Sequence[str]) -> Plan:
        options = [o for o in question.options if o.id in visible]
        if not options:
            raise ValueError(f"question '{question.id}' shows no option")
        given = self._weights_for(question.id) or {}
        if self.goal.service is None and not self.goal.booked:
            eligible = options
            own: list[str] = []
        else:
            kinds = {o.id: self.map.kind(o.next, self.goal) for o in options}
            eligible = [o for o in options if kinds[o.id] != "other"]
            # The errand's own button where the tree has one; its queue's in general only
            # where it has none.
            preferred = "own" if any(kinds[o.id] == "own" for o in eligible) else "queue"
            own = [o.id for o in eligible if kinds[o.id] == preferred and o.id not in given]
        explicit = {o.id: given[o.id] for o in eligible if o.id in given}
        chances = dict(explicit)
        rest = max(0.0, 1.0 - sum(explicit.values()))
        for option_id in own:
            chances[option_id] = rest / len(own)
        total = sum(chances.values())
        if total <= 0:
            return [o.id for o in eligible] or [o.id for o in options], [], 0.0
        return list(chances), list(chances.values()), total

    def walk(self, session: KioskSession) -> None:
        """Answer the session's steps as this citizen would, until it reaches an outcome."""
        for _ in range(len(self.map.tree.nodes) + 1):
            step = session.step
            if step.kind == "outcome":
                return
            node = self.map.node(step.node_id)
            if isinstance(node, Question):
                found = self.by_step.get(id(step))
                if found is not None and found[0] is step:
                    session.answer(self._draw(found[1]))  # choose(), the step seen before
                    continue
                plan = self._plan_for(node, [o.id for o in step.options])
                if len(self.by_step) >= STEP_PLANS_KEPT:
                    self.by_step.clear()
                self.by_step[id(step)] = (step, plan)
                session.answer(self._draw(plan))
            elif isinstance(node, Checklist):
                lacking = self.missing_documents(node)
                session.check([d for d in node.documents if d not in lacking])
            else:
                session.answer(step.options[0].id if step.options else "continue")

    def missing_documents(self, checklist: Checklist) -> list[str]:
        """The documents of a checklist this citizen lacks."""
        lacking = []
        for document_id in checklist.documents:
            chance = 0.0
            for layer in self.missing:
                if document_id in layer:
                    chance = layer[document_id]
                    break
            if chance > 0 and self.rng.random() < chance:
                lacking.append(document_id)
        return lacking


__all__ = ["AnswerStrategy", "Goal", "Plan", "Plans", "StepPlans", "TreeMap"]
