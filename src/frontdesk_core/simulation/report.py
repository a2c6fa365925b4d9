"""An HTML report of a simulation: a summary table and PNG plots over the day.

The plots (waits, queue lengths, service level and utilisation per hour, each
queue a line with its 95% band) are drawn with matplotlib, which is an optional
dependency: install ``frontdesk-core[plot]``. The page is rendered with jinja2's
sandboxed environment and escapes every name it shows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2.sandbox import SandboxedEnvironment

from frontdesk_core.simulation.results import QueueHour, SimulationResult

if TYPE_CHECKING:
    from frontdesk_core.simulation.scenario import LoadedScenario

BAND_MIN_CITIZENS = 5.0
"""An hour with fewer citizens per day than this gets its point but no band: an interval from a
handful of people spans nearly everything and says nothing."""

PLOTS = (
    ("waits", "Waiting time over the day", "minutes", ("wait_mean", "wait_p90")),
    ("queue", "Citizens waiting", "tickets", ("queue_mean", "queue_max")),
    ("service-level", "Share called within the target", "share", ("within_target",)),
    ("utilisation", "Counter utilisation", "share of time on duty", ("utilisation",)),
)
"""Each plot: file stem, title, y-axis label and the metrics drawn (the first with its band)."""

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: .3em .6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
img { max-width: 100%; }
.missed { background: #fde2e2; }
</style></head><body>
<h1>{{ title }}</h1>
<p>{{ replications }} replication(s), seed {{ seed }}, {{ days }} day(s);
{{ citizens }} citizens simulated in {{ seconds }} s. Figures are means per day{% if
replications > 1 %} with 95% confidence intervals over the replications{% else %} (one
replication gives no interval){% endif %}.{% if warmup %} Citizens arriving in the first
{{ warmup }} minutes after opening, and the queue and counters then, are left out.{% endif %}
Bands are drawn only for hours with at least {{ band_min }} citizens a day.</p>
<table><thead><tr><th>Queue</th>{% for h in header %}<th>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in rows %}<tr{% if row.missed %} class="missed"{% endif %}>
<td>{{ row.queue }}</td>{% for cell in row.cells %}<td>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>
{% for plot in plots %}<h2>{{ plot.title }}</h2><img src="{{ plot.file }}" alt="{{ plot.title }}">
{% endfor %}
</body></html>
"""

HEADER = (
    "Tickets",
    "Mean wait (min)",
    "P90 wait (min)",
    "Within target",
    "P(wait > 0)",
    "Queue (mean / max)",
    "Utilisation",
    "Gave up",
    "Sent home",
    "Referred",
    "Kiosk wait (min)",
)


def _interval(record: QueueHour, metric: str, digits: int = 1, percent: bool = False) -> str:
    value = getattr(record, metric)
    if math.isnan(value):
        return "–"
    low, high = getattr(record, f"{metric}_low"), getattr(record, f"{metric}_high")
    if math.isnan(low) or math.isnan(high):  # one replication: no interval
        return f"{value * 100:.0f}%" if percent else f"{value:.{digits}f}"
    if percent:
        return f"{value * 100:.0f}% ({low * 100:.0f}–{high * 100:.0f})"
    return f"{value:.{digits}f} ({low:.{digits}f}–{high:.{digits}f})"


