"""The planner's commands: ``simulate``, ``plan``, ``compare`` and ``scenario-from-log``."""

from __future__ import annotations

import argparse
import math
import sys
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path
from typing import TextIO

from frontdesk_core.config.loader import load_config
from frontdesk_core.config.types import parse_service_level
from frontdesk_core.errors import CommandError
from frontdesk_core.hookspecs import Command
from frontdesk_core.simulation.results import SimulationResult
from frontdesk_core.simulation.runner import Progress, SerialExecutor, run
from frontdesk_core.simulation.scenario import LoadedScenario, load_scenario


class ProgressBar:
    """A one-line progress bar, drawn only when the stream is a terminal."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self.stream = stream
        self.label = label
        self.active = stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        """Redraw the bar at ``done`` of ``total``."""
        if not self.active:
            return
        width = 30
        filled = int(width * done / max(total, 1))
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


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


def summary_table(result: SimulationResult, loaded: LoadedScenario) -> str:
    """The day's figures per queue, with 95% intervals, as a plain-text table."""
    header = (
        f"{'queue':<18} {'tickets':>7} {'wait':>15} {'p90':>6} {'within':>15} "
        f"{'target':>7} {'queue':>5} {'util':>5} {'gave up':>7} {'home':>5} {'ref':>5} "
        f"{'kiosk':>5}"
    )
    lines = [header, "-" * len(header)]
    for r in result.records:
        if r.hour is not None:
            continue
        try:
            target = f"{loaded.config.queue(r.queue_id).target.share * 100:.0f}%"
        except KeyError:
            target = ""
        wait = f"{_fmt(r.wait_mean)} ({_fmt(r.wait_mean_low)}-{_fmt(r.wait_mean_high)})"
        low, high = (
            _fmt(r.within_target_low, percent=True),
            _fmt(r.within_target_high, percent=True),
        )
        within = f"{_fmt(r.within_target, percent=True)} ({low}-{high})"
        lines.append(
            f"{r.queue_id:<18} {r.arrivals:>7.1f} {wait:>15} {_fmt(r.wait_p90):>6} {within:>15} "
            f"{target:>7} {_fmt(r.queue_mean):>5} {_fmt(r.utilisation, percent=True):>5} "
            f"{r.abandoned:>7.1f} {r.sent_home:>5.1f} {r.referred:>5.1f} {_fmt(r.kiosk_wait):>5}"
        )
    lines.append(
        f"{result.citizens} citizens, {result.replications} replication(s) of "
        f"{len(result.days)} day(s); waits in minutes (kiosk: waiting for a free kiosk), "
        "means per day with 95% intervals"
    )
    return "\n".join(lines)


def _timing(result: SimulationResult) -> None:
    """How long it took goes to stderr, so that stdout depends on the seed alone."""
    speed = result.citizens / result.seconds if result.seconds > 0 else 0.0
    print(f"simulated in {result.seconds:.1f} s ({speed:.0f} citizens/s)", file=sys.stderr)


def _targets(loaded: LoadedScenario) -> dict[str, float]:
    return {q.id: q.target.share for c in loaded.config.centres for q in c.queues}


# --- simulate ---------------------------------------------------------------------------------


def _configure_simulate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", help="a scenario YAML file")
    _common(parser)
    parser.add_argument("--json", metavar="OUT", help="write the results as JSON to OUT")
    parser.add_argument("--report", metavar="DIR", help="write an HTML report with plots to DIR")


def run_simulate(args: argparse.Namespace) -> int:
    """Simulate a scenario; print the summary; write JSON and the report when asked."""
    loaded = load_scenario(args.scenario)
    bar: Progress = ProgressBar(sys.stderr, "simulating")
    with _executor(args.workers) as pool:
        result = run(
            loaded, replications=args.replications, seed=args.seed, executor=pool, progress=bar
        )
    print(summary_table(result, loaded))
    _timing(result)
    if args.json:
        Path(args.json).write_text(result.dumps(), encoding="utf-8")
        print(f"results written to {args.json}")
    if args.report:
        from frontdesk_core.simulation.report import write_report

        try:
            page = write_report(result, args.report, targets=_targets(loaded))
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


