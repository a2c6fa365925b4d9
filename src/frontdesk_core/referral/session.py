"""A kiosk session: one citizen walking a referral tree, step by step.

The session is pure: it reads the clock and the queue facts it is given, and
never writes anything. The engine (:mod:`frontdesk_core.referral.engine`)
starts sessions and performs their outcomes; the simulator and ``frontdesk
walk`` drive the very same class.

    session = fd.referral.start("nyropsgade", language="da")
    session.step            # a Step: kind, text, options visible now, ...
    session.answer("passport")
    session.answer("have:photo_id")   # a checklist: the citizen has photo ID only
    session.done, session.outcome
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from datetime import datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Protocol
from zoneinfo import ZoneInfo

from frontdesk_core.clock import Clock, microseconds
from frontdesk_core.config.models import Config
from frontdesk_core.config.suggest import did_you_mean, unknown
from frontdesk_core.config.types import text_in
from frontdesk_core.errors import CommandError, InvalidStateError, NotFoundError
from frontdesk_core.events.base import local_time
from frontdesk_core.hookspecs import ConditionFunction
from frontdesk_core.opening.admission import Admission
from frontdesk_core.opening.hours import OpeningCalendar
from frontdesk_core.referral.closing import closed_outcome
from frontdesk_core.referral.conditions import Facts, Predicate, Variables, compile_condition
from frontdesk_core.referral.graph import TreeGraph
from frontdesk_core.referral.model import (
    BookNow,
    Branch,
    CheckIn,
    Checklist,
    Info,
    JoinQueue,
    Node,
    Option,
    Question,
    Refer,
    ReferralTree,
    SendHome,
)
from frontdesk_core.referral.outcomes import (
    BookTime,
    Closed,
    Outcome,
    Referred,
    SentHome,
    TakeTicket,
)
from frontdesk_core.referral.outcomes import (
    CheckIn as CheckInOutcome,
)
from frontdesk_core.referral.steps import CONTINUE, Choice, DocumentItem, Step, default_text


class CompiledTree:
    """A tree ready for sessions: nodes by id, conditions compiled, its depth known.

    Built once per tree and shared by every session, so a step costs only the
    conditions it evaluates.
    """

    def __init__(
        self,
        tree: ReferralTree,
        config: Config,
        functions: Mapping[str, ConditionFunction] | None = None,
    ) -> None:
        functions = functions or {}
        self.tree = tree
        self.config = config
        self.tz = ZoneInfo(config.site.timezone)
        self.fallback = config.site.languages[0]
        self.nodes: dict[str, Node] = {}
        for node in tree.nodes:
            self.nodes.setdefault(node.id, node)
        self.options: dict[str, tuple[tuple[Option, Predicate | None], ...]] = {}
        self.cases: dict[str, tuple[tuple[Predicate, str], ...]] = {}
        self.targets: dict[str, dict[str, str]] = {}
        """Per question, the node each option leads to."""
        for node in self.nodes.values():
            if isinstance(node, Question):
                targets = self.targets[node.id] = {}
                for option in node.options:
                    targets.setdefault(option.id, option.next)  # the first of an id, as shown
                self.options[node.id] = tuple(
                    (o, compile_condition(o.when, functions) if o.when is not None else None)
                    for o in node.options
                )
            elif isinstance(node, Branch):
                self.cases[node.id] = tuple(
                    (compile_condition(c.when, functions), c.next) for c in node.cases
                )
        self.conditional = frozenset(
            node_id
            for node_id, options in self.options.items()
            if any(when is not None for _, when in options)
        )
        """Questions with an option shown only when its condition holds."""
        self.steps: dict[tuple[str, str, int, bool], Step] = {}
        """Steps every session shows alike (immutable, made once): by node, language,
        step number and whether there is a way back."""
        self.outcome_steps: dict[tuple[str, str, str, frozenset[str], int, bool], Step] = {}
        """Outcome steps as every session reaching them alike shows them (immutable, made
        once): by node, centre, language, the documents lacking (a send-home lists them;
        empty for the other outcomes), step number and whether there is a way back. A
        queue outcome is kept as a ticket; whether walk-ins are turned away is decided
        per session."""
        self.queues = {q.id: q for c in config.centres for q in c.queues}
        """The configuration's queues by id (every queue outcome asks for its last ticket)."""
        self.centre_ids = frozenset(c.id for c in config.centres)
        self.languages = frozenset(config.site.languages)
        """The centres and languages a session may start with."""
        self.depth = TreeGraph(tree).depth()
        """The most nodes on any path: no session takes more steps than this."""
        self._choices: dict[tuple[str, str, str], Choice] = {}
        self._admissions: dict[str, Admission] = {}

    def admission(self, centre_id: str) -> Admission:
        """When walk-ins get tickets at a centre whose kiosks show this tree."""
        admission = self._admissions.get(centre_id)
        if admission is None:
            calendar = OpeningCalendar(self.config.centre(centre_id), self.tz)
            admission = self._admissions[centre_id] = Admission(calendar)
        return admission

    @classmethod
    def for_centre(
        cls,
        config: Config,
        centre_id: str,
        functions: Mapping[str, ConditionFunction] | None = None,
    ) -> CompiledTree:
        """The compiled tree the kiosks of ``centre_id`` show."""
        return cls(tree_of_centre(config, centre_id), config, functions)

    def text(self, text: Mapping[str, str] | None, language: str) -> str:
        """A configured text in ``language`` (the site's first language if it lacks one)."""
        return text_in(text, language, self.fallback) if text else ""

    def choice(self, question_id: str, option: Option, language: str) -> Choice:
        """An option of a question as a kiosk shows it in ``language`` (made once: every
        session showing the question shares the immutable record)."""
        key = (question_id, option.id, language)
        found = self._choices.get(key)
        if found is None:
            found = self._choices[key] = Choice(
                option.id,
                self.text(option.label, language),
                option.icon,
                self.text(option.help, language) or None,
            )
        return found