def summary_rows(
    result: SimulationResult,
    targets: dict[str, float] | None = None,
    names: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """The day's figures per queue, as text cells (also used by the command's table)."""
    rows = []
    for record in result.records:
        if record.hour is not None:
            continue
        target = (targets or {}).get(record.queue_id)
        missed = target is not None and not math.isnan(record.within_target)
        missed = missed and record.within_target < (target or 0.0)
        rows.append(
            {
                "queue": (names or {}).get(record.queue_id, record.queue_id),
                "missed": missed,
                "cells": [
                    f"{record.arrivals:.0f}",
                    _interval(record, "wait_mean"),
                    _interval(record, "wait_p90"),
                    _interval(record, "within_target", percent=True),
                    _interval(record, "waited", percent=True),
                    f"{record.queue_mean:.1f} / {record.queue_max:.0f}",
                    _interval(record, "utilisation", percent=True),
                    f"{record.abandoned:.1f}",
                    f"{record.sent_home:.1f}",
                    f"{record.referred:.1f}",
                    _interval(record, "kiosk_wait"),
                ],
            }
        )
    return rows


def _queues(result: SimulationResult) -> list[str]:
    """Real queues only (the kiosk's own rows have no waits to draw)."""
    return [q for q in result.queues() if "/" not in q]


def hourly_records(
    result: SimulationResult, queue_id: str, hours: tuple[int, int] | None = None
) -> list[QueueHour]:
    """The queue's records hour by hour, only those within ``hours`` (first, last + 1)."""
    return sorted(
        (
            r
            for r in result.records
            if r.queue_id == queue_id
            and r.hour is not None
            and (hours is None or hours[0] <= r.hour < hours[1])
        ),
        key=lambda r: r.hour or 0,
    )


def band(hourly: Sequence[QueueHour], metric: str) -> tuple[list[float], list[float]]:
    """The lower and upper edge of ``metric``'s band per hour: NaN (no band) in an hour with
    fewer than :data:`BAND_MIN_CITIZENS` citizens a day, or without an interval."""
    low, high = [], []
    for record in hourly:
        thin = record.arrivals < BAND_MIN_CITIZENS
        low.append(math.nan if thin else max(0.0, getattr(record, f"{metric}_low")))
        high.append(math.nan if thin else getattr(record, f"{metric}_high"))
    return low, high


def plot(
    result: SimulationResult,
    metrics: Sequence[str],
    title: str,
    ylabel: str,
    path: Path,
    targets: dict[str, float] | None = None,
    names: dict[str, str] | None = None,
    hours: tuple[int, int] | None = None,
) -> None:
    """Draw ``metrics`` per hour for every queue into a PNG at ``path``.

    ``hours`` (first, last + 1) is the axis: from opening to closing. A point stands at
    the middle of its hour; the band (the first metric's 95% interval) is left out in
    hours with fewer than :data:`BAND_MIN_CITIZENS` citizens a day and from one replication.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7.5, 3.6), dpi=100)
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for index, queue_id in enumerate(_queues(result)):
        colour = colours[index % len(colours)]
        hourly = hourly_records(result, queue_id, hours)
        if not hourly:
            continue
        middles = [(r.hour or 0) + 0.5 for r in hourly]
        name = (names or {}).get(queue_id, queue_id)
        for position, metric in enumerate(metrics):
            values = [getattr(r, metric) for r in hourly]
            style = "-" if position == 0 else ":"
            label = name if position == 0 else f"{name} ({metric.split('_')[-1]})"
            axes.plot(middles, values, style, color=colour, marker="o", markersize=3, label=label)
            if position == 0:
                low, high = band(hourly, metric)
                axes.fill_between(middles, low, high, color=colour, alpha=0.15, linewidth=0)
        if targets and metrics[0] == "within_target" and queue_id in targets:
            axes.axhline(targets[queue_id], color=colour, linestyle="--", linewidth=0.8)
    ticks = sorted({r.hour for r in result.records if r.hour is not None})
    if hours is not None:
        ticks = list(range(hours[0], hours[1]))
    if ticks:
        edges = [*ticks, ticks[-1] + 1]
        axes.set_xticks(edges, [f"{h:02d}:00" for h in edges], fontsize=8)
        axes.set_xlim(edges[0], edges[-1])
    axes.set_title(title)
    axes.set_xlabel("time of day")
    axes.set_ylabel(ylabel)
    axes.grid(alpha=0.3)
    axes.legend(fontsize=7, ncol=2)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def write_report(
    result: SimulationResult,
    directory: str | Path,
    *,
    targets: dict[str, float] | None = None,
    names: dict[str, str] | None = None,
    hours: tuple[int, int] | None = None,
    warmup: float = 0.0,
) -> Path:
    """Write ``index.html`` and its PNG plots into ``directory``; return the page's path."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    plots = []
    for stem, title, ylabel, metrics in PLOTS:
        file = f"{stem}.png"
        plot(result, metrics, title, ylabel, out / file, targets, names, hours)
        plots.append({"title": title, "file": file})
    page = (
        SandboxedEnvironment(autoescape=True)
        .from_string(PAGE)
        .render(
            title=result.scenario,
            replications=result.replications,
            seed=result.seed,
            days=len(result.days),
            citizens=result.citizens,
            seconds=f"{result.seconds:.1f}",
            header=HEADER,
            rows=summary_rows(result, targets, names),
            plots=plots,
            warmup=f"{warmup:g}" if warmup else "",
            band_min=f"{BAND_MIN_CITIZENS:g}",
        )
    )
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def write_scenario_report(
    result: SimulationResult, loaded: LoadedScenario, directory: str | Path
) -> Path:
    """:func:`write_report` with the scenario's targets, queue names, opening hours and warm-up."""
    from zoneinfo import ZoneInfo

    from frontdesk_core.opening.hours import OpeningCalendar
    from frontdesk_core.simulation.distributions import minutes
    from frontdesk_core.simulation.scenario import minute_of

    config = loaded.config
    language = config.site.languages[0]
    names: dict[str, str] = {}
    targets: dict[str, float] = {}
    for centre in config.centres:
        for queue in centre.queues:
            names[queue.id] = queue.name.get(language, queue.id)
            targets[queue.id] = queue.target.share
    tz = ZoneInfo(config.site.timezone)
    spans = [
        (minute_of(r.start), minute_of(r.end))
        for centre_id in loaded.centres
        for day in loaded.dates
        for r in OpeningCalendar(config.centre(centre_id), tz).hours_on(day)
    ]
    hours = None
    if spans:
        hours = (int(min(a for a, _ in spans) // 60), math.ceil(max(b for _, b in spans) / 60))
    return write_report(
        result,
        directory,
        targets=targets,
        names=names,
        hours=hours,
        warmup=minutes(loaded.scenario.warmup),
    )


__all__ = [
    "BAND_MIN_CITIZENS",
    "HEADER",
    "PLOTS",
    "band",
    "hourly_records",
    "plot",
    "summary_rows",
    "write_report",
    "write_scenario_report",
]
