"""The rule language of referral trees: checked when the configuration loads, then evaluated fast.

A condition is data, never code: comparisons of a variable with a value,
combined with ``all``, ``any`` and ``not``, or a call of a condition function a
plugin registered. :func:`check_condition` reports every mistake as a
positioned problem; :func:`compile_condition` turns a checked condition into a
plain Python closure, so a kiosk step costs microseconds.

Variables:

``answer.<question>``
    the option id the citizen chose at that question (empty when not asked);
``missing.<document>``, ``missing_count``
    whether the citizen lacks a document, and how many they lack, from the checklists;
``time``, ``weekday``
    the local time ``"HH:MM"`` and ``mon`` .. ``sun``;
``centre``, ``language``
    the centre of the kiosk and the language the citizen chose;
``queue.<id>.open``, ``queue.<id>.length``, ``queue.<id>.wait``
    whether the queue is open, how many wait in it, the expected wait in minutes.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol

from frontdesk_core.config.messages import describe
from frontdesk_core.config.suggest import unknown
from frontdesk_core.config.types import format_time, parse_time
from frontdesk_core.devices import QueueStatus
from frontdesk_core.errors import PluginError
from frontdesk_core.hookspecs import ConditionFunction
from frontdesk_core.referral.model import AllOf, AnyOf, Call, Comparison, Condition, NotOf

if TYPE_CHECKING:
    from frontdesk_core.config.loader import Reporter
    from frontdesk_core.config.locate import Loc

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
OPERATORS = ("eq", "ne", "lt", "le", "gt", "ge", "in", "not_in")
EQUALITY = ("eq", "ne", "in", "not_in")
QUEUE_ATTRIBUTES = ("open", "length", "wait")
PLAIN_VARIABLES = ("missing_count", "time", "weekday", "centre", "language")

ValueType = Literal["option", "bool", "number", "time", "weekday", "centre", "language"]
Predicate = Callable[["Variables"], bool]
"""A compiled condition: true or false for the session's variables."""


class Facts(Protocol):
    """Where a session learns the live state of queues (the queue engine, or a fixed table)."""

    def queue_status(self, queue_id: str) -> QueueStatus | None:
        """The queue's status now, or ``None`` when it is not known."""
        ...


class StaticFacts:
    """Queue facts from a table: every queue open and empty unless told otherwise.

    Used where no queue engine runs: ``frontdesk walk``, tests and benchmarks.
    """

    def __init__(self, statuses: Mapping[str, QueueStatus] | None = None) -> None:
        self.statuses = dict(statuses or {})

    def queue_status(self, queue_id: str) -> QueueStatus | None:
        """The status set for ``queue_id``, else an open, empty queue."""
        found = self.statuses.get(queue_id)
        if found is not None:
            return found
        return QueueStatus(queue_id, queue_id, waiting=0, expected_wait_minutes=0, open=True)


class Variables(dict[str, Any]):
    """The variables of one evaluation, resolved only when a condition asks for them.

    It is a ``dict`` so that condition functions of plugins get plain data; a
    name is looked up on first use and then kept, so the queue engine is asked
    at most once per queue and step. ``now`` is the moment, or a function giving
    it when a condition first reads the time (most steps never do).
    """

    def __init__(
        self,
        *,
        answers: Mapping[str, str],
        missing: Collection[str],
        now: datetime | Callable[[], datetime],
        centre_id: str,
        language: str,
        facts: Facts,
    ) -> None:
        super().__init__()
        self._answers = answers
        self._missing = missing
        self._now_given = now
        self._now: datetime | None = None
        self._centre_id = centre_id
        self._language = language
        self._facts = facts
        self._statuses: dict[str, QueueStatus | None] = {}

    def __missing__(self, name: str) -> Any:
        value = self._resolve(name)
        self[name] = value
        return value

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        """The variable's value, or ``default`` for a name that is no variable."""
        try:
            return self[name]
        except KeyError:
            return default

    def _resolve(self, name: str) -> Any:
        head, _, rest = name.partition(".")
        if head == "answer" and rest:
            return self._answers.get(rest)
        if head == "missing" and rest:
            return rest in self._missing
        if name == "missing_count":
            return len(self._missing)
        if name == "time":
            now = self.now
            return f"{now.hour:02d}:{now.minute:02d}"
        if name == "weekday":
            return WEEKDAYS[self.now.weekday()]
        if name == "centre":
            return self._centre_id
        if name == "language":
            return self._language
        if head == "queue" and rest:
            queue_id, _, attribute = rest.rpartition(".")
            if queue_id and attribute in QUEUE_ATTRIBUTES:
                return self._queue(queue_id, attribute)
        raise KeyError(name)

    @property
    def now(self) -> datetime:
        """The moment of this evaluation (asked of the clock when a condition first needs it)."""
        if self._now is None:
            given = self._now_given
            self._now = given if isinstance(given, datetime) else given()
        return self._now

    def _queue(self, queue_id: str, attribute: str) -> Any:
        if queue_id not in self._statuses:
            self._statuses[queue_id] = self._facts.queue_status(queue_id)
        status = self._statuses[queue_id]
        if attribute == "open":
            return status.open if status is not None else False
        if attribute == "length":
            return status.waiting if status is not None else 0
        return status.expected_wait_minutes if status is not None else None


