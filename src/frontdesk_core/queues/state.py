"""The live state of the queues, derived from the event log by a reducer.

``apply(state, event)`` is the only code that changes a :class:`LiveState`: it
reads nothing but its two arguments (no clock, no store, no configuration), so
replaying the log through it gives the same state the live engine holds, and
the tests compare the two. It updates ``state`` in place and returns it, because
copying a busy day's state on every event would make a rebuild quadratic.

Events it does not know (bookings, referrals) are skipped, as are events about
tickets or counters it no longer holds (pruned days, counters removed from the
configuration).
"""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from frontdesk_core.clock import elapsed
from frontdesk_core.config.models import Config
from frontdesk_core.drafts import Drafts
from frontdesk_core.events import queues as E
from frontdesk_core.events.base import Payload, local_time
from frontdesk_core.events.log import Event, EventBatch
from frontdesk_core.queues.counters import CounterState, CounterStatus
from frontdesk_core.queues.tickets import OPEN_STATES, Ticket, TicketState
from frontdesk_core.store.base import EventStore, Transaction, newest_seqs

RECENT_SERVICES = 20
"""How many recent counter times per queue the wait estimates average over."""

# Event kinds, from the records of :mod:`frontdesk_core.events.queues`.
ISSUED = E.TicketIssued.KIND
CALLED = E.TicketCalled.KIND
RECALLED = E.TicketRecalled.KIND
STARTED = E.TicketStarted.KIND
FINISHED = E.TicketFinished.KIND
NO_SHOW = E.TicketNoShow.KIND
PUT_BACK = E.TicketPutBack.KIND
TRANSFERRED = E.TicketTransferred.KIND
CANCELLED = E.TicketCancelled.KIND
CLOSED = E.TicketClosed.KIND
COUNTER_OPENED = E.CounterOpened.KIND
COUNTER_CLOSED = E.CounterClosed.KIND
SIGNED_IN = E.CounterSignedIn.KIND
PAUSED = E.CounterPaused.KIND
RESUMED = E.CounterResumed.KIND
SIGNED_OUT = E.CounterSignedOut.KIND
QUEUES_ASSIGNED = E.QueuesAssigned.KIND
DAY_ENDED = E.DayEnded.KIND

TICKET_KINDS = (
    ISSUED,
    CALLED,
    RECALLED,
    STARTED,
    FINISHED,
    NO_SHOW,
    PUT_BACK,
    TRANSFERRED,
    CANCELLED,
    CLOSED,
)
COUNTER_KINDS = (
    COUNTER_OPENED,
    COUNTER_CLOSED,
    SIGNED_IN,
    PAUSED,
    RESUMED,
    SIGNED_OUT,
    QUEUES_ASSIGNED,
)
KINDS = (*TICKET_KINDS, *COUNTER_KINDS, DAY_ENDED)
"""Every event kind the queue engine writes."""

_TICKET_KINDS = frozenset(TICKET_KINDS)
_COUNTER_KINDS = frozenset(COUNTER_KINDS)

TICKETS = Drafts(Ticket)
COUNTERS = Drafts(CounterState)
"""The reducer builds its records as drafts and seals them (see :mod:`frontdesk_core.drafts`)."""
_new_ticket = TICKETS.new


