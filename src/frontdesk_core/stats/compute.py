"""Compute the statistics from the event log, with Qmatic's definitions.

* **Waiting time** runs from when a ticket entered a queue (its issue, or the
  transfer that brought it there) to the call that took it to the counter;
  after a recall, or a put-back and a new call, the last call counts.
* **Service time** runs from the start of the service (or the call, when the
  counter went straight to finished) to its end.
* A visit is **served** when it ends at a counter: finished, or transferred on
  by the counter. Served visits, their waiting and service times count in the
  hour of the last call; arrivals in the hour of issue; no-shows, cancellations
  and closings in the hour they happened.
* **Within target** is the share of served visits whose waiting time met the
  queue's service-level time; **abandonment** the share of visits that left a
  queue uncalled (cancelled or closed at the end of the day while waiting).
* Kiosk outcomes: a ``kiosk.completed`` event with the outcome ``send_home``
  or ``refer`` counts as a citizen sent home or referred elsewhere, per centre.

Days and hours are local to the site's timezone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from frontdesk_core.config.models import Config
from frontdesk_core.events import KioskCompleted, TicketCalled, TicketIssued, TicketTransferred
from frontdesk_core.events.log import Event
from frontdesk_core.queues import state as ev
from frontdesk_core.stats.records import (
    CentreFigures,
    CounterFigures,
    Distribution,
    QueueFigures,
    Report,
)

KIOSK_COMPLETED = KioskCompleted.KIND
KIOSK_OUTCOMES = {"send_home": "sent_home", "refer": "referred"}
"""A kiosk session's outcome (the referral engine's ``kiosk.completed``) and what it counts as."""
KINDS = (*ev.TICKET_KINDS, KIOSK_COMPLETED)
"""The events the statistics read."""


@dataclass
class _Tally:
    """Counts and durations of one group (a queue, counter or centre in a day or hour)."""

    counts: dict[str, int] = field(default_factory=dict)
    waits: list[float] = field(default_factory=list)
    services: list[float] = field(default_factory=list)
    within: int = 0
    judged: int = 0

    def add(self, name: str) -> None:
        """Count one more ``name``."""
        self.counts[name] = self.counts.get(name, 0) + 1

    def get(self, name: str) -> int:
        """How many ``name`` were counted."""
        return self.counts.get(name, 0)


@dataclass
class _Visit:
    """A ticket's stay in its current queue, as the log tells it."""

    queue_id: str
    centre_id: str
    entered_at: datetime
    last_call: datetime | None = None
    started_at: datetime | None = None
    counter_id: str | None = None
    at_counter: bool = False
    key: str = ""
    """The ticket's id."""


Key = tuple[str, date, int | None]


