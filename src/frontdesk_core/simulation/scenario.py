"""Scenarios: the what-if a planner writes in YAML, validated with positions like the configuration.

A scenario names a centre configuration, the days to simulate, who arrives when
(per errand, per hour, per weekday), how long things take and who is on duty.
It is loaded with the configuration loader's own machinery, so a mistake is
reported as ``file:line:column: message`` in the same words.

The share sent home and referred is not written here as a number: it comes from
walking the centre's real referral tree with the answer probabilities given
under ``answers`` and ``missing_documents``.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    StrictInt,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from frontdesk_core.booking.model import Weekday
from frontdesk_core.config.loader import YAML_SUFFIXES, Document, Reporter, load_config
from frontdesk_core.config.locate import Source
from frontdesk_core.config.messages import describe, message_for
from frontdesk_core.config.models import Centre, Config
from frontdesk_core.config.suggest import unknown
from frontdesk_core.config.syntax import display_name, parse_file
from frontdesk_core.config.types import (
    RANGE_PATTERN,
    Duration,
    Identifier,
    Model,
    TimeRange,
    TimeRangeField,
    as_plain,
    parse_range,
)
from frontdesk_core.errors import ConfigError, Problem
from frontdesk_core.opening.hours import WEEKDAYS, OpeningCalendar
from frontdesk_core.referral.model import Checklist, Question
from frontdesk_core.simulation.distributions import Distribution, Exponential, LogNormal

Share = Annotated[float, Field(ge=0.0, le=1.0, description="A share between 0 and 1.")]
Weight = Annotated[float, Field(ge=0.0, description="A weight or probability, zero or more.")]
Answers = dict[Identifier, dict[Identifier, Weight]]


def _ranges(value: dict[str, Any]) -> dict[str, Any]:
    for key in value:
        try:
            parse_range(str(key))
        except ValueError as exc:
            raise ValueError(f"{exc} (in the key '{key}')") from None
    return value


def _range_key(key: str) -> str:
    try:
        parse_range(key)
    except ValueError as exc:
        raise ValueError(str(exc)) from None
    return key


RangeKey = Annotated[str, AfterValidator(_range_key)]
"""A range of the day as a mapping's key; checked beside the values, so both are reported."""


class HourWalk(Model):
    """How the citizens of a stream at the kiosk in some hours walk the tree: answer weights and
    missing documents that come before the stream's whole-day ones."""

    answers: Answers = Field({}, description="Answer weights in these hours, by tree node.")
    missing_documents: dict[Identifier, Share] = Field(
        {}, description="Probability that a document is missing, in these hours."
    )


class ArrivalStream(Model):
    """Citizens with one errand arriving at a centre: rates or counts per hour of day."""

    service: Identifier | None = Field(
        None, description="The errand (a service id); none for citizens who belong elsewhere."
    )
    centre: Identifier | None = Field(
        None, description="Where they arrive; default: the centre of the service's queue."
    )
    weekdays: list[Weekday] | None = Field(None, description="Days it applies to; default: all.")
    per_hour: dict[str, Weight] | None = Field(
        None, description="Arrival rates per hour over ranges of the day: {'09:00-12:00': 20}."
    )
    counts: dict[str, StrictInt] | None = Field(
        None, description="Exact numbers arriving in ranges of the day (from data)."
    )
    booked: Share = Field(0.0, description="The share who book a time instead of walking in.")
    answers: Answers = Field({}, description="Answer weights for this errand, by tree node.")
    missing_documents: dict[Identifier, Share] = Field(
        {}, description="Probability that a document is missing, for this errand."
    )
    by_hour: dict[RangeKey, HourWalk] = Field(
        {},
        description="Answers and missing documents for citizens at the kiosk in ranges of the "
        "day, before the stream's own: {'09:00-12:00': {missing_documents: {card: 0.3}}}.",
    )
    patience: Distribution | None = Field(None, description="Overrides the scenario's patience.")

    _check_rates = field_validator("per_hour", "counts")(
        lambda value: None if value is None else _ranges(value)
    )

    @field_validator("counts")
    @classmethod
    def _non_negative(cls, value: dict[str, int] | None) -> dict[str, int] | None:
        for key, count in (value or {}).items():
            if count < 0:
                raise ValueError(f"the count for '{key}' must be zero or more")
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> ArrivalStream:
        if (self.per_hour is None) == (self.counts is None):
            raise ValueError("give either 'per_hour' (rates) or 'counts' (numbers), not both")
        return self

    def walk_at(self, minute: float) -> tuple[int, HourWalk] | None:
        """The ``by_hour`` entry (its index and itself) for a citizen at the kiosk at ``minute``
        after midnight; None where no range holds it (the whole-day answers apply)."""
        for index, (key, walk) in enumerate(self.by_hour.items()):
            start, end = _range_minutes(key)
            if start <= minute < end:
                return index, walk
        return None

    def ranges(self) -> Iterator[tuple[TimeRange, float]]:
        """The ranges of the day with their rate per hour (or count), in the order written."""
        source: dict[str, float] = dict(self.per_hour or {}) or {
            k: float(v) for k, v in (self.counts or {}).items()
        }
        for key, value in source.items():
            yield parse_range(key), value