@dataclass
class LiveState:
    """Tickets, waiting lines and counters as the log says they are now."""

    tickets: dict[str, Ticket] = field(default_factory=dict)
    waiting: dict[str, dict[str, Ticket]] = field(default_factory=dict)
    """Per queue, its waiting tickets by id, in the order they joined (a dict keeps order
    and removes in O(1)). A waiting ticket's record does not change while it waits: an
    event that changes it takes it out of its line or puts the new record in."""
    counters: dict[str, CounterState] = field(default_factory=dict)
    open_days: dict[tuple[str, date], int] = field(default_factory=dict)
    """How many open tickets each (centre, service day) has: finds yesterday's leftovers."""
    recent: dict[str, deque[float]] = field(default_factory=dict)
    """Per queue, the counter time (call to end, seconds) of its latest tickets."""
    own_priority: dict[str, int] = field(default_factory=dict)
    """Priorities given at issue, kept across transfers (others follow the queue)."""
    ranks: dict[str, dict[int, int]] = field(default_factory=dict)
    """Per queue with tickets waiting, how many of them wait at each priority."""
    booked: dict[str, int] = field(default_factory=dict)
    """Per queue with booked tickets waiting, how many."""
    day_ends: dict[str, date] = field(default_factory=dict)
    """Per centre, the latest service day a day end closed (none: never ended)."""
    last_seq: int = 0
    tz: tzinfo = UTC
    """Times on tickets are shown in this timezone (the site's), whoever wrote the event."""
    moment: tuple[int, datetime] = field(default=(-1, datetime.min), compare=False, repr=False)
    """The last event time converted for tickets (a cache, not state)."""
    # How the handlers change a record: ``draft_ticket(record)`` gives a draft to change,
    # which is then sealed as ``ticket_record`` (counters likewise). Live, that is a copy
    # sealed as a Ticket; a replay makes the drafts its records until it ends (replay()).
    # The functions come from factories: a function left on the class as a default would
    # make every read of the field a descriptor lookup, at twice the cost; and handlers
    # read them into a local before calling (a call on an instance attribute is dearer).
    draft_ticket: Callable[[Ticket], Any] = field(
        default_factory=lambda: TICKETS.copy, compare=False, repr=False
    )
    ticket_record: type = field(default=Ticket, compare=False, repr=False)
    draft_counter: Callable[[CounterState], Any] = field(
        default_factory=lambda: COUNTERS.copy, compare=False, repr=False
    )
    counter_record: type = field(default=CounterState, compare=False, repr=False)

    @classmethod
    def initial(cls, config: Config) -> LiveState:
        """The state before any event: every configured counter closed, on its queues."""
        state = cls(tz=ZoneInfo(config.site.timezone))
        for centre in config.centres:
            for queue in centre.queues:
                state.waiting[queue.id] = {}
            for counter in centre.counters:
                state.counters[counter.id] = CounterState(
                    counter.id, centre.id, tuple(counter.queues)
                )
        return state

    def alike(self, queue_id: str) -> bool:
        """Whether the queue's waiting tickets all have one priority and none is booked
        (see :class:`~frontdesk_core.queues.policy.Waiting`)."""
        ranks = self.ranks.get(queue_id)
        return (ranks is None or len(ranks) == 1) and queue_id not in self.booked

    def waiting_tickets(self, queue_id: str) -> list[Ticket]:
        """The waiting tickets of a queue, in the order they joined it."""
        line = self.waiting.get(queue_id)
        return list(line.values()) if line else []


def _open_delta(state: LiveState, ticket: Ticket, delta: int) -> None:
    if ticket.day is None:
        return
    key = (ticket.centre_id, ticket.day)
    count = state.open_days.get(key, 0) + delta
    if count:
        state.open_days[key] = count
    else:
        state.open_days.pop(key, None)


def _joined(state: LiveState, ticket: Ticket) -> None:
    """Count a ticket that joined its queue's line by its priority (and as booked)."""
    queue_id = ticket.queue_id
    ranks = state.ranks.get(queue_id)
    if ranks is None:
        ranks = state.ranks[queue_id] = {}
    priority = ticket.priority
    ranks[priority] = ranks.get(priority, 0) + 1
    if ticket.appointment_at is not None:
        state.booked[queue_id] = state.booked.get(queue_id, 0) + 1


def _left(state: LiveState, ticket: Ticket) -> None:
    """Count a ticket out of its queue's line again (the inverse of :func:`_joined`)."""
    queue_id = ticket.queue_id
    ranks = state.ranks.get(queue_id)
    if ranks is not None:
        priority = ticket.priority
        left = ranks.get(priority, 0) - 1
        if left > 0:
            ranks[priority] = left
        else:
            ranks.pop(priority, None)
            if not ranks:
                del state.ranks[queue_id]
    if ticket.appointment_at is not None:
        booked = state.booked.get(queue_id, 0) - 1
        if booked > 0:
            state.booked[queue_id] = booked
        else:
            state.booked.pop(queue_id, None)


def _line(state: LiveState, queue_id: str) -> dict[str, Ticket]:
    """A queue's waiting line, made empty if it has none (``setdefault`` without a new
    dict on every call)."""
    line = state.waiting.get(queue_id)
    if line is None:
        line = state.waiting[queue_id] = {}
    return line


def _leave(state: LiveState, ticket: Ticket) -> None:
    """Take a ticket out of its waiting line or off its counter."""
    status = ticket.state
    if status is _WAITING:
        line = state.waiting.get(ticket.queue_id)
        if line is not None and line.pop(ticket.id, None) is not None:
            _left(state, ticket)
    elif (status is _CALLED or status is _SERVING) and ticket.counter_id is not None:
        counter = state.counters.get(ticket.counter_id)
        if counter is not None and counter.ticket_id == ticket.id:
            counter_draft = state.draft_counter
            freed = counter_draft(counter)
            freed.ticket_id = None
            freed.__class__ = state.counter_record
            state.counters[counter.id] = freed