# --- compiling -------------------------------------------------------------------------

_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}


def operators_of(comparison: Comparison) -> list[tuple[str, Any]]:
    """The operators a comparison sets, as ``(name, value)`` in YAML spelling."""
    found = []
    for name in OPERATORS:
        value = getattr(comparison, "in_" if name == "in" else name)
        if value is not None:
            found.append((name, value))
    return found


def _normalise(var: str, value: Any) -> Any:
    """Times compare as zero-padded ``HH:MM`` text, so '9:00' must become '09:00'."""
    if var == "time" and isinstance(value, str):
        return format_time(parse_time(value))
    return value


def compile_condition(
    condition: Condition, functions: Mapping[str, ConditionFunction]
) -> Predicate:
    """Turn a (checked) condition into a predicate over :class:`Variables`."""
    if isinstance(condition, AllOf):
        parts = tuple(compile_condition(c, functions) for c in condition.all)
        return lambda v: all(p(v) for p in parts)
    if isinstance(condition, AnyOf):
        parts = tuple(compile_condition(c, functions) for c in condition.any)
        return lambda v: any(p(v) for p in parts)
    if isinstance(condition, NotOf):
        inner = compile_condition(condition.not_, functions)
        return lambda v: not inner(v)
    if isinstance(condition, Call):
        return _compile_call(condition, functions)
    return _compile_comparison(condition)


def _compile_call(call: Call, functions: Mapping[str, ConditionFunction]) -> Predicate:
    function = functions.get(call.call)
    if function is None:
        raise PluginError(
            f"the condition function '{call.call}' is not registered by any installed plugin"
        )
    args = dict(call.args)
    return lambda v: bool(function(args, v))


def _compile_comparison(comparison: Comparison) -> Predicate:
    ops = operators_of(comparison)
    if len(ops) != 1:
        # The load-time checks refuse this; a tree built in code gets a clear error too.
        raise ValueError(f"the comparison of '{comparison.var}' needs exactly one operator")
    (op, raw), var = ops[0], comparison.var
    if op in ("in", "not_in"):
        values = frozenset(_normalise(var, item) for item in raw)
        if op == "in":
            return lambda v: v[var] in values
        return lambda v: v[var] not in values
    value = _normalise(var, raw)
    if op == "eq":
        return lambda v: v[var] == value
    if op == "ne":
        return lambda v: v[var] != value
    compare = _ORDER[op]

    def ordered(v: Variables) -> bool:
        actual = v[var]
        # An unknown value (no wait estimate yet, a question not asked) is never
        # greater or smaller than anything.
        return actual is not None and bool(compare(actual, value))

    return ordered


# --- checking at load time ------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What the conditions of one place in a tree may name."""

    questions: Mapping[str, Sequence[str]]
    """Question ids of the tree and their option ids."""
    node_kinds: Mapping[str, str]
    """Every node id of the tree and its kind."""
    asked_before: Collection[str] | None
    """Questions that can have been answered on some path to this place (``None``: unknown)."""
    documents: Collection[str]
    queues: Collection[str]
    centres: Collection[str]
    languages: Sequence[str]
    functions: Collection[str]

    def variables(self) -> list[str]:
        """Every variable name valid here, for 'did you mean'."""
        names = list(PLAIN_VARIABLES)
        names += [f"answer.{q}" for q in self.questions]
        names += [f"missing.{d}" for d in self.documents]
        names += [f"queue.{q}.{a}" for q in self.queues for a in QUEUE_ATTRIBUTES]
        return names


@dataclass(frozen=True)
class _Spec:
    type: ValueType
    question: str | None = None


def check_condition(condition: Condition, loc: Loc, scope: Scope, reporter: Reporter) -> None:
    """Report every unknown variable, operator or value in ``condition`` (at ``loc``)."""
    if isinstance(condition, AllOf | AnyOf):
        key = "all" if isinstance(condition, AllOf) else "any"
        parts = condition.all if isinstance(condition, AllOf) else condition.any
        for index, part in enumerate(parts):
            check_condition(part, (*loc, key, index), scope, reporter)
    elif isinstance(condition, NotOf):
        check_condition(condition.not_, (*loc, "not"), scope, reporter)
    elif isinstance(condition, Call):
        if condition.call not in scope.functions:
            reporter.error(
                (*loc, "call"),
                unknown("condition function", condition.call, scope.functions),
            )
    else:
        _check_comparison(condition, loc, scope, reporter)


