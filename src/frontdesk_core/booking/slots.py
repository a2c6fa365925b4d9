"""Free appointment slots, computed from opening hours, staff schedules, breaks and bookings.

Every time is handled internally as whole seconds since the epoch (UTC), so
that arithmetic is elapsed time: on the days daylight saving time starts or
ends, a day has 23 or 25 hours, "24 h before" is really 24 hours before, and
no slot falls into the missing hour or is skipped in the repeated one.

A booking occupies one counter from ``start - buffer_before`` to
``end + buffer_after`` (its *window*). A counter can take it when it serves the
service and is on duty for the whole window (inside its booking hours, inside
the centre's opening hours that day, outside its breaks and its recorded
absences). The planner lists each start time with the counters on duty
(its capacity) and those with no booking overlapping the window; whether a
start whose counters are all taken still fits by moving bookings to other
counters is decided by :mod:`frontdesk_core.booking.floor`.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import NamedTuple

from frontdesk_core.booking.model import ServiceBooking
from frontdesk_core.config.models import Centre, Config, Counter, Service
from frontdesk_core.config.types import TimeRange
from frontdesk_core.drafts import quick_init
from frontdesk_core.opening.hours import WEEKDAYS, OpeningCalendar

Span = tuple[int, int]
"""A half-open interval ``[start, end)`` in epoch seconds."""

DUTY_KEPT = 20_000
"""How many (counter, day) schedules the planner keeps before it starts afresh."""

GRIDS_KEPT = 4_000
"""How many (service, day) grids of start times the planner keeps before it starts afresh."""


@quick_init
@dataclass(frozen=True, slots=True)
class Slot:
    """A start time a citizen can book, and how many counters could still take it."""

    service_id: str
    centre_id: str
    start: datetime
    end: datetime
    channel: str
    capacity: int
    """Counters on duty for the whole appointment (and its buffers)."""
    free: int
    """Of those, how many have no booking yet."""


_EPOCHS: dict[datetime, int] = {}
EPOCHS_KEPT = 4096
"""Moments :func:`epoch` keeps (cleared when full): a log's bookings name the same slot
times again and again, and a datetime keeps its hash once made, while ``timestamp()``
works its offset out again at every call."""


def epoch(moment: datetime) -> int:
    """Whole seconds since the epoch of an aware datetime."""
    found = _EPOCHS.get(moment) if moment.fold == 0 else None
    if found is not None:
        return found
    if moment.tzinfo is None:
        raise ValueError("a naive datetime has no place in time; give it a timezone")
    found = int(moment.timestamp())
    if moment.fold == 0:  # the second of a repeated hour equals the first as a key
        if len(_EPOCHS) >= EPOCHS_KEPT:
            _EPOCHS.clear()
        _EPOCHS[moment] = found
    return found


def local_epoch(day: date, moment: time, tz: tzinfo) -> int:
    """The epoch second of ``moment`` on ``day`` in ``tz`` (``time.max`` is the next midnight).

    A wall time that does not exist (in the hour skipped when summer time
    starts) is read with the offset before the change, as zoneinfo does.
    """
    if moment == time.max:
        return int(datetime.combine(day + timedelta(days=1), time(0), tz).timestamp())
    return int(datetime.combine(day, moment, tz).timestamp())


def merge(spans: Iterable[Span]) -> list[Span]:
    """Sort spans and merge those that overlap or touch."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def intersect(a: list[Span], b: list[Span]) -> list[Span]:
    """The parts of time in both merged span lists."""
    out: list[Span] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def subtract(a: list[Span], b: list[Span]) -> list[Span]:
    """The parts of ``a`` outside ``b`` (both merged)."""
    out: list[Span] = []
    j = 0
    for start, end in a:
        cursor = start
        while j < len(b) and b[j][1] <= cursor:
            j += 1
        k = j
        while k < len(b) and b[k][0] < end:
            if b[k][0] > cursor:
                out.append((cursor, b[k][0]))
            cursor = max(cursor, b[k][1])
            k += 1
        if cursor < end:
            out.append((cursor, end))
    return out