_WAITING = TicketState.WAITING
_CALLED = TicketState.CALLED
_SERVING = TicketState.SERVING
_DONE = TicketState.DONE


def _record_counter_time(state: LiveState, ticket: Ticket, at: datetime) -> None:
    if ticket.called_at is None:
        return
    recent = state.recent.get(ticket.queue_id)
    if recent is None:
        recent = state.recent[ticket.queue_id] = deque(maxlen=RECENT_SERVICES)
    recent.append(elapsed(ticket.called_at, at))


def _end(state: LiveState, ticket: Ticket, status: TicketState, at: datetime) -> Any:
    """End ``ticket`` (``status`` at ``at``): returns the new record's draft, which the
    handler changes further, seals and stores."""
    _leave(state, ticket)
    _open_delta(state, ticket, -1)
    draft = state.draft_ticket
    ended = draft(ticket)
    ended.state = status
    ended.ended_at = at
    return ended


def _issued(state: LiveState, event: Event, issued: E.TicketIssued, at: datetime) -> None:
    key = event.key
    if key in state.tickets:
        return
    appointment = issued.appointment_at
    # A draft, every field set here, then sealed (see frontdesk_core.drafts).
    ticket = _new_ticket()
    ticket.id = key
    ticket.number = issued.number
    ticket.queue_id = issued.queue_id
    ticket.centre_id = event.centre_id
    ticket.state = _WAITING
    ticket.issued_at = at
    ticket.arrived_at = at
    ticket.service_id = issued.service_id
    ticket.priority = issued.priority
    ticket.note = issued.note
    ticket.booking_id = issued.booking_id
    ticket.appointment_at = appointment.astimezone(state.tz) if appointment is not None else None
    ticket.counter_id = None
    ticket.called_at = None
    ticket.recalls = 0
    ticket.language = issued.language
    ticket.day = issued.day
    ticket.entered_at = at
    ticket.started_at = None
    ticket.ended_at = None
    ticket.end_reason = None
    ticket.transfers = 0
    ticket.__class__ = state.ticket_record
    state.tickets[key] = ticket
    if issued.own_priority is not None:
        state.own_priority[key] = issued.own_priority
    queue_id = issued.queue_id
    line = state.waiting.get(queue_id)
    if line is None:
        line = state.waiting[queue_id] = {}
    line[key] = ticket
    # _joined() and _open_delta(), written out: every ticket is issued.
    ranks = state.ranks.get(queue_id)
    if ranks is None:
        ranks = state.ranks[queue_id] = {}
    priority = issued.priority
    ranks[priority] = ranks.get(priority, 0) + 1
    if appointment is not None:
        state.booked[queue_id] = state.booked.get(queue_id, 0) + 1
    day = issued.day
    if day is not None:
        open_days = state.open_days
        day_key = (event.centre_id, day)
        open_days[day_key] = open_days.get(day_key, 0) + 1


# Each handler applies one kind of event about an existing ticket, which happened ``at``.


def _called(state: LiveState, ticket: Ticket, payload: E.TicketCalled, at: datetime) -> None:
    counter_id = payload.counter_id
    if ticket.state is _WAITING:
        queue_id = ticket.queue_id
        line = state.waiting.get(queue_id)
        if line is not None and line.pop(ticket.id, None) is not None:
            ranks = state.ranks.get(queue_id)
            priority = ticket.priority
            if ranks is not None and ranks.get(priority, 0) > 1 and ticket.appointment_at is None:
                ranks[priority] -= 1  # _left(), its common case written out
            else:
                _left(state, ticket)
    else:
        _leave(state, ticket)
    draft = state.draft_ticket
    called = draft(ticket)
    called.state = _CALLED
    called.counter_id = counter_id
    called.called_at = at
    called.recalls = 0
    called.started_at = None
    called.__class__ = state.ticket_record
    state.tickets[ticket.id] = called
    counter = state.counters.get(counter_id)
    if counter is not None:
        counter_draft = state.draft_counter
        taken = counter_draft(counter)
        taken.ticket_id = ticket.id
        taken.__class__ = state.counter_record
        state.counters[counter_id] = taken