def _variable(var: str, scope: Scope) -> _Spec | str:
    """What ``var`` holds, or the message saying why it is no variable here."""
    head, _, rest = var.partition(".")
    if head == "answer" and rest:
        if rest not in scope.questions:
            kind = scope.node_kinds.get(rest)
            if kind is not None:
                return f"'{var}' needs a question, but '{rest}' is a {kind} node"
            return unknown("question", rest, scope.questions) + f" in '{var}'"
        if scope.asked_before is not None and rest not in scope.asked_before:
            return (
                f"the question '{rest}' is never asked before this point, "
                f"so '{var}' is always empty here"
            )
        return _Spec("option", rest)
    if head == "missing" and rest:
        if rest not in scope.documents:
            return unknown("document", rest, scope.documents) + f" in '{var}'"
        return _Spec("bool")
    if head == "queue" and rest:
        queue_id, _, attribute = rest.rpartition(".")
        if not queue_id or attribute not in QUEUE_ATTRIBUTES:
            return f"'{var}' names no queue attribute; write queue.<id>.open, .length or .wait"
        if queue_id not in scope.queues:
            return unknown("queue", queue_id, scope.queues) + f" in '{var}'"
        return _Spec("bool" if attribute == "open" else "number")
    simple: dict[str, ValueType] = {
        "missing_count": "number",
        "time": "time",
        "weekday": "weekday",
        "centre": "centre",
        "language": "language",
    }
    if var in simple:
        return _Spec(simple[var])
    return unknown("variable", var, scope.variables())


def _check_comparison(comparison: Comparison, loc: Loc, scope: Scope, reporter: Reporter) -> None:
    spec = _variable(comparison.var, scope)
    if isinstance(spec, str):
        reporter.error((*loc, "var"), spec)
    ops = operators_of(comparison)
    if len(ops) != 1:
        have = "none" if not ops else f"{len(ops)}: " + ", ".join(name for name, _ in ops)
        reporter.error(
            loc,
            f"a comparison needs exactly one operator ({', '.join(OPERATORS)}); it has {have}",
        )
    if isinstance(spec, str):
        return
    for op, value in ops:
        if op not in EQUALITY and spec.type not in ("number", "time"):
            reporter.error(
                (*loc, op),
                f"'{comparison.var}' cannot be compared with '{op}'; use eq, ne, in or not_in",
                at_key=True,
            )
            continue
        if op in ("in", "not_in"):
            for index, item in enumerate(value):
                _check_value(comparison.var, spec, item, (*loc, op, index), scope, reporter)
        else:
            _check_value(comparison.var, spec, value, (*loc, op), scope, reporter)


def _check_value(
    var: str, spec: _Spec, value: Any, loc: Loc, scope: Scope, reporter: Reporter
) -> None:
    message = _value_problem(var, spec, value, scope)
    if message:
        reporter.error(loc, message)


def _value_problem(var: str, spec: _Spec, value: Any, scope: Scope) -> str | None:
    if spec.type == "bool":
        return (
            None if isinstance(value, bool) else f"'{var}' is true or false; got {describe(value)}"
        )
    if spec.type == "number":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return None
        return f"'{var}' is a number; got {describe(value)}"
    if not isinstance(value, str):
        return f"'{var}' is compared with text; got {describe(value)}"
    if spec.type == "time":
        try:
            parse_time(value)
        except ValueError as exc:
            return str(exc)
        return None
    choices: Collection[str]
    kind: str
    if spec.type == "option":
        question = spec.question or ""
        options = scope.questions.get(question, ())
        if value in options:
            return None
        return f"at question '{question}': " + unknown("option", value, options)
    if spec.type == "weekday":
        choices, kind = WEEKDAYS, "weekday"
    elif spec.type == "centre":
        choices, kind = scope.centres, "centre"
    else:
        choices, kind = scope.languages, "language"
    return None if value in choices else unknown(kind, value, choices)


# --- describing --------------------------------------------------------------------------------

_SYMBOLS = {"eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥"}


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


def describe_condition(condition: Condition) -> str:
    """A condition in one readable line, e.g. ``time ≥ 14:00 or queue.ydelser.open = false``."""
    if isinstance(condition, AllOf):
        return " and ".join(_nested(c) for c in condition.all)
    if isinstance(condition, AnyOf):
        return " or ".join(_nested(c) for c in condition.any)
    if isinstance(condition, NotOf):
        return f"not {_nested(condition.not_)}"
    if isinstance(condition, Call):
        args = ", ".join(f"{k}={_show(v)}" for k, v in condition.args.items())
        return f"{condition.call}({args})"
    parts = []
    for op, value in operators_of(condition):
        word = _SYMBOLS.get(op, op.replace("_", " "))
        parts.append(f"{condition.var} {word} {_show(value)}")
    return " and ".join(parts) or condition.var


def _nested(condition: Condition) -> str:
    text = describe_condition(condition)
    return f"({text})" if isinstance(condition, AllOf | AnyOf) else text
