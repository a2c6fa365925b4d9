"""The tables and CSV rows of ``frontdesk stats --referral``: why citizens were sent home.

    frontdesk stats --db frontdesk.db --config examples/kobenhavn --referral --csv why.csv

Per week: the documents citizens were sent home without, where they were
referred, each answer with where its citizens ended, and each path with its
count and the waiting time of its tickets. The CSV holds every row, one
``table`` column telling them apart, times in seconds.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from frontdesk_core.stats.referral import ReferralReport

CSV_COLUMNS = (
    "table",
    "week",
    "centre_id",
    "tree_id",
    "node_id",
    "path",
    "answer",
    "outcome",
    "detail",
    "count",
    "sent_home",
    "referred",
    "ticket",
    "waiting_count",
    "waiting_mean_s",
    "waiting_median_s",
    "waiting_p90_s",
)


def csv_rows(report: ReferralReport) -> Iterator[dict[str, Any]]:
    """Every row of the report for the CSV (``table``: documents, referrals, answers, paths)."""

    def row(**values: Any) -> dict[str, Any]:
        out: dict[str, Any] = dict.fromkeys(CSV_COLUMNS, "")
        out.update({k: "" if v is None else v for k, v in values.items()})
        return out

    for d in report.documents:
        yield row(
            table="documents", week=d.week, centre_id=d.centre_id, tree_id=d.tree_id,
            node_id=d.node_id, outcome="send_home", detail=d.document_id, count=d.count,
        )  # fmt: skip
    for r in report.referrals:
        yield row(
            table="referrals", week=r.week, centre_id=r.centre_id, tree_id=r.tree_id,
            node_id=r.node_id, outcome="refer", detail=r.to, count=r.count,
        )  # fmt: skip
    for a in report.answers:
        yield row(
            table="answers", week=a.week, centre_id=a.centre_id, tree_id=a.tree_id,
            node_id=a.question, answer=a.answer, count=a.count, sent_home=a.sent_home,
            referred=a.referred, ticket=a.ticket,
        )  # fmt: skip
    for p in report.paths:
        w = p.waiting
        yield row(
            table="paths", week=p.week, centre_id=p.centre_id, tree_id=p.tree_id,
            node_id=p.path[-1] if p.path else "", path=" > ".join(p.path),
            answer=" ".join(p.answers), outcome=p.outcome, detail=p.queue_id, count=p.count,
            waiting_count=w.count, waiting_mean_s=w.mean, waiting_median_s=w.median,
            waiting_p90_s=w.p90,
        )  # fmt: skip


def _minutes(value: float | None) -> str:
    return "-" if value is None else f"{value / 60:.1f}"


def table(report: ReferralReport) -> list[str]:
    """The report as plain tables, most frequent first, times in minutes."""
    share = report.sent_home / report.completed if report.completed else 0.0
    lines = [
        f"{report.completed} kiosk sessions completed: {report.sent_home} sent home "
        f"({share:.0%}), {report.referred} referred elsewhere",
        "",
        f"{'week':<9} {'centre':<12} {'sent home at':<24} {'missing document':<24} {'n':>5}",
    ]
    for d in report.documents:
        lines.append(
            f"{d.week:<9} {d.centre_id:<12} {d.node_id:<24} {d.document_id:<24} {d.count:>5}"
        )
    lines += ["", f"{'week':<9} {'centre':<12} {'referred at':<24} {'to':<24} {'n':>5}"]
    for r in report.referrals:
        lines.append(f"{r.week:<9} {r.centre_id:<12} {r.node_id:<24} {r.to:<24} {r.count:>5}")
    lines += [
        "",
        f"{'week':<9} {'centre':<12} {'question':<20} {'answer':<20} {'n':>5} "
        f"{'home':>5} {'refer':>5} {'ticket':>6}",
    ]
    for a in report.answers:
        lines.append(
            f"{a.week:<9} {a.centre_id:<12} {a.question:<20} {a.answer:<20} {a.count:>5} "
            f"{a.sent_home:>5} {a.referred:>5} {a.ticket:>6}"
        )
    lines += [
        "",
        f"{'week':<9} {'centre':<12} {'outcome':<10} {'queue':<12} {'n':>5} "
        f"{'wait':>6} {'p90':>6}  path",
    ]
    for p in report.paths:
        lines.append(
            f"{p.week:<9} {p.centre_id:<12} {p.outcome:<10} {p.queue_id or '-':<12} "
            f"{p.count:>5} {_minutes(p.waiting.mean):>6} {_minutes(p.waiting.p90):>6}  "
            + " > ".join(p.path)
        )
    return lines
