"""Why citizens are sent home: the kiosk's outcomes per tree, path, answer and week.

    report = read_referral_report(store, config, start=date(2026, 11, 23))
    for row in report.documents: ...   # sent home, per missing document

From the ``kiosk.completed`` events: how many citizens each path and each answer
sent home (and with which missing documents), referred elsewhere (and where), or
sent to a queue, and how long those who got a ticket then waited (the waiting
time of :mod:`frontdesk_core.stats.compute`, in the queue the kiosk chose).

An answer is read off the path: the option of a question whose ``next`` is the
node that follows it (the log keeps node ids only, never what a citizen typed).
Without the configuration the answer is named by that next node. Weeks are ISO
weeks of the site's local days (``2026-W48``). Nothing here is personal data:
the rows are counts of configuration ids.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, tzinfo
from zoneinfo import ZoneInfo

from frontdesk_core.config.models import Config
from frontdesk_core.events import KioskCompleted
from frontdesk_core.events.log import Event
from frontdesk_core.referral.model import Question
from frontdesk_core.stats.compute import DEFAULT_TIMEZONE, KINDS, read_span, ticket_waits
from frontdesk_core.stats.records import Distribution
from frontdesk_core.store.base import EventStore

SENT_HOME = "send_home"
REFERRED = "refer"
UNKNOWN_DOCUMENT = "?"
"""The document of a citizen sent home before the log named documents (version 1 events)."""


@dataclass(frozen=True)
class PathFigures:
    """One path through a tree to one outcome, in one week."""

    week: str
    centre_id: str
    tree_id: str
    path: tuple[str, ...]
    """The node ids from the first question to the outcome node."""
    answers: tuple[str, ...]
    """``question=option`` for each question on the path."""
    outcome: str
    """The outcome's kind: ``queue``, ``send_home``, ``refer``, ``check_in``, ``book``."""
    queue_id: str | None
    """The queue the path ended in (a ticket, or a check-in that gave one)."""
    count: int
    waiting: Distribution
    """Waiting times (seconds) of the path's tickets that were called."""


@dataclass(frozen=True)
class AnswerFigures:
    """One answer to one question, in one week, and where the citizens who gave it ended."""

    week: str
    centre_id: str
    tree_id: str
    question: str
    answer: str
    count: int
    sent_home: int
    referred: int
    ticket: int
    """Ended with a ticket in a queue (a check-in's ticket included)."""


@dataclass(frozen=True)
class DocumentFigures:
    """Citizens sent home lacking one document, at one outcome node, in one week."""

    week: str
    centre_id: str
    tree_id: str
    node_id: str
    document_id: str
    """The document's id, or ``?`` when the log did not name it."""
    count: int


@dataclass(frozen=True)
class ReferralFigures:
    """Citizens referred to one authority or centre, from one outcome node, in one week."""

    week: str
    centre_id: str
    tree_id: str
    node_id: str
    to: str
    count: int


@dataclass(frozen=True)
class FlowFigures:
    """Citizens whose first answer was ``first`` and who ended in ``outcome`` (the whole span)."""

    centre_id: str
    tree_id: str
    question: str
    first: str
    outcome: str
    count: int


@dataclass(frozen=True)
class ReferralReport:
    """The kiosk's outcomes for a span of days; rows most frequent first."""

    start: date | None
    end: date | None
    completed: int
    sent_home: int
    referred: int
    paths: tuple[PathFigures, ...]
    answers: tuple[AnswerFigures, ...]
    documents: tuple[DocumentFigures, ...]
    referrals: tuple[ReferralFigures, ...]
    flows: tuple[FlowFigures, ...]

    def top_documents(self, limit: int = 10) -> list[tuple[str, int]]:
        """The documents citizens were sent home without most often, over every week."""
        total: Counter[str] = Counter()
        for row in self.documents:
            total[row.document_id] += row.count
        return sorted(total.items(), key=lambda item: (-item[1], item[0]))[:limit]


