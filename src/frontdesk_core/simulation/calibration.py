"""Build a scenario from a store's event log, so a planner can replay last month and ask what-if.

From the live system's own events it takes, per errand (service, or queue for
tickets without one), weekday and hour: the arrival rate, the booked share,
and the service times (started to finished); and per centre, weekday and hour
the number of counters that were signed in. The result is scenario data that
:func:`~frontdesk_core.simulation.scenario.load_scenario` validates like any
hand-written scenario.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from frontdesk_core.config.models import Config
from frontdesk_core.config.types import format_duration
from frontdesk_core.events import (
    CounterClosed,
    CounterSignedIn,
    CounterSignedOut,
    KioskCompleted,
    TicketCalled,
    TicketFinished,
    TicketIssued,
    TicketStarted,
)
from frontdesk_core.opening.hours import WEEKDAYS
from frontdesk_core.referral.model import Checklist, Question
from frontdesk_core.store.base import EventStore

ISSUED = TicketIssued.KIND
STARTED = TicketStarted.KIND
CALLED = TicketCalled.KIND
FINISHED = TicketFinished.KIND
SIGNED_IN = CounterSignedIn.KIND
SIGNED_OUT = CounterSignedOut.KIND
COUNTER_CLOSED = CounterClosed.KIND
KIOSK_COMPLETED = KioskCompleted.KIND
TURNED_AWAY = frozenset({"send_home", "refer"})
KINDS = (
    ISSUED,
    STARTED,
    CALLED,
    FINISHED,
    SIGNED_IN,
    SIGNED_OUT,
    COUNTER_CLOSED,
    KIOSK_COMPLETED,
)
MAX_SAMPLES = 500
"""Empirical service times keep at most this many samples per errand (evenly thinned)."""


@dataclass
class _TurnedAway:
    """Citizens a centre's kiosk sent home or referred: when, and the paths they took."""

    arrivals: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    answers: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    checklists: dict[str, list[int]] = field(default_factory=dict)
    """Per checklist: [times passed, times a document was missing]."""
    documents: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class _Errand:
    arrivals: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    booked: int = 0
    total: int = 0
    durations: list[float] = field(default_factory=list)


def _local(moment: datetime, tz: ZoneInfo) -> datetime:
    return moment.astimezone(tz)