class _Collector:
    def __init__(
        self, config: Config | None, tz: tzinfo, start: date | None, end: date | None
    ) -> None:
        self.tz, self.start, self.end = tz, start, end
        self.queues: dict[tuple[str, str, date, int | None], _Tally] = {}
        self.counters: dict[tuple[str, str, date, int | None], _Tally] = {}
        self.centres: dict[Key, _Tally] = {}
        self.visits: dict[str, _Visit] = {}
        self.waits: dict[str, float] = {}
        """Each ticket's waiting time in the first queue it was served from."""
        self.targets: dict[str, float] = {}
        for centre in config.centres if config is not None else []:
            for queue in centre.queues:
                self.targets[queue.id] = queue.target.within.total_seconds()

    def _slots(self, moment: datetime) -> list[tuple[date, int | None]]:
        local = moment.astimezone(self.tz)
        day = local.date()
        if (self.start is not None and day < self.start) or (
            self.end is not None and day > self.end
        ):
            return []
        return [(day, None), (day, local.hour)]

    def _tallies(
        self, moment: datetime, centre_id: str, queue_id: str | None, counter_id: str | None
    ) -> list[_Tally]:
        out = []
        for day, hour in self._slots(moment):
            out.append(self.centres.setdefault((centre_id, day, hour), _Tally()))
            if queue_id is not None:
                out.append(self.queues.setdefault((centre_id, queue_id, day, hour), _Tally()))
            if counter_id is not None:
                out.append(self.counters.setdefault((centre_id, counter_id, day, hour), _Tally()))
        return out

    def count(
        self,
        name: str,
        moment: datetime,
        centre_id: str,
        queue_id: str | None = None,
        counter_id: str | None = None,
    ) -> None:
        """Count ``name`` at ``moment`` for the centre and, if given, the queue and counter."""
        for tally in self._tallies(moment, centre_id, queue_id, counter_id):
            tally.add(name)

    def served(self, visit: _Visit, end: datetime) -> None:
        """Record a visit that ended at a counter at ``end``: served, waited, served for."""
        call = visit.last_call if visit.last_call is not None else visit.entered_at
        wait = (call - visit.entered_at).total_seconds()
        begun = visit.started_at if visit.started_at is not None else call
        service = (end - begun).total_seconds()
        target = self.targets.get(visit.queue_id)
        self.waits.setdefault(visit.key, wait)
        for day, hour in self._slots(call):
            centre = self.centres.setdefault((visit.centre_id, day, hour), _Tally())
            queue = self.queues.setdefault((visit.centre_id, visit.queue_id, day, hour), _Tally())
            for tally in (centre, queue):
                tally.add("served")
                tally.services.append(service)
                tally.waits.append(wait)
                if target is not None:
                    tally.judged += 1
                    tally.within += wait <= target
            if visit.counter_id is not None:
                key = (visit.centre_id, visit.counter_id, day, hour)
                counter = self.counters.setdefault(key, _Tally())
                counter.add("served")
                counter.services.append(service)

    def event(self, event: Event) -> None:
        """Take one event of the log into account."""
        payload = event.payload
        if isinstance(payload, KioskCompleted):
            outcome = KIOSK_OUTCOMES.get(payload.outcome)
            if outcome is not None:
                self.count(outcome, event.at, event.centre_id)
            return
        if isinstance(payload, TicketIssued):
            visit = _Visit(payload.queue_id, event.centre_id, event.at, key=event.key)
            self.visits[event.key] = visit
            self.count("arrivals", event.at, visit.centre_id, visit.queue_id)
            self.count("entered", event.at, visit.centre_id, visit.queue_id)
            return
        found = self.visits.get(event.key)
        if found is None:
            return  # issued before the span read
        self._ticket_event(event, found)

    def _ticket_event(self, event: Event, visit: _Visit) -> None:
        kind, at, payload = event.kind, event.at, event.payload
        if isinstance(payload, TicketCalled):
            visit.last_call, visit.counter_id, visit.at_counter = at, payload.counter_id, True
            visit.started_at = None
        elif kind == ev.RECALLED:
            visit.last_call = at
        elif kind == ev.STARTED:
            visit.started_at = at
        elif kind == ev.PUT_BACK:
            visit.at_counter, visit.started_at = False, None
        elif kind == ev.FINISHED:
            self.served(visit, at)
            del self.visits[event.key]
        elif kind == ev.NO_SHOW:
            self.count("no_shows", at, visit.centre_id, visit.queue_id, visit.counter_id)
            del self.visits[event.key]
        elif kind in (ev.CANCELLED, ev.CLOSED):
            name = "cancelled" if kind == ev.CANCELLED else "closed"
            self.count(name, at, visit.centre_id, visit.queue_id)
            if not visit.at_counter:
                self.count("abandoned", at, visit.centre_id, visit.queue_id)
            del self.visits[event.key]
        elif isinstance(payload, TicketTransferred):
            if visit.at_counter:
                self.served(visit, at)
                if visit.counter_id is not None:
                    for day, hour in self._slots(at):
                        key = (visit.centre_id, visit.counter_id, day, hour)
                        self.counters.setdefault(key, _Tally()).add("transfers")
            self.count("transfers_out", at, visit.centre_id, visit.queue_id)
            self.count("transfers", at, visit.centre_id)
            moved = _Visit(payload.to_queue, event.centre_id, at, key=event.key)
            self.visits[event.key] = moved
            for day, hour in self._slots(at):
                key = (moved.centre_id, moved.queue_id, day, hour)
                tally = self.queues.setdefault(key, _Tally())
                tally.add("transfers_in")
                tally.add("entered")


