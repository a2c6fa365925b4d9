"""A staffing plan written out as a scenario: the planned scenario with the plan's staffing.

The file is the planner's own scenario (every key and comment kept) with the
staffing rules replaced by the plan's (named counters per hour), the
configuration's path made relative to the new file, and the replications and
seed the plan's verdicts rest on: ``frontdesk simulate`` on it gives the figures
the plan was decided on.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from frontdesk_core.simulation.planning import Plan
from frontdesk_core.simulation.scenario import LoadedScenario


def plan_yaml(made: Plan, loaded: LoadedScenario, out: str | os.PathLike[str]) -> str:
    """The text of the scenario that staffs ``loaded`` by ``made``, to be saved at ``out``."""
    yaml = YAML(typ="rt")
    yaml.width = 100
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    source = Path(loaded.path)
    data: Any = yaml.load(source.read_text(encoding="utf-8"))
    config = (source.parent / str(data["config"])).resolve()
    data["config"] = os.path.relpath(config, Path(out).resolve().parent)
    data["name"] = f"{loaded.scenario.name}, as planned"
    data["replications"] = made.replications
    data["seed"] = made.seed
    rules = CommentedSeq()
    for rule in made.staffing():
        entry = CommentedMap()
        entry["centre"] = rule.centre
        entry["hours"] = str(rule.hours[0])
        names = CommentedSeq(rule.counters if isinstance(rule.counters, list) else [])
        names.fa.set_flow_style()
        entry["counters"] = names
        entry.fa.set_flow_style()
        rules.append(entry)
    data["staffing"] = rules
    target = f"{made.target}" if made.target else "each queue's own target"
    data.yaml_set_start_comment(
        f"Planned by 'frontdesk plan' for {target} with {made.confidence * 100:g}% confidence."
    )
    text = io.StringIO()
    yaml.dump(data, text)
    return text.getvalue()


def write_plan(made: Plan, loaded: LoadedScenario, out: str | os.PathLike[str]) -> None:
    """Save the scenario of :func:`plan_yaml` at ``out``."""
    Path(out).write_text(plan_yaml(made, loaded, out), encoding="utf-8")


__all__ = ["plan_yaml", "write_plan"]
