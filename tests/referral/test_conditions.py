"""Evaluating conditions: every operator, unknown values, lazy variables, plugin functions."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import TypeAdapter

from frontdesk_core.devices import QueueStatus
from frontdesk_core.errors import PluginError
from frontdesk_core.referral.conditions import (
    StaticFacts,
    Variables,
    compile_condition,
    describe_condition,
)
from frontdesk_core.referral.model import Condition

CPH = ZoneInfo("Europe/Copenhagen")
CONDITION: TypeAdapter[Condition] = TypeAdapter(Condition)


class CountingFacts(StaticFacts):
    """Static facts that count how often the engine would be asked."""

    def __init__(self, statuses: dict[str, QueueStatus]) -> None:
        super().__init__(statuses)
        self.asked: list[str] = []

    def queue_status(self, queue_id: str) -> QueueStatus | None:
        self.asked.append(queue_id)
        if queue_id == "unknown":
            return None
        return super().queue_status(queue_id)


def variables(
    *,
    answers: dict[str, str] | None = None,
    missing: set[str] | None = None,
    at: datetime = datetime(2026, 11, 26, 14, 5, tzinfo=CPH),  # a Thursday
    facts: StaticFacts | None = None,
) -> Variables:
    return Variables(
        answers=answers or {"errand": "passport"},
        missing=missing if missing is not None else {"photo"},
        now=at,
        centre_id="main",
        language="en",
        facts=facts or StaticFacts({"tax": QueueStatus("tax", "Tax", 12, None, False)}),
    )


def holds(condition: Any, functions: dict[str, Any] | None = None, **kwargs: Any) -> bool:
    return compile_condition(CONDITION.validate_python(condition), functions or {})(
        variables(**kwargs)
    )


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"var": "answer.errand", "eq": "passport"}, True),
        ({"var": "answer.errand", "ne": "passport"}, False),
        ({"var": "answer.other", "eq": "x"}, False),
        ({"var": "answer.other", "ne": "x"}, True),
        ({"var": "missing.photo", "eq": True}, True),
        ({"var": "missing.old_passport", "eq": True}, False),
        ({"var": "missing_count", "ge": 1}, True),
        ({"var": "missing_count", "gt": 1}, False),
        ({"var": "time", "ge": "14:00"}, True),
        ({"var": "time", "lt": "14:05"}, False),
        ({"var": "time", "le": "14:05"}, True),
        ({"var": "time", "gt": "9:00"}, True),  # '9:00' means 09:00, not text after '14'
        ({"var": "time", "in": ["14:05", "9:30"]}, True),
        ({"var": "weekday", "eq": "thu"}, True),
        ({"var": "weekday", "in": ["mon", "tue"]}, False),
        ({"var": "weekday", "not_in": ["mon", "tue"]}, True),
        ({"var": "centre", "eq": "main"}, True),
        ({"var": "language", "eq": "da"}, False),
        ({"var": "queue.tax.length", "gt": 10}, True),
        ({"var": "queue.tax.length", "lt": 10}, False),
        ({"var": "queue.tax.open", "eq": False}, True),
        ({"var": "queue.pass.open", "eq": True}, True),  # not set: open and empty
        ({"var": "queue.pass.length", "eq": 0}, True),
        # An unknown wait is neither long nor short.
        ({"var": "queue.tax.wait", "gt": 10}, False),
        ({"var": "queue.tax.wait", "le": 10}, False),
        ({"var": "queue.tax.wait", "ne": 10}, True),
        ({"all": [{"var": "centre", "eq": "main"}, {"var": "language", "eq": "en"}]}, True),
        ({"all": [{"var": "centre", "eq": "main"}, {"var": "language", "eq": "da"}]}, False),
        ({"any": [{"var": "centre", "eq": "annex"}, {"var": "language", "eq": "en"}]}, True),
        ({"any": [{"var": "centre", "eq": "annex"}, {"var": "language", "eq": "da"}]}, False),
        ({"not": {"var": "centre", "eq": "annex"}}, True),
        ({"not": {"not": {"var": "centre", "eq": "annex"}}}, False),
    ],
)
def test_every_operator_and_combination(condition: dict[str, Any], expected: bool) -> None:
    assert holds(condition) is expected


def test_an_unknown_queue_counts_as_closed_and_empty() -> None:
    facts = CountingFacts({})
    assert holds({"var": "queue.unknown.open", "eq": False}, facts=facts)
    assert holds({"var": "queue.unknown.length", "eq": 0}, facts=facts)


def test_variables_are_resolved_lazily_and_once() -> None:
    facts = CountingFacts({"tax": QueueStatus("tax", "Tax", 3, 9, True)})
    v = variables(facts=facts)
    assert facts.asked == []
    assert (v["queue.tax.open"], v["queue.tax.length"], v["queue.tax.wait"]) == (True, 3, 9)
    assert v["queue.tax.length"] == 3
    assert facts.asked == ["tax"]
    assert v.get("time") == "14:05" and v.get("weekday") == "thu"
    assert v.get("nonsense") is None and v.get("queue.tax") is None
    with pytest.raises(KeyError):
        v["answer"]


def test_the_clock_is_asked_only_when_a_condition_reads_the_time_and_then_once() -> None:
    asked: list[datetime] = []

    def now() -> datetime:
        asked.append(datetime(2026, 11, 26, 14, 5, tzinfo=CPH))
        return asked[-1]

    v = Variables(
        answers={"errand": "passport"},
        missing=set(),
        now=now,
        centre_id="main",
        language="en",
        facts=StaticFacts(),
    )
    assert v["answer.errand"] == "passport" and v["centre"] == "main"
    assert asked == []
    assert (v["time"], v["weekday"], v.now) == ("14:05", "thu", asked[0])
    assert len(asked) == 1


def test_plugin_functions_get_their_args_and_the_variables() -> None:
    seen: list[tuple[dict[str, Any], str]] = []

    def busy(args: dict[str, Any], v: dict[str, Any]) -> bool:
        seen.append((args, v["centre"]))
        return bool(v["queue.tax.length"] > args["limit"])

    condition = {"call": "busy", "args": {"limit": 5}}
    assert holds(condition, {"busy": busy})
    assert not holds({"not": condition}, {"busy": busy})
    assert seen[0] == ({"limit": 5}, "main")
    with pytest.raises(PluginError, match="'busy' is not registered"):
        holds(condition)


def test_a_comparison_without_one_operator_does_not_compile() -> None:
    with pytest.raises(ValueError, match="exactly one operator"):
        holds({"var": "centre"})


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        ({"var": "time", "ge": "14:00"}, "time ≥ 14:00"),
        ({"var": "queue.tax.open", "eq": False}, "queue.tax.open = false"),
        ({"var": "weekday", "not_in": ["sat", "sun"]}, "weekday not in [sat, sun]"),
        (
            {
                "any": [
                    {"var": "time", "lt": "10:00"},
                    {"all": [{"var": "centre", "ne": "a"}, {"var": "language", "eq": "en"}]},
                ]
            },
            "time < 10:00 or (centre ≠ a and language = en)",
        ),
        ({"not": {"call": "busy", "args": {"limit": 5}}}, "not busy(limit=5)"),
    ],
)
def test_conditions_read_as_one_line(condition: dict[str, Any], text: str) -> None:
    assert describe_condition(CONDITION.validate_python(condition)) == text