def _recalled(state: LiveState, ticket: Ticket, payload: E.TicketRecalled, at: datetime) -> None:
    state.tickets[ticket.id] = TICKETS.replace(ticket, recalls=ticket.recalls + 1, called_at=at)


def _started(state: LiveState, ticket: Ticket, payload: E.TicketStarted, at: datetime) -> None:
    draft = state.draft_ticket
    started = draft(ticket)
    started.state = _SERVING
    started.started_at = at
    started.__class__ = state.ticket_record
    state.tickets[ticket.id] = started


def _finished(state: LiveState, ticket: Ticket, payload: E.TicketFinished, at: datetime) -> None:
    _record_counter_time(state, ticket, at)
    started = ticket.started_at
    if started is None:
        started = ticket.called_at
    ended = _end(state, ticket, _DONE, at)
    ended.started_at = started
    ended.__class__ = state.ticket_record
    state.tickets[ticket.id] = ended


def _seal_ended(state: LiveState, ended: Any, reason: str | None) -> None:
    ended.end_reason = reason
    ended.__class__ = state.ticket_record
    state.tickets[ended.id] = ended


def _no_show(state: LiveState, ticket: Ticket, payload: E.TicketNoShow, at: datetime) -> None:
    _record_counter_time(state, ticket, at)
    _seal_ended(state, _end(state, ticket, TicketState.NO_SHOW, at), payload.reason)


def _cancelled(state: LiveState, ticket: Ticket, payload: E.TicketCancelled, at: datetime) -> None:
    _seal_ended(state, _end(state, ticket, TicketState.CANCELLED, at), payload.reason)


def _closed(state: LiveState, ticket: Ticket, payload: E.TicketClosed, at: datetime) -> None:
    _seal_ended(state, _end(state, ticket, TicketState.CLOSED, at), payload.reason)


def _put_back(state: LiveState, ticket: Ticket, payload: E.TicketPutBack, at: datetime) -> None:
    _leave(state, ticket)
    back = TICKETS.replace(
        ticket, state=TicketState.WAITING, counter_id=None, recalls=0, started_at=None
    )
    state.tickets[ticket.id] = back
    _line(state, ticket.queue_id)[ticket.id] = back
    _joined(state, back)


def _transferred(
    state: LiveState, ticket: Ticket, payload: E.TicketTransferred, at: datetime, centre_id: str
) -> None:
    _leave(state, ticket)
    _open_delta(state, ticket, -1)
    moved = TICKETS.replace(
        ticket,
        state=TicketState.WAITING,
        queue_id=payload.to_queue,
        centre_id=centre_id,
        priority=payload.priority,
        counter_id=None,
        called_at=None,
        started_at=None,
        recalls=0,
        entered_at=at,
        transfers=ticket.transfers + 1,
    )
    state.tickets[ticket.id] = moved
    _line(state, moved.queue_id)[ticket.id] = moved
    _joined(state, moved)
    _open_delta(state, moved, +1)


_TICKET_HANDLERS: dict[type, Callable[[LiveState, Ticket, Any, datetime], None]] = {
    E.TicketCalled: _called,
    E.TicketRecalled: _recalled,
    E.TicketStarted: _started,
    E.TicketFinished: _finished,
    E.TicketNoShow: _no_show,
    E.TicketCancelled: _cancelled,
    E.TicketClosed: _closed,
    E.TicketPutBack: _put_back,
}


def _counter_event(state: LiveState, payload: Payload, counter: CounterState) -> None:
    # Tuples, not ``A | B``: a union is made anew at every test.
    if isinstance(payload, (E.CounterOpened, E.CounterResumed)):
        counter = COUNTERS.replace(counter, status=CounterStatus.OPEN, day=payload.day)
    elif isinstance(payload, E.CounterSignedIn):
        counter = COUNTERS.replace(
            counter, status=CounterStatus.OPEN, employee_ref=payload.employee_ref, day=payload.day
        )
    elif isinstance(payload, E.CounterPaused):
        counter = COUNTERS.replace(counter, status=CounterStatus.PAUSED)
    elif isinstance(payload, (E.CounterClosed, E.CounterSignedOut)):
        counter = COUNTERS.replace(
            counter, status=CounterStatus.CLOSED, employee_ref=None, day=None
        )
    elif isinstance(payload, E.QueuesAssigned):
        counter = COUNTERS.replace(counter, queue_ids=payload.queue_ids)
    state.counters[counter.id] = counter


