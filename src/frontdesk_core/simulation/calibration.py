"""Build a scenario from a store's event log, so a planner can replay last month and ask what-if.

From the live system's own events it takes, per errand (service, or queue for
tickets without one), weekday and hour: the arrival rate (over the minutes the
centre was open in that hour, so a half hour is not halved again; a closed hour's
tickets count in the nearest open hour), the booked
share, and the service times (started to finished, with the distribution family
that fits them best); per errand, the answers and missing documents the kiosk
paths show, over the whole day and per hour of the day (``by_hour``, for hours
with at least :data:`MIN_HOUR_WALKS` sessions; others take the whole day's), so the
citizens it sent home or referred come back as part of their errand, at the hours
they came (and are counted under its queue); and per centre, weekday and hour the
counters, by name, that were signed in. The result is scenario data that
:func:`~frontdesk_core.simulation.scenario.load_scenario` validates like any
hand-written scenario.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections import defaultdict
from collections.abc import Callable, Sequence
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
from frontdesk_core.opening.hours import WEEKDAYS, OpeningCalendar
from frontdesk_core.referral.model import Checklist, Question
from frontdesk_core.simulation.answers import TreeMap
from frontdesk_core.simulation.scenario import minute_of
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
PROGRESS_EVERY = 5000
"""Events read between two reports of progress."""
MAX_SAMPLES = 500
"""Empirical service times keep at most this many samples per errand (evenly thinned)."""


@dataclass
class _Paths:
    """Kiosk sessions (of one errand, or of a centre's citizens whose path names no errand):
    when those replayed at the door came, and the buttons and checklists every path shows."""

    arrivals: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    answers: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    checklists: dict[str, list[int]] = field(default_factory=dict)
    """Per checklist: [times passed, times a document was missing]."""
    documents: dict[str, tuple[str, ...]] = field(default_factory=dict)
    walks: int = 0
    """Kiosk sessions counted here."""
    hours: dict[int, _Paths] = field(default_factory=dict)
    """The same, per hour of the day (all weekdays together) the session ended in."""

    def hour(self, hour: int) -> _Paths:
        """The paths of one hour of the day."""
        found = self.hours.get(hour)
        if found is None:
            found = self.hours[hour] = _Paths()
        return found


@dataclass
class _Errand:
    arrivals: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    booked: int = 0
    total: int = 0
    durations: list[float] = field(default_factory=list)
    paths: _Paths = field(default_factory=_Paths)


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
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Scenario data (plain dicts, ready for YAML) from the events from ``since`` to ``until``.

    ``progress`` is told ``(events read, 0)`` every few thousand events (the total is
    not known before the end) and ``(events read, events read)`` at the end.
    """
    tz = ZoneInfo(config.site.timezone)
    errands: dict[str, _Errand] = defaultdict(_Errand)
    tickets: dict[str, tuple[str, datetime | None]] = {}
    days: dict[str, set[date]] = defaultdict(set)  # weekday -> dates seen
    duty: dict[tuple[str, str], list[tuple[datetime, datetime | None]]] = defaultdict(list)
    counter_centre = {c.id: centre.id for centre in config.centres for c in centre.counters}
    service_ids = {s.id for s in config.services}
    turned: dict[str, _Paths] = defaultdict(_Paths)
    maps = {tree.id: TreeMap(tree, config) for tree in config.trees}
    door_tickets: set[str] = set()
    issued: dict[str, tuple[str, str, int]] = {}
    read = 0
    for event in store.read(kinds=KINDS, since=since, until=until):
        read += 1
        if progress is not None and read % PROGRESS_EVERY == 0:
            progress(read, 0)
        local = _local(event.at, tz)
        payload = event.payload
        if isinstance(payload, KioskCompleted):
            tree_map = maps.get(payload.tree)
            if tree_map is None:
                continue  # a tree no longer in the configuration: its paths cannot be replayed
            weekday = WEEKDAYS[local.weekday()]
            errand = errand_of(tree_map, payload.path)
            # A ticket to a queue no errand names ("something else") is replayed at the
            # door with the buttons pressed, not as the queue's first errand.
            at_door = errand is None and payload.outcome == "queue" and payload.ticket is not None
            if errand is None and payload.outcome not in TURNED_AWAY and not at_door:
                continue  # a check-in
            paths = errands[errand].paths if errand is not None else turned[event.centre_id]
            _walked(paths, tree_map, payload.path)
            _walked(paths.hour(local.hour), tree_map, payload.path)
            if at_door and payload.ticket is not None:
                door_tickets.add(payload.ticket)
                days[weekday].add(local.date())
                paths.arrivals[(weekday, local.hour)] += 1
            if payload.outcome in TURNED_AWAY:
                days[weekday].add(local.date())
                paths.arrivals[(weekday, local.hour)] += 1
                if errand is not None:  # they came for an errand of this centre: count them in
                    errands[errand].arrivals[(weekday, local.hour)] += 1
                    errands[errand].total += 1
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
            issued[event.key] = (errand, weekday, local.hour)
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
    if progress is not None:
        progress(read, read)
    for ticket_id in door_tickets:  # counted at the door: not again as their queue's errand
        if ticket_id in issued:
            errand, weekday, hour = issued[ticket_id]
            errands[errand].arrivals[(weekday, hour)] -= 1
            errands[errand].total -= 1
    for entry in errands.values():
        entry.arrivals = defaultdict(int, {k: n for k, n in entry.arrivals.items() if n > 0})
    all_days = sorted({d for seen in days.values() for d in seen})
    if not all_days:
        raise ValueError("the event log has no tickets in that period: nothing to calibrate from")
    opening = _Opening(config, tz, days)
    arrivals = [
        stream
        for errand, entry in sorted(errands.items())
        for stream in _streams(errand, entry, days, config, opening)
    ]
    arrivals += [
        stream
        for centre_id, entry in sorted(turned.items())
        for stream in _turned_streams(centre_id, entry, days, opening)
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
        "description": "Calibrated from the event log: arrival rates, booked shares, answers, "
        "missing documents, service times and staffing per weekday and hour.",
        "config": config_path,
        # The days the log saw, not a period: a day it did not see would count as empty.
        "days": [d.isoformat() for d in all_days],
        "replications": 10,
        "seed": 1,
        "arrivals": arrivals,
        "service_times": service_times,
        "staffing": _staffing(duty, counter_centre, days, tz, config, opening),
    }


def errand_of(tree_map: TreeMap, path: Sequence[str]) -> str | None:
    """The errand a kiosk path was for: the service its outcome serves, else the one service
    the deepest node before the outcome still leads to (None where that is not one)."""
    if not path:
        return None
    served = _service(tree_map, path[-1])
    if served is not None:
        return served
    for node_id in reversed(path[:-1]):
        services = {
            s
            for outcome in tree_map.reach.get(node_id, frozenset())
            if (s := _service(tree_map, outcome)) is not None
        }
        if services:
            return next(iter(services)) if len(services) == 1 else None
    return None


def _service(tree_map: TreeMap, outcome_id: str) -> str | None:
    try:
        served = tree_map.serves(outcome_id)
    except KeyError:
        return None
    return None if served is None or served.startswith("queue:") else served


def _walked(entry: _Paths, tree_map: TreeMap, path: Sequence[str]) -> None:
    """Count the buttons and checklists a path shows."""
    entry.walks += 1
    for here, after in itertools.pairwise(path):
        try:
            node = tree_map.node(here)
        except KeyError:
            continue
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


def _answers(entry: _Paths) -> dict[str, dict[str, float]]:
    return {
        question: {option: round(n / sum(counts.values()), 3) for option, n in counts.items()}
        for question, counts in sorted(entry.answers.items())
    }


def _missing(entry: _Paths, *, zeros: bool = False) -> dict[str, float]:
    # A checklist that sent a share f home lacks each of its n documents with the chance
    # 1 - (1 - f) ** (1 / n), so that some document is missing with the chance f.
    # ``zeros`` keeps a checklist nobody was sent home from (an hour's 0 is an estimate,
    # not "use the whole day's").
    missing: dict[str, float] = {}
    for checklist, (passed, lacking) in sorted(entry.checklists.items()):
        documents = entry.documents[checklist]
        if not passed or not documents or not (lacking or zeros):
            continue
        share = 1.0 - (1.0 - lacking / passed) ** (1.0 / len(documents))
        for document in documents:
            missing[document] = round(max(missing.get(document, 0.0), share), 4)
    return missing


MIN_HOUR_WALKS = 20
"""Kiosk sessions of an errand through a question or checklist that an hour of the day needs
(over the whole log, all weekdays together) for shares of its own there; with fewer, the hour
takes the errand's whole-day shares."""


def _hour_walks(entry: _Paths) -> dict[str, dict[str, Any]]:
    """Per hour of the day, as ``by_hour`` entries: the answers to the questions that split the
    errand's citizens (more than one option seen over the day) and the chance of lacking each
    document at the checklists someone was sent home from, where at least
    :data:`MIN_HOUR_WALKS` of the hour's sessions passed them."""
    splitting = {q: counts for q, counts in entry.answers.items() if len(counts) > 1}
    lacking = _missing(entry)  # documents nobody lacked all day are left out of every hour
    walks: dict[str, dict[str, Any]] = {}
    if not splitting and not lacking:
        return walks
    for hour, paths in sorted(entry.hours.items()):
        if paths.walks < MIN_HOUR_WALKS:
            continue
        walk: dict[str, Any] = {}
        # Every option the day saw, 0 included: an option nobody pressed in the hour has
        # the hour's share 0, not the day's.
        answers = {
            q: {option: paths.answers[q].get(option, 0) / seen for option in splitting[q]}
            for q in sorted(splitting)
            if (seen := sum(paths.answers.get(q, {}).values())) >= MIN_HOUR_WALKS
        }
        if answers:
            walk["answers"] = {
                q: {o: round(v, 3) for o, v in a.items()} for q, a in answers.items()
            }
        enough = _Paths(
            checklists={c: n for c, n in paths.checklists.items() if n[0] >= MIN_HOUR_WALKS},
            documents=paths.documents,
        )
        missing = {d: v for d, v in _missing(enough, zeros=True).items() if d in lacking}
        if missing:
            walk["missing_documents"] = missing
        if walk:
            walks[f"{hour:02d}:00-{hour + 1:02d}:00"] = walk
    return walks


class _Opening:
    """The minutes each centre was open in each hour, on the days the log saw."""

    def __init__(self, config: Config, tz: ZoneInfo, days: dict[str, set[date]]) -> None:
        self.config = config
        self.tz = tz
        self.days = days

    def pieces(self, centre_id: str, weekday: str, hour: int) -> list[tuple[float, float]] | None:
        """The parts of ``hour`` the centre was open on the first day seen of ``weekday``, in
        minutes after midnight (None: it cannot be told)."""
        seen = sorted(self.days.get(weekday, ()))
        if not seen:
            return None
        try:
            centre = self.config.centre(centre_id)
        except KeyError:
            return None
        begin, end = hour * 60.0, hour * 60.0 + 60.0
        return [
            (max(begin, minute_of(r.start)), min(end, minute_of(r.end)))
            for r in OpeningCalendar(centre, self.tz).hours_on(seen[0])
            if min(end, minute_of(r.end)) > max(begin, minute_of(r.start))
        ]

    def span(self, centre_id: str, weekday: str, hour: int) -> tuple[float, float] | None:
        """The part of ``hour`` the centre was open on the first day seen of ``weekday``, in
        minutes after midnight (None: not open, or open in more than one piece)."""
        found = self.pieces(centre_id, weekday, hour)
        return found[0] if found is not None and len(found) == 1 else None

    def minutes(self, centre_id: str, weekday: str, hour: int) -> float:
        """Minutes open in the hour (60 when it cannot be told)."""
        found = self.span(centre_id, weekday, hour)
        return 60.0 if found is None else found[1] - found[0]

    def rates(self, centre_id: str, weekday: str, counts: dict[int, int]) -> dict[str, float]:
        """Arrivals per hour of opening, per range of the day, from counts per hour and day.

        A count in an hour the centre was closed (a ticket issued a moment after closing,
        the clock of a kiosk a little fast) belongs to the open hour nearest before it, or
        after it: a closed hour's rate would be dropped by the simulator, and its citizens
        with it.
        """
        seen = len(self.days.get(weekday, ()))
        counts = self._into_open_hours(centre_id, weekday, counts)
        rates: dict[str, float] = {}
        for hour, count in sorted(counts.items()):
            found = self.span(centre_id, weekday, hour)
            begin, end = found if found is not None else (hour * 60.0, hour * 60.0 + 60.0)
            key = f"{_clock(begin)}-{_clock(end)}"
            rates[key] = round(count / seen * 60.0 / (end - begin), 3)
        return rates

    def _into_open_hours(
        self, centre_id: str, weekday: str, counts: dict[int, int]
    ) -> dict[int, int]:
        closed = {h for h in counts if self.pieces(centre_id, weekday, h) == []}
        if not closed:
            return counts
        opened = [h for h in range(24) if self.pieces(centre_id, weekday, h)]
        if not opened:
            return counts
        moved = {h: n for h, n in counts.items() if h not in closed}
        for hour in closed:
            before = [h for h in opened if h < hour]
            nearest = before[-1] if before else min(h for h in opened if h > hour)
            moved[nearest] = moved.get(nearest, 0) + counts[hour]
        return moved


def _clock(minute: float) -> str:
    whole = round(minute)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def _turned_streams(
    centre_id: str, entry: _Paths, days: dict[str, set[date]], opening: _Opening
) -> list[dict[str, Any]]:
    """One stream per weekday of citizens whose path names no errand of this centre (referred
    elsewhere, or a ticket from "something else"), walking the paths seen."""
    answers, missing, by_hour = _answers(entry), _missing(entry), _hour_walks(entry)
    streams = []
    for weekday in WEEKDAYS:
        if not days.get(weekday):
            continue
        counts = {h: n for (day, h), n in entry.arrivals.items() if day == weekday}
        if counts:
            stream: dict[str, Any] = {"centre": centre_id, "weekdays": [weekday]}
            stream["per_hour"] = opening.rates(centre_id, weekday, counts)
            stream["answers"] = answers
            if missing:
                stream["missing_documents"] = missing
            if by_hour:
                stream["by_hour"] = by_hour
            streams.append(stream)
    return streams


def _time_key(errand: str, config: Config) -> str:
    return errand.removeprefix("queue:")


def _streams(
    errand: str,
    entry: _Errand,
    days: dict[str, set[date]],
    config: Config,
    opening: _Opening,
) -> list[dict[str, Any]]:
    """One stream per weekday: hourly rates, with the answers its kiosk paths showed."""
    if errand.startswith("queue:"):
        queue_id = errand.removeprefix("queue:")
        services = [s.id for s in config.services if s.queue == queue_id]
        if not services:
            return []  # a queue no service leads to cannot be replayed from the door
        service = services[0]
    else:
        service = errand
    centre_id = config.centre_of_queue(config.service(service).queue).id
    booked = round(entry.booked / entry.total, 3) if entry.total else 0.0
    answers, missing = _answers(entry.paths), _missing(entry.paths)
    by_hour = _hour_walks(entry.paths)
    streams = []
    for weekday in WEEKDAYS:
        if not days.get(weekday):
            continue
        counts = {h: n for (day, h), n in entry.arrivals.items() if day == weekday}
        if not counts:
            continue
        stream: dict[str, Any] = {
            "service": service,
            "weekdays": [weekday],
            "per_hour": opening.rates(centre_id, weekday, counts),
        }
        if booked:
            stream["booked"] = booked
        if answers:
            stream["answers"] = answers
        if missing:
            stream["missing_documents"] = missing
        if by_hour:
            stream["by_hour"] = by_hour
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
    family = fit_family(positive)
    if family == "exponential":
        return {"distribution": "exponential", "mean": f"{round(mean)} s"}
    return {"distribution": family, "mean": f"{round(mean)} s", "sd": f"{max(round(sd), 1)} s"}


FAMILIES = ("exponential", "lognormal", "gamma")


def fit_family(values: Sequence[float]) -> str:
    """The family (exponential, lognormal or gamma) that fits ``values`` best.

    Each family takes the sample's mean (and standard deviation: exponential has none
    of its own), and the one with the lowest Akaike information criterion wins:
    log-likelihood against the parameters it needed.
    """
    mean = statistics.fmean(values)
    sd = statistics.stdev(values)
    logs = [math.log(v) for v in values]
    sum_log = sum(logs)
    n = len(values)
    scores: dict[str, float] = {}
    # Exponential: rate 1/mean.
    scores["exponential"] = 2 * 1 - 2 * (-n * math.log(mean) - sum(values) / mean)
    # Lognormal with the sample's mean and sd.
    sigma2 = math.log1p((sd / mean) ** 2)
    mu = math.log(mean) - sigma2 / 2
    lognormal = -sum_log - n / 2 * math.log(2 * math.pi * sigma2)
    lognormal -= sum((x - mu) ** 2 for x in logs) / (2 * sigma2)
    scores["lognormal"] = 2 * 2 - 2 * lognormal
    # Gamma with the sample's mean and sd: shape k = (mean/sd)^2, scale = sd^2/mean.
    shape, scale = (mean / sd) ** 2, sd * sd / mean
    gamma = (shape - 1) * sum_log - sum(values) / scale
    gamma -= n * (math.lgamma(shape) + shape * math.log(scale))
    scores["gamma"] = 2 * 2 - 2 * gamma
    return min(FAMILIES, key=lambda family: scores[family])


def _staffing(
    duty: dict[tuple[str, str], list[tuple[datetime, datetime | None]]],
    counter_centre: dict[str, str],
    days: dict[str, set[date]],
    tz: ZoneInfo,
    config: Config,
    opening: _Opening,
) -> list[dict[str, Any]]:
    """Per centre, weekday and hour: the counters, by name, that were signed in.

    A counter is on duty in an hour when it was signed in, on average over the days
    seen, for at least half the minutes the centre was open in it (half an hour in an
    hour it was closed): "3 counters" would put the first three on duty, whichever
    served the queues the log's counters served.
    """
    minutes: dict[tuple[str, str, int], dict[str, float]] = defaultdict(lambda: defaultdict(float))
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
                on = (piece - moment).total_seconds() / 60
                minutes[(centre, weekday, moment.hour)][counter_id] += on
                moment = piece
    order = {c.id: i for centre in config.centres for i, c in enumerate(centre.counters)}
    rules = []
    for (centre, weekday, hour), by_counter in sorted(minutes.items()):
        seen = max(len(days.get(weekday, ())), 1)
        open_minutes = opening.minutes(centre, weekday, hour)
        needed = open_minutes / 2 if open_minutes > 0 else 30.0
        named = sorted(
            (c for c, total in by_counter.items() if total / seen >= needed and total > 0),
            key=lambda c: order.get(c, len(order)),
        )
        if named:
            rules.append(
                {
                    "centre": centre,
                    "weekdays": [weekday],
                    "hours": f"{hour:02d}:00-{hour + 1:02d}:00",
                    "counters": named,
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
    # Streams of one errand share their answers: each is written out in full, not as an
    # alias a planner editing one weekday would change for all of them.
    yaml.representer.ignore_aliases = lambda *_: True
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


__all__ = ["FAMILIES", "MIN_HOUR_WALKS", "calibrate", "dump_yaml", "errand_of", "fit_family"]