def run_plan(args: argparse.Namespace) -> int:
    """Print the fewest counters per centre and hour that meet the target."""
    from frontdesk_core.simulation.planning import plan

    loaded = load_scenario(args.scenario)
    try:
        target = parse_service_level(args.target) if args.target else None
    except ValueError as exc:
        raise CommandError(str(exc)) from None

    def told(round_number: int, counters: dict[tuple[str, int], int]) -> None:
        if sys.stderr.isatty():
            print(f"round {round_number}: {sum(counters.values())} counter-hours", file=sys.stderr)

    with _executor(args.workers) as pool:
        made = plan(
            loaded,
            target,
            replications=args.replications,
            seed=args.seed,
            executor=pool,
            report_round=told,
        )
    capacity = {c.id: len(c.counters) for c in loaded.config.centres}
    print(f"{'centre':<16} {'hour':>11} {'load (E)':>8} {'Erlang C':>8} {'counters':>8}  met")
    for hour in made.hours:
        span = f"{hour.hour:02d}:00-{hour.hour + 1:02d}:00"
        print(
            f"{hour.centre_id:<16} {span:>11} {hour.offered_load:>8.2f} {hour.erlang:>8} "
            f"{hour.counters:>8}  {_verdict(hour.met, hour.counters, capacity[hour.centre_id])}"
        )
    what = str(target) if target else "each queue's own target"
    verdict = "met in every hour" if made.met else "NOT met in every hour (see 'NO')"
    print(f"{what}: {verdict}; {made.rounds} simulation round(s)")
    print(summary_table(made.result, loaded))
    return 0 if made.met else 1


def _verdict(met: bool, counters: int, capacity: int) -> str:
    if met:
        return "yes"
    return "NO, with all its counters" if counters >= capacity else "NO"


# --- compare ------------------------------------------------------------------------------------


def _configure_compare(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("first", help="a scenario YAML file")
    parser.add_argument("second", help="another scenario YAML file")
    _common(parser)


def run_compare(args: argparse.Namespace) -> int:
    """Two scenarios side by side, queue by queue."""
    results = []
    scenarios = [load_scenario(path) for path in (args.first, args.second)]
    with _executor(args.workers) as pool:
        for path, loaded in zip((args.first, args.second), scenarios, strict=True):
            bar = ProgressBar(sys.stderr, Path(path).stem)
            results.append(
                run(
                    loaded,
                    replications=args.replications,
                    seed=args.seed,
                    executor=pool,
                    progress=bar,
                )
            )
    a, b = results
    print(f"A: {a.scenario}\nB: {b.scenario}")
    metrics = (
        ("tickets", "arrivals", False),
        ("mean wait", "wait_mean", False),
        ("p90 wait", "wait_p90", False),
        ("within target", "within_target", True),
        ("gave up", "abandoned", False),
        ("sent home", "sent_home", False),
        ("referred", "referred", False),
        ("utilisation", "utilisation", True),
        ("kiosk wait", "kiosk_wait", False),
    )
    print(f"{'queue':<18} {'figure':<14} {'A':>10} {'B':>10} {'B-A':>10}")
    for queue_id in dict.fromkeys([*a.queues(), *b.queues()]):
        for label, metric, percent in metrics:
            values = []
            for result in (a, b):
                try:
                    values.append(float(getattr(result.record(queue_id), metric)))
                except KeyError:
                    values.append(math.nan)
            diff = values[1] - values[0]
            print(
                f"{queue_id:<18} {label:<14} {_fmt(values[0], percent=percent):>10} "
                f"{_fmt(values[1], percent=percent):>10} {_fmt(diff, percent=percent):>10}"
            )
    return 0


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
    try:
        data = calibrate(
            store,
            config,
            config_path=config_path,
            since=since,
            until=until,
            empirical=args.empirical,
        )
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    finally:
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
