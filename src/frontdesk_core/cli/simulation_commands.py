"""The planner's commands: ``simulate``, ``plan``, ``compare`` and ``scenario-from-log``."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path

from frontdesk_core.cli.progress import CommandProgress
from frontdesk_core.config.loader import load_config
from frontdesk_core.config.models import Config
from frontdesk_core.config.types import parse_service_level
from frontdesk_core.errors import CommandError
from frontdesk_core.hookspecs import Command
from frontdesk_core.simulation.compare import Difference
from frontdesk_core.simulation.planning import HourPlan, Plan
from frontdesk_core.simulation.results import Estimate, QueueHour, SimulationResult
from frontdesk_core.simulation.runner import SerialExecutor, replicate, run
from frontdesk_core.simulation.scenario import LoadedScenario, load_scenario


def _executor(workers: int | None) -> Executor:
    """One pool for the whole command (the planner simulates many rounds)."""
    if workers is not None and workers <= 1:
        return SerialExecutor()
    return ProcessPoolExecutor(max_workers=workers)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--replications", type=int, help="replications (default: the scenario's)")
    parser.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    parser.add_argument("--workers", type=int, help="processes to run replications in (1: no pool)")


def _fmt(value: float, digits: int = 1, percent: bool = False) -> str:
    if math.isnan(value):
        return "-"
    return f"{value * 100:.0f}%" if percent else f"{value:.{digits}f}"


def _interval(low: float, high: float, percent: bool = False) -> str:
    """``(low-high)``, or nothing where there is no interval (one replication)."""
    if math.isnan(low) or math.isnan(high):
        return ""
    return f"({_fmt(low, percent=percent)}-{_fmt(high, percent=percent)})"


def queue_name(config: Config, queue_id: str) -> str:
    """A queue's name in the site's first language (the kiosk row: the centre's name)."""
    language = config.site.languages[0]
    centre_id, _, kiosk = queue_id.partition("/")
    if kiosk == "kiosk":
        try:
            return f"{config.centre(centre_id).name.get(language, centre_id)} (kiosk)"
        except KeyError:
            return queue_id
    try:
        return config.queue(queue_id).name.get(language, queue_id)
    except KeyError:
        return queue_id


def in_config_order(records: Sequence[QueueHour], config: Config) -> list[QueueHour]:
    """Records in the configuration's order of queues, each centre's kiosk row last."""
    order = {q.id: i for i, q in enumerate(q for c in config.centres for q in c.queues)}
    return sorted(records, key=lambda r: order.get(r.queue_id, len(order)))


def summary_table(result: SimulationResult, loaded: LoadedScenario) -> str:
    """The day's figures per queue, with 95% intervals, as a plain-text table."""
    header = (
        f"{'queue':<32} {'tickets':>7} {'wait':>15} {'p90':>6} {'within':>15} "
        f"{'target':>6} {'waited':>6} {'queue':>5} {'util':>5} {'gave up':>7} {'home':>5} "
        f"{'ref':>5} {'kiosk':>5}"
    )
    lines = [header, "-" * len(header)]
    for r in in_config_order(result.records, loaded.config):
        if r.hour is not None:
            continue
        try:
            target = f"{loaded.config.queue(r.queue_id).target.share * 100:.0f}%"
        except KeyError:
            target = ""
        wait = f"{_fmt(r.wait_mean)} {_interval(r.wait_mean_low, r.wait_mean_high)}"
        within = (
            f"{_fmt(r.within_target, percent=True)} "
            f"{_interval(r.within_target_low, r.within_target_high, percent=True)}"
        )
        lines.append(
            f"{queue_name(loaded.config, r.queue_id)[:32]:<32} {r.arrivals:>7.1f} "
            f"{wait.strip():>15} {_fmt(r.wait_p90):>6} {within.strip():>15} {target:>6} "
            f"{_fmt(r.waited, percent=True):>6} {_fmt(r.queue_mean):>5} "
            f"{_fmt(r.utilisation, percent=True):>5} {r.abandoned:>7.1f} {r.sent_home:>5.1f} "
            f"{r.referred:>5.1f} {_fmt(r.kiosk_wait):>5}"
        )
    intervals = (
        "means per day with 95% intervals"
        if result.replications > 1
        else "means per day (one replication gives no interval)"
    )
    lines.append(
        f"{result.citizens} citizens, {result.replications} replication(s) of "
        f"{len(result.days)} day(s); waits in minutes, waited: P(wait > 0), kiosk: minutes "
        f"waiting for a free kiosk; {intervals}"
    )
    return "\n".join(lines)


def _timing(result: SimulationResult) -> None:
    """How long it took goes to stderr, so that stdout depends on the seed alone."""
    speed = result.citizens / result.seconds if result.seconds > 0 else 0.0
    print(f"simulated in {result.seconds:.1f} s ({speed:.0f} citizens/s)", file=sys.stderr)


# --- simulate ---------------------------------------------------------------------------------


def _configure_simulate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", help="a scenario YAML file")
    _common(parser)
    parser.add_argument("--json", metavar="OUT", help="write the results as JSON to OUT")
    parser.add_argument("--report", metavar="DIR", help="write an HTML report with plots to DIR")


def run_simulate(args: argparse.Namespace) -> int:
    """Simulate a scenario; print the summary; write JSON and the report when asked."""
    loaded = load_scenario(args.scenario)
    progress = CommandProgress("simulating")
    with _executor(args.workers) as pool:
        result = run(
            loaded,
            replications=args.replications,
            seed=args.seed,
            executor=pool,
            progress=progress,
        )
    progress.close()
    print(summary_table(result, loaded))
    _timing(result)
    if args.json:
        Path(args.json).write_text(result.dumps(), encoding="utf-8")
        print(f"results written to {args.json}")
    if args.report:
        from frontdesk_core.simulation.report import write_scenario_report

        try:
            page = write_scenario_report(result, loaded, args.report)
        except ImportError as exc:
            raise CommandError(
                f"the report needs matplotlib ({exc}): pip install 'frontdesk-core[plot]'"
            ) from None
        print(f"report written to {page}")
    return 0


# --- plan ---------------------------------------------------------------------------------------


def _configure_plan(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", help="a scenario YAML file")
    parser.add_argument(
        "--target", help="e.g. '80%% within 15 minutes' (default: each queue's own target)"
    )
    _common(parser)
    parser.add_argument(
        "--confidence",
        type=float,
        default=0.95,
        help="how sure a verdict must be: the interval's level (default 0.95)",
    )
    parser.add_argument(
        "--max-replications",
        type=int,
        help="replications to go up to where a verdict is unclear (default: 4 times the first)",
    )
    parser.add_argument(
        "--out", metavar="SCENARIO", help="write the scenario with the plan's staffing here"
    )


def run_plan(args: argparse.Namespace) -> int:
    """Print the fewest counters per centre and hour that meet the target."""
    from frontdesk_core.simulation.planning import plan

    loaded = load_scenario(args.scenario)
    try:
        target = parse_service_level(args.target) if args.target else None
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    if not 0 < args.confidence < 1:
        raise CommandError(f"the confidence must lie between 0 and 1, got {args.confidence}")
    progress = CommandProgress("baseline, every counter on duty")

    def told(round_number: int, counters: dict[tuple[str, int], int], reps: int) -> None:
        progress.label = f"round {round_number}: {sum(counters.values())} counter-hours"
        progress.note(f"{progress.label}, from {reps} replications")

    with _executor(args.workers) as pool:
        made = plan(
            loaded,
            target,
            replications=args.replications,
            max_replications=args.max_replications,
            confidence=args.confidence,
            seed=args.seed,
            executor=pool,
            progress=progress,
            report_round=told,
        )
    progress.close()
    print(plan_table(made, loaded))
    print(summary_table(made.result, loaded))
    if args.out:
        from frontdesk_core.simulation.plan_file import write_plan

        write_plan(made, loaded, args.out)
        print(f"the plan's staffing written to {args.out}")
    return 0 if made.met else 1


def plan_table(made: Plan, loaded: LoadedScenario) -> str:
    """The plan per centre and hour, then per queue: plain Erlang C beside the simulation."""
    capacity = {c.id: len(c.counters) for c in loaded.config.centres}
    level = f"{made.confidence * 100:g}%"
    lines = [f"{'centre':<16} {'hour':>11} {'load (E)':>8} {'counters':>8}  verdict"]
    quiet = [h for h in made.hours if h.counters == 0 and h.offered_load == 0]
    for hour in made.hours:
        if hour in quiet:
            continue
        lines.append(
            f"{hour.centre_id:<16} {_span(hour.hour):>11} {hour.offered_load:>8.2f} "
            f"{hour.counters:>8}  {_verdict(hour, capacity[hour.centre_id])}"
        )
    lines.append("")
    lines.append(
        f"{'queue':<32} {'hour':>11} {'load (E)':>8} {'Erlang C':>8} {'within':>16} "
        f"{'target':>6}  verdict"
    )
    for hour in made.hours:
        for q in hour.queues:
            within = f"{_fmt(q.within.mean, percent=True)} " + _interval(
                q.within.low, q.within.high, percent=True
            )
            note = " (few citizens: judged on the whole day)" if q.by_day else ""
            lines.append(
                f"{q.queue_name[:32]:<32} {_span(hour.hour):>11} {q.offered_load:>8.2f} "
                f"{q.erlang:>8} {within.strip():>16} {q.share * 100:>5.0f}%  {q.verdict}{note}"
            )
    what = str(made.target) if made.target else "each queue's own target"
    if quiet:
        lines.append(f"{len(quiet)} open hour(s) without citizens need no counter")
    each = f"{made.look_confidence * 100:.4g}%"
    looked = (
        f"intervals at {each} ({level} over up to {made.looks} looks as replications were "
        "added, Bonferroni)"
        if made.looks > 1
        else f"intervals at {level}"
    )
    lines.append(
        f"Erlang C: counters each queue alone would need for its target (M/M/c); {looked} "
        f"over {made.replications} replications; {made.rounds} simulation round(s)"
    )
    if made.verdict == "met":
        lines.append(f"{what}: met in every hour with {level} confidence")
    for hour in made.hours:
        for q in hour.failing():
            if q.verdict == "missed":
                lines.append(f"{what}: {q.queue_name} misses it at {_span(hour.hour)}")
            else:
                lines.append(
                    f"{what}: unclear for {q.queue_name} at {_span(hour.hour)} after "
                    f"{made.replications} replications (--max-replications for more)"
                )
    return "\n".join(lines)


def _span(hour: int) -> str:
    return f"{hour:02d}:00-{hour + 1:02d}:00"


def _verdict(hour: HourPlan, capacity: int) -> str:
    if hour.met:
        return "met"
    if hour.verdict == "unclear":
        return "unclear"
    return "MISSED, with all its counters" if hour.counters >= capacity else "MISSED"


# --- compare ------------------------------------------------------------------------------------


def _configure_compare(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("first", help="a scenario YAML file")
    parser.add_argument("second", help="another scenario YAML file")
    _common(parser)


def run_compare(args: argparse.Namespace) -> int:
    """Two scenarios side by side, queue by queue, with paired differences."""
    from frontdesk_core.simulation.compare import compare

    scenarios = [load_scenario(path) for path in (args.first, args.second)]
    reps = args.replications or scenarios[0].scenario.replications
    seed = args.seed if args.seed is not None else scenarios[0].scenario.seed
    runs = []
    progress = CommandProgress("")
    with _executor(args.workers) as pool:
        for path, loaded in zip((args.first, args.second), scenarios, strict=True):
            progress.label = Path(path).stem
            runs.append(replicate(loaded, range(reps), seed=seed, executor=pool, progress=progress))
    progress.close()
    a, b = runs
    print(f"A: {a.scenario}\nB: {b.scenario}")
    print(f"{'queue':<32} {'figure':<13} {'A':>17} {'B':>17} {'B-A':>22}")
    order = {
        q.id: i for i, q in enumerate(q for c in scenarios[0].config.centres for q in c.queues)
    }
    found_all = sorted(compare(a, b), key=lambda d: order.get(d.queue_id, len(order)))
    for found in found_all:
        if math.isnan(found.a.mean) and math.isnan(found.b.mean):
            continue  # a figure neither scenario has (no wait at the kiosk row)
        name = queue_name(scenarios[0].config, found.queue_id)
        if name == found.queue_id:
            name = queue_name(scenarios[1].config, found.queue_id)
        print(
            f"{name[:32]:<32} {found.label:<13} {_figure(found.a, found.share):>17} "
            f"{_figure(found.b, found.share):>17} {_difference(found):>22}"
        )
    print(
        f"{reps} replication(s) of each on the same citizens (seed {seed}); 95% intervals; "
        "B-A paired by replication, shares' differences in percentage points (pp); "
        "'~': not shown to differ (the interval holds 0)"
    )
    return 0


def _figure(value: Estimate, percent: bool) -> str:
    return f"{_fmt(value.mean, percent=percent)} {_interval(value.low, value.high, percent)}"


def _difference(found: Difference) -> str:
    d = found.difference
    if math.isnan(d.mean):
        return "-"
    scale, unit = (100.0, "pp") if found.share else (1.0, "")
    if math.isnan(d.low):
        return f"{d.mean * scale:+.1f}{unit} ~"
    low, high = d.low * scale, d.high * scale
    digits = _digits(min(abs(low), abs(high))) if found.shown else 1
    if digits is None:  # shown to differ, by less than the last digit printed
        side = "+" if low > 0 else "-"
        return f"{side}<{10.0**-MAX_DIGITS:.{MAX_DIGITS}f}{unit}, shown to differ"
    text = f"{d.mean * scale:+.{digits}f}{unit} ({low:+.{digits}f}, {high:+.{digits}f})"
    return text + ("" if found.shown else " ~")


MAX_DIGITS = 4
"""Decimals a difference shown to differ is printed with at most."""


def _digits(nearest: float) -> int | None:
    """The fewest decimals (at least one) at which an interval's bound nearest 0 is not printed
    as 0, so a difference shown to differ never reads "+0.0 (+0.0, +0.0)"; None beyond
    :data:`MAX_DIGITS`."""
    for digits in range(1, MAX_DIGITS + 1):
        if round(nearest, digits) != 0:
            return digits
    return None


# --- scenario-from-log --------------------------------------------------------------------------


def _configure_from_log(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", required=True, help="the store (SQLite file) to read")
    parser.add_argument("--config", required=True, help="the configuration the log belongs to")
    parser.add_argument("--out", help="write the scenario here (default: print it)")
    parser.add_argument("--since", help="first date (YYYY-MM-DD) to use")
    parser.add_argument("--until", help="last date (YYYY-MM-DD) to use")
    parser.add_argument(
        "--empirical", action="store_true", help="keep measured service times as samples"
    )


def run_from_log(args: argparse.Namespace) -> int:
    """Write a scenario calibrated from the event log."""
    import os
    from datetime import date, datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from frontdesk_core.simulation.calibration import calibrate, dump_yaml
    from frontdesk_core.store import open_store

    if not Path(args.db).is_file():
        raise CommandError(f"no store at '{args.db}'")
    config = load_config(args.config, args.hooks.load_context())
    tz = ZoneInfo(config.site.timezone)
    try:
        since = (
            datetime.combine(date.fromisoformat(args.since), time(0), tz) if args.since else None
        )
        until = (
            datetime.combine(date.fromisoformat(args.until) + timedelta(days=1), time(0), tz)
            if args.until
            else None
        )
    except ValueError as exc:
        raise CommandError(f"a date is written YYYY-MM-DD: {exc}") from None
    config_path = args.config
    if args.out:
        config_path = os.path.relpath(Path(args.config).resolve(), Path(args.out).resolve().parent)
    store = open_store(args.db)
    progress = CommandProgress("reading the event log", unit=" events")
    try:
        data = calibrate(
            store,
            config,
            config_path=config_path,
            since=since,
            until=until,
            empirical=args.empirical,
            progress=progress,
        )
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    finally:
        progress.close()
        store.close()
    text = dump_yaml(data)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        load_scenario(args.out)  # what we write must load: fail loudly here, not at the planner
        print(f"scenario written to {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def _configure_schema(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--indent", type=int, default=2, help="indentation of the JSON output")


def run_scenario_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of a scenario file, for editors that check YAML as it is typed."""
    import json

    from frontdesk_core.simulation.scenario import Scenario

    schema = Scenario.model_json_schema(by_alias=True, mode="validation")
    print(json.dumps(schema, indent=args.indent, ensure_ascii=False))
    return 0


COMMANDS = [
    Command(
        "simulate",
        "simulate a scenario and summarise waits, queues and utilisation",
        _configure_simulate,
        run_simulate,
    ),
    Command(
        "plan",
        "the fewest counters per hour that meet a service-level target",
        _configure_plan,
        run_plan,
    ),
    Command(
        "compare",
        "simulate two scenarios and show them side by side",
        _configure_compare,
        run_compare,
    ),
    Command(
        "scenario-from-log",
        "build a scenario from a store's event log",
        _configure_from_log,
        run_from_log,
    ),
    Command(
        "scenario-schema",
        "print the JSON Schema of a scenario file",
        _configure_schema,
        run_scenario_schema,
    ),
]
