"""Capacity planning: SimPy driving the same engines on a simulated clock.

    from frontdesk_core.simulation import load_scenario, run
    result = run(load_scenario("examples/kobenhavn/scenarios/normal-day.yaml"))
    result.record("pas").within_target

Scenarios (:mod:`.scenario`), exact Erlang C (:mod:`.erlang`), one simulated
day (:mod:`.model`), replications through an executor (:mod:`.runner`), results
with confidence intervals (:mod:`.results`), the planner (:mod:`.planning`),
calibration from an event log (:mod:`.calibration`) and the HTML report
(:mod:`.report`, needs the ``plot`` extra).
"""

from frontdesk_core.simulation.erlang import ErlangC, servers_for
from frontdesk_core.simulation.planning import Plan, plan
from frontdesk_core.simulation.results import QueueHour, SimulationResult
from frontdesk_core.simulation.runner import SerialExecutor, run
from frontdesk_core.simulation.scenario import LoadedScenario, Scenario, load_scenario

__all__ = [
    "ErlangC",
    "LoadedScenario",
    "Plan",
    "QueueHour",
    "Scenario",
    "SerialExecutor",
    "SimulationResult",
    "load_scenario",
    "plan",
    "run",
    "servers_for",
]
