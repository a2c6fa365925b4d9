"""The planner tutorial documents every key a scenario can have."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from frontdesk_core.simulation.scenario import ArrivalStream, HourWalk, Scenario, StaffingRule

TUTORIAL = Path(__file__).parents[2] / "docs" / "tutorials" / "planner.md"


def _keys(model: type[BaseModel]) -> set[str]:
    return {info.alias or name for name, info in model.model_fields.items()}


def test_every_scenario_key_is_in_the_tutorials_tables() -> None:
    text = TUTORIAL.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.MULTILINE))
    for model in (Scenario, ArrivalStream, HourWalk, StaffingRule):
        missing = _keys(model) - documented
        assert not missing, f"{model.__name__}: {sorted(missing)} not in {TUTORIAL.name}"
    assert "warmup" in documented
