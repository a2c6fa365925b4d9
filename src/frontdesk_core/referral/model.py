"""Referral trees in the configuration: questions, checklists, branches and outcomes.

A tree is a list of nodes with ids; every node names the node that follows.
Conditions (``when``) are a small rule language of comparisons combined with
``all``, ``any`` and ``not``; no Python is ever evaluated.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, StrictBool, StrictFloat, StrictInt, StrictStr, Tag

from frontdesk_core.config.types import Identifier, Model, Text

Scalar = StrictBool | StrictInt | StrictFloat | StrictStr


class Comparison(Model):
    """Compare a variable with a value: ``{var: queue.pass.length, gt: 20}``.

    Variables: ``answer.<question>``, ``missing.<document>``, ``missing_count``,
    ``time`` (``"HH:MM"``), ``weekday`` (``mon``..``sun``), ``centre``, ``language``,
    ``queue.<id>.open``, ``queue.<id>.length`` and ``queue.<id>.wait`` (minutes).
    Exactly one operator: ``eq``, ``ne``, ``lt``, ``le``, ``gt``, ``ge``, ``in``, ``not_in``.
    """

    var: Annotated[str, Field(strict=True, pattern=r"^[a-z_][a-z0-9_.-]*$")]
    eq: Scalar | None = None
    ne: Scalar | None = None
    lt: Scalar | None = None
    le: Scalar | None = None
    gt: Scalar | None = None
    ge: Scalar | None = None
    in_: list[Scalar] | None = Field(None, alias="in")
    not_in: list[Scalar] | None = None


class AllOf(Model):
    """True when every condition is true."""

    all: list[Condition] = Field(min_length=1)


class AnyOf(Model):
    """True when at least one condition is true."""

    any: list[Condition] = Field(min_length=1)


class NotOf(Model):
    """True when the condition is false."""

    not_: Condition = Field(alias="not")


class Call(Model):
    """A condition function registered by a plugin: ``{call: name, args: {...}}``."""

    call: Identifier
    args: dict[str, Scalar | list[Scalar]] = {}


def _condition_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in ("all", "any", "not", "call", "var"):
            if key in value:
                return key
        return None
    return next(
        (
            k
            for k, cls in (("all", AllOf), ("any", AnyOf), ("not", NotOf), ("call", Call))
            if isinstance(value, cls)
        ),
        "var",
    )


Condition = Annotated[
    Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[NotOf, Tag("not")]
    | Annotated[Call, Tag("call")]
    | Annotated[Comparison, Tag("var")],
    Discriminator(
        _condition_kind,
        custom_error_type="condition",
        custom_error_message=(
            "a condition needs one of the keys 'var' (a comparison), 'all', 'any', 'not' or 'call'"
        ),
    ),
]


class Option(Model):
    """One answer to a question: a button on the kiosk."""

    id: Identifier
    label: Text
    icon: str | None = None
    help: Text | None = None
    when: Condition | None = Field(None, description="Show the option only when this holds.")
    next: Identifier


class Question(Model):
    """A question with options."""

    kind: Literal["question"]
    id: Identifier
    text: Text
    help: Text | None = None
    options: list[Option] = Field(min_length=1)


class Info(Model):
    """An information step with a 'continue' button."""

    kind: Literal["info"]
    id: Identifier
    text: Text
    button: Text | None = Field(
        None, description="The button's label; default 'Fortsæt'/'Continue'."
    )
    next: Identifier


class Checklist(Model):
    """'Do you have ...?': the documents the citizen lacks are collected."""

    kind: Literal["checklist"]
    id: Identifier
    text: Text
    documents: list[Identifier] = Field(min_length=1)
    next: Identifier = Field(description="Where to go when every document is there.")
    missing: Identifier = Field(description="Where to go when any document is missing.")


class Case(Model):
    """One case of a branch: go to ``next`` when ``when`` holds."""

    when: Condition
    next: Identifier


class Branch(Model):
    """An automatic step: the first case that holds decides; else ``otherwise``."""

    kind: Literal["branch"]
    id: Identifier
    cases: list[Case] = Field(min_length=1)
    otherwise: Identifier


class JoinQueue(Model):
    """Outcome: a ticket in a queue."""

    kind: Literal["queue"]
    id: Identifier
    queue: Identifier
    service: Identifier | None = None
    priority: StrictInt | None = Field(None, description="Overrides the queue's priority.")
    note: str | None = Field(None, description="A note shown to the employee at the counter.")
    text: Text | None = None


class SendHome(Model):
    """Outcome: the citizen goes home with the list of what to bring."""

    kind: Literal["send_home"]
    id: Identifier
    text: Text
    documents: list[Identifier] = Field([], description="Documents to bring besides those missing.")
    book_service: Identifier | None = Field(
        None, description="Offer a link/QR to book this service."
    )
    url: str | None = None


class Refer(Model):
    """Outcome: the citizen belongs at another authority or centre."""

    kind: Literal["refer"]
    id: Identifier
    authority: Identifier | None = None
    centre: Identifier | None = None
    text: Text | None = None


class CheckIn(Model):
    """Outcome: check in a booked appointment."""

    kind: Literal["check_in"]
    id: Identifier
    text: Text | None = None


class BookNow(Model):
    """Outcome: book a time now, from the next free slots of a service."""

    kind: Literal["book"]
    id: Identifier
    service: Identifier
    text: Text | None = None


Node = Annotated[
    Question | Info | Checklist | Branch | JoinQueue | SendHome | Refer | CheckIn | BookNow,
    Field(discriminator="kind"),
]
OUTCOME_KINDS = frozenset({"queue", "send_home", "refer", "check_in", "book"})


class ReferralTree(Model):
    """A referral tree: the kiosk's questions and the outcome of every path."""

    id: Identifier
    name: str
    start: Identifier
    nodes: list[Node] = Field(min_length=1)

    def node(self, node_id: str) -> Node:
        """The node with this id (KeyError if there is none)."""
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)


AllOf.model_rebuild()
AnyOf.model_rebuild()
NotOf.model_rebuild()
Option.model_rebuild()
Case.model_rebuild()
