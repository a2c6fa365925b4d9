"""The queue engine: commands on tickets and counters, each one durable event(s).

Every command is one durable write. The common ones (issue, call next, start,
finish) first take the lean path: decided on the state as the engine last saw
the log, their one event is handed to :meth:`EventStore.write_one`, which
appends it only if nobody (no kiosk, no other counter process) has written
since, and otherwise writes nothing. Any other command, a stale look, and a
look that would refuse the command run in an exclusive store transaction: it
first reads the events others appended since the engine last looked and
applies them, then checks the command against that up-to-date state, appends
its own events and commits. Either way the live state is updated only after
the write, and the hooks are fired after that (outside the engine's lock), so
a plugin never hears of a change that could still be lost, and an invalid
command raises a :class:`~frontdesk_core.errors.CommandError` having changed
nothing.

Counters start the day closed: an employee signing in (or a manager opening
the counter) opens it. When a centre's service day turns (``day_reset``), the
first command of the new day closes whatever yesterday left open, so nothing
from yesterday leaks into today; :meth:`QueueEngine.end_of_day` does the same on
purpose at closing time.

The engine never reads the wall clock: time comes from the injected clock, so
the simulator drives this same code on simulated time.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import ParamSpec, TypeVar
from zoneinfo import ZoneInfo

from frontdesk_core.clock import Clock, microseconds
from frontdesk_core.config.models import Centre, Config, Counter, Queue
from frontdesk_core.config.suggest import unknown
from frontdesk_core.config.types import text_in
from frontdesk_core.devices import CalledNumber, QueueStatus, ScreenState
from frontdesk_core.drafts import Drafts
from frontdesk_core.errors import (
    CommandError,
    InvalidStateError,
    NotFoundError,
    PluginError,
    StaleWrite,
)
from frontdesk_core.events import queues as E
from frontdesk_core.events.base import Payload, local_time, span_us, to_us
from frontdesk_core.events.log import Event, NewEvent
from frontdesk_core.plugins import Hooks
from frontdesk_core.queues import state as ev
from frontdesk_core.queues.counters import CounterState, CounterStatus
from frontdesk_core.queues.estimates import WaitEstimate, capacity, estimate_ticket, minutes_for
from frontdesk_core.queues.numbering import (
    counter_name,
    day_start,
    format_number,
    service_day,
    ticket_id,
)
from frontdesk_core.queues.policies import ServiceLevelPolicy
from frontdesk_core.queues.policy import CallPolicy, Waiting
from frontdesk_core.queues.state import LiveState, apply, apply_own, load, site_time
from frontdesk_core.queues.tickets import AT_COUNTER_STATES, Ticket, TicketState
from frontdesk_core.store.base import EventStore, Transaction

MAX_NOTE = 200
log = logging.getLogger("frontdesk.queues")
MAX_EMPLOYEE_REF = 32
_CALLED = (TicketState.CALLED,)
_AT_COUNTER = (TicketState.CALLED, TicketState.SERVING)
_OPEN, _PAUSED, _CLOSED = CounterStatus.OPEN, CounterStatus.PAUSED, CounterStatus.CLOSED
"""Read once: an enum member read off its class costs about as much as a call."""
_P = ParamSpec("_P")
_R = TypeVar("_R")


def _again_if_stale(command: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run a command again when its optimistic transaction found that others had
    written meanwhile (nothing of it was written; the store has the second run read
    what they wrote with the writers' lock taken first, so it is not stale)."""

    @functools.wraps(command)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return command(*args, **kwargs)
        except StaleWrite:
            return command(*args, **kwargs)

    return run


_RETRIED = (
    "issue",
    "call_next",
    "call",
    "_at_counter_command",
    "transfer",
    "cancel",
    "_counter_change",
)
"""The commands that write through :meth:`QueueEngine._write` (run again on ``StaleWrite``)."""

_ISSUED = "frontdesk_ticket_issued"
_CALLED_HOOK = "frontdesk_ticket_called"
_FINISHED = "frontdesk_ticket_finished"
_RENDER = "frontdesk_render_display"
_FIRED = (_ISSUED, _CALLED_HOOK, _FINISHED, _RENDER)
"""The hooks the hot commands fire only when somebody listens."""


_ISSUED_DRAFTS = Drafts(E.TicketIssued)
_new_issued = _ISSUED_DRAFTS.new


def _ticket_issued(
    number: str,
    queue_id: str,
    priority: int,
    language: str,
    day: date,
    service_id: str | None,
    own_priority: int | None,
    note: str | None,
    booking_id: str | None,
    appointment_at: datetime | None,
) -> E.TicketIssued:
    """``E.TicketIssued(...)`` made as a draft and sealed: every issue makes one."""
    issued = _new_issued()
    issued.number = number
    issued.queue_id = queue_id
    issued.priority = priority
    issued.language = language
    issued.day = day
    issued.service_id = service_id
    issued.own_priority = own_priority
    issued.note = note
    issued.booking_id = booking_id
    issued.appointment_at = appointment_at
    issued.__class__ = E.TicketIssued
    sealed: E.TicketIssued = issued
    return sealed


def _no_show_due(ticket: Ticket, queue: Queue, now: int) -> int:
    """The microsecond a called ticket may be marked a no-show for not coming (counted
    from its call, or from ``now`` if it has none): time that passed, not wall time."""
    called = to_us(ticket.called_at) if ticket.called_at is not None else now
    return called + span_us(queue.no_show_after)