_COUNTER_PAYLOADS = (
    E.CounterOpened,
    E.CounterClosed,
    E.CounterSignedIn,
    E.CounterPaused,
    E.CounterResumed,
    E.CounterSignedOut,
    E.QueuesAssigned,
)


def _day_ended(state: LiveState, event: Event, ended_day: E.DayEnded) -> None:
    """A centre's day is over: forget its ended tickets and take the recent counter times.

    Every ticket and counter of the centre was closed by the events just before
    (in the same transaction), so from here on the centre's state is its
    configuration plus the counter times carried in the event: a start-up can
    replay the log from this event instead of from the beginning.
    """
    ended = [
        t.id
        for t in state.tickets.values()
        if t.centre_id == event.centre_id and t.state not in OPEN_STATES
    ]
    for ticket_id in ended:
        del state.tickets[ticket_id]
        state.own_priority.pop(ticket_id, None)
    before = state.day_ends.get(event.centre_id)
    if before is None or before < ended_day.day:
        state.day_ends[event.centre_id] = ended_day.day
    for queue_id, seconds in ended_day.recent.items():
        state.recent[queue_id] = deque(
            (float(s) for s in seconds[-RECENT_SERVICES:]), maxlen=RECENT_SERVICES
        )


def site_time(state: LiveState, at_us: int) -> datetime:
    """The moment ``at_us`` in the site's timezone, as tickets show it.

    Several events of one command share their moment, so the last answer is kept.
    """
    last = state.moment
    if last[0] == at_us:
        return last[1]
    at = local_time(at_us, state.tz)
    state.moment = (at_us, at)
    return at


def apply(state: LiveState, event: Event) -> LiveState:
    """Apply one event to ``state`` (in place) and return it.

    Events of other parts (bookings, kiosks) and events about tickets or
    counters this state does not hold are skipped.
    """
    payload = event.payload
    kind = type(payload)
    handler = _TICKET_HANDLERS.get(kind)
    if handler is not None:
        ticket = state.tickets.get(event.key)
        if ticket is not None:
            at_us = event.at_us
            last = state.moment  # site_time(), its common answer without a call
            handler(
                state, ticket, payload, last[1] if last[0] == at_us else site_time(state, at_us)
            )
    elif kind is E.TicketIssued:
        _issued(state, event, payload, site_time(state, event.at_us))  # type: ignore[arg-type]
    elif kind is E.TicketTransferred:
        ticket = state.tickets.get(event.key)
        if ticket is not None:
            at = site_time(state, event.at_us)
            _transferred(state, ticket, payload, at, event.centre_id)  # type: ignore[arg-type]
    elif kind in _COUNTER_PAYLOADS:
        counter = state.counters.get(event.key)
        if counter is not None:
            _counter_event(state, payload, counter)
    elif kind is E.DayEnded:
        _day_ended(state, event, payload)  # type: ignore[arg-type]
    seq = event.seq
    if seq > state.last_seq:
        state.last_seq = seq
    return state


def apply_own(state: LiveState, event: Event, ticket: Ticket | None = None) -> None:
    """:func:`apply` of the event an engine has just appended for one of its commands:
    about ``ticket``, the record the command read from ``state``, or, with none, a
    ``ticket.issued``. The same handlers as :func:`apply`, without finding the
    event's handler among every kind, the ticket by its key, or comparing the
    sequence number (the event is the newest the state has seen)."""
    payload = event.payload
    at_us = event.at_us
    last = state.moment  # site_time(), its common answer without a call
    at = last[1] if last[0] == at_us else site_time(state, at_us)
    if ticket is None:
        _issued(state, event, payload, at)  # type: ignore[arg-type]
    else:
        _TICKET_HANDLERS[type(payload)](state, ticket, payload, at)
    state.last_seq = event.seq


def replay(state: LiveState, batches: Iterable[EventBatch]) -> LiveState:
    """:func:`apply` of every event of ``batches``, in order, to ``state`` (in place).

    A start-up's way through the log: the store hands over its columns and no
    :class:`Event` is made per row. The dispatch is :func:`apply`'s, written out over
    the columns (the handlers are the same); each moment is put in the site's
    timezone once, as :func:`site_time` would give it.

    The replay owns the records it makes until it returns: the handlers change them
    in place as drafts instead of copying one for every event (see
    :mod:`frontdesk_core.drafts`), and they are all sealed when it ends, as they are
    when it stops on an error.
    """
    state.draft_ticket, state.ticket_record = TICKETS.writable, TICKETS.draft
    state.draft_counter, state.counter_record = COUNTERS.writable, COUNTERS.draft
    try:
        return _replay(state, batches)
    finally:
        _seal_all(state)