def calibrate(
    store: EventStore,
    config: Config,
    *,
    config_path: str,
    since: datetime | None = None,
    until: datetime | None = None,
    empirical: bool = False,
    name: str | None = None,
) -> dict[str, Any]:
    """Scenario data (plain dicts, ready for YAML) from the events from ``since`` to ``until``."""
    tz = ZoneInfo(config.site.timezone)
    errands: dict[str, _Errand] = defaultdict(_Errand)
    tickets: dict[str, tuple[str, datetime | None]] = {}
    days: dict[str, set[date]] = defaultdict(set)  # weekday -> dates seen
    duty: dict[tuple[str, str], list[tuple[datetime, datetime | None]]] = defaultdict(list)
    counter_centre = {c.id: centre.id for centre in config.centres for c in centre.counters}
    service_ids = {s.id for s in config.services}
    turned: dict[str, _TurnedAway] = defaultdict(_TurnedAway)
    for event in store.read(kinds=KINDS, since=since, until=until):
        local = _local(event.at, tz)
        payload = event.payload
        if isinstance(payload, KioskCompleted):
            if payload.outcome in TURNED_AWAY:
                weekday = WEEKDAYS[local.weekday()]
                days[weekday].add(local.date())
                _turned_away(turned[event.centre_id], payload, config, (weekday, local.hour))
        elif isinstance(payload, TicketIssued):
            service = payload.service_id
            known = service is not None and service in service_ids
            errand = service if known and service is not None else f"queue:{payload.queue_id}"
            entry = errands[errand]
            weekday = WEEKDAYS[local.weekday()]
            days[weekday].add(local.date())
            entry.arrivals[(weekday, local.hour)] += 1
            entry.total += 1
            entry.booked += 1 if payload.booking_id else 0
            tickets[event.key] = (errand, None)
        elif event.kind in (CALLED, STARTED) and event.key in tickets:
            errand, started = tickets[event.key]
            if event.kind == STARTED or started is None:
                tickets[event.key] = (errand, event.at)
        elif event.kind == FINISHED and event.key in tickets:
            errand, started = tickets.pop(event.key)
            if started is not None:
                errands[errand].durations.append((event.at - started).total_seconds())
        elif event.kind == SIGNED_IN:
            duty[(event.key, local.date().isoformat())].append((event.at, None))
        elif event.kind in (SIGNED_OUT, COUNTER_CLOSED):
            spans = duty.get((event.key, local.date().isoformat()))
            if spans and spans[-1][1] is None:
                spans[-1] = (spans[-1][0], event.at)
    all_days = sorted({d for seen in days.values() for d in seen})
    if not all_days:
        raise ValueError("the event log has no tickets in that period: nothing to calibrate from")
    arrivals = [
        stream
        for errand, entry in sorted(errands.items())
        for stream in _streams(errand, entry, days, config)
    ]
    arrivals += [
        stream
        for centre_id, entry in sorted(turned.items())
        for stream in _turned_streams(centre_id, entry, days)
    ]
    service_times = {
        _time_key(errand, config): _distribution(entry.durations, empirical)
        for errand, entry in sorted(errands.items())
        if entry.durations
    }
    if not service_times:
        raise ValueError("the event log has no finished service: no service times to calibrate")
    service_times.setdefault(
        "default", _distribution([d for e in errands.values() for d in e.durations], empirical)
    )
    return {
        "name": name or f"Replay of {all_days[0].isoformat()} to {all_days[-1].isoformat()}",
        "description": "Calibrated from the event log: arrival rates, booked shares, service "
        "times and staffing per weekday and hour.",
        "config": config_path,
        # The days the log saw, not a period: a day it did not see would count as empty.
        "days": [d.isoformat() for d in all_days],
        "replications": 10,
        "seed": 1,
        "arrivals": arrivals,
        "service_times": service_times,
        "staffing": _staffing(duty, counter_centre, days, tz),
    }


def _turned_away(
    entry: _TurnedAway, completed: KioskCompleted, config: Config, when: tuple[str, int]
) -> None:
    """Count a turned-away citizen and the buttons their path shows they pressed."""
    entry.arrivals[when] += 1
    try:
        tree = config.tree(completed.tree)
    except KeyError:
        return  # a tree no longer in the configuration: its answers cannot be replayed
    nodes = {n.id: n for n in tree.nodes}
    path = completed.path
    for here, after in itertools.pairwise(path):
        node = nodes.get(here)
        if isinstance(node, Question):
            option = next((o.id for o in node.options if o.next == after), None)
            if option is not None:
                counts = entry.answers[node.id]
                counts[option] = counts.get(option, 0) + 1
        elif isinstance(node, Checklist):
            entry.documents[node.id] = tuple(node.documents)
            seen = entry.checklists.setdefault(node.id, [0, 0])
            seen[0] += 1
            seen[1] += 1 if after == node.missing and after != node.next else 0


def _turned_streams(
    centre_id: str, entry: _TurnedAway, days: dict[str, set[date]]
) -> list[dict[str, Any]]:
    """One stream per weekday of citizens with no errand here, walking the paths seen."""
    answers = {
        question: {option: round(n / sum(counts.values()), 3) for option, n in counts.items()}
        for question, counts in sorted(entry.answers.items())
    }
    # A checklist that sent a share f home lacks each of its n documents with the chance
    # 1 - (1 - f) ** (1 / n), so that some document is missing with the chance f.
    missing: dict[str, float] = {}
    for checklist, (passed, lacking) in sorted(entry.checklists.items()):
        documents = entry.documents[checklist]
        if not passed or not lacking or not documents:
            continue
        share = 1.0 - (1.0 - lacking / passed) ** (1.0 / len(documents))
        for document in documents:
            missing[document] = round(max(missing.get(document, 0.0), share), 3)
    streams = []
    for weekday in WEEKDAYS:
        seen = len(days.get(weekday, ()))
        rates = {
            f"{hour:02d}:00-{hour + 1:02d}:00": round(count / seen, 3)
            for (day, hour), count in sorted(entry.arrivals.items())
            if day == weekday and seen
        }
        if rates:
            stream: dict[str, Any] = {"centre": centre_id, "weekdays": [weekday]}
            stream["per_hour"] = rates
            stream["answers"] = answers
            if missing:
                stream["missing_documents"] = missing
            streams.append(stream)
    return streams