@functools.lru_cache(maxsize=1024)
def _range_minutes(key: str) -> tuple[float, float]:
    span = parse_range(key)
    return minute_of(span.start), minute_of(span.end)


class Period(Model):
    """Every opening day from ``from`` to ``to`` (both included)."""

    from_: date = Field(alias="from")
    to: date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.to < self.from_:
            raise ValueError("the period ends before it starts")
        return self


class Kiosks(Model):
    """How long citizens spend at a kiosk, and how many kiosks there are."""

    session: Distribution = Field(
        LogNormal(distribution="lognormal", mean=timedelta(seconds=50), sd=timedelta(seconds=20)),
        description="A walk through the referral tree.",
    )
    check_in: Distribution = Field(
        Exponential(distribution="exponential", mean=timedelta(seconds=20)),
        description="A booked citizen checking in with the booking code.",
    )
    count: dict[Identifier, StrictInt] = Field(
        {}, description="Kiosks per centre, overriding the configuration's (what-if)."
    )


class Booked(Model):
    """How booked citizens behave."""

    early: Duration = Field(
        timedelta(minutes=2),
        description="On average this long before the booked time (Copenhagen: 2 min).",
    )
    spread: Duration = Field(
        timedelta(minutes=3), description="Standard deviation of the arrival time."
    )
    no_show: Share = Field(0.05, description="The share who never come.")


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


_RANGE_SCHEMA = {"type": "string", "pattern": RANGE_PATTERN, "examples": ["09:00-17:00"]}
Hours = Annotated[
    list[TimeRangeField],
    BeforeValidator(_one_or_many),
    Field(min_length=1),
    WithJsonSchema(
        {"anyOf": [_RANGE_SCHEMA, {"type": "array", "items": _RANGE_SCHEMA, "minItems": 1}]}
    ),
]
"""One range of hours like ``"10:00-12:00"``, or a list of them."""


class StaffingRule(Model):
    """Counters on duty over hours of the day: a number of them, or named ones."""

    centre: Identifier | None = Field(None, description="Default: the only simulated centre.")
    weekdays: list[Weekday] | None = None
    hours: Hours
    counters: StrictInt | list[Identifier] = Field(
        description="How many counters (the first ones of 'pool'), or which ones."
    )
    pool: list[Identifier] | None = Field(
        None, description="Counters to take a number from, in order; default: the centre's."
    )

    @field_validator("counters")
    @classmethod
    def _non_negative(cls, value: int | list[str]) -> int | list[str]:
        if isinstance(value, int) and value < 0:
            raise ValueError("the number of counters must be zero or more")
        return value