def _seal_all(state: LiveState) -> None:
    """Seal every draft a replay left in ``state`` and let the handlers copy again."""
    state.draft_ticket, state.ticket_record = TICKETS.copy, Ticket
    state.draft_counter, state.counter_record = COUNTERS.copy, CounterState
    for records, drafts in ((state.tickets, TICKETS), (state.counters, COUNTERS)):
        draft, record = drafts.draft, drafts.record
        for value in records.values():
            if value.__class__ is draft:
                value.__class__ = record


def _replay(state: LiveState, batches: Iterable[EventBatch]) -> LiveState:
    tz = state.tz
    tickets = state.tickets
    counters = state.counters
    handlers = _TICKET_HANDLERS
    # The issue's and the day end's handlers read an event's key and centre, and keep
    # nothing of it: one event is lent to them, its two fields set for each.
    lent = Event("", "", 0, "", Payload(), 0, 0)
    seen: datetime | None = None  # the last moment met, and it in the site's timezone
    at = datetime.min
    for batch in batches:
        for key, centre_id, moment, payload in zip(
            batch.keys, batch.centre_ids, batch.moments, batch.payloads, strict=True
        ):
            kind = type(payload)
            handler = handlers.get(kind)
            if handler is not None:
                ticket = tickets.get(key)
                if ticket is not None:
                    if moment is not seen:
                        seen, at = moment, moment.astimezone(tz)
                    handler(state, ticket, payload, at)
            elif kind is E.TicketIssued:
                if moment is not seen:
                    seen, at = moment, moment.astimezone(tz)
                lent.key, lent.centre_id = key, centre_id
                _issued(state, lent, payload, at)  # type: ignore[arg-type]
            elif kind is E.TicketTransferred:
                ticket = tickets.get(key)
                if ticket is not None:
                    if moment is not seen:
                        seen, at = moment, moment.astimezone(tz)
                    _transferred(state, ticket, payload, at, centre_id)  # type: ignore[arg-type]
            elif kind in _COUNTER_PAYLOADS:
                counter = counters.get(key)
                if counter is not None:
                    _counter_event(state, payload, counter)
            elif kind is E.DayEnded:
                lent.key, lent.centre_id = key, centre_id
                _day_ended(state, lent, payload)  # type: ignore[arg-type]
        newest = max(batch.seqs, default=0)
        if newest > state.last_seq:
            state.last_seq = newest
    return state


def rebuild(config: Config, events: Iterable[Event]) -> LiveState:
    """The state the log gives: the initial state with every event applied in order.

    The cyclic garbage collector is held off meanwhile: a replay makes many records
    and no cycles, and the collector would walk them all over and over.
    """
    state = LiveState.initial(config)
    with collector_paused():
        for event in events:
            apply(state, event)
    return state


@contextmanager
def collector_paused() -> Iterator[None]:
    """Hold off the cyclic garbage collector inside the block (as it was after it)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def replay_start(config: Config, store: Transaction | EventStore) -> int:
    """The ``seq`` a start-up may replay the log from and still get the whole state.

    That is the earliest of the centres' latest day ends: before its day end a
    centre's tickets are all ended and forgotten and its counters are closed
    and back on their configured queues (the event carries the counter times),
    so nothing before it matters. A centre whose day never ended needs it all.
    """
    centres = [centre.id for centre in config.centres]
    last_seqs: Callable[[str, list[str]], dict[str, int]] | None = getattr(store, "last_seqs", None)
    if last_seqs is not None:
        latest = last_seqs(DAY_ENDED, centres)
    else:  # a transaction: its day ends, read from the start
        latest = newest_seqs(store, DAY_ENDED, centres)
    return min((latest.get(centre, 0) for centre in centres), default=0)


def load(config: Config, store: Transaction | EventStore) -> LiveState:
    """The live state from the store, replaying only from :func:`replay_start` on."""
    after = max(replay_start(config, store) - 1, 0)
    read_batches: Callable[..., Iterable[EventBatch]] | None = getattr(store, "read_batches", None)
    state = LiveState.initial(config)
    with collector_paused():
        if read_batches is None:  # a transaction: its events, applied one by one
            for event in store.read(after=after, kinds=KINDS):
                apply(state, event)
            return state
        return replay(state, read_batches(after=after, kinds=KINDS))