def contains(spans: list[Span], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies inside one span of the merged list."""
    i = bisect_left(spans, (start + 1,)) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]


@dataclass
class Occupancy:
    """The booking windows taken on one counter, kept sorted for fast overlap tests."""

    windows: list[tuple[int, int, str]] = field(default_factory=list)
    longest: int = 0
    absences: list[tuple[int, int, str]] = field(default_factory=list)
    """Times the counter is away beyond its schedule (a few at most): it is not on duty."""

    def copy(self) -> Occupancy:
        """An independent copy, to try changes on."""
        return Occupancy(list(self.windows), self.longest, list(self.absences))

    def add_absence(self, start: int, end: int, absence_id: str) -> None:
        """The counter is away during ``[start, end)``."""
        insort(self.absences, (start, end, absence_id))

    def remove_absence(self, absence_id: str) -> None:
        """The absence ``absence_id`` is over or was withdrawn."""
        self.absences = [a for a in self.absences if a[2] != absence_id]

    def away(self, start: int, end: int) -> bool:
        """Whether an absence overlaps ``[start, end)``."""
        if not self.absences:  # nearly always: no test per slot and counter
            return False
        return any(a_start < end and start < a_end for a_start, a_end, _ in self.absences)

    def add(self, start: int, end: int, booking_id: str) -> None:
        """Take ``[start, end)`` for ``booking_id``."""
        insort(self.windows, (start, end, booking_id))
        self.longest = max(self.longest, end - start)

    def remove(self, booking_id: str) -> None:
        """Give back every window of ``booking_id``."""
        self.windows = [w for w in self.windows if w[2] != booking_id]

    def overlaps(self, start: int, end: int, ignore: str | None = None) -> bool:
        """Whether a window other than ``ignore``'s overlaps ``[start, end)``."""
        i = bisect_left(self.windows, (end,))
        # Windows starting before ``end`` may overlap; only those at most ``longest``
        # before ``start`` can still reach into it. (The hot path of every slot list:
        # kept apart from :meth:`overlapping`, which builds a list.)
        while i > 0:
            i -= 1
            w_start, w_end, booking_id = self.windows[i]
            if w_start + self.longest <= start:
                break
            if w_end > start and booking_id != ignore:
                return True
        return False

    def overlapping(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """The windows that overlap ``[start, end)``."""
        out = []
        i = bisect_left(self.windows, (end,))
        while i > 0:
            i -= 1
            window = self.windows[i]
            if window[0] + self.longest <= start:
                break
            if window[1] > start:
                out.append(window)
        return out


@dataclass(frozen=True)
class Grid:
    """A service's start times on one day with a counter on duty for the whole window
    (as configured: absences and bookings come later), ascending."""

    starts: list[int]
    windows: list[Span]
    """The window each start keeps a counter busy, buffers included."""
    on_duty: list[tuple[str, ...]]
    """The counters on duty for each window, in the configuration's order."""


class Candidate(NamedTuple):
    """A start time on a service's grid, with the counters on duty and those free.

    A named tuple: every slot list makes one per start time it looks at, and
    ``tuple.__new__(Candidate, ...)`` makes one at a third of a record's cost."""

    start: int
    end: int
    on_duty: tuple[str, ...]
    free: tuple[str, ...]


_new_candidate = tuple.__new__


class SlotPlanner:
    """Computes a service's start times and which counters can take them.

    It knows the configuration only; the bookings already made come in as an
    :class:`Occupancy` per counter, so the same planner serves the live engine,
    the simulator and the ``frontdesk slots`` command.
    """

    def __init__(self, config: Config, tz: tzinfo) -> None:
        self.config = config
        self.tz = tz
        self._calendars: dict[str, OpeningCalendar] = {}
        self._services = {s.id: s for s in config.services}
        self._duty: dict[tuple[str, str, date], list[Span]] = {}
        self._grids: dict[tuple[str, date], Grid] = {}
        self._service_duty: dict[tuple[str, date], list[tuple[str, list[Span]]]] = {}
        self._local: dict[int, datetime] = {}
        self._midnights: dict[date, int] = {}
        self._reach: dict[str, tuple[int, int]] = {}
        """Per service, how long a booking keeps a counter busy before and from its start."""
        self._centres: dict[str, Centre] = {}
        self._counters: dict[str, list[Counter]] = {}

    # -- configuration ------------------------------------------------------------------

    def service(self, service_id: str) -> Service:
        """The service with this id (KeyError if there is none)."""
        return self._services[service_id]

    def centre_of(self, service: Service) -> Centre:
        """The centre whose queue serves ``service``."""
        centre = self._centres.get(service.queue)
        if centre is None:
            centre = self._centres[service.queue] = self.config.centre_of_queue(service.queue)
        return centre

    def calendar(self, centre: Centre) -> OpeningCalendar:
        """The (cached) opening calendar of ``centre``."""
        if centre.id not in self._calendars:
            self._calendars[centre.id] = OpeningCalendar(centre, self.tz)
        return self._calendars[centre.id]

    def counters_for(self, service: Service) -> list[Counter]:
        """The counters that serve bookings of ``service``, in configuration order (a
        list to read, not change)."""
        counters = self._counters.get(service.id)
        if counters is None:
            counters = self._counters[service.id] = self._counters_for(service)
        return counters

    def _counters_for(self, service: Service) -> list[Counter]:
        centre = self.centre_of(service)
        rules = service.booking
        if rules is not None and rules.counters is not None:
            wanted = set(rules.counters)
            return [c for c in centre.counters if c.id in wanted]
        return [c for c in centre.counters if service.queue in c.queues]

    # -- availability -------------------------------------------------------------------

    def _spans(self, day: date, ranges: Iterable[TimeRange]) -> list[Span]:
        return merge(
            (local_epoch(day, r.start, self.tz), local_epoch(day, r.end, self.tz)) for r in ranges
        )

    def opening(self, centre: Centre, day: date) -> list[Span]:
        """When ``centre`` is open on ``day`` (exceptions and holidays applied)."""
        return self._spans(day, self.calendar(centre).hours_on(day))

    def on_duty(self, centre: Centre, counter: Counter, day: date) -> list[Span]:
        """When ``counter`` takes bookings on ``day``: its booking hours inside the opening
        hours of the centre, minus the breaks that apply to it (a list to read, not change).

        Kept for the days asked lately: every slot list and every booking decision
        asks again, and the answer depends on the configuration alone."""
        key = (centre.id, counter.id, day)
        spans = self._duty.get(key)
        if spans is None:
            if len(self._duty) >= DUTY_KEPT:
                self._duty.clear()
            spans = self._duty[key] = self._on_duty(centre, counter, day)
        return spans

    def _on_duty(self, centre: Centre, counter: Counter, day: date) -> list[Span]:
        open_spans = self.opening(centre, day)
        if not open_spans:
            return []
        weekday = WEEKDAYS[day.weekday()]
        if counter.booking_hours is not None:
            own = self._spans(day, getattr(counter.booking_hours, weekday))
            open_spans = intersect(open_spans, own)
        breaks = [
            b.time
            for b in centre.booking.breaks
            if weekday in b.weekdays and (b.counters is None or counter.id in b.counters)
        ]
        if breaks:
            open_spans = subtract(open_spans, self._spans(day, breaks))
        return open_spans

    def duty(self, service: Service, day: date) -> list[tuple[str, list[Span]]]:
        """Each counter serving bookings of ``service`` with its :meth:`on_duty` spans on
        ``day``, in configuration order (a list to read, not change; kept like :meth:`grid`:
        every booking the matching may move asks it)."""
        key = (service.id, day)
        duty = self._service_duty.get(key)
        if duty is None:
            if len(self._service_duty) >= GRIDS_KEPT:
                self._service_duty.clear()
            centre = self.centre_of(service)
            duty = self._service_duty[key] = [
                (c.id, self.on_duty(centre, c, day)) for c in self.counters_for(service)
            ]
        return duty

    # -- slots --------------------------------------------------------------------------

    def candidates(
        self,
        service: Service,
        day: date,
        occupancy: Mapping[str, Occupancy],
        *,
        ignore: str | None = None,
        not_before: int | None = None,
    ) -> Iterator[Candidate]:
        """Every start time of ``service`` on ``day`` where some counter is on duty
        (from ``not_before`` on, epoch seconds, when given)."""
        grid = self.grid(service, day)
        if not grid.starts:
            return
        duration = int(_rules(service).duration.total_seconds())
        held: dict[str, Occupancy] = {}
        for counter in self.counters_for(service):
            taken = occupancy.get(counter.id)
            if taken is not None and (taken.windows or taken.absences):
                held[counter.id] = taken  # a counter not here holds nothing
        away = any(o.absences for o in held.values())
        first = 0 if not_before is None else bisect_left(grid.starts, not_before)
        for i in range(first, len(grid.starts)):
            w_start, w_end = grid.windows[i]
            on = grid.on_duty[i]
            if away:
                on = tuple(
                    cid for cid in on if cid not in held or not held[cid].away(w_start, w_end)
                )
                if not on:
                    continue
            # A loop, not a generator: this runs for every start of every slot list.
            free: list[str] = []
            for cid in on:
                taken = held.get(cid)
                if taken is None or not taken.overlaps(w_start, w_end, ignore):
                    free.append(cid)
            start = grid.starts[i]
            yield _new_candidate(Candidate, (start, start + duration, on, tuple(free)))

    def grid(self, service: Service, day: date) -> Grid:
        """The start times of ``service`` on ``day`` with the counters on duty for them, as
        configured (kept for the days asked lately, like :meth:`on_duty`)."""
        key = (service.id, day)
        grid = self._grids.get(key)
        if grid is None:
            if len(self._grids) >= GRIDS_KEPT:
                self._grids.clear()
            grid = self._grids[key] = self._grid(service, day)
        return grid

    def _grid(self, service: Service, day: date) -> Grid:
        grid = Grid([], [], [])
        rules = _rules(service)
        centre = self.centre_of(service)
        duration = int(rules.duration.total_seconds())
        before = int(rules.buffer_before.total_seconds())
        after = int(rules.buffer_after.total_seconds())
        step = int((rules.slot_step or rules.duration).total_seconds())
        if duration <= 0 or step <= 0:
            return grid
        duty = [(counter_id, spans) for counter_id, spans in self.duty(service, day) if spans]
        if not duty:
            return grid
        # The grid starts at each opening of the centre and advances in elapsed seconds,
        # so it stays regular across a daylight-saving change.
        for open_start, open_end in self.opening(centre, day):
            start = open_start
            while start + duration <= open_end:
                w_start, w_end = start - before, start + duration + after
                on = tuple(cid for cid, spans in duty if contains(spans, w_start, w_end))
                if on:
                    grid.starts.append(start)
                    grid.windows.append((w_start, w_end))
                    grid.on_duty.append(on)
                start += step
        return grid

    def slots(
        self,
        service: Service,
        first: date,
        last: date,
        occupancy: Mapping[str, Occupancy],
        *,
        channel: str,
        earliest: int | None = None,
        latest: int | None = None,
        room: Callable[[Candidate], int] | None = None,
        limit: int | None = None,
    ) -> list[Slot]:
        """Free slots from ``first`` to ``last`` (inclusive) starting within
        ``[earliest, latest]`` (epoch seconds; ``None`` for no limit), the first
        ``limit`` of them when a limit is given.

        A start takes as many more bookings as it has counters free as the bookings
        sit; ``room``, when given, is asked about a start with none (see
        :meth:`~frontdesk_core.booking.floor.Seating.room`: one more if moving
        bookings makes room)."""
        out: list[Slot] = []
        if limit is not None and limit <= 0:
            return out
        centre_id = self.centre_of(service).id
        day = first
        while day <= last:
            if latest is not None and self.midnight(day) > latest:
                break
            for c in self.candidates(service, day, occupancy, not_before=earliest):
                if latest is not None and c.start > latest:
                    break
                free = len(c.free)
                if not free and (room is None or not (free := room(c))):
                    continue
                out.append(
                    Slot(
                        service.id,
                        centre_id,
                        self.local(c.start),
                        self.local(c.end),
                        channel,
                        len(c.on_duty),
                        free,
                    )
                )
                if len(out) == limit:
                    return out
            day += timedelta(days=1)
        return out

    def midnight(self, day: date) -> int:
        """The epoch second ``day`` starts at, locally (kept like :meth:`local`)."""
        found = self._midnights.get(day)
        if found is None:
            if len(self._midnights) >= DUTY_KEPT:
                self._midnights.clear()
            found = self._midnights[day] = local_epoch(day, time(0), self.tz)
        return found

    def local(self, moment: int) -> datetime:
        """Epoch seconds as a local time of the site (kept: the same slot times are
        listed again and again)."""
        found = self._local.get(moment)
        if found is None:
            if len(self._local) >= DUTY_KEPT:
                self._local.clear()
            found = self._local[moment] = datetime.fromtimestamp(moment, self.tz)
        return found

    def window(self, service: Service, start: int) -> Span:
        """The time a booking of ``service`` at ``start`` keeps a counter busy."""
        reach = self._reach.get(service.id)
        if reach is None:
            rules = _rules(service)
            reach = self._reach[service.id] = (
                int(rules.buffer_before.total_seconds()),
                int((rules.duration + rules.buffer_after).total_seconds()),
            )
        return start - reach[0], start + reach[1]


def _rules(service: Service) -> ServiceBooking:
    if service.booking is None:
        raise ValueError(f"service '{service.id}' is not bookable")
    return service.booking