def tree_of_centre(config: Config, centre_id: str) -> ReferralTree:
    """The referral tree of a centre; :class:`NotFoundError` when there is none."""
    centres = [c.id for c in config.centres]
    if centre_id not in centres:
        raise NotFoundError(unknown("centre", centre_id, centres))
    centre = config.centre(centre_id)
    if centre.tree is None:
        raise NotFoundError(f"centre '{centre_id}' has no referral tree (no 'tree:' key)")
    return config.tree(centre.tree)


OUTCOME_STEPS_KEPT = 4_096
"""How many outcome steps a tree keeps before it starts afresh (a send-home step is
kept per set of documents lacking)."""

_NONE_MISSING: frozenset[str] = frozenset()

_SHOWN = (Question, Info, Checklist)
"""The nodes shown as steps of their own (a tuple: ``A | B`` is made anew at each test)."""


class SessionState(StrEnum):
    """Where a session is: walking the tree, or finished one way or the other."""

    ACTIVE = "active"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


_ACTIVE = SessionState.ACTIVE
"""Read once: an enum member read off its class costs about as much as a call."""


class SessionListener(Protocol):
    """Told when a citizen walks away, so the engine can record where."""

    def session_abandoned(self, session: KioskSession, reason: str) -> None:
        """``session`` was abandoned (``reason``: ``"abandoned"`` or ``"timeout"``)."""
        ...


_Frame = tuple[Step, str | None, str | None, frozenset[str], int]
"""What going back from the next step restores: the step, the question it answered
(``None`` for a step that is no question) and the answer that question had before,
the missing documents and how far the path went. A plain tuple: one is made at
every answer, and a record costs several times as much to make."""