DEFAULT_TIMEZONE = "Europe/Copenhagen"
"""The timezone of the figures when no configuration says otherwise."""


def read_span(
    tz: tzinfo, start: date | None, end: date | None, *, after: int = 1
) -> tuple[datetime | None, datetime | None]:
    """The moments to read the log between for local days ``start`` to ``end``.

    From the day before: a ticket issued late the evening before (or in the
    small hours before the day reset) can end inside the span; to ``after``
    days past ``end``.
    """
    since = (
        datetime.combine(start - timedelta(days=1), datetime.min.time(), tz)
        if start is not None
        else None
    )
    until = (
        datetime.combine(end + timedelta(days=after), datetime.min.time(), tz)
        if end is not None
        else None
    )
    return since, until


def ticket_waits(events: Iterable[Event]) -> dict[str, float]:
    """Each served ticket's waiting time (seconds) in the first queue it was served from."""
    collector = _Collector(None, ZoneInfo("UTC"), None, None)
    for event in events:
        collector.event(event)
    return collector.waits


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def compute(
    events: Iterable[Event],
    config: Config | None,
    tz: tzinfo,
    *,
    start: date | None = None,
    end: date | None = None,
    centre_id: str | None = None,
) -> Report:
    """Every figure of the events, for local days ``start`` to ``end`` (inclusive).

    Without a ``config`` the queues' targets are unknown and ``within_target`` is ``None``.
    """
    collector = _Collector(config, tz, start, end)
    for event in events:
        collector.event(event)
    queues = [
        QueueFigures(
            day=day,
            hour=hour,
            centre_id=centre,
            queue_id=queue,
            arrivals=t.get("arrivals"),
            transfers_in=t.get("transfers_in"),
            transfers_out=t.get("transfers_out"),
            served=t.get("served"),
            no_shows=t.get("no_shows"),
            cancelled=t.get("cancelled"),
            closed=t.get("closed"),
            abandoned=t.get("abandoned"),
            waiting=Distribution.of(t.waits),
            service=Distribution.of(t.services),
            within_target=_share(t.within, t.judged),
            target_seconds=collector.targets.get(queue),
            abandonment=_share(t.get("abandoned"), t.get("entered")),
        )
        for (centre, queue, day, hour), t in collector.queues.items()
        if centre_id is None or centre == centre_id
    ]
    counters = [
        CounterFigures(
            day=day,
            hour=hour,
            centre_id=centre,
            counter_id=counter,
            served=t.get("served"),
            no_shows=t.get("no_shows"),
            transfers=t.get("transfers"),
            service=Distribution.of(t.services),
        )
        for (centre, counter, day, hour), t in collector.counters.items()
        if centre_id is None or centre == centre_id
    ]
    centres = [
        CentreFigures(
            day=day,
            hour=hour,
            centre_id=centre,
            arrivals=t.get("arrivals"),
            served=t.get("served"),
            sent_home=t.get("sent_home"),
            referred=t.get("referred"),
            no_shows=t.get("no_shows"),
            transfers=t.get("transfers"),
            abandoned=t.get("abandoned"),
            waiting=Distribution.of(t.waits),
            service=Distribution.of(t.services),
            within_target=_share(t.within, t.judged),
            abandonment=_share(t.get("abandoned"), t.get("arrivals")),
        )
        for (centre, day, hour), t in collector.centres.items()
        if centre_id is None or centre == centre_id
    ]

    def order(row: QueueFigures | CounterFigures | CentreFigures) -> tuple[str, date, int]:
        return (row.centre_id, row.day, -1 if row.hour is None else row.hour)

    return Report(
        start,
        end,
        tuple(sorted(queues, key=lambda r: (*order(r), r.queue_id))),
        tuple(sorted(counters, key=lambda r: (*order(r), r.counter_id))),
        tuple(sorted(centres, key=order)),
    )