def _time_key(errand: str, config: Config) -> str:
    return errand.removeprefix("queue:")


def _streams(
    errand: str, entry: _Errand, days: dict[str, set[date]], config: Config
) -> list[dict[str, Any]]:
    """One stream per weekday: hourly rates (tickets per day seen on that weekday)."""
    streams = []
    booked = round(entry.booked / entry.total, 3) if entry.total else 0.0
    for weekday in WEEKDAYS:
        seen = len(days.get(weekday, ()))
        if not seen:
            continue
        rates = {
            f"{hour:02d}:00-{hour + 1:02d}:00": round(count / seen, 3)
            for (day, hour), count in sorted(entry.arrivals.items())
            if day == weekday
        }
        if not rates:
            continue
        stream: dict[str, Any] = {"weekdays": [weekday], "per_hour": rates}
        if errand.startswith("queue:"):
            queue_id = errand.removeprefix("queue:")
            services = [s.id for s in config.services if s.queue == queue_id]
            if not services:
                continue  # a queue no service leads to cannot be replayed from the door
            stream["service"] = services[0]
        else:
            stream["service"] = errand
        if booked:
            stream["booked"] = booked
        streams.append(stream)
    return streams


def _distribution(seconds: list[float], empirical: bool) -> dict[str, Any]:
    positive = [max(s, 1.0) for s in seconds]
    if empirical or len(positive) < 2:
        step = max(1, math.ceil(len(positive) / MAX_SAMPLES))
        samples = [format_duration(timedelta(seconds=round(s))) for s in positive[::step]]
        return {"distribution": "empirical", "samples": samples}
    mean = statistics.fmean(positive)
    sd = statistics.stdev(positive)
    if sd <= 0:
        return {"distribution": "fixed", "value": format_duration(timedelta(seconds=round(mean)))}
    return {
        "distribution": "lognormal",
        "mean": f"{round(mean)} s",
        "sd": f"{max(round(sd), 1)} s",
    }


def _staffing(
    duty: dict[tuple[str, str], list[tuple[datetime, datetime | None]]],
    counter_centre: dict[str, str],
    days: dict[str, set[date]],
    tz: ZoneInfo,
) -> list[dict[str, Any]]:
    """Per centre, weekday and hour: the counters signed in on average (rounded)."""
    minutes: dict[tuple[str, str, int], float] = defaultdict(float)
    for (counter_id, _), spans in duty.items():
        centre = counter_centre.get(counter_id)
        if centre is None:
            continue
        for start, end in spans:
            if end is None:
                continue
            moment = _local(start, tz)
            stop = _local(end, tz)
            while moment < stop:
                boundary = moment.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
                piece = min(stop, boundary)
                weekday = WEEKDAYS[moment.weekday()]
                minutes[(centre, weekday, moment.hour)] += (piece - moment).total_seconds() / 60
                moment = piece
    rules = []
    for (centre, weekday, hour), total in sorted(minutes.items()):
        seen = max(len(days.get(weekday, ())), 1)
        count = round(total / 60.0 / seen)
        if count > 0:
            rules.append(
                {
                    "centre": centre,
                    "weekdays": [weekday],
                    "hours": f"{hour:02d}:00-{hour + 1:02d}:00",
                    "counters": count,
                }
            )
    return rules


def dump_yaml(data: dict[str, Any]) -> str:
    """Scenario data as YAML text, in the order written."""
    import io

    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.default_flow_style = None
    yaml.width = 100
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


__all__ = ["calibrate", "dump_yaml"]