class QueueEngine:
    """Tickets, queues and counters of every centre of a configuration, on one store.

    Inside, moments are whole microseconds since the epoch (``now``): a command
    compares and stores numbers, and datetimes are made for the records it
    hands out (by the reducer) and for the call-next policy.
    """

    def __init__(self, config: Config, store: EventStore, clock: Clock, hooks: Hooks) -> None:
        self.config = config
        self.store = store
        self.clock = clock
        self.hooks = hooks
        self.tz = ZoneInfo(config.site.timezone)
        self._now_us = microseconds(clock)
        self._lock = threading.RLock()
        # Bound once for the hot commands (issue, call next, start, finish): taking and
        # letting go of the lock without the lookups and bound methods of a ``with``.
        self._acquire = self._lock.acquire
        self._release = self._lock.release
        self._queues: dict[str, Queue] = {}
        self._centres: dict[str, Centre] = {}
        self._queue_centre: dict[str, Centre] = {}
        self._counters: dict[str, Counter] = {}
        self._counter_centre: dict[str, Centre] = {}
        self._centre_counter_ids: dict[str, tuple[str, ...]] = {
            centre.id: tuple(c.id for c in centre.counters) for centre in config.centres
        }
        for centre in config.centres:
            self._centres[centre.id] = centre
            for queue in centre.queues:
                self._queues[queue.id] = queue
                self._queue_centre[queue.id] = centre
            for counter in centre.counters:
                self._counters[counter.id] = counter
                self._counter_centre[counter.id] = centre
        self._issuing: dict[str, tuple[Centre, str, str, int]] = {
            queue.id: (centre, centre.id, queue.prefix, queue.priority)
            for centre in config.centres
            for queue in centre.queues
        }
        """Per queue, what an issue reads of the configuration: its centre, the centre's
        id, the queue's prefix and priority (plain values: the configuration's models
        are dearer to read on every command)."""
        self._counter_centre_id = {
            c.id: centre.id for centre in config.centres for c in centre.counters
        }
        """Per counter, its centre's id (as a plain value, for the same reason)."""
        self._services = frozenset(s.id for s in config.services)
        self._languages = frozenset(config.site.languages)
        self._policies: dict[str, CallPolicy] = hooks.call_policies()
        self._counter_policies: dict[str, CallPolicy] = {}
        self._day_windows: dict[str, tuple[int, int, date]] = {}
        """Per centre, the service day last asked about and its bounds in microseconds."""
        self._fresh: dict[str, date] = {}
        """Per centre, the service day its state was last found free of earlier days' leftovers."""
        self._clean: dict[str, tuple[int, int, date]] = {}
        """Per centre, the bounds (microseconds) of the service day it was found free of
        earlier days' leftovers in, and that day: inside them a command need not look again."""
        self._hooks_seen = -1
        self._pm = hooks.pm
        self._heard: dict[str, bool] = {}
        """Per hook the engine fires, whether anybody listens (until the plugins change)."""
        self._counter_views: dict[tuple[str, tuple[str, ...]], Counter] = {}
        self._calling: dict[str, tuple[tuple[str, ...], Counter, CallPolicy]] = {}
        """Per counter, the queues it served at its last call, its view with them and its
        call-next policy."""
        self._calls = {c: E.TicketCalled(c) for c in self._counters}
        self._starts = {c: E.TicketStarted(c) for c in self._counters}
        self._finishes = {c: E.TicketFinished(c) for c in self._counters}
        self._put_backs = {c: E.TicketPutBack(c) for c in self._counters}
        """Per configured counter, the payloads naming only the counter (immutable: shared
        by every command). An unknown counter's is made afresh, and its command refused:
        a guessed counter id leaves nothing behind."""
        self._numbering: dict[str, tuple[date, str, str]] = {}
        """Per queue, the service day last numbered, its store counter and its ids' prefix."""
        self._drawn: dict[str, int] = {}
        """Per numbering counter, the value this engine last drew or saw it take: the
        next issue expects one more (the store checks it)."""
        self._fallbacks = self._booked_durations()
        self._write_one = store.write_one
        """A command's lean path: one event, written if the log is as the engine last saw it."""
        self._write = store.transaction
        """How a command opens its write transaction."""
        if getattr(store, "optimistic_writes", False):
            # A server store decides a command on its last look and checks that look at
            # the commit, in one round trip; a stale look runs the command once more.
            # Only such a store pays for the retry's wrapper.
            self._write = store.optimistic
            for name in _RETRIED:
                setattr(self, name, _again_if_stale(getattr(self, name)))
        self.state: LiveState = load(config, store)
        self._seen = self.state.last_seq
        """The newest ``seq`` of the log this engine has looked at (its own kinds or not).

        Starting from the state's own: an event appended while the log was being
        replayed is read on the first look, never skipped."""

    # -- reading the log --------------------------------------------------------------

    def refresh(self) -> None:
        """Apply the events other processes appended since this engine last looked."""
        with self._lock:
            last = self.store.last_seq()
            if last != self._seen:
                self._apply_others(self.store.read(after=self._seen, kinds=ev.KINDS), last)

    def _catch_up(self, tx: Transaction) -> None:
        """Inside a transaction: apply what others wrote; one compare when nothing was."""
        last = tx.last_seq()
        if last != self._seen:
            self._apply_others(tx.read(after=self._seen, kinds=ev.KINDS), last)

    def _apply_others(self, events: Iterable[Event], last: int) -> None:
        """Apply events other writers appended; they may be of any day, so look again."""
        state = self.state
        newest = 0
        for event in events:
            apply(state, event)
            newest = event.seq
        if newest:
            self._fresh.clear()
            self._clean.clear()
        # What was read may reach past ``last`` (read after it was asked): never twice.
        self._seen = max(self._seen, last, newest)

    def _absorb(self, appended: Sequence[Event]) -> None:
        """Apply this engine's own appended events (after their transaction committed)."""
        state = self.state
        for event in appended:
            apply(state, event)
        if appended:
            self._seen = appended[-1].seq

    # -- lookups ----------------------------------------------------------------------

    def _queue(self, queue_id: str) -> Queue:
        queue = self._queues.get(queue_id)
        if queue is None:
            raise NotFoundError(unknown("queue", queue_id, self._queues))
        return queue

    def _counter(self, counter_id: str) -> Counter:
        counter = self._counters.get(counter_id)
        if counter is None:
            raise NotFoundError(unknown("counter", counter_id, self._counters))
        return counter

    def _centre(self, centre_id: str) -> Centre:
        centre = self._centres.get(centre_id)
        if centre is None:
            raise NotFoundError(unknown("centre", centre_id, self._centres))
        return centre

    def _ticket(self, ticket_id: str) -> Ticket:
        found = self.state.tickets.get(ticket_id)
        if found is None:
            raise NotFoundError(
                f"unknown ticket '{ticket_id}' (tickets of a day that has ended are in the "
                "log and the statistics only)"
            )
        return found

    def _counter_state(self, counter_id: str) -> CounterState:
        return self.state.counters[self._counter(counter_id).id]

    def _at_counter(self, counter_id: str, allowed: Sequence[TicketState]) -> Ticket:
        """The ticket at a counter, which must be in one of the ``allowed`` states."""
        counter = self.state.counters[counter_id]
        if counter.ticket_id is None:
            raise InvalidStateError(
                f"counter '{counter_id}' has no ticket called or in service",
                code="counter.no_ticket",
            )
        ticket = self.state.tickets[counter.ticket_id]
        if ticket.state not in allowed:
            wanted = " or ".join(s.value for s in allowed)
            raise InvalidStateError(
                f"ticket {ticket.number} at counter '{counter_id}' is {ticket.state.value}, "
                f"not {wanted}"
            )
        return ticket

    def today(self, centre_id: str) -> date:
        """The centre's current service day (it turns at the centre's ``day_reset``)."""
        return self._service_day(self._centre(centre_id), self._now_us())

    def _booked_durations(self) -> dict[str, float]:
        """Per queue, the mean booked duration of its services: the estimates' first guess."""
        spans: dict[str, list[float]] = {}
        for service in self.config.services:
            if service.booking is not None:
                spans.setdefault(service.queue, []).append(service.booking.duration.total_seconds())
        return {queue: sum(v) / len(v) for queue, v in spans.items()}

    def _site_time(self, now: int) -> datetime:
        return local_time(now, self.tz)

    # -- the service day --------------------------------------------------------------

    def _day_end_due(self, centre_id: str, today: date) -> bool:
        """Whether the centre's earlier service days still need their end: something of
        them is left open, or they were not closed by a day end (a clean day is ended
        too, so that the state forgets its tickets and a start-up replays from there)."""
        if self._fresh.get(centre_id) == today:
            # Checked already today, and since then only this engine wrote, always of today.
            return False
        state = self.state
        for owner, day in state.open_days:
            if day < today and owner == centre_id:
                return True
        counters = state.counters
        for counter_id in self._centre_counter_ids[centre_id]:
            c = counters[counter_id]
            # A closed counter has no day, so the day is the cheaper test to make first.
            if c.day is not None and c.day < today and c.status is not _CLOSED:
                return True
        ended = state.day_ends.get(centre_id)
        if ended is not None:
            if ended < today - timedelta(days=1):
                return True  # days went by since the last day end: end the latest of them
        elif any(
            t.centre_id == centre_id and t.day is not None and t.day < today
            for t in state.tickets.values()
        ):
            return True  # tickets of an earlier day, and never a day end
        self._fresh[centre_id] = today
        return False

    def _closing_events(
        self, centre: Centre, now: int, reason: str, before: date | None
    ) -> tuple[list[NewEvent], int]:
        """Close open tickets (of days before ``before``, or all) and counters of a centre."""
        events: list[NewEvent] = []
        for ticket in self.state.tickets.values():
            if (
                ticket.centre_id == centre.id
                and ticket.is_open
                and (before is None or (ticket.day is not None and ticket.day < before))
            ):
                events.append(NewEvent.of(E.TicketClosed(reason), ticket.id, centre.id, now))
        closed = len(events)
        for configured in centre.counters:
            counter = self.state.counters[configured.id]
            stale = before is None or (counter.day is not None and counter.day < before)
            if counter.is_open and stale:
                closing: Payload = (
                    E.CounterSignedOut(reason)
                    if counter.employee_ref is not None
                    else E.CounterClosed(reason)
                )
                events.append(NewEvent.of(closing, counter.id, centre.id, now))
            if counter.queue_ids != tuple(configured.queues):
                assigned = E.QueuesAssigned(tuple(configured.queues), reason=reason)
                events.append(NewEvent.of(assigned, counter.id, centre.id, now))
        return events, closed

    def _day_ended(self, centre: Centre, now: int, day: date) -> list[NewEvent]:
        """The day-end event, carrying the recent counter times of the centre's queues; and
        one for each other centre that holds nothing yet and was never ended (a start-up
        replays from the earliest of the centres' latest day ends, so a centre nobody
        uses must not keep it at the start of the log)."""
        recent = {
            q.id: tuple(self.state.recent[q.id]) for q in centre.queues if q.id in self.state.recent
        }
        events = [NewEvent.of(E.DayEnded(day, recent), centre.id, centre.id, now)]
        for other in self.config.centres:
            if other.id != centre.id and self._untouched(other):
                before = self._service_day(other, now) - timedelta(days=1)
                events.append(NewEvent.of(E.DayEnded(before, {}), other.id, other.id, now))
        return events

    def _untouched(self, centre: Centre) -> bool:
        """Whether the log holds nothing of ``centre``: no day end, ticket, counter time, or
        counter that is open or off its configured queues."""
        state = self.state
        if centre.id in state.day_ends or any(q.id in state.recent for q in centre.queues):
            return False
        for configured in centre.counters:
            counter = state.counters[configured.id]
            if counter.status is not _CLOSED or counter.queue_ids != tuple(configured.queues):
                return False
        return not any(t.centre_id == centre.id for t in state.tickets.values())

    def roll_day(self, centre_id: str | None = None) -> int:
        """End the earlier service days of one centre or (no id) of every centre, where
        they were not ended yet: close what they left open and record each day's end.
        Returns how many day ends were written (a centre never used gets one along).

        Every command does this first for its centre, in its own transaction, so a
        command refused on the first minute of a new day still leaves yesterday
        closed; housekeeping does it for every centre, so a centre's day is ended
        even when nobody works there the next day.
        """
        with self._lock:
            now = self._now_us()
            return sum(
                self._roll_day(centre, now)
                for centre in ([self._centre(centre_id)] if centre_id else self.config.centres)
            )

    def _service_day(self, centre: Centre, now: int) -> date:
        """:func:`service_day` of ``now`` at ``centre``, remembered for the rest of that day.

        Every command asks; inside the day's bounds the answer is two compares.
        """
        window = self._day_windows.get(centre.id)
        if window is not None and window[0] <= now < window[1]:
            return window[2]
        day = service_day(self._site_time(now), centre.day_reset, self.tz)
        start = to_us(day_start(day, centre.day_reset, self.tz))
        end = to_us(day_start(day + timedelta(days=1), centre.day_reset, self.tz))
        if start <= now < end:
            self._day_windows[centre.id] = (start, end, day)
        return day

    def _roll_day(self, centre: Centre, now: int) -> int:
        """End the centre's earlier service days, in its own transaction, if they need
        it (:meth:`_day_end_due`); the day ends written."""
        window = self._day_windows.get(centre.id)
        if window is not None and window[0] <= now < window[1]:
            if self._fresh.get(centre.id) == window[2]:
                return 0  # today's, and found free of earlier days' leftovers already
            today = window[2]
        else:
            today = self._service_day(centre, now)
        if not self._day_end_due(centre.id, today):
            self._remember_clean(centre.id, today)
            return 0
        with self.store.transaction() as tx:
            self._catch_up(tx)
            if not self._day_end_due(centre.id, today):
                return 0
            events, _ = self._closing_events(centre, now, "day_reset", today)
            events += self._day_ended(centre, now, today - timedelta(days=1))
            appended = tx.append(events)
        self._absorb(appended)
        closed = sum(e.kind == ev.CLOSED for e in appended)
        log.info("day.reset", extra={"centre": centre.id, "closed": closed})
        return sum(e.kind == ev.DAY_ENDED for e in appended)

    def _remember_clean(self, centre_id: str, today: date) -> None:
        window = self._day_windows.get(centre_id)
        if window is not None and window[2] == today:
            self._clean[centre_id] = window

    def _rolled(self, centre: Centre, now: int) -> None:
        """:meth:`_roll_day` for a command: two compares inside a day already found clean."""
        clean = self._clean.get(centre.id)
        if clean is None or not clean[0] <= now < clean[1]:
            self._roll_day(centre, now)

    def end_of_day(self, centre_id: str | None = None) -> int:
        """Close every open ticket (reason ``end_of_day``) and counter; return tickets closed."""
        centres = [self._centre(centre_id)] if centre_id is not None else self.config.centres
        total = 0
        for centre in centres:
            with self._lock:
                now = self._now_us()
                self._roll_day(centre, now)
                with self.store.transaction() as tx:
                    self._catch_up(tx)
                    events, count = self._closing_events(centre, now, "end_of_day", None)
                    events += self._day_ended(centre, now, self._service_day(centre, now))
                    appended = tx.append(events)
                self._absorb(appended)
            total += count
            log.info("day.ended", extra={"centre": centre.id, "closed": count})
            self._render(centre.id)
        return total

    # -- tickets ----------------------------------------------------------------------

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
        along: Callable[[str], Sequence[NewEvent]] | None = None,
    ) -> Ticket:
        """Give a citizen a numbered place in ``queue_id``.

        ``priority`` overrides the queue's (and stays with the ticket across
        transfers); ``note`` is a short staff note, never personal data;
        ``booking_id`` and ``appointment_at`` mark a booked citizen, called first
        once their time has come. Numbers count per queue and service day.

        ``along`` gives, for the new ticket's id, events of the caller's own to
        append in the same transaction (a kiosk's record of the walk): the ticket
        and they are committed together or not at all.
        """
        issuing = self._issuing.get(queue_id)
        if issuing is None:
            raise NotFoundError(unknown("queue", queue_id, self._queues))
        centre, centre_id, prefix, queue_priority = issuing
        if service_id is not None and service_id not in self._services:
            raise NotFoundError(unknown("service", service_id, self._services))
        if language not in self._languages:
            raise CommandError(
                f"language '{language}' is not one of the site's languages "
                f"({', '.join(self.config.site.languages)})"
            )
        if priority is not None and (isinstance(priority, bool) or not isinstance(priority, int)):
            raise CommandError(f"a priority is a whole number, not {priority!r}")
        if note is not None and len(note) > MAX_NOTE:
            raise CommandError(f"a ticket note holds at most {MAX_NOTE} characters")
        if appointment_at is not None and appointment_at.tzinfo is None:
            raise CommandError("an appointment time needs a timezone")
        self._acquire()
        try:
            now = self._now_us()
            clean = self._clean.get(centre_id)  # _rolled() and _service_day(), inline
            if clean is not None and clean[0] <= now < clean[1]:
                day = clean[2]
            else:
                self._roll_day(centre, now)
                day = self._service_day(centre, now)
            numbering = self._numbering.get(queue_id)
            if numbering is None or numbering[0] != day:
                if numbering is not None:
                    self._drawn.pop(numbering[1], None)  # that day's counting is over
                numbering = (day, counter_name(queue_id, day), ticket_id(queue_id, day, 0)[:-1])
                self._numbering[queue_id] = numbering
            name = numbering[1]
            drawn = self._drawn.get(name)
            event = None
            fields = (  # the ticket.issued fields after its number
                queue_id,
                priority if priority is not None else queue_priority,
                language,
                day,
                service_id,
                priority,
                note,
                booking_id,
                appointment_at,
            )
            if drawn is not None and along is None:
                # The lean path: the number after the last one this engine knows of,
                # written only if nobody wrote (or counted) since its last look.
                value = drawn + 1
                key = f"{numbering[2]}{value}"  # ticket_id(queue_id, day, value)
                issued = _ticket_issued(format_number(prefix, value), *fields)
                try:
                    event = self._write_one(self._seen, issued, key, centre_id, now, (name, value))
                except StaleWrite:
                    event = None
            if event is None:
                with self._write() as tx:
                    if tx.last_seq() != self._seen:
                        self._catch_up(tx)
                    value = tx.counter(name)
                    key = f"{numbering[2]}{value}"
                    issued = _ticket_issued(format_number(prefix, value), *fields)
                    if along is None:
                        event = tx.emit(issued, key, centre_id, now)
                    else:
                        appended = tx.append(
                            (NewEvent.of(issued, key, centre_id, now), *along(key))
                        )
            self._drawn[name] = value
            if event is not None:
                apply_own(self.state, event)
                self._seen = event.seq
            else:
                # The ticket first, as the lean path applies it; then what came along.
                apply_own(self.state, appended[0])
                self._absorb(appended[1:])
                self._seen = appended[-1].seq
            ticket = self.state.tickets[key]
        finally:
            self._release()
        heard = self._heard if self._hooks_seen == self._pm.changes else self._listening()
        if heard[_ISSUED]:
            self.hooks.ticket_issued(ticket)
        if heard[_RENDER]:
            self.hooks.render_display(self.screen(centre_id))
        return ticket

    def _check_can_call(self, counter_id: str) -> CounterState:
        counter = self._counter_state(counter_id)
        if counter.status is _CLOSED:
            raise InvalidStateError(
                f"counter '{counter_id}' is closed; sign in or open it before calling",
                code="counter.closed",
            )
        if counter.status is _PAUSED:
            raise InvalidStateError(
                f"counter '{counter_id}' is paused; resume it before calling", code="counter.paused"
            )
        if counter.ticket_id is not None:
            current = self.state.tickets[counter.ticket_id]
            raise InvalidStateError(
                f"counter '{counter_id}' still has ticket {current.number} "
                f"({current.state.value}); finish, put it back or mark it a no-show first",
                code="counter.busy",
                params={"number": current.number},
            )
        return counter

    def _policy(self, counter: Counter) -> CallPolicy:
        # The policies and the configuration are fixed for the engine's life: pick once.
        policy = self._counter_policies.get(counter.id)
        if policy is None:
            name = counter.call_policy or self._counter_centre[counter.id].call_policy
            policy = self._policies.get(name) or self._policies.get(
                "service_level", ServiceLevelPolicy()
            )
            self._counter_policies[counter.id] = policy
        return policy

    def _counter_view(self, configured: Counter, queue_ids: tuple[str, ...]) -> Counter:
        """The configured counter with the queues it serves now (a manager may move it)."""
        key = (configured.id, queue_ids)
        view = self._counter_views.get(key)
        if view is None:
            if tuple(configured.queues) == queue_ids:
                view = configured
            else:
                view = configured.model_copy(update={"queues": list(queue_ids)})
            self._counter_views[key] = view
        return view

    def call_next(self, counter_id: str) -> Ticket | None:
        """Call the ticket the counter's policy picks; ``None`` when nobody waits."""
        configured = self._counters.get(counter_id)
        if configured is None:
            raise NotFoundError(unknown("counter", counter_id, self._counters))
        centre_id = self._counter_centre_id[counter_id]
        state = self.state
        self._acquire()
        try:
            now = self._now_us()
            # An idle counter asks often: answer "nobody" from a fresh read, without
            # taking the store's write lock from the kiosks.
            lines = state.waiting
            for queue_id in state.counters[counter_id].queue_ids:
                if lines.get(queue_id):
                    break
            else:
                self._rolled(self._centres[centre_id], now)
                self.refresh()
                if not self._waiting_for(self._check_can_call(counter_id)):
                    return None
            clean = self._clean.get(centre_id)  # _rolled(), inline
            if clean is None or not clean[0] <= now < clean[1]:
                self._roll_day(self._centres[centre_id], now)
            event = self._call_lean(configured, counter_id, centre_id, now)
            if event is None:
                event = self._call_looked(configured, self._centres[centre_id], now)
                if event is None:
                    return None
            tickets = state.tickets
            apply_own(state, event, tickets[event.key])
            self._seen = event.seq
            ticket = tickets[event.key]
        finally:
            self._release()
        return self._after_call(ticket, counter_id)  # after the engine's lock is let go

    def _call_looked(self, configured: Counter, centre: Centre, now: int) -> Event | None:
        """:meth:`call_next` decided in a write transaction, after a look at what others
        wrote (the lean path's look was stale, or gave no call)."""
        counter_id = configured.id
        state = self.state
        with self._write() as tx:
            if tx.last_seq() != self._seen:
                self._catch_up(tx)
            counter = self._check_can_call(counter_id)
            waiting = self._waiting_for(counter)
            if not waiting:
                return None
            view = self._counter_view(configured, counter.queue_ids)
            chosen = self._policy(configured).choose(
                waiting, view, site_time(state, now), self.config
            )
            if chosen is None:
                return None
            if chosen.queue_id not in counter.queue_ids or chosen.id not in state.waiting.get(
                chosen.queue_id, {}
            ):
                raise PluginError(
                    f"the call-next policy of counter '{counter_id}' chose a ticket "
                    "that is not waiting for it"
                )
            called = self._calls.get(counter_id) or E.TicketCalled(counter_id)
            return tx.emit(called, chosen.id, centre.id, now)

    def _call_lean(
        self, configured: Counter, counter_id: str, centre_id: str, now: int
    ) -> Event | None:
        """The lean path of :meth:`call_next`: the call decided on the state as the
        engine last saw the log and written only if the log is still so; ``None``
        when that look is stale or gives no call (the command then decides afresh)."""
        state = self.state
        counter = state.counters[counter_id]
        if counter.status is not _OPEN or counter.ticket_id is not None:
            return None
        queue_ids = counter.queue_ids
        if len(queue_ids) == 1:  # _waiting_for(), inline for the common counter
            queue_id = queue_ids[0]
            line = state.waiting.get(queue_id)
            if not line:
                return None
            waiting = Waiting(line.values())
            ranks = state.ranks.get(queue_id)  # state.alike(queue_id), inline
            waiting.alike = (ranks is None or len(ranks) == 1) and queue_id not in state.booked
        else:
            waiting = self._waiting_for(counter)
            if not waiting:
                return None
        calling = self._calling.get(counter_id)
        if calling is None or calling[0] != queue_ids:  # at first, or moved to other queues
            view = self._counter_view(configured, queue_ids)
            calling = self._calling[counter_id] = (queue_ids, view, self._policy(configured))
        moment = state.moment  # site_time(), its common answer without a call
        at = moment[1] if moment[0] == now else site_time(state, now)
        chosen = calling[2].choose(waiting, calling[1], at, self.config)
        if chosen is None or chosen.queue_id not in queue_ids:
            return None
        if chosen.id not in state.waiting.get(chosen.queue_id, ()):
            return None
        called = self._calls.get(counter_id)
        if called is None:
            return None
        try:
            return self._write_one(self._seen, called, chosen.id, centre_id, now)
        except StaleWrite:
            return None

    def _waiting_for(self, counter: CounterState) -> Waiting:
        """The waiting tickets of the queues the counter serves now."""
        state = self.state
        lines, queue_ids = state.waiting, counter.queue_ids
        if len(queue_ids) == 1:
            line = lines.get(queue_ids[0])
            waiting = Waiting(line.values() if line else ())
            waiting.alike = state.alike(queue_ids[0])
        else:
            waiting = Waiting([t for q in queue_ids for t in lines.get(q, {}).values()])
            waiting.alike = False
        return waiting

    def _after_call(self, ticket: Ticket, counter_id: str) -> Ticket:
        heard = self._heard if self._hooks_seen == self._pm.changes else self._listening()
        if heard[_CALLED_HOOK]:
            self.hooks.ticket_called(ticket, counter_id)
        if heard[_RENDER]:
            self.hooks.render_display(self.screen(ticket.centre_id))
        return ticket

    def call(self, counter_id: str, ticket_id: str) -> Ticket:
        """Call a specific waiting ticket of the counter's centre."""
        self._counter(counter_id)
        centre = self._counter_centre[counter_id]
        with self._lock:
            now = self._now_us()
            self._rolled(centre, now)
            with self._write() as tx:
                self._catch_up(tx)
                self._check_can_call(counter_id)
                ticket = self._ticket(ticket_id)
                if ticket.centre_id != centre.id:
                    raise CommandError(
                        f"ticket {ticket.number} waits at another centre ('{ticket.centre_id}')"
                    )
                if ticket.state is not TicketState.WAITING:
                    raise InvalidStateError(
                        f"ticket {ticket.number} is {ticket.state.value}, not waiting"
                    )
                called = self._calls.get(counter_id) or E.TicketCalled(counter_id)
                appended = [tx.emit(called, ticket.id, centre.id, now)]
            self._absorb(appended)
            ticket = self.state.tickets[ticket_id]
        return self._after_call(ticket, counter_id)

    def _at_counter_command(
        self,
        counter_id: str,
        allowed: Sequence[TicketState],
        payload: Payload | Callable[[Ticket, str, int], Payload],
    ) -> Ticket:
        """Append ``payload`` about the ticket at a counter (which must be in an ``allowed``
        state) and return the ticket. For the commands whose event depends on the
        ticket (recall, no-show) ``payload`` is a method that makes it or refuses."""
        centre_id = self._counter_centre_id.get(counter_id)
        if centre_id is None:
            raise NotFoundError(unknown("counter", counter_id, self._counters))
        state = self.state
        self._acquire()
        try:
            now = self._now_us()
            clean = self._clean.get(centre_id)
            if clean is None or not clean[0] <= now < clean[1]:
                self._roll_day(self._centres[centre_id], now)
            at = state.counters[counter_id].ticket_id
            ticket = state.tickets[at] if at is not None else None
            if ticket is not None and ticket.state in allowed and isinstance(payload, Payload):
                # The lean path: decided on the engine's last look, written if it still holds.
                try:
                    event = self._write_one(self._seen, payload, ticket.id, ticket.centre_id, now)
                except StaleWrite:
                    pass
                else:
                    apply_own(state, event, ticket)
                    self._seen = event.seq
                    return state.tickets[ticket.id]
            with self._write() as tx:
                if tx.last_seq() != self._seen:
                    self._catch_up(tx)
                at = state.counters[counter_id].ticket_id
                ticket = state.tickets[at] if at is not None else None
                if ticket is None or ticket.state not in allowed:
                    ticket = self._at_counter(counter_id, allowed)  # refuses, saying why
                made = payload if isinstance(payload, Payload) else payload(ticket, counter_id, now)
                event = tx.emit(made, ticket.id, ticket.centre_id, now)
            apply(state, event)
            self._seen = event.seq
            return state.tickets[ticket.id]
        finally:
            self._release()

    def _recall_event(self, ticket: Ticket, counter_id: str, now: int) -> Payload:
        """The recall of a called ticket, or why it is refused."""
        if ticket.recalls >= self._queues[ticket.queue_id].recalls_before_no_show:
            raise InvalidStateError(
                f"ticket {ticket.number} was recalled {ticket.recalls} time(s), the most its "
                "queue allows; mark it a no-show",
                code="ticket.recall_limit",
                params={"number": ticket.number},
            )
        return E.TicketRecalled(counter_id, ticket.recalls + 1)

    def _no_show_event(self, ticket: Ticket, counter_id: str, now: int) -> Payload:
        """The no-show of a called ticket, or why it is too early for one."""
        queue = self._queues[ticket.queue_id]
        if ticket.recalls >= queue.recalls_before_no_show:
            return E.TicketNoShow(counter_id, "recalls")
        due_us = _no_show_due(ticket, queue, now)
        if now >= due_us:
            return E.TicketNoShow(counter_id, "timeout")
        due = local_time(due_us, self.tz)
        raise InvalidStateError(
            f"ticket {ticket.number} was recalled {ticket.recalls} of "
            f"{queue.recalls_before_no_show} time(s); recall it, or wait until "
            f"{due:%H:%M}, before marking it a no-show",
            code="ticket.recall_first",
            params={"number": ticket.number, "due": due},
        )

    def recall(self, counter_id: str) -> Ticket:
        """Call the counter's called ticket again (up to the queue's ``recalls_before_no_show``)."""
        ticket = self._at_counter_command(counter_id, _CALLED, self._recall_event)
        self.hooks.ticket_recalled(ticket, counter_id)
        self._render(ticket.centre_id)
        return ticket

    def start(self, counter_id: str) -> Ticket:
        """The called citizen arrived at the counter: the service begins."""
        ticket = self._at_counter_command(
            counter_id,
            _CALLED,
            self._starts.get(counter_id) or E.TicketStarted(counter_id),
        )
        heard = self._heard if self._hooks_seen == self._pm.changes else self._listening()
        if heard[_RENDER]:  # _render(), written out: every service starts
            self.hooks.render_display(self.screen(ticket.centre_id))
        return ticket

    def finish(self, counter_id: str) -> Ticket:
        """The service at the counter is done (a called ticket counts as served from its call)."""
        ticket = self._at_counter_command(
            counter_id,
            _AT_COUNTER,
            self._finishes.get(counter_id) or E.TicketFinished(counter_id),
        )
        heard = self._heard if self._hooks_seen == self._pm.changes else self._listening()
        if heard[_FINISHED]:
            self.hooks.ticket_finished(ticket)
        if heard[_RENDER]:
            self.hooks.render_display(self.screen(ticket.centre_id))
        return ticket

    def no_show(self, counter_id: str) -> Ticket:
        """The called citizen did not come: allowed after the recalls or the timeout."""
        ticket = self._at_counter_command(counter_id, _CALLED, self._no_show_event)
        self.hooks.ticket_no_show(ticket)
        self._render(ticket.centre_id)
        return ticket

    def expire_calls(self) -> list[Ticket]:
        """Mark every called ticket whose ``no_show_after`` ran out a no-show; return them."""
        expired: list[Ticket] = []
        # An earlier day's calls are closed with their day (by the day reset), not
        # marked no-shows; after it, each counter is looked at as it is now.
        self.roll_day()
        self.refresh()
        for counter_id in list(self.state.counters):
            counter = self.state.counters[counter_id]
            if counter.ticket_id is None:
                continue
            ticket = self.state.tickets[counter.ticket_id]
            queue = self._queues.get(ticket.queue_id)
            if (
                ticket.state is TicketState.CALLED
                and queue is not None
                and (now := self._now_us()) >= _no_show_due(ticket, queue, now)
            ):
                try:
                    expired.append(self.no_show(counter.id))
                except InvalidStateError:
                    continue  # another process served or ended it meanwhile
        return expired

    def put_back(self, counter_id: str) -> Ticket:
        """Put the counter's ticket back in its queue (it keeps its place by arrival)."""
        ticket = self._at_counter_command(
            counter_id,
            _AT_COUNTER,
            self._put_backs.get(counter_id) or E.TicketPutBack(counter_id),
        )
        self._render(ticket.centre_id)
        return ticket

    def transfer(self, ticket_id: str, queue_id: str) -> Ticket:
        """Move an open ticket to another queue; it keeps its number and first arrival."""
        queue = self._queue(queue_id)
        centre = self._queue_centre[queue_id]
        with self._lock:
            now = self._now_us()
            self._rolled(centre, now)
            with self._write() as tx:
                self._catch_up(tx)
                before = self._ticket(ticket_id)
                if not before.is_open:
                    raise InvalidStateError(
                        f"ticket {before.number} is {before.state.value}; only an open ticket moves"
                    )
                if before.queue_id == queue.id:
                    raise CommandError(
                        f"ticket {before.number} is already in queue '{queue.id}'",
                        code="ticket.same_queue",
                        params={"number": before.number},
                    )
                # A ticket of an earlier service day, at its own centre or at the one it
                # would join (whose day may have turned already), is not moved.
                home = self._centres.get(before.centre_id)
                for where in (home, centre):
                    if (
                        where is not None
                        and before.day is not None
                        and before.day < self._service_day(where, now)
                    ):
                        raise InvalidStateError(
                            f"ticket {before.number} is from an earlier day; issue a new one"
                        )
                own = self.state.own_priority.get(before.id)
                moved = E.TicketTransferred(
                    from_queue=before.queue_id,
                    to_queue=queue.id,
                    from_centre=before.centre_id,
                    priority=own if own is not None else queue.priority,
                    counter_id=before.counter_id if before.state in AT_COUNTER_STATES else None,
                )
                appended = [tx.emit(moved, before.id, centre.id, now)]
            self._absorb(appended)
            ticket = self.state.tickets[ticket_id]
        self.hooks.ticket_transferred(ticket, before.queue_id)
        self._render(centre.id)
        if before.centre_id != centre.id:
            self._render(before.centre_id)
        return ticket

    def cancel(self, ticket_id: str) -> Ticket:
        """Cancel an open ticket (the citizen left, or it was issued by mistake)."""
        centre = self._centres[self._ticket(ticket_id).centre_id]
        with self._lock:
            now = self._now_us()
            self._rolled(centre, now)
            with self._write() as tx:
                self._catch_up(tx)
                current = self._ticket(ticket_id)
                if not current.is_open:
                    raise InvalidStateError(
                        f"ticket {current.number} is {current.state.value}; only an open ticket "
                        "can be cancelled"
                    )
                at_counter = current.counter_id if current.state in AT_COUNTER_STATES else None
                cancelled = E.TicketCancelled("cancelled", at_counter)
                appended = [tx.emit(cancelled, current.id, current.centre_id, now)]
            self._absorb(appended)
            ticket = self.state.tickets[ticket_id]
        self._render(centre.id)
        return ticket

    # -- counters -----------------------------------------------------------------------

    def _counter_change(
        self,
        counter_id: str,
        action: str,
        *,
        ref: str = "",
        wanted: tuple[str, ...] = (),
    ) -> CounterState:
        """Run a counter command: :meth:`_counter_event` decides its event (or none)."""
        self._counter(counter_id)
        centre = self._counter_centre[counter_id]
        with self._lock:
            now = self._now_us()
            self._rolled(centre, now)
            with self._write() as tx:
                self._catch_up(tx)
                counter = self.state.counters[counter_id]
                payload = self._counter_event(counter, action, now, ref, wanted)
                appended = (
                    [tx.emit(payload, counter_id, counter.centre_id, now)]
                    if payload is not None
                    else []
                )
            self._absorb(appended)
            counter = self.state.counters[counter_id]
        for event in appended:
            # Who signed in stays in the log only: an employee reference is no log matter.
            log.info(event.kind, extra={"counter": counter_id, "centre": centre.id})
        self._render(centre.id)
        return counter

    def _counter_event(
        self, counter: CounterState, action: str, now: int, ref: str, wanted: tuple[str, ...]
    ) -> Payload | None:
        """The event a counter command appends, ``None`` when it changes nothing, or
        :class:`InvalidStateError` when the counter's state refuses it."""
        counter_id = counter.id
        if action == "sign_in":
            if counter.employee_ref == ref and counter.is_open:
                return None  # signing in twice changes nothing
            if counter.employee_ref is not None:
                raise InvalidStateError(
                    f"counter '{counter_id}' has another employee signed in; they sign out first"
                )
            return E.CounterSignedIn(ref, self._day(counter, now))
        if action == "sign_out":
            if counter.employee_ref is None:
                raise InvalidStateError(f"nobody is signed in at counter '{counter_id}'")
            self._check_free(counter)
            return E.CounterSignedOut()
        if action == "pause":
            if counter.status is not _OPEN:
                raise InvalidStateError(
                    f"counter '{counter_id}' is {counter.status.value}; only an open one pauses"
                )
            return E.CounterPaused()
        if action == "resume":
            if counter.status is not _PAUSED:
                raise InvalidStateError(f"counter '{counter_id}' is not paused")
            return E.CounterResumed(self._day(counter, now))
        if action == "open":
            if counter.status is not _CLOSED:
                raise InvalidStateError(f"counter '{counter_id}' is already open")
            return E.CounterOpened(self._day(counter, now))
        if action == "close":
            if counter.status is _CLOSED:
                raise InvalidStateError(f"counter '{counter_id}' is already closed")
            self._check_free(counter)
            return E.CounterClosed()
        # assign
        if counter.queue_ids == wanted:
            return None
        return E.QueuesAssigned(wanted, from_queues=counter.queue_ids)

    def _day(self, counter: CounterState, now: int) -> date:
        return self._service_day(self._centres[counter.centre_id], now)

    def sign_in(self, counter_id: str, employee_ref: str) -> CounterState:
        """An employee signs in at a counter, which opens it. ``employee_ref`` is no name."""
        ref = employee_ref.strip() if isinstance(employee_ref, str) else ""
        if not ref or len(ref) > MAX_EMPLOYEE_REF:
            raise CommandError(
                f"an employee reference is 1 to {MAX_EMPLOYEE_REF} characters "
                "(initials or a staff number, never a name)"
            )
        return self._counter_change(counter_id, "sign_in", ref=ref)

    def sign_out(self, counter_id: str) -> CounterState:
        """The employee leaves the counter, which closes it."""
        return self._counter_change(counter_id, "sign_out")

    def _check_free(self, counter: CounterState) -> None:
        if counter.ticket_id is not None:
            ticket = self.state.tickets[counter.ticket_id]
            raise InvalidStateError(
                f"counter '{counter.id}' still has ticket {ticket.number}; finish it or put it "
                "back first"
            )

    def pause(self, counter_id: str) -> CounterState:
        """The counter stops calling for a while (the current ticket is still served)."""
        return self._counter_change(counter_id, "pause")

    def resume(self, counter_id: str) -> CounterState:
        """A paused counter calls again."""
        return self._counter_change(counter_id, "resume")

    def open_counter(self, counter_id: str) -> CounterState:
        """A manager opens a counter (logged)."""
        return self._counter_change(counter_id, "open")

    def close_counter(self, counter_id: str) -> CounterState:
        """A manager closes a counter (logged); it must have no ticket at it."""
        return self._counter_change(counter_id, "close")

    def assign_queues(self, counter_id: str, queue_ids: Sequence[str]) -> CounterState:
        """A manager moves a counter to other queues of its centre (logged; reset at day end)."""
        self._counter(counter_id)
        centre = self._counter_centre[counter_id]
        wanted = list(queue_ids)
        if not wanted:
            raise CommandError(f"counter '{counter_id}' must serve at least one queue")
        if len(set(wanted)) != len(wanted):
            raise CommandError("a queue is listed twice")
        own = [q.id for q in centre.queues]
        for queue_id in wanted:
            self._queue(queue_id)
            if queue_id not in own:
                raise CommandError(
                    f"queue '{queue_id}' belongs to another centre than counter '{counter_id}'"
                )
        return self._counter_change(counter_id, "assign", wanted=tuple(wanted))

    # -- views --------------------------------------------------------------------------

    def ticket(self, ticket_id: str) -> Ticket:
        """A ticket by id (today's and yesterday's are kept)."""
        self.refresh()
        return self._ticket(ticket_id)

    def _current(self, tickets: list[Ticket], centre: Centre) -> list[Ticket]:
        """Leave out tickets of an earlier service day the day reset has not closed yet."""
        today = self._service_day(centre, self._now_us())
        return [t for t in tickets if t.day is None or t.day >= today]

    def waiting(self, queue_id: str) -> list[Ticket]:
        """Today's waiting tickets of a queue, in the order they joined it."""
        self._queue(queue_id)
        self.refresh()
        return self._current(self.state.waiting_tickets(queue_id), self._queue_centre[queue_id])

    def serving(self, counter_id: str) -> Ticket | None:
        """The ticket called to or served at a counter, if any."""
        self._counter(counter_id)
        self.refresh()
        current = self.state.counters[counter_id].ticket_id
        return self.state.tickets[current] if current is not None else None

    def counter(self, counter_id: str) -> CounterState:
        """One counter's state."""
        self._counter(counter_id)
        self.refresh()
        return self.state.counters[counter_id]

    def counters(self, centre_id: str) -> list[CounterState]:
        """The counters of a centre, in configuration order."""
        centre = self._centre(centre_id)
        self.refresh()
        return [self.state.counters[c.id] for c in centre.counters]

    def estimate(self, ticket_id: str) -> WaitEstimate:
        """People ahead of a ticket and its expected wait (method in ``queues.estimates``)."""
        self.refresh()
        ticket = self._ticket(ticket_id)
        # The moment as the state has it: a ticket issued just now shares it, made once.
        now = site_time(self.state, self._now_us())
        return estimate_ticket(self.state, ticket, now, self._fallbacks)

    def queue_status(self, centre_id: str) -> list[QueueStatus]:
        """Every queue of a centre as an info screen shows it."""
        centre = self._centre(centre_id)
        self.refresh()
        return [self._status(queue, centre) for queue in centre.queues]

    def queue_status_of(self, queue_id: str) -> QueueStatus:
        """One queue as an info screen shows it (what a kiosk's condition on the queue
        asks: the queue's own figures, without its centre's other queues)."""
        queue = self._queue(queue_id)
        self.refresh()
        return self._status(queue, self._queue_centre[queue_id])

    def _status(self, queue: Queue, centre: Centre) -> QueueStatus:
        state = self.state
        line = state.waiting.get(queue.id)
        waiting = len(self._current(list(line.values()), centre)) if line else 0
        # Open when an open counter serves it: when the counters it has add up to more than 0.
        counters = capacity(state, queue.id)
        fallback = self._fallbacks.get(queue.id)
        minutes = minutes_for(state, queue.id, waiting, fallback, counters)
        language = self.config.site.languages[0]
        name = text_in(queue.name, language)
        return QueueStatus(queue.id, name, waiting, minutes, counters[0] > 0)

    def screen(self, centre_id: str) -> ScreenState:
        """What the centre's info screens show: queues and the numbers called to counters."""
        statuses = self.queue_status(centre_id)
        centre = self._centres[centre_id]
        language = self.config.site.languages[0]
        called = []
        for configured in centre.counters:
            current = self.state.counters[configured.id].ticket_id
            if current is None:
                continue
            ticket = self.state.tickets[current]
            if ticket.called_at is not None:
                called.append(
                    CalledNumber(
                        ticket.number,
                        configured.id,
                        text_in(configured.name, language),
                        ticket.called_at,
                    )
                )
        called.sort(key=lambda c: c.called_at, reverse=True)
        return ScreenState(centre_id, self.clock.now(), tuple(statuses), tuple(called))

    def _render(self, centre_id: str) -> None:
        """Tell display plugins the screen changed; built only when one listens."""
        heard = self._heard if self._hooks_seen == self._pm.changes else self._listening()
        if heard[_RENDER]:
            self.hooks.render_display(self.screen(centre_id))

    def _listening(self) -> dict[str, bool]:
        """Per hook the engine fires, whether anybody listens: a hook nobody implements
        costs a command one dict lookup (asked again when the plugins change)."""
        changes = self._pm.changes
        if self._hooks_seen != changes:
            silent = self.hooks.silent
            self._heard = {hook: not silent(hook) for hook in _FIRED}
            self._hooks_seen = changes
        return self._heard