class Scenario(Model):
    """A what-if for the planner: configuration, days, demand, durations and staffing."""

    name: str
    description: str | None = None
    config: str = Field(description="The configuration, relative to the scenario file.")
    days: list[date] | None = Field(None, description="The dates to simulate.")
    period: Period | None = Field(None, description="Or every opening day of a period.")
    scale: Annotated[float, Field(gt=0.0)] = Field(
        1.0, description="Multiplies every arrival rate (a peak day: 1.5)."
    )
    replications: Annotated[int, Field(ge=1, le=10_000)] = 10
    seed: StrictInt = 1
    warmup: Duration = Field(
        timedelta(0),
        description="Citizens arriving this soon after opening are left out of results.",
    )
    arrivals: list[ArrivalStream] = Field(min_length=1)
    answers: Answers = Field({}, description="Answer weights by tree node, then option.")
    missing_documents: dict[Identifier, Share] = Field(
        {}, description="Probability that a citizen lacks each document at a checklist."
    )
    service_times: dict[Identifier, Distribution] = Field(
        description="Service time per service or queue id, or 'default'."
    )
    kiosks: Kiosks = Field(default_factory=Kiosks)
    booked: Booked = Field(default_factory=Booked)
    patience: Distribution | None = Field(
        None, description="How long walk-ins wait before giving up; default: forever."
    )
    no_show_wait: Duration = Field(
        timedelta(minutes=1),
        description="How long a counter waits for a called citizen who has left.",
    )
    staffing: list[StaffingRule] = Field(
        [], description="Who is on duty; a centre without rules opens every counter."
    )

    @model_validator(mode="after")
    def _days(self) -> Scenario:
        if (self.days is None) == (self.period is None):
            raise ValueError("give either 'days' (a list of dates) or 'period', not both")
        return self


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with its configuration and the opening days to simulate."""

    scenario: Scenario
    config: Config
    path: str
    dates: tuple[date, ...]
    centres: tuple[str, ...]

    def stream_centre(self, stream: ArrivalStream) -> str:
        """The centre an arrival stream comes to."""
        return stream_centre(stream, self.config, self.centres)

    def with_changes(self, **changes: Any) -> LoadedScenario:
        """A copy whose scenario has ``changes`` (for the planner's what-ifs)."""
        scenario = self.scenario.model_copy(update=changes)
        return LoadedScenario(scenario, self.config, self.path, self.dates, self.centres)


def stream_centre(stream: ArrivalStream, config: Config, centres: tuple[str, ...]) -> str:
    """The centre of ``stream``: given, else the service's queue's, else the only one."""
    if stream.centre is not None:
        return stream.centre
    if stream.service is not None:
        return config.centre_of_queue(config.service(stream.service).queue).id
    return centres[0] if centres else config.centres[0].id


# --- loading ----------------------------------------------------------------------------


def _document(path: Path) -> tuple[Document, Any, list[Problem]]:
    node, problems = parse_file(path)
    name = display_name(path)
    document = Document(root_file=name)
    if problems:
        return document, None, problems
    if not isinstance(node, dict):
        return (
            document,
            None,
            [Problem(name, 1, 1, f"a scenario is a mapping; got {describe(node)}")],
        )
    for key in node:
        pos = node.lc.data[key]  # type: ignore[attr-defined]
        document.sections[str(key)] = Source(name, node[key], pos[0], pos[1])
    document.data = dict(node)
    return document, node, []


def check_scenario(
    path: str | os.PathLike[str], config: Config | None = None
) -> tuple[LoadedScenario | None, list[Problem]]:
    """Load and check a scenario: the loaded scenario, or every problem with its position."""
    file = Path(path)
    if not file.is_file():
        return None, [Problem(display_name(file), 1, 1, "no such scenario file")]
    document, node, problems = _document(file)
    if problems:
        return None, problems
    reporter = Reporter(document)
    try:
        scenario = Scenario.model_validate(as_plain(node))
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            message, at_key = message_for(error, Scenario, tuple(error["loc"]))
            if len(error["loc"]) == 1 and error["type"] == "missing":
                message = f"the scenario has no '{error['loc'][0]}'"
            reporter.error(tuple(error["loc"]), message, at_key=at_key)
        return None, sorted(set(reporter.problems))
    if config is None:
        config_path = (file.parent / scenario.config).resolve()
        try:
            config = load_config(config_path)
        except ConfigError as exc:
            reporter.error(("config",), f"the configuration '{scenario.config}' has problems:")
            return None, sorted(set(reporter.problems)) + list(exc.problems)
    loaded = link_scenario(scenario, config, reporter, display_name(file))
    if reporter.problems or loaded is None:
        return None, sorted(set(reporter.problems))
    return loaded, []


_SCENARIO_KEYS = re.compile(r"^(arrivals|service_times)\s*:", re.MULTILINE)


def is_scenario_file(path: Path) -> bool:
    """Whether ``path`` is a YAML file written as a scenario (it has top-level 'arrivals' or
    'service_times', which no configuration has), even one too broken to parse."""
    if not path.is_file() or path.suffix not in YAML_SUFFIXES:
        return False
    try:
        return _SCENARIO_KEYS.search(path.read_text(encoding="utf-8")) is not None
    except (OSError, UnicodeDecodeError):
        return False


def scenario_files(path: Path) -> list[Path] | None:
    """The scenarios at ``path``: the file itself, or every YAML file of a folder of scenarios;
    None when ``path`` is a configuration (a file, or a folder with any other YAML file)."""
    if path.is_file():
        return [path] if is_scenario_file(path) else None
    if not path.is_dir():
        return None
    files = sorted(p for p in path.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file())
    if files and all(is_scenario_file(p) for p in files):
        return files
    return None


def load_scenario(path: str | os.PathLike[str], config: Config | None = None) -> LoadedScenario:
    """Load a scenario (and its configuration); raise ConfigError with every problem."""
    loaded, problems = check_scenario(path, config)
    if loaded is None:
        raise ConfigError(problems)
    return loaded


# --- cross-references ----------------------------------------------------------------------


def link_scenario(
    scenario: Scenario, config: Config, reporter: Reporter, path: str = "<scenario>"
) -> LoadedScenario | None:
    """Check the scenario against the configuration; report each problem at its place."""
    centre_ids = [c.id for c in config.centres]
    service_ids = [s.id for s in config.services]
    queue_ids = [q.id for c in config.centres for q in c.queues]
    centres: list[str] = []
    for index, stream in enumerate(scenario.arrivals):
        loc: tuple[str | int, ...] = ("arrivals", index)
        if stream.service is not None and stream.service not in service_ids:
            reporter.error((*loc, "service"), unknown("service", stream.service, service_ids))
            continue
        if stream.centre is not None and stream.centre not in centre_ids:
            reporter.error((*loc, "centre"), unknown("centre", stream.centre, centre_ids))
            continue
        if stream.service is None and stream.centre is None and len(centre_ids) > 1:
            reporter.error(loc, "an arrival without a 'service' needs a 'centre'", at_key=True)
            continue
        centre = stream_centre(stream, config, ())
        if centre not in centres:
            centres.append(centre)
        _check_walk(stream.answers, stream.missing_documents, config, reporter, loc)
        _check_hours(stream, config, reporter, loc)
    _check_walk(scenario.answers, scenario.missing_documents, config, reporter, ())
    _check_times(scenario, config, reporter, service_ids, queue_ids)
    for centre_id in scenario.kiosks.count:
        if centre_id not in centre_ids:
            reporter.error(("kiosks", "count", centre_id), unknown("centre", centre_id, centre_ids))
    for name, count in scenario.kiosks.count.items():
        if count < 0:
            reporter.error(("kiosks", "count", name), "the number of kiosks must be zero or more")
    _check_staffing(scenario, config, reporter, centres)
    dates = _dates(scenario, config, reporter, centres)
    if reporter.problems:
        return None
    return LoadedScenario(scenario, config, path, tuple(dates), tuple(centres))


def _check_walk(
    answers: Answers,
    missing: dict[str, float],
    config: Config,
    reporter: Reporter,
    loc: tuple[str | int, ...],
) -> None:
    # Node ids are unique within a tree, not across trees: an id stands for every
    # question of that name, and an option is known if any of them has it.
    questions: dict[str, list[Question]] = {}
    for tree in config.trees:
        for node in tree.nodes:
            if isinstance(node, Question):
                questions.setdefault(node.id, []).append(node)
    other_nodes = {n.id for t in config.trees for n in t.nodes} - set(questions)
    for node_id, weights in answers.items():
        here = (*loc, "answers", node_id)
        if node_id not in questions:
            if node_id in other_nodes:
                reporter.error(
                    here, f"'{node_id}' is not a question; only questions take answers", at_key=True
                )
            else:
                reporter.error(here, unknown("question", node_id, questions), at_key=True)
            continue
        options = list(dict.fromkeys(o.id for q in questions[node_id] for o in q.options))
        for option_id in weights:
            if option_id not in options:
                reporter.error(
                    (*here, option_id),
                    unknown("option", option_id, options, f" of question '{node_id}'"),
                    at_key=True,
                )
    documents = {d for t in config.trees for n in t.nodes if isinstance(n, Checklist)
                 for d in n.documents}  # fmt: skip
    known_documents = [d.id for d in config.documents]
    for document_id in missing:
        if document_id not in known_documents:
            reporter.error(
                (*loc, "missing_documents", document_id),
                unknown("document", document_id, known_documents),
                at_key=True,
            )
        elif document_id not in documents:
            reporter.error(
                (*loc, "missing_documents", document_id),
                f"no checklist of any referral tree asks for the document '{document_id}'",
                at_key=True,
            )


def _check_hours(
    stream: ArrivalStream, config: Config, reporter: Reporter, loc: tuple[str | int, ...]
) -> None:
    """Each ``by_hour`` range's answers and documents, and no two ranges that overlap (a
    citizen would not know which to follow)."""
    seen: list[tuple[float, float, str]] = []
    for key, walk in stream.by_hour.items():
        here = (*loc, "by_hour", key)
        start, end = _range_minutes(key)
        clash = next((other for a, b, other in seen if start < b and a < end), None)
        if clash is not None:
            reporter.error(here, f"the range '{key}' overlaps '{clash}'", at_key=True)
        seen.append((start, end, key))
        _check_walk(walk.answers, walk.missing_documents, config, reporter, here)


def _check_times(
    scenario: Scenario,
    config: Config,
    reporter: Reporter,
    service_ids: list[str],
    queue_ids: list[str],
) -> None:
    names = [*service_ids, *queue_ids, "default"]
    for key in scenario.service_times:
        if key not in names:
            reporter.error(
                ("service_times", key), unknown("service or queue", key, names), at_key=True
            )
    for index, stream in enumerate(scenario.arrivals):
        if stream.service is None or stream.service not in service_ids:
            continue
        service = config.service(stream.service)
        if not {service.id, service.queue, "default"} & set(scenario.service_times):
            reporter.error(
                ("arrivals", index, "service"),
                f"no service time for '{service.id}': add it (or its queue '{service.queue}', "
                "or 'default') under 'service_times'",
            )


def _check_staffing(
    scenario: Scenario, config: Config, reporter: Reporter, centres: list[str]
) -> None:
    centre_ids = [c.id for c in config.centres]
    for index, rule in enumerate(scenario.staffing):
        loc: tuple[str | int, ...] = ("staffing", index)
        if rule.centre is None:
            if len(centres) > 1:
                reporter.error(loc, "say which 'centre' this staffing is for", at_key=True)
                continue
            if not centres:
                continue  # every arrival has a problem of its own, reported already
            centre = config.centre(centres[0])
        elif rule.centre not in centre_ids:
            reporter.error((*loc, "centre"), unknown("centre", rule.centre, centre_ids))
            continue
        else:
            centre = config.centre(rule.centre)
        counter_ids = [c.id for c in centre.counters]
        where = f" in centre '{centre.id}'"
        for field_name in ("counters", "pool"):
            named = getattr(rule, field_name)
            if not isinstance(named, list):
                continue
            for position, counter_id in enumerate(named):
                if counter_id not in counter_ids:
                    reporter.error(
                        (*loc, field_name, position),
                        unknown("counter", counter_id, counter_ids, where),
                    )
        if isinstance(rule.counters, int):
            pool = rule.pool if rule.pool is not None else counter_ids
            if rule.counters > len(pool):
                reporter.error(
                    (*loc, "counters"),
                    f"{rule.counters} counters asked for, but{where} there are only {len(pool)}",
                )


def _dates(
    scenario: Scenario, config: Config, reporter: Reporter, centres: list[str]
) -> list[date]:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(config.site.timezone)
    calendars = [OpeningCalendar(config.centre(c), tz) for c in centres if c in
                 [x.id for x in config.centres]]  # fmt: skip
    if scenario.days is not None:
        for index, day in enumerate(scenario.days):
            if calendars and not any(cal.hours_on(day) for cal in calendars):
                reporter.error(
                    ("days", index),
                    f"{day.isoformat()} ({WEEKDAYS[day.weekday()]}) is no opening day "
                    "of the simulated centres",
                )
        return list(scenario.days)
    period = scenario.period
    if period is None:  # the model's validator makes this impossible; keep mypy honest
        return []
    days: list[date] = []
    day = period.from_
    while day <= period.to:
        if any(cal.hours_on(day) for cal in calendars):
            days.append(day)
        day += timedelta(days=1)
    if not days:
        reporter.error(("period",), "the period has no opening day of the simulated centres")
    return days


def counters_on_duty(
    scenario: Scenario, centre: Centre, day: date, opening: list[TimeRange], only_centre: bool
) -> dict[str, list[tuple[float, float]]]:
    """Each counter's time on duty on ``day``, in minutes after midnight, merged.

    Touching or overlapping hours of one counter become one stretch, so "8
    counters" written as eight one-hour rules is the same crew as 8 all day: a
    counter is never signed out and in again at an hour boundary, and never has
    two people at once.
    """
    weekday = WEEKDAYS[day.weekday()]
    rules = [
        r
        for r in scenario.staffing
        if (r.centre == centre.id or (r.centre is None and only_centre))
        and (r.weekdays is None or weekday in r.weekdays)
    ]
    spans: dict[str, list[tuple[float, float]]] = {}
    if not rules and not any(
        r.centre == centre.id or (r.centre is None and only_centre) for r in scenario.staffing
    ):
        for counter in centre.counters:
            spans[counter.id] = [(_minute(r.start), _minute(r.end)) for r in opening]
    for rule in rules:
        if isinstance(rule.counters, list):
            chosen = list(rule.counters)
        else:
            pool = rule.pool if rule.pool is not None else [c.id for c in centre.counters]
            chosen = list(pool[: rule.counters])
        for counter_id in chosen:
            for hours in rule.hours:
                spans.setdefault(counter_id, []).append((_minute(hours.start), _minute(hours.end)))
    return {counter_id: _merge(parts) for counter_id, parts in spans.items()}


def _minute(moment: Any) -> float:
    hour: int = moment.hour
    if moment.hour == 23 and moment.minute == 59 and moment.second == 59:
        return 24 * 60.0  # time.max stands for 24:00
    return hour * 60.0 + float(moment.minute) + float(moment.second) / 60.0


def _merge(parts: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for start, end in sorted(parts):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def minute_of(moment: Any) -> float:
    """A time of day as minutes after midnight (``24:00`` is 1440)."""
    return _minute(moment)


__all__ = [
    "ArrivalStream",
    "Booked",
    "HourWalk",
    "Kiosks",
    "LoadedScenario",
    "Period",
    "Scenario",
    "StaffingRule",
    "check_scenario",
    "counters_on_duty",
    "is_scenario_file",
    "link_scenario",
    "load_scenario",
    "minute_of",
    "scenario_files",
    "stream_centre",
]
