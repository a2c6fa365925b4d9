"""``frontdesk stats``: the figures of an event log as a table, and as CSV for a spreadsheet.

    frontdesk stats --db frontdesk.db --config examples/kobenhavn --from 2026-11-23 \\
        --to 2026-11-27 --centre main --csv week.csv [--hourly]

The table shows every centre and queue per day (``--hourly``: and per hour),
and the counters; times in minutes. The CSV holds every row, day and hour, with
times in seconds.

With ``--referral`` it shows why citizens were sent home instead: per week the
missing documents, the referrals, the answers and the paths through each tree
(:mod:`frontdesk_core.stats.referral`), and ``--csv`` writes those rows.
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from frontdesk_core.cli import referral_stats
from frontdesk_core.config.loader import load_config
from frontdesk_core.config.models import Config
from frontdesk_core.config.suggest import unknown
from frontdesk_core.errors import CommandError
from frontdesk_core.hookspecs import Command
from frontdesk_core.stats import (
    CentreFigures,
    CounterFigures,
    Distribution,
    QueueFigures,
    Report,
    read_report,
)
from frontdesk_core.stats.referral import read_referral_report
from frontdesk_core.store import SqliteStore

CSV_COLUMNS = (
    "level",
    "day",
    "hour",
    "centre_id",
    "id",
    "arrivals",
    "served",
    "no_shows",
    "sent_home",
    "referred",
    "transfers_in",
    "transfers_out",
    "cancelled",
    "closed",
    "abandoned",
    *(f"waiting_{part}" for part in ("count", "mean_s", "median_s", "p90_s", "max_s")),
    *(f"service_{part}" for part in ("count", "mean_s", "median_s", "p90_s", "max_s")),
    "within_target",
    "abandonment",
)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date; write it like 2026-11-23"
        ) from None


def configure(parser: argparse.ArgumentParser) -> None:
    """The options of ``frontdesk stats``."""
    parser.add_argument("--db", required=True, help="the SQLite event store")
    parser.add_argument("--config", help="the configuration (for queue targets and the timezone)")
    parser.add_argument("--from", dest="start", type=_date, help="first day (YYYY-MM-DD)")
    parser.add_argument("--to", dest="end", type=_date, help="last day (YYYY-MM-DD)")
    parser.add_argument("--centre", help="only this centre")
    parser.add_argument("--csv", type=Path, help="also write every row to this CSV file")
    parser.add_argument(
        "--hourly", action="store_true", help="show each queue's hours in the table too"
    )
    parser.add_argument(
        "--referral",
        action="store_true",
        help="why citizens were sent home or referred: per tree, path, answer and week",
    )


def _seconds(dist: Distribution) -> list[Any]:
    return [dist.count, dist.mean, dist.median, dist.p90, dist.max]


def csv_rows(report: Report) -> Iterator[dict[str, Any]]:
    """Every record of the report as a CSV row (times in seconds)."""
    rows: Iterable[CentreFigures | QueueFigures | CounterFigures] = (
        *report.centres,
        *report.queues,
        *report.counters,
    )
    for row in rows:
        out: dict[str, Any] = dict.fromkeys(CSV_COLUMNS, "")
        out.update(day=row.day.isoformat(), hour="" if row.hour is None else row.hour)
        out.update(centre_id=row.centre_id, served=row.served, no_shows=row.no_shows)
        if isinstance(row, CentreFigures):
            out.update(level="centre", id=row.centre_id, arrivals=row.arrivals)
            out.update(sent_home=row.sent_home, referred=row.referred, abandoned=row.abandoned)
            out.update(transfers_out=row.transfers)
        elif isinstance(row, QueueFigures):
            out.update(level="queue", id=row.queue_id, arrivals=row.arrivals)
            out.update(transfers_in=row.transfers_in, transfers_out=row.transfers_out)
            out.update(cancelled=row.cancelled, closed=row.closed, abandoned=row.abandoned)
        else:
            out.update(level="counter", id=row.counter_id, transfers_out=row.transfers)
        if not isinstance(row, CounterFigures):
            for name, value in zip(CSV_COLUMNS[15:20], _seconds(row.waiting), strict=True):
                out[name] = "" if value is None else value
            out["within_target"] = "" if row.within_target is None else row.within_target
            out["abandonment"] = "" if row.abandonment is None else row.abandonment
        for name, value in zip(CSV_COLUMNS[20:25], _seconds(row.service), strict=True):
            out[name] = "" if value is None else value
        yield out


def _minutes(value: float | None) -> str:
    return "-" if value is None else f"{value / 60:.1f}"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def table(report: Report, *, hourly: bool = False) -> list[str]:
    """The day rows (and with ``hourly`` each queue's hours) as a table, times in minutes."""
    head = (
        f"{'day':<10} {'centre':<10} {'queue':<12} {'arr':>5} {'srv':>5} {'nosh':>5} "
        f"{'home':>5} {'trf':>4} {'wait':>6} {'med':>6} {'p90':>6} {'max':>6} "
        f"{'svc':>6} {'target':>6} {'aband':>6}"
    )
    lines = [head, "-" * len(head)]
    queues = [q for q in report.queues if q.hour is None or hourly]
    for centre in (c for c in report.centres if c.hour is None):
        lines.append(
            f"{centre.day.isoformat():<10} {centre.centre_id:<10} {'(all)':<12} "
            f"{centre.arrivals:>5} {centre.served:>5} {centre.no_shows:>5} "
            f"{centre.sent_home:>5} {centre.transfers:>4} "
            + _times(centre.waiting, centre.service, centre.within_target, centre.abandonment)
        )
        for queue in queues:
            if queue.day == centre.day and queue.centre_id == centre.centre_id:
                label = queue.queue_id if queue.hour is None else f"  {queue.hour:02d}:00"
                lines.append(
                    f"{'':<10} {'':<10} {label:<12} {queue.arrivals:>5} "
                    f"{queue.served:>5} {queue.no_shows:>5} {'':>5} {queue.transfers_out:>4} "
                    + _times(queue.waiting, queue.service, queue.within_target, queue.abandonment)
                )
    counters = [c for c in report.counters if c.hour is None]
    if counters:
        lines += [
            "",
            f"{'day':<10} {'centre':<10} {'counter':<12} {'srv':>5} {'nosh':>5} "
            f"{'trf':>4} {'svc':>6} {'med':>6} {'p90':>6} {'max':>6}",
        ]
        for counter in counters:
            service = counter.service
            lines.append(
                f"{counter.day.isoformat():<10} {counter.centre_id:<10} {counter.counter_id:<12} "
                f"{counter.served:>5} {counter.no_shows:>5} {counter.transfers:>4} "
                f"{_minutes(service.mean):>6} {_minutes(service.median):>6} "
                f"{_minutes(service.p90):>6} {_minutes(service.max):>6}"
            )
    return lines


def _times(
    waiting: Distribution, service: Distribution, within: float | None, abandonment: float | None
) -> str:
    return (
        f"{_minutes(waiting.mean):>6} {_minutes(waiting.median):>6} {_minutes(waiting.p90):>6} "
        f"{_minutes(waiting.max):>6} {_minutes(service.mean):>6} {_share(within):>6} "
        f"{_share(abandonment):>6}"
    )


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> None:
    """Write ``rows`` with a header line to ``path``, and say how many."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        count = 0
        for row in rows:
            writer.writerow(row)
            count += 1
    print(f"wrote {count} rows to {path}")


def _run_referral(args: argparse.Namespace, db: Path, config: Config | None) -> int:
    """Print the referral tables (and write the CSV); exit 0."""
    store = SqliteStore(str(db))
    try:
        report = read_referral_report(
            store, config, start=args.start, end=args.end, centre_id=args.centre
        )
    finally:
        store.close()
    if not report.completed:
        print("no completed kiosk sessions in the log for that span")
    else:
        print("\n".join(referral_stats.table(report)))
        print("times in minutes; wait = issue to the call, in the queue the kiosk chose")
    if args.csv is not None:
        write_csv(args.csv, referral_stats.CSV_COLUMNS, referral_stats.csv_rows(report))
    return 0


def run(args: argparse.Namespace) -> int:
    """Print the table (and write the CSV); exit 0."""
    db = Path(args.db)
    if not db.is_file():
        raise CommandError(f"there is no event store at '{db}'")
    if args.start is not None and args.end is not None and args.end < args.start:
        raise CommandError("--to is before --from")
    config = load_config(args.config, args.hooks.load_context()) if args.config else None
    if config is not None and args.centre is not None:
        known = [c.id for c in config.centres]
        if args.centre not in known:
            raise CommandError(unknown("centre", args.centre, known))
    if args.referral:
        return _run_referral(args, db, config)
    store = SqliteStore(str(db))
    try:
        report = read_report(store, config, start=args.start, end=args.end, centre_id=args.centre)
    finally:
        store.close()
    if not report.centres:
        print("no activity in the log for that span")
    else:
        print("\n".join(table(report, hourly=args.hourly)))
        print("times in minutes; wait = issue or transfer to the last call (Qmatic)")
    if args.csv is not None:
        write_csv(args.csv, CSV_COLUMNS, csv_rows(report))
    return 0


COMMANDS = [
    Command(
        "stats",
        "print arrivals, waiting and service times per queue and counter from an event store",
        configure,
        run,
    )
]
