"""Static checks of referral trees, run when a configuration is validated.

Each problem is reported where it is written: a reference to a node that does
not exist, a loop, a node no path reaches, a question whose options can all be
hidden, an outcome naming a queue, service, authority, centre or document that
does not exist, and every mistake in a condition (see
:mod:`frontdesk_core.referral.conditions`). Texts in every language are checked
for all models alike by :func:`frontdesk_core.config.link.check_languages`.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import TYPE_CHECKING

from frontdesk_core.config.link import all_queue_ids, unique
from frontdesk_core.config.models import Centre, Config
from frontdesk_core.config.suggest import unknown
from frontdesk_core.config.types import format_duration
from frontdesk_core.opening.hours import WEEKDAYS
from frontdesk_core.referral.conditions import Scope, check_condition
from frontdesk_core.referral.graph import TreeGraph, node_edges
from frontdesk_core.referral.model import (
    BookNow,
    Branch,
    Checklist,
    JoinQueue,
    Question,
    Refer,
    ReferralTree,
    SendHome,
)

if TYPE_CHECKING:
    from frontdesk_core.config.loader import LoadContext, Reporter


def check_trees(config: Config, context: LoadContext, reporter: Reporter) -> None:
    """Run every check on every tree of the configuration."""
    names = _Names(config)
    for t, tree in enumerate(config.trees):
        _TreeChecks(config, context, reporter, t, tree, names).run()


class _Names:
    """The site's ids a tree may name, gathered once for every tree: lists in the order
    written (for messages), sets to look names up in."""

    def __init__(self, config: Config) -> None:
        self.documents = [d.id for d in config.documents]
        self.services = [s.id for s in config.services]
        self.queues = all_queue_ids(config)
        self.authorities = [a.id for a in config.authorities]
        self.centres = [c.id for c in config.centres]
        self.queue_set = frozenset(self.queues)
        self.document_set = frozenset(self.documents)
        self.authority_set = frozenset(self.authorities)
        self.centre_set = frozenset(self.centres)
        self.by_service = {s.id: s for s in reversed(config.services)}  # the first of an id


class _TreeChecks:
    def __init__(
        self,
        config: Config,
        context: LoadContext,
        reporter: Reporter,
        index: int,
        tree: ReferralTree,
        names: _Names,
    ) -> None:
        self.config = config
        self.context = context
        self.reporter = reporter
        self.index = index
        self.tree = tree
        self.ids = [n.id for n in tree.nodes]
        self.id_set = frozenset(self.ids)
        self.graph = TreeGraph(tree)
        self.names = names
        self.documents = names.documents
        self.services = names.services
        self.broken = False

    def at(self, n: int, *rest: str | int) -> tuple[str | int, ...]:
        return ("trees", self.index, "nodes", n, *rest)

    def run(self) -> None:
        nodes = self.tree.nodes
        unique(
            ((self.at(n, "id"), node.id) for n, node in enumerate(nodes)), "node id", self.reporter
        )
        self.check_references()
        for n, node in enumerate(self.tree.nodes):
            if isinstance(node, Question):
                self.check_question(n, node)
            elif isinstance(node, Checklist):
                self.check_documents(n, node.documents)
            elif isinstance(node, JoinQueue):
                self.check_queue(n, node)
            elif isinstance(node, SendHome):
                self.check_documents(n, node.documents)
                if node.book_service is not None:
                    self.check_bookable(self.at(n, "book_service"), node.book_service)
            elif isinstance(node, Refer):
                self.check_refer(n, node)
            elif isinstance(node, BookNow) and self.check_bookable(
                self.at(n, "service"), node.service
            ):
                self.check_book_now(n, node)
        self.check_structure()
        self.check_conditions()

    # -- references -----------------------------------------------------------------------

    def check_references(self) -> None:
        self.broken = self.tree.start not in self.id_set
        if self.broken:
            self.reporter.error(
                ("trees", self.index, "start"), unknown("node", self.tree.start, self.ids)
            )
        for n, node in enumerate(self.tree.nodes):
            for edge in node_edges(node):
                if edge.target not in self.id_set:
                    self.broken = True
                    self.reporter.error(
                        self.at(n, *edge.where), unknown("node", edge.target, self.ids)
                    )

    def check_question(self, n: int, question: Question) -> None:
        options = question.options
        unique(
            ((self.at(n, "options", o, "id"), option.id) for o, option in enumerate(options)),
            "option id",
            self.reporter,
        )
        if all(option.when is not None for option in options):
            self.reporter.error(
                self.at(n, "options"),
                f"every option of question '{question.id}' has a 'when': when none holds the "
                "citizen is stuck; leave at least one option without 'when'",
            )

    def check_documents(self, n: int, documents: list[str]) -> None:
        for j, document_id in enumerate(documents):
            if document_id not in self.names.document_set:
                self.reporter.error(
                    self.at(n, "documents", j), unknown("document", document_id, self.documents)
                )

    def check_queue(self, n: int, node: JoinQueue) -> None:
        if node.queue not in self.names.queue_set:
            self.reporter.error(
                self.at(n, "queue"), unknown("queue", node.queue, self.names.queues)
            )
        if node.service is None:
            return
        service = self.names.by_service.get(node.service)
        if service is None:
            self.reporter.error(
                self.at(n, "service"), unknown("service", node.service, self.services)
            )
        elif service.booking_only:
            self.reporter.error(
                self.at(n, "service"),
                f"service '{node.service}' is served by appointment only; "
                "send the citizen to a 'book' outcome instead of a queue",
            )

    def check_bookable(self, loc: tuple[str | int, ...], service_id: str) -> bool:
        service = self.names.by_service.get(service_id)
        if service is None:
            self.reporter.error(loc, unknown("service", service_id, self.services))
        elif service.booking is None:
            self.reporter.error(
                loc, f"service '{service_id}' cannot be booked: it has no 'booking' section"
            )
        else:
            return True
        return False

    def check_book_now(self, n: int, node: BookNow) -> None:
        """A warning when the kiosk's 'book now' can never offer a time: it offers times
        later the same day, so the notice and the appointment must fit in an opening day."""
        service = self.config.service(node.service)
        rules = service.booking
        if rules is None or service.queue not in all_queue_ids(self.config):
            return
        centre = self.config.centre_of_queue(service.queue)
        longest = longest_opening(centre)
        needed = rules.min_notice + rules.duration
        if needed > longest:
            self.reporter.warn(
                self.at(n, "service"),
                f"this 'book' outcome can never offer a time: the kiosk offers times the same "
                f"day, service '{service.id}' needs {format_duration(rules.min_notice)} notice "
                f"and lasts {format_duration(rules.duration)}, and centre '{centre.id}' is open "
                f"at most {format_duration(longest)} in a day; shorten 'min_notice' or send "
                "the citizen home with 'book_service' instead",
            )

    def check_refer(self, n: int, node: Refer) -> None:
        if node.authority is None and node.centre is None:
            self.reporter.error(
                self.at(n), f"the referral '{node.id}' names neither an 'authority' nor a 'centre'"
            )
        names = self.names
        if node.authority is not None and node.authority not in names.authority_set:
            self.reporter.error(
                self.at(n, "authority"), unknown("authority", node.authority, names.authorities)
            )
        if node.centre is not None and node.centre not in names.centre_set:
            self.reporter.error(self.at(n, "centre"), unknown("centre", node.centre, names.centres))

    # -- structure --------------------------------------------------------------------------

    def check_structure(self) -> None:
        """No loops (so every path ends in an outcome) and no node that no path reaches."""
        positions: dict[str, int] = {}
        for n, node in enumerate(self.tree.nodes):
            positions.setdefault(node.id, n)
        for edge, loop in self.graph.loops():
            self.reporter.error(
                self.at(positions[edge.source], *edge.where),
                f"'{edge.target}' leads back here and makes a loop ({' -> '.join(loop)}); "
                "every path must end in an outcome",
            )
        if self.broken:
            return  # a misspelt reference explains the nodes it leaves unreached
        reached = self.graph.reachable(self.tree.start)
        for n, node in enumerate(self.tree.nodes):
            if node.id not in reached and positions[node.id] == n:
                self.reporter.error(
                    self.at(n, "id"),
                    f"no path from the start '{self.tree.start}' reaches node '{node.id}'",
                )

    # -- conditions ---------------------------------------------------------------------------

    def check_conditions(self) -> None:
        questions = {
            node.id: [o.id for o in node.options]
            for node in self.tree.nodes
            if isinstance(node, Question)
        }
        kinds = {node.id: node.kind for node in self.tree.nodes}
        ancestors = self.graph.ancestors()

        def scope(node_id: str) -> Scope:
            return Scope(
                questions=questions,
                node_kinds=kinds,
                asked_before=ancestors.get(node_id),
                documents=self.names.document_set,
                queues=self.names.queue_set,
                centres=self.names.centre_set,
                languages=list(self.config.site.languages),
                functions=sorted(self.context.condition_functions),
            )

        for n, node in enumerate(self.tree.nodes):
            if isinstance(node, Question):
                for o, option in enumerate(node.options):
                    if option.when is not None:
                        loc = self.at(n, "options", o, "when")
                        check_condition(option.when, loc, scope(node.id), self.reporter)
            elif isinstance(node, Branch):
                for c, case in enumerate(node.cases):
                    check_condition(
                        case.when, self.at(n, "cases", c, "when"), scope(node.id), self.reporter
                    )


def longest_opening(centre: Centre) -> timedelta:
    """The longest time a centre is open without a break on any weekday or exception day."""
    days = [getattr(centre.opening_hours, day) for day in WEEKDAYS]
    days += [exception.hours for exception in centre.exceptions]
    longest = timedelta(0)
    for ranges in days:
        spans = sorted((_minutes(r.start), _minutes(r.end)) for r in ranges)
        run_start, run_end = None, None
        for start, end in spans:
            if run_end is not None and start <= run_end:
                run_end = max(run_end, end)
                continue
            if run_start is not None and run_end is not None:
                longest = max(longest, timedelta(minutes=run_end - run_start))
            run_start, run_end = start, end
        if run_start is not None and run_end is not None:
            longest = max(longest, timedelta(minutes=run_end - run_start))
    return longest


def _minutes(moment: time) -> int:
    return 24 * 60 if moment == time.max else moment.hour * 60 + moment.minute
