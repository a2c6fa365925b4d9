"""A plainly written reference model of the queue engine's rules.

The equivalence test (``test_equivalence.py``) runs every command through the
real :class:`~frontdesk_core.queues.engine.QueueEngine` and through
:class:`ReferenceQueues`, and compares the outcomes, the state and the events
after each step. The model is deliberately naive: mutable dataclasses in dicts
and lists, one method per command, every rule spelt out where it applies. It
shares nothing with the engine but the configuration models, the state enums,
the error classes and the event records, so a rewrite of the engine for speed
is checked against today's rules rather than against itself.

Rules in short:

* A ticket gets the next number of its queue and service day (prefix and three
  digits; id ``queue-YYYYMMDD-n``); the service day turns at the centre's
  ``day_reset``. It waits in its queue's line in the order it joined the line.
* Counters start closed. Signing in or opening makes a counter open; an open
  counter may pause and resume; only an open counter with no ticket calls.
* ``call_next`` takes the waiting tickets of the counter's queues and picks:
  booked citizens whose appointment is due (by appointment time, then
  arrival), else highest priority, then the largest share of the queue's
  target wait used, then the earliest arrival (``fifo`` counters: arrival only).
* Every command first closes what an earlier service day left open at its
  centre (``day_reset``); a command refused afterwards leaves that closing in
  place. ``end_of_day`` closes everything of a centre. After either, the
  centre's ended tickets are forgotten. An earlier day is ended even when it
  left nothing open: when days went by since the centre's last day end, or when
  it never had one and holds tickets of an earlier day. Whenever a centre's day
  ends, every other centre that holds nothing and never had a day end gets one.
* Finishing or marking a no-show records the counter time (last call to the
  end, seconds) in the queue's recent times (the latest 20).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from frontdesk_core.config.models import Centre, Config, Counter, Queue
from frontdesk_core.errors import CommandError, InvalidStateError, NotFoundError
from frontdesk_core.events import (
    CounterClosed,
    CounterOpened,
    CounterPaused,
    CounterResumed,
    CounterSignedIn,
    CounterSignedOut,
    DayEnded,
    QueuesAssigned,
    TicketCalled,
    TicketCancelled,
    TicketClosed,
    TicketFinished,
    TicketIssued,
    TicketNoShow,
    TicketPutBack,
    TicketRecalled,
    TicketStarted,
    TicketTransferred,
)
from frontdesk_core.events.base import Payload
from frontdesk_core.queues.counters import CounterStatus
from frontdesk_core.queues.tickets import TicketState

RECENT_TIMES = 20
MAX_NOTE = 200
MAX_EMPLOYEE_REF = 32

WAITING = TicketState.WAITING
CALLED = TicketState.CALLED
SERVING = TicketState.SERVING
OPEN_STATES = (WAITING, CALLED, SERVING)
AT_COUNTER = (CALLED, SERVING)


class NowSource(Protocol):
    """Anything that tells the time (the test's ManualClock)."""

    def now(self) -> datetime:
        """The current moment, timezone-aware."""
        ...


@dataclass
class RefTicket:
    """A ticket with the public fields of the engine's ``Ticket`` (same names)."""

    id: str
    number: str
    queue_id: str
    centre_id: str
    state: TicketState
    issued_at: datetime
    arrived_at: datetime
    service_id: str | None = None
    priority: int = 0
    note: str | None = None
    booking_id: str | None = None
    appointment_at: datetime | None = None
    counter_id: str | None = None
    called_at: datetime | None = None
    recalls: int = 0
    language: str = "da"
    day: date | None = None
    entered_at: datetime | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    end_reason: str | None = None
    transfers: int = 0


@dataclass
class RefCounter:
    """A counter with the public fields of the engine's ``CounterState`` (same names)."""

    id: str
    centre_id: str
    queue_ids: tuple[str, ...]
    status: CounterStatus = CounterStatus.CLOSED
    employee_ref: str | None = None
    ticket_id: str | None = None
    day: date | None = None


@dataclass(frozen=True)
class ExpectedEvent:
    """An event the engine is expected to append."""

    kind: str
    key: str
    centre_id: str
    payload: Payload
    at: datetime


def service_day(moment: datetime, day_reset: time, tz: ZoneInfo) -> date:
    """The calendar day of ``moment``, or the day before if it is before ``day_reset``."""
    local = moment.astimezone(tz)
    if local.time() < day_reset:
        return local.date() - timedelta(days=1)
    return local.date()


class ReferenceQueues:
    """Tickets, waiting lines and counters of every centre, as the rules say."""

    def __init__(self, config: Config, clock: NowSource) -> None:
        self.config = config
        self.clock = clock
        self.tz = ZoneInfo(config.site.timezone)
        self.centres: dict[str, Centre] = {c.id: c for c in config.centres}
        self.queues: dict[str, Queue] = {}
        self.queue_centre: dict[str, str] = {}
        self.counter_config: dict[str, Counter] = {}
        self.lines: dict[str, list[str]] = {}
        self.counters: dict[str, RefCounter] = {}
        for centre in config.centres:
            for queue in centre.queues:
                self.queues[queue.id] = queue
                self.queue_centre[queue.id] = centre.id
                self.lines[queue.id] = []
            for counter in centre.counters:
                self.counter_config[counter.id] = counter
                self.counters[counter.id] = RefCounter(counter.id, centre.id, tuple(counter.queues))
        self.tickets: dict[str, RefTicket] = {}
        """The tickets still held: open ones, and ended ones until their centre's day ends."""
        self.own_priority: dict[str, int] = {}
        """Priorities given at issue (they stay with a ticket across transfers)."""
        self.numbers: dict[tuple[str, date], int] = {}
        """The last number given per queue and service day (never reset: the day is the key)."""
        self.recent: dict[str, list[float]] = {}
        self.events: list[ExpectedEvent] = []
        self.checked: dict[str, date] = {}
        self.day_ends: dict[str, date] = {}
        """Per centre, the service day it was last found free of an earlier day's leftovers."""

    # -- small helpers ------------------------------------------------------------------

    def now(self) -> datetime:
        """The clock's time, in the site's timezone (as the engine shows times)."""
        return self.clock.now().astimezone(self.tz)

    def today(self, centre_id: str) -> date:
        """The centre's current service day."""
        return service_day(self.now(), self.centres[centre_id].day_reset, self.tz)

    def _emit(self, payload: Payload, key: str, centre_id: str, at: datetime) -> None:
        self.events.append(ExpectedEvent(payload.KIND, key, centre_id, payload, at))

    def _queue(self, queue_id: str) -> Queue:
        if queue_id not in self.queues:
            raise NotFoundError(f"unknown queue {queue_id}")
        return self.queues[queue_id]

    def _counter(self, counter_id: str) -> RefCounter:
        if counter_id not in self.counters:
            raise NotFoundError(f"unknown counter {counter_id}")
        return self.counters[counter_id]

    def _centre(self, centre_id: str) -> Centre:
        if centre_id not in self.centres:
            raise NotFoundError(f"unknown centre {centre_id}")
        return self.centres[centre_id]

    def _ticket(self, ticket_id: str) -> RefTicket:
        if ticket_id not in self.tickets:
            raise NotFoundError(f"unknown ticket {ticket_id}")
        return self.tickets[ticket_id]

    def _begin(self, centre_id: str) -> datetime:
        """What every command does first: close an earlier day's leftovers at its centre."""
        now = self.now()
        self._close_earlier_day(self.centres[centre_id], now)
        return now

    def _take_out(self, ticket: RefTicket) -> None:
        """Take a ticket out of its waiting line, or off the counter it is at."""
        if ticket.state is WAITING:
            self.lines[ticket.queue_id].remove(ticket.id)
        elif ticket.state in AT_COUNTER and ticket.counter_id is not None:
            counter = self.counters.get(ticket.counter_id)
            if counter is not None and counter.ticket_id == ticket.id:
                counter.ticket_id = None

    def _end(self, ticket: RefTicket, state: TicketState, at: datetime) -> None:
        self._take_out(ticket)
        ticket.state = state
        ticket.ended_at = at

    def _record_counter_time(self, ticket: RefTicket, at: datetime) -> None:
        if ticket.called_at is None:
            return
        times = self.recent.setdefault(ticket.queue_id, [])
        times.append((_utc(at) - _utc(ticket.called_at)).total_seconds())
        del times[:-RECENT_TIMES]

    # -- the service day ----------------------------------------------------------------

    def _close_earlier_day(self, centre: Centre, now: datetime) -> None:
        today = service_day(now, centre.day_reset, self.tz)
        # Once a centre is found free of an earlier day's leftovers on a service day it
        # stays so (a ticket of an earlier day cannot move in: ``transfer`` refuses).
        if self.checked.get(centre.id) == today:
            return
        stale_ticket = any(
            t.centre_id == centre.id
            and t.state in OPEN_STATES
            and t.day is not None
            and t.day < today
            for t in self.tickets.values()
        )
        stale_counter = any(
            self.counters[c.id].status is not CounterStatus.CLOSED
            and self.counters[c.id].day is not None
            and self.counters[c.id].day < today  # type: ignore[operator]
            for c in centre.counters
        )
        ended = self.day_ends.get(centre.id)
        if ended is not None:
            overdue = ended < today - timedelta(days=1)
        else:
            overdue = any(
                t.centre_id == centre.id and t.day is not None and t.day < today
                for t in self.tickets.values()
            )
        if not (stale_ticket or stale_counter or overdue):
            self.checked[centre.id] = today
            return
        self._close_centre(centre, now, "day_reset", before=today)
        self._day_ended(centre, now, today - timedelta(days=1))

    def _close_centre(self, centre: Centre, now: datetime, reason: str, before: date | None) -> int:
        """Close the centre's open tickets and counters (of days before ``before``, or all).

        Tickets first (in the order they were issued), then per counter its
        closing and the return to its configured queues. Returns tickets closed.
        """
        closed = 0
        for ticket in list(self.tickets.values()):
            if ticket.centre_id != centre.id or ticket.state not in OPEN_STATES:
                continue
            if before is not None and (ticket.day is None or ticket.day >= before):
                continue
            self._emit(TicketClosed(reason), ticket.id, centre.id, now)
            self._end(ticket, TicketState.CLOSED, now)
            ticket.end_reason = reason
            closed += 1
        for configured in centre.counters:
            counter = self.counters[configured.id]
            earlier = before is None or (counter.day is not None and counter.day < before)
            if counter.status is not CounterStatus.CLOSED and earlier:
                if counter.employee_ref is not None:
                    self._emit(CounterSignedOut(reason), counter.id, centre.id, now)
                else:
                    self._emit(CounterClosed(reason), counter.id, centre.id, now)
                counter.status = CounterStatus.CLOSED
                counter.employee_ref = None
                counter.day = None
            if counter.queue_ids != tuple(configured.queues):
                assigned = QueuesAssigned(tuple(configured.queues), reason=reason)
                self._emit(assigned, counter.id, centre.id, now)
                counter.queue_ids = tuple(configured.queues)
        return closed

    def _day_ended(self, centre: Centre, now: datetime, day: date) -> None:
        """The centre's day is over: carry the recent times, forget its ended tickets."""
        recent = {q.id: tuple(self.recent[q.id]) for q in centre.queues if q.id in self.recent}
        self._emit(DayEnded(day, recent), centre.id, centre.id, now)
        for ticket in list(self.tickets.values()):
            if ticket.centre_id == centre.id and ticket.state not in OPEN_STATES:
                del self.tickets[ticket.id]
                self.own_priority.pop(ticket.id, None)
        untouched = [
            other
            for other in self.centres.values()
            if other.id != centre.id and self._untouched(other)
        ]
        self.day_ends[centre.id] = max(day, self.day_ends.get(centre.id, day))
        for other in untouched:
            before = service_day(now, other.day_reset, self.tz) - timedelta(days=1)
            self._emit(DayEnded(before, {}), other.id, other.id, now)
            self.day_ends[other.id] = before

    def _untouched(self, centre: Centre) -> bool:
        """Nothing of the centre so far: no day end, ticket, counter time, or counter
        that is open or off its configured queues."""
        return (
            centre.id not in self.day_ends
            and not any(q.id in self.recent for q in centre.queues)
            and all(
                self.counters[c.id].status is CounterStatus.CLOSED
                and self.counters[c.id].queue_ids == tuple(c.queues)
                for c in centre.counters
            )
            and not any(t.centre_id == centre.id for t in self.tickets.values())
        )

    def roll_day(self, centre_id: str | None = None) -> int:
        """End the earlier days of one centre or (no id) of every centre; day ends written."""
        centres = [self._centre(centre_id)] if centre_id else list(self.centres.values())
        first = len(self.events)
        for centre in centres:
            self._begin(centre.id)
        return sum(isinstance(e.payload, DayEnded) for e in self.events[first:])

    def end_of_day(self, centre_id: str | None = None) -> int:
        """Close every open ticket and counter of one centre or of all; tickets closed."""
        centres = (
            [self._centre(centre_id)] if centre_id is not None else list(self.centres.values())
        )
        total = 0
        for centre in centres:
            now = self._begin(centre.id)
            total += self._close_centre(centre, now, "end_of_day", before=None)
            self._day_ended(centre, now, service_day(now, centre.day_reset, self.tz))
        return total

    # -- tickets ------------------------------------------------------------------------

    def issue(
        self,
        queue_id: str,
        *,
        service_id: str | None = None,
        priority: int | None = None,
        note: str | None = None,
        language: str = "da",
        booking_id: str | None = None,
        appointment_at: datetime | None = None,
    ) -> RefTicket:
        """A new ticket, numbered per queue and service day, at the end of the line."""
        queue = self._queue(queue_id)
        if service_id is not None and service_id not in {s.id for s in self.config.services}:
            raise NotFoundError(f"unknown service {service_id}")
        if language not in self.config.site.languages:
            raise CommandError(f"unknown language {language}")
        if priority is not None and (isinstance(priority, bool) or not isinstance(priority, int)):
            raise CommandError("a priority is a whole number")
        if note is not None and len(note) > MAX_NOTE:
            raise CommandError("the note is too long")
        if appointment_at is not None and appointment_at.tzinfo is None:
            raise CommandError("an appointment time needs a timezone")
        centre = self.centres[self.queue_centre[queue_id]]
        now = self._begin(centre.id)
        day = service_day(now, centre.day_reset, self.tz)
        value = self.numbers.get((queue.id, day), 0) + 1
        self.numbers[(queue.id, day)] = value
        number = f"{queue.prefix}{value:03d}"
        key = f"{queue.id}-{day:%Y%m%d}-{value}"
        given = priority if priority is not None else queue.priority
        self._emit(
            TicketIssued(
                number=number,
                queue_id=queue.id,
                priority=given,
                language=language,
                day=day,
                service_id=service_id,
                own_priority=priority,
                note=note,
                booking_id=booking_id,
                appointment_at=appointment_at,
            ),
            key,
            centre.id,
            now,
        )
        ticket = RefTicket(
            id=key,
            number=number,
            queue_id=queue.id,
            centre_id=centre.id,
            state=WAITING,
            issued_at=now,
            arrived_at=now,
            service_id=service_id,
            priority=given,
            note=note,
            booking_id=booking_id,
            appointment_at=appointment_at.astimezone(self.tz) if appointment_at else None,
            language=language,
            day=day,
            entered_at=now,
        )
        self.tickets[key] = ticket
        if priority is not None:
            self.own_priority[key] = priority
        self.lines[queue.id].append(key)
        return replace(ticket)

    def _check_can_call(self, counter: RefCounter) -> None:
        if counter.status is CounterStatus.CLOSED:
            raise InvalidStateError(f"counter {counter.id} is closed")
        if counter.status is CounterStatus.PAUSED:
            raise InvalidStateError(f"counter {counter.id} is paused")
        if counter.ticket_id is not None:
            raise InvalidStateError(f"counter {counter.id} has a ticket")

    def _call(self, ticket: RefTicket, counter: RefCounter, now: datetime) -> RefTicket:
        self._emit(TicketCalled(counter.id), ticket.id, counter.centre_id, now)
        self._take_out(ticket)
        ticket.state = CALLED
        ticket.counter_id = counter.id
        ticket.called_at = now
        ticket.recalls = 0
        ticket.started_at = None
        counter.ticket_id = ticket.id
        return replace(ticket)

    def _service_level(self, waiting: list[RefTicket], now: datetime) -> RefTicket:
        """Booked and due first, then priority, then share of the target used, then arrival.

        ``min`` keeps the first of equals, so ties go to the order of ``waiting``:
        the counter's queues in its order, each line in the order it was joined.
        """
        due = [t for t in waiting if t.appointment_at is not None and t.appointment_at <= now]
        if due:
            return min(due, key=lambda t: (t.appointment_at, t.arrived_at))

        def urgency(ticket: RefTicket) -> tuple[int, float, datetime]:
            target = self.queues[ticket.queue_id].target.within.total_seconds()
            used = (_utc(now) - _utc(ticket.arrived_at)).total_seconds() / target
            return (-ticket.priority, -used, ticket.arrived_at)

        return min(waiting, key=urgency)

    def call_next(self, counter_id: str) -> RefTicket | None:
        """Call the most urgent ticket of the counter's queues; ``None`` when nobody waits."""
        counter = self._counter(counter_id)
        centre = self.centres[counter.centre_id]
        now = self._begin(centre.id)
        self._check_can_call(counter)
        waiting = [self.tickets[t] for q in counter.queue_ids for t in self.lines[q]]
        if not waiting:
            return None
        policy = self.counter_config[counter_id].call_policy or centre.call_policy
        if policy == "fifo":
            chosen = min(waiting, key=lambda t: t.arrived_at)
        else:
            chosen = self._service_level(waiting, now)
        return self._call(chosen, counter, now)

    def call(self, counter_id: str, ticket_id: str) -> RefTicket:
        """Call one waiting ticket of the counter's centre (of any of its queues)."""
        counter = self._counter(counter_id)
        now = self._begin(counter.centre_id)
        self._check_can_call(counter)
        ticket = self._ticket(ticket_id)
        if ticket.centre_id != counter.centre_id:
            raise CommandError(f"ticket {ticket.number} is at another centre")
        if ticket.state is not WAITING:
            raise InvalidStateError(f"ticket {ticket.number} is not waiting")
        return self._call(ticket, counter, now)

    def _at_counter(
        self, counter_id: str, allowed: tuple[TicketState, ...]
    ) -> tuple[RefCounter, RefTicket, datetime]:
        """Begin a command on the ticket at a counter, which must be in an ``allowed`` state."""
        counter = self._counter(counter_id)
        now = self._begin(counter.centre_id)
        if counter.ticket_id is None:
            raise InvalidStateError(f"counter {counter_id} has no ticket")
        ticket = self.tickets[counter.ticket_id]
        if ticket.state not in allowed:
            raise InvalidStateError(f"ticket {ticket.number} is {ticket.state}")
        return counter, ticket, now

    def recall(self, counter_id: str) -> RefTicket:
        """Call the counter's called ticket again, up to the queue's recall limit."""
        _, ticket, now = self._at_counter(counter_id, (CALLED,))
        if ticket.recalls >= self.queues[ticket.queue_id].recalls_before_no_show:
            raise InvalidStateError(f"ticket {ticket.number} was recalled enough")
        self._emit(TicketRecalled(counter_id, ticket.recalls + 1), ticket.id, ticket.centre_id, now)
        ticket.recalls += 1
        ticket.called_at = now
        return replace(ticket)

    def start(self, counter_id: str) -> RefTicket:
        """The called citizen is at the counter."""
        _, ticket, now = self._at_counter(counter_id, (CALLED,))
        self._emit(TicketStarted(counter_id), ticket.id, ticket.centre_id, now)
        ticket.state = SERVING
        ticket.started_at = now
        return replace(ticket)

    def finish(self, counter_id: str) -> RefTicket:
        """Done; a ticket finished straight from its call counts as started at the call."""
        _, ticket, now = self._at_counter(counter_id, (CALLED, SERVING))
        self._emit(TicketFinished(counter_id), ticket.id, ticket.centre_id, now)
        self._record_counter_time(ticket, now)
        if ticket.started_at is None:
            ticket.started_at = ticket.called_at
        self._end(ticket, TicketState.DONE, now)
        return replace(ticket)

    def no_show(self, counter_id: str) -> RefTicket:
        """The called citizen did not come: after all recalls, or once ``no_show_after`` ran out."""
        _, ticket, now = self._at_counter(counter_id, (CALLED,))
        queue = self.queues[ticket.queue_id]
        if ticket.recalls >= queue.recalls_before_no_show:
            reason = "recalls"
        elif _utc(now) >= _utc(ticket.called_at or now) + queue.no_show_after:
            reason = "timeout"
        else:
            raise InvalidStateError(f"ticket {ticket.number} may not be a no-show yet")
        self._emit(TicketNoShow(counter_id, reason), ticket.id, ticket.centre_id, now)
        self._record_counter_time(ticket, now)
        self._end(ticket, TicketState.NO_SHOW, now)
        ticket.end_reason = reason
        return replace(ticket)

    def put_back(self, counter_id: str) -> RefTicket:
        """Back to the end of its line (it is still chosen by its first arrival)."""
        _, ticket, now = self._at_counter(counter_id, AT_COUNTER)
        self._emit(TicketPutBack(counter_id), ticket.id, ticket.centre_id, now)
        self._take_out(ticket)
        ticket.state = WAITING
        ticket.counter_id = None
        ticket.recalls = 0
        ticket.started_at = None
        self.lines[ticket.queue_id].append(ticket.id)
        return replace(ticket)

    def expire_calls(self) -> list[RefTicket]:
        """Mark a no-show every called ticket whose ``no_show_after`` ran out."""
        expired: list[RefTicket] = []
        # An earlier day's calls are closed with their day, not marked no-shows.
        self.roll_day()
        for counter_id in list(self.counters):
            ticket_id = self.counters[counter_id].ticket_id
            if ticket_id is None:
                continue
            ticket = self.tickets[ticket_id]
            due = _utc(ticket.called_at) + self.queues[ticket.queue_id].no_show_after  # type: ignore[arg-type]
            if ticket.state is CALLED and _utc(self.now()) >= due:
                try:
                    expired.append(self.no_show(counter_id))
                except InvalidStateError:
                    continue
        return expired

    def transfer(self, ticket_id: str, queue_id: str) -> RefTicket:
        """Move an open ticket of today to another queue (of any centre), to the end of
        its line; it keeps its number, day and first arrival."""
        queue = self._queue(queue_id)
        centre_id = self.queue_centre[queue_id]
        now = self._begin(centre_id)
        ticket = self._ticket(ticket_id)
        if ticket.state not in OPEN_STATES:
            raise InvalidStateError(f"ticket {ticket.number} is not open")
        if ticket.queue_id == queue.id:
            raise CommandError(f"ticket {ticket.number} is in that queue already")
        home = self.centres[ticket.centre_id]
        target = self.centres[centre_id]
        # A ticket of an earlier service day, at its own centre or at the one it would
        # join (whose day may have turned already), is not moved: a new one is issued.
        for centre in (home, target):
            if ticket.day is not None and ticket.day < service_day(now, centre.day_reset, self.tz):
                raise InvalidStateError(f"ticket {ticket.number} is from an earlier day")
        own = self.own_priority.get(ticket.id)
        priority = own if own is not None else queue.priority
        at_counter = ticket.counter_id if ticket.state in AT_COUNTER else None
        moved = TicketTransferred(
            from_queue=ticket.queue_id,
            to_queue=queue.id,
            from_centre=ticket.centre_id,
            priority=priority,
            counter_id=at_counter,
        )
        self._emit(moved, ticket.id, centre_id, now)
        self._take_out(ticket)
        ticket.state = WAITING
        ticket.queue_id = queue.id
        ticket.centre_id = centre_id
        ticket.priority = priority
        ticket.counter_id = None
        ticket.called_at = None
        ticket.started_at = None
        ticket.recalls = 0
        ticket.entered_at = now
        ticket.transfers += 1
        self.lines[queue.id].append(ticket.id)
        return replace(ticket)

    def cancel(self, ticket_id: str) -> RefTicket:
        """Cancel an open ticket (waiting or at a counter)."""
        centre_id = self._ticket(ticket_id).centre_id
        now = self._begin(centre_id)
        # The day's closing may just have ended and forgotten the ticket.
        ticket = self._ticket(ticket_id)
        if ticket.state not in OPEN_STATES:
            raise InvalidStateError(f"ticket {ticket.number} is not open")
        at_counter = ticket.counter_id if ticket.state in AT_COUNTER else None
        self._emit(TicketCancelled("cancelled", at_counter), ticket.id, ticket.centre_id, now)
        self._end(ticket, TicketState.CANCELLED, now)
        ticket.end_reason = "cancelled"
        return replace(ticket)

    # -- counters -----------------------------------------------------------------------

    def _counter_command(
        self, counter_id: str, check: Callable[[RefCounter, datetime, date], Payload | None]
    ) -> RefCounter:
        """Begin the day at the counter's centre, then ``check`` gives the event (or none)."""
        counter = self._counter(counter_id)
        now = self._begin(counter.centre_id)
        payload = check(counter, now, self.today(counter.centre_id))
        if payload is not None:
            self._emit(payload, counter_id, counter.centre_id, now)
        return replace(counter)

    def sign_in(self, counter_id: str, employee_ref: str) -> RefCounter:
        """An employee signs in, which opens the counter (again by the same one: no change)."""
        ref = employee_ref.strip()
        if not ref or len(ref) > MAX_EMPLOYEE_REF:
            raise CommandError("an employee reference is 1 to 32 characters")

        def check(counter: RefCounter, now: datetime, today: date) -> Payload | None:
            if counter.employee_ref == ref and counter.status is not CounterStatus.CLOSED:
                return None
            if counter.employee_ref is not None:
                raise InvalidStateError(f"someone else is signed in at {counter.id}")
            counter.status = CounterStatus.OPEN
            counter.employee_ref = ref
            counter.day = today
            return CounterSignedIn(ref, today)

        return self._counter_command(counter_id, check)

    def _check_free(self, counter: RefCounter) -> None:
        if counter.ticket_id is not None:
            raise InvalidStateError(f"counter {counter.id} still has a ticket")

    def sign_out(self, counter_id: str) -> RefCounter:
        """The employee leaves (the counter must have no ticket); the counter closes."""

        def check(counter: RefCounter, now: datetime, today: date) -> Payload:
            if counter.employee_ref is None:
                raise InvalidStateError(f"nobody is signed in at {counter.id}")
            self._check_free(counter)
            counter.status = CounterStatus.CLOSED
            counter.employee_ref = None
            counter.day = None
            return CounterSignedOut()

        return self._counter_command(counter_id, check)

    def pause(self, counter_id: str) -> RefCounter:
        """An open counter stops calling (a ticket at it stays)."""

        def check(counter: RefCounter, now: datetime, today: date) -> Payload:
            if counter.status is not CounterStatus.OPEN:
                raise InvalidStateError(f"counter {counter.id} is not open")
            counter.status = CounterStatus.PAUSED
            return CounterPaused()

        return self._counter_command(counter_id, check)

    def resume(self, counter_id: str) -> RefCounter:
        """A paused counter is open again (for today)."""

        def check(counter: RefCounter, now: datetime, today: date) -> Payload:
            if counter.status is not CounterStatus.PAUSED:
                raise InvalidStateError(f"counter {counter.id} is not paused")
            counter.status = CounterStatus.OPEN
            counter.day = today
            return CounterResumed(today)

        return self._counter_command(counter_id, check)

    def open_counter(self, counter_id: str) -> RefCounter:
        """A manager opens a closed counter (nobody signed in)."""

        def check(counter: RefCounter, now: datetime, today: date) -> Payload:
            if counter.status is not CounterStatus.CLOSED:
                raise InvalidStateError(f"counter {counter.id} is open already")
            counter.status = CounterStatus.OPEN
            counter.day = today
            return CounterOpened(today)

        return self._counter_command(counter_id, check)

    def close_counter(self, counter_id: str) -> RefCounter:
        """A manager closes an open or paused counter with no ticket at it."""

        def check(counter: RefCounter, now: datetime, today: date) -> Payload:
            if counter.status is CounterStatus.CLOSED:
                raise InvalidStateError(f"counter {counter.id} is closed already")
            self._check_free(counter)
            counter.status = CounterStatus.CLOSED
            counter.employee_ref = None
            counter.day = None
            return CounterClosed()

        return self._counter_command(counter_id, check)

    def assign_queues(self, counter_id: str, queue_ids: list[str]) -> RefCounter:
        """A manager gives a counter other queues of its centre (back at the day's end)."""
        counter = self._counter(counter_id)
        if not queue_ids:
            raise CommandError("a counter serves at least one queue")
        if len(set(queue_ids)) != len(queue_ids):
            raise CommandError("a queue is listed twice")
        for queue_id in queue_ids:
            self._queue(queue_id)
            if self.queue_centre[queue_id] != counter.centre_id:
                raise CommandError(f"queue {queue_id} is at another centre")

        def check(counter: RefCounter, now: datetime, today: date) -> Payload | None:
            if counter.queue_ids == tuple(queue_ids):
                return None
            assigned = QueuesAssigned(tuple(queue_ids), from_queues=counter.queue_ids)
            counter.queue_ids = tuple(queue_ids)
            return assigned

        return self._counter_command(counter_id, check)

    # -- views --------------------------------------------------------------------------

    def ticket(self, ticket_id: str) -> RefTicket:
        """A held ticket (today's, and ended ones until their centre's day ends)."""
        return replace(self._ticket(ticket_id))

    def waiting(self, queue_id: str) -> list[RefTicket]:
        """The queue's waiting tickets in line order, leaving out an earlier day's."""
        self._queue(queue_id)
        today = self.today(self.queue_centre[queue_id])
        line = [self.tickets[t] for t in self.lines[queue_id]]
        return [replace(t) for t in line if t.day is None or t.day >= today]

    def counter_states(self, centre_id: str) -> list[RefCounter]:
        """The centre's counters in configuration order."""
        centre = self._centre(centre_id)
        return [replace(self.counters[c.id]) for c in centre.counters]


def _utc(moment: datetime) -> datetime:
    """``moment`` in UTC: time that passed is counted there (two site times subtract as
    wall times, an hour off across a change of summer time)."""
    return moment.astimezone(UTC)