def iso_week(day: date) -> str:
    """The ISO week of ``day``, as ``2026-W48``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


class _Answers:
    """Reads the answers off a path with the trees of the configuration."""

    def __init__(self, config: Config | None) -> None:
        self.questions: dict[tuple[str, str], Question] = {}
        for tree in config.trees if config is not None else []:
            for node in tree.nodes:
                if isinstance(node, Question):
                    self.questions[(tree.id, node.id)] = node

    def of(self, tree_id: str, path: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
        """``(question, answer)`` for each step of ``path`` that led on from a question."""
        out = []
        for here, there in itertools.pairwise(path):
            question = self.questions.get((tree_id, here))
            if question is None:
                if self.questions:
                    continue  # not a question of the configured tree: an info step, a checklist
                out.append((here, there))
                continue
            chosen = [o.id for o in question.options if o.next == there]
            out.append((here, "|".join(chosen) if chosen else there))
        return tuple(out)


def compute_referral(
    events: Iterable[Event],
    config: Config | None,
    tz: tzinfo,
    *,
    start: date | None = None,
    end: date | None = None,
    centre_id: str | None = None,
) -> ReferralReport:
    """The kiosk's outcomes in ``events`` for local days ``start`` to ``end`` (inclusive)."""
    answers_of = _Answers(config)
    completions: list[tuple[Event, KioskCompleted]] = []
    ticket_events: list[Event] = []
    for event in events:
        if isinstance(event.payload, KioskCompleted):
            completions.append((event, event.payload))
        else:
            ticket_events.append(event)
    waits = ticket_waits(ticket_events)
    paths: dict[tuple[str, str, str, tuple[str, ...], str, str | None], list[float]] = {}
    path_counts: Counter[tuple[str, str, str, tuple[str, ...], str, str | None]] = Counter()
    answers: dict[tuple[str, str, str, str, str], Counter[str]] = {}
    documents: Counter[tuple[str, str, str, str, str]] = Counter()
    referrals: Counter[tuple[str, str, str, str, str]] = Counter()
    flows: Counter[tuple[str, str, str, str, str]] = Counter()
    totals: Counter[str] = Counter()
    for event, done in completions:
        day = event.at.astimezone(tz).date()
        if (start is not None and day < start) or (end is not None and day > end):
            continue
        if centre_id is not None and event.centre_id != centre_id:
            continue
        week, centre, tree = iso_week(day), event.centre_id, done.tree
        totals[done.outcome] += 1
        queue_id = done.queue if done.ticket is not None or done.outcome == "queue" else None
        key = (week, centre, tree, done.path, done.outcome, queue_id)
        path_counts[key] += 1
        waited = paths.setdefault(key, [])
        if done.ticket is not None and done.ticket in waits:
            waited.append(waits[done.ticket])
        steps = answers_of.of(tree, done.path)
        ended = "ticket" if done.ticket is not None else done.outcome
        for question, answer in steps:
            answers.setdefault((week, centre, tree, question, answer), Counter())[ended] += 1
        if steps:
            flows[(centre, tree, steps[0][0], steps[0][1], done.outcome)] += 1
        if done.outcome == SENT_HOME:
            for document in done.documents if done.documents is not None else (UNKNOWN_DOCUMENT,):
                documents[(week, centre, tree, done.node, document)] += 1
        elif done.outcome == REFERRED:
            referrals[(week, centre, tree, done.node, done.to or "?")] += 1
    return ReferralReport(
        start=start,
        end=end,
        completed=sum(totals.values()),
        sent_home=totals[SENT_HOME],
        referred=totals[REFERRED],
        paths=tuple(
            PathFigures(
                week=w,
                centre_id=c,
                tree_id=t,
                path=p,
                answers=tuple(f"{q}={a}" for q, a in answers_of.of(t, p)),
                outcome=o,
                queue_id=q,
                count=n,
                waiting=Distribution.of(paths[(w, c, t, p, o, q)]),
            )
            for (w, c, t, p, o, q), n in sorted(
                path_counts.items(), key=lambda item: (item[0][0], -item[1], item[0][3])
            )
        ),
        answers=tuple(
            AnswerFigures(
                week=w,
                centre_id=c,
                tree_id=t,
                question=q,
                answer=a,
                count=sum(ends.values()),
                sent_home=ends[SENT_HOME],
                referred=ends[REFERRED],
                ticket=ends["ticket"],
            )
            for (w, c, t, q, a), ends in sorted(
                answers.items(), key=lambda item: (item[0][0], -sum(item[1].values()), item[0])
            )
        ),
        documents=tuple(
            DocumentFigures(w, c, t, node, doc, n)
            for (w, c, t, node, doc), n in sorted(
                documents.items(), key=lambda item: (item[0][0], -item[1], item[0])
            )
        ),
        referrals=tuple(
            ReferralFigures(w, c, t, node, to, n)
            for (w, c, t, node, to), n in sorted(
                referrals.items(), key=lambda item: (item[0][0], -item[1], item[0])
            )
        ),
        flows=tuple(
            FlowFigures(c, t, q, first, outcome, n)
            for (c, t, q, first, outcome), n in sorted(
                flows.items(), key=lambda item: (-item[1], item[0])
            )
        ),
    )


def read_referral_report(
    store: EventStore,
    config: Config | None = None,
    *,
    start: date | None = None,
    end: date | None = None,
    centre_id: str | None = None,
) -> ReferralReport:
    """The kiosk's outcomes in ``store`` for local days ``start`` to ``end`` (inclusive).

    Tickets are followed to the end of the day after ``end``, so a citizen's wait
    is known even when the span ends before they were called.
    """
    tz = ZoneInfo(config.site.timezone if config is not None else DEFAULT_TIMEZONE)
    since, until = read_span(tz, start, end, after=2)
    events = store.read(since=since, until=until, kinds=KINDS, centre_id=centre_id)
    return compute_referral(events, config, tz, start=start, end=end, centre_id=centre_id)


__all__ = [
    "AnswerFigures",
    "DocumentFigures",
    "FlowFigures",
    "PathFigures",
    "ReferralFigures",
    "ReferralReport",
    "compute_referral",
    "iso_week",
    "read_referral_report",
]