def parse_checklist_answer(text: str, documents: Collection[str]) -> frozenset[str]:
    """The documents a citizen has, from ``have:a,b``, ``missing:a,b``, ``all`` or ``none``.

    ``have:`` lists what the citizen has (the rest is missing); ``missing:`` lists
    what they lack (the rest they have). Unknown ids raise :class:`NotFoundError`.
    """
    word = text.strip()
    if word in ("all", "have:all", "missing:none", "missing:"):
        return frozenset(documents)
    if word in ("none", "have:none", "missing:all", "have:"):
        return frozenset()
    mode, sep, rest = word.partition(":")
    if not sep or mode not in ("have", "missing"):
        raise CommandError(
            f"'{text}' is no checklist answer; write have:ID,ID or missing:ID,ID, all or none"
        )
    named = [part.strip() for part in rest.split(",") if part.strip()]
    for document_id in named:
        if document_id not in documents:
            raise NotFoundError(unknown("document on this checklist", document_id, documents))
    return frozenset(named) if mode == "have" else frozenset(documents) - set(named)


class KioskSession:
    """One citizen at a kiosk, walking a tree from the start to an outcome.

    Every method either changes the session or raises a typed error and changes
    nothing. Branches are followed at once; the citizen sees questions,
    information steps, checklists and, last, the outcome.
    """

    def __init__(
        self,
        tree: CompiledTree,
        *,
        centre_id: str,
        language: str,
        clock: Clock,
        facts: Facts,
        listener: SessionListener | None = None,
        session_id: str | None = None,
    ) -> None:
        config = tree.config
        if centre_id not in tree.centre_ids:
            raise NotFoundError(unknown("centre", centre_id, [c.id for c in config.centres]))
        if language not in tree.languages:
            raise CommandError(
                f"language '{language}' is not offered; the site's languages are "
                + ", ".join(config.site.languages)
            )
        self.tree = tree
        self.config = config
        self.centre_id = centre_id
        self.language = language
        self.clock = clock
        self.facts = facts
        self.listener = listener
        self.id = session_id or uuid.uuid4().hex
        self._now_us = microseconds(clock)
        self._started_us = self._last_us = self._now_us()
        self.state = SessionState.ACTIVE
        self._answers: dict[str, str] = {}
        self._missing: frozenset[str] = frozenset()
        self._history: list[_Frame] = []
        self._path: list[str] = []
        self._outcome: Outcome | None = None
        self._step = self._enter(tree.tree.start)

    # -- what the kiosk shows -------------------------------------------------------------

    @property
    def step(self) -> Step:
        """The step to show now (on an outcome, the outcome's step)."""
        return self._step

    @property
    def started_at(self) -> datetime:
        """When the session started, in the site's time zone."""
        return local_time(self._started_us, self.tree.tz)

    @property
    def last_activity(self) -> datetime:
        """When the citizen last did something, in the site's time zone."""
        return local_time(self._last_us, self.tree.tz)

    @property
    def done(self) -> bool:
        """Whether the session has reached an outcome."""
        return self._outcome is not None

    @property
    def outcome(self) -> Outcome | None:
        """The outcome reached, or ``None`` while questions remain."""
        return self._outcome

    @property
    def tree_id(self) -> str:
        """The id of the tree being walked."""
        return self.tree.tree.id

    @property
    def path(self) -> tuple[str, ...]:
        """The nodes passed so far, in order: steps shown, branches followed, the outcome."""
        return tuple(self._path)

    @property
    def answers(self) -> Mapping[str, str]:
        """The option chosen at each question answered so far."""
        return MappingProxyType(dict(self._answers))

    @property
    def missing(self) -> frozenset[str]:
        """The documents the citizen said they lack."""
        return self._missing

    # -- what the citizen does --------------------------------------------------------------

    def answer(self, option_id: str) -> Step:
        """Choose an option of the current step.

        On a checklist the answer says which documents the citizen has:
        ``have:ID,ID``, ``missing:ID,ID``, ``all`` or ``none``.
        """
        self._require_question()
        node = self.tree.nodes[self._step.node_id]
        if isinstance(node, Checklist):
            return self.check(parse_checklist_answer(option_id, node.documents))
        for choice in self._step.options:  # offered now?
            if choice.id == option_id:
                break
        else:
            visible = [choice.id for choice in self._step.options]
            where = f"{self._step.kind} '{node.id}'"
            if isinstance(node, Question) and any(o.id == option_id for o in node.options):
                raise InvalidStateError(f"option '{option_id}' of {where} is not offered now")
            hint = did_you_mean(option_id, visible) or "; the options are " + ", ".join(visible)
            raise NotFoundError(f"unknown option '{option_id}' at {where}{hint}")
        if isinstance(node, Question):
            target = self.tree.targets[node.id][option_id]
        elif isinstance(node, Info):
            target = node.next
        else:  # pragma: no cover - only questions and info steps have options
            raise InvalidStateError(f"node '{node.id}' takes no option")
        if isinstance(node, Question):
            self._push(node.id)
            self._answers[node.id] = option_id
        else:
            self._push(None)
        self._step = self._enter(target)
        return self._step

    def check(self, have: Collection[str]) -> Step:
        """Answer a checklist: ``have`` holds the documents the citizen has with them."""
        self._require_question()
        node = self.tree.nodes[self._step.node_id]
        if not isinstance(node, Checklist):
            raise InvalidStateError(f"the current step '{node.id}' is a {node.kind}, no checklist")
        for document_id in have:
            if document_id not in node.documents:
                raise NotFoundError(
                    unknown("document on this checklist", document_id, node.documents)
                )
        lacking = frozenset(node.documents) - set(have)
        self._push(None)
        self._missing = self._missing | lacking
        self._step = self._enter(node.missing if lacking else node.next)
        return self._step

    def back(self) -> Step:
        """Go back to the step shown before (undoing its answer)."""
        self._require_active()
        if not self._history:
            raise InvalidStateError("this is the first step; there is nothing to go back to")
        step, answered, before, missing, path_length = self._history.pop()
        if answered is not None:
            if before is None:
                del self._answers[answered]
            else:
                self._answers[answered] = before
        self._missing = missing
        del self._path[path_length:]
        self._outcome = None
        self._step = step
        self._last_us = self._now_us()
        return self._step

    def restart(self) -> Step:
        """Start again from the first question, forgetting every answer."""
        self._require_active()
        self._history.clear()
        self._answers = {}
        self._missing = frozenset()
        self._path.clear()
        self._outcome = None
        self._step = self._enter(self.tree.tree.start)
        self._last_us = self._now_us()
        return self._step

    def idle_for(self) -> timedelta:
        """How long since the citizen last did something (the kiosk times out on this)."""
        return timedelta(microseconds=self._now_us() - self._last_us)

    def abandon(self, reason: str = "abandoned") -> None:
        """The citizen walked away: the session ends where it is (the engine records where)."""
        self._require_active()
        self.state = SessionState.ABANDONED
        self._last_us = self._now_us()
        if self.listener is not None:
            self.listener.session_abandoned(self, reason)

    def timeout(self) -> None:
        """The kiosk gave up waiting for the citizen: abandoned with the reason ``timeout``."""
        self.abandon("timeout")

    def mark_completed(self) -> None:
        """Called by the engine once the outcome is performed; the session is then closed."""
        if self._outcome is None:
            raise InvalidStateError("the session has not reached an outcome yet")
        self._require_active()
        self.state = SessionState.COMPLETED

    # -- walking ------------------------------------------------------------------------------

    def _require_active(self) -> None:
        if self.state is not _ACTIVE:
            raise InvalidStateError(f"the session is {self.state.value}")

    def _require_question(self) -> None:
        self._require_active()
        if self._outcome is not None:
            raise InvalidStateError(
                "the session has reached its outcome; go back or restart to change an answer"
            )

    def _push(self, question_id: str | None) -> None:
        """Remember the step shown before the citizen's answer to it (to the question
        ``question_id``, if it is one): what the answer changes is undone on going back,
        not copied every step."""
        before = self._answers.get(question_id) if question_id is not None else None
        self._history.append((self._step, question_id, before, self._missing, len(self._path)))
        self._last_us = self._now_us()

    def closed_for(self, ticket: TakeTicket) -> Closed | None:
        """The :class:`Closed` outcome that replaces ``ticket`` if walk-ins are turned away
        now (the centre is closed, or the queue's last ticket is gone); else ``None``."""
        admission = self.tree.admission(ticket.centre_id)
        last_ticket = self.tree.queues[ticket.queue_id].last_ticket
        us = self._now_us()
        if admission.open_at(us, last_ticket):
            return None
        now = local_time(us, self.tree.tz)
        closed = admission.closed(now, last_ticket)
        return closed_outcome(self.config, ticket, closed, now) if closed is not None else None

    def variables(self) -> Variables:
        """The condition variables as they are now (for tests and condition functions)."""
        return Variables(
            answers=self._answers,
            missing=self._missing,
            now=lambda: local_time(self._now_us(), self.tree.tz),
            centre_id=self.centre_id,
            language=self.language,
            facts=self.facts,
        )

    def _enter(self, node_id: str) -> Step:
        """Follow branches from ``node_id`` to the next step to show, and build it."""
        variables: Variables | None = None
        for _ in range(len(self.tree.nodes) + 1):
            node = self.tree.nodes.get(node_id)
            if node is None:
                raise InvalidStateError(f"the tree '{self.tree_id}' has no node '{node_id}'")
            self._path.append(node.id)
            if not isinstance(node, Branch):
                return self._show(node, variables)
            if variables is None:  # made once for the branches in a row (an empty one is falsy)
                variables = self.variables()
            for holds, target in self.tree.cases[node.id]:
                if holds(variables):
                    node_id = target
                    break
            else:
                node_id = node.otherwise
        raise InvalidStateError(f"the branches of tree '{self.tree_id}' go round in a loop")

    def _show(self, node: Node, variables: Variables | None) -> Step:
        language = self.language
        number = len(self._history) + 1
        back = bool(self._history)
        if not isinstance(node, _SHOWN):
            return self._show_outcome(node, number, back)
        key = (node.id, language, number, back)
        steps = self.tree.steps
        step = steps.get(key)
        if step is None:
            step = self._build_step(node, variables, number, back)
            if node.id not in self.tree.conditional:
                steps[key] = step  # the same for every session: made once
        return step

    def _show_outcome(self, node: Node, number: int, back: bool) -> Step:
        missing = self._missing if isinstance(node, SendHome) else _NONE_MISSING
        key = (node.id, self.centre_id, self.language, missing, number, back)
        steps = self.tree.outcome_steps
        step = steps.get(key)
        if step is None:
            if len(steps) >= OUTCOME_STEPS_KEPT:
                steps.clear()
            made = self._make_outcome(node)
            step = steps[key] = Step(
                "outcome", node.id, number, made.text, can_go_back=back, outcome=made
            )
        if isinstance(step.outcome, TakeTicket):
            closed = self.closed_for(step.outcome)
            if closed is not None:
                step = Step(
                    "outcome", node.id, number, closed.text, can_go_back=back, outcome=closed
                )
        self._outcome = step.outcome
        return step

    def _build_step(self, node: Node, variables: Variables | None, number: int, back: bool) -> Step:
        language, text = self.language, self.tree.text
        if isinstance(node, Question):
            options = []
            for option, when in self.tree.options[node.id]:
                if when is not None:
                    if variables is None:
                        variables = self.variables()
                    if not when(variables):
                        continue
                options.append(self.tree.choice(node.id, option, language))
            if not options:
                raise InvalidStateError(
                    f"no option of question '{node.id}' is offered now; "
                    "give it an option without 'when'"
                )
            return Step(
                "question",
                node.id,
                number,
                text(node.text, language),
                text(node.help, language) or None,
                tuple(options),
                can_go_back=back,
            )
        if isinstance(node, Info):
            label = text(node.button, language) or default_text("continue", language)
            return Step(
                "info",
                node.id,
                number,
                text(node.text, language),
                options=(Choice(CONTINUE, label),),
                can_go_back=back,
            )
        if isinstance(node, Checklist):
            documents = tuple(
                DocumentItem(d.id, text(d.name, language), text(d.help, language) or None)
                for d in (self.config.document(i) for i in node.documents)
            )
            return Step(
                "checklist",
                node.id,
                number,
                text(node.text, language),
                documents=documents,
                can_go_back=back,
            )
        return self._show_outcome(node, number, back)

    def _make_outcome(self, node: Node) -> Outcome:
        """The outcome of ``node`` for this session (a queue outcome as a ticket: whether
        walk-ins are turned away now is :meth:`closed_for`'s to say)."""
        config, language, text = self.config, self.language, self.tree.text
        common = {
            "centre_id": self.centre_id,
            "tree_id": self.tree_id,
            "node_id": node.id,
            "language": language,
        }
        if isinstance(node, JoinQueue):
            queue = self.tree.queues[node.queue]
            return TakeTicket(
                **common,
                text=text(node.text, language) or default_text("queue", language),
                queue_id=queue.id,
                queue_name=text(queue.name, language),
                service_id=node.service,
                priority=node.priority,
                note=node.note,
                where=text(queue.where, language) or None,
            )
        if isinstance(node, SendHome):
            bring = [*sorted(self._missing, key=self._document_order), *node.documents]
            names = tuple(dict.fromkeys(text(config.document(d).name, language) for d in bring))
            url = node.url
            if url is None and node.book_service is not None:
                url = config.site.booking.url
            return SentHome(
                **common,
                text=text(node.text, language),
                missing_documents=tuple(sorted(self._missing, key=self._document_order)),
                bring=names,
                book_service=node.book_service,
                url=url,
            )
        if isinstance(node, Refer):
            return self._referral(node, common)
        if isinstance(node, CheckIn):
            return CheckInOutcome(
                **common, text=text(node.text, language) or default_text("check_in", language)
            )
        if isinstance(node, BookNow):
            service = config.service(node.service)
            channels = tuple(service.booking.channels) if service.booking else ("in_person",)
            return BookTime(
                **common,
                text=text(node.text, language) or default_text("book", language),
                service_id=service.id,
                service_name=text(service.name, language),
                channels=channels,
            )
        raise InvalidStateError(f"node '{node.id}' is no outcome")  # pragma: no cover

    def _referral(self, node: Refer, common: dict[str, str]) -> Referred:
        language, text = self.language, self.tree.text
        own = text(node.text, language) or default_text("refer", language)
        if node.authority is not None:
            authority = self.config.authority(node.authority)
            return Referred(
                **common,
                text=own,
                authority_id=authority.id,
                to_centre_id=node.centre,
                name=text(authority.name, language),
                address=authority.address,
                opening_hours=text(authority.opening_hours, language) or None,
                where=text(authority.where, language) or None,
                phone=authority.phone,
                url=authority.url,
            )
        centre = self.config.centre(node.centre or "")
        return Referred(
            **common,
            text=own,
            to_centre_id=centre.id,
            name=text(centre.name, language),
            address=centre.address,
            opening_hours=_weekly_hours(centre.opening_hours.model_dump(), language),
        )

    def _document_order(self, document_id: str) -> int:
        ids = [d.id for d in self.config.documents]
        return ids.index(document_id) if document_id in ids else len(ids)


_DAY_NAMES = {
    "da": ("man", "tir", "ons", "tor", "fre", "lør", "søn"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


def _weekly_hours(hours: Mapping[str, list[str]], language: str) -> str | None:
    """Opening hours as one line, e.g. 'man 10:00-15:00, tor 10:00-17:30'."""
    names = _DAY_NAMES.get(language, _DAY_NAMES["en"])
    parts = []
    for index, day in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun")):
        ranges = hours.get(day) or []
        if ranges:
            parts.append(f"{names[index]} " + ", ".join(str(r) for r in ranges))
    return ", ".join(parts) or None
