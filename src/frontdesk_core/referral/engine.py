"""The referral engine: starts kiosk sessions and performs their outcomes.

    session = fd.referral.start("nyropsgade", language="da")
    session.answer("health_card"); session.answer("all")
    result = fd.referral.complete(session, kiosk_id="kiosk-1")
    result.ticket.number, result.show_number_on_screen

A queue outcome becomes a ticket through the queue engine and is printed at the
kiosk (a failed print still gives the ticket: the kiosk shows the number); a
citizen sent home or referred fires the matching hook; a check-in or a booking
is handed over to the booking engine. Every completed or abandoned session is
an event in the store (``kiosk.completed``, ``kiosk.abandoned``) without
personal data, so the path statistics survive restarts.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from frontdesk_core.booking.engine import CheckInResult
from frontdesk_core.booking.slots import Slot
from frontdesk_core.clock import microseconds
from frontdesk_core.config.suggest import unknown
from frontdesk_core.config.types import text_in
from frontdesk_core.devices import (
    NO_PRINTER,
    PRINT_HOOK,
    UNPRINTED,
    DeviceFault,
    PrintResult,
    QueueStatus,
    TicketPrint,
)
from frontdesk_core.drafts import quick_init
from frontdesk_core.errors import InvalidStateError, NotFoundError
from frontdesk_core.events import KioskAbandoned, KioskCompleted, NewEvent
from frontdesk_core.forecast.records import LatestForecasts, TicketForecast
from frontdesk_core.queues.estimates import WaitEstimate
from frontdesk_core.queues.tickets import Ticket
from frontdesk_core.referral.outcomes import (
    BookTime,
    CheckIn,
    Closed,
    Outcome,
    Referred,
    SentHome,
    TakeTicket,
)
from frontdesk_core.referral.session import (
    CompiledTree,
    KioskSession,
    SessionState,
    tree_of_centre,
)

if TYPE_CHECKING:
    from frontdesk_core.booking.engine import BookingEngine
    from frontdesk_core.clock import Clock
    from frontdesk_core.config.models import Config
    from frontdesk_core.plugins import Hooks
    from frontdesk_core.queues.engine import QueueEngine
    from frontdesk_core.store.base import EventStore

_ACTIVE = SessionState.ACTIVE
"""Read once: an enum member read off its class costs about as much as a call."""

COMPLETED = KioskCompleted.KIND
ABANDONED = KioskAbandoned.KIND

ENTER_BOOKING_CODE = "enter_booking_code"
"""``KioskResult.next_step`` of a check-in without a code: ask for the code or phone number."""
CHOOSE_SLOT = "choose_slot"
"""``KioskResult.next_step`` of a booking: let the citizen pick one of ``slots``."""


@quick_init
@dataclass(frozen=True, slots=True)
class KioskResult:
    """What the kiosk shows once a session's outcome is performed."""

    session_id: str
    outcome: Outcome
    message: str
    """The text to show, in the session's language."""
    ticket: Ticket | None = None
    wait: WaitEstimate | None = None
    forecast: TicketForecast | None = None
    """The latest forecast for a ticket taken now in the ticket's queue (its forecaster's)."""
    print_result: PrintResult | None = None
    show_number_on_screen: bool = False
    """The ticket was not printed (no kiosk given, or the printer failed): show the number."""
    slots: tuple[Slot, ...] = ()
    """For a booking: the next free times today to choose from."""
    check_in: CheckInResult | None = None
    where: str | None = None
    """Where to go or wait (the queue's waiting area, the booked counter's room)."""
    next_step: str | None = None
    """What the kiosk does next: :data:`ENTER_BOOKING_CODE`, :data:`CHOOSE_SLOT` or ``None``."""
    print_job: TicketPrint | None = None
    """A ticket still to print (``complete(..., print_later=True)``): hand the result to
    :meth:`ReferralEngine.print_ticket`, from any thread."""

    @property
    def kind(self) -> str:
        """The outcome's kind: ``queue``, ``closed``, ``send_home``, ``refer``, ``check_in``
        or ``book``."""
        return self.outcome.kind

    @property
    def printed(self) -> bool:
        """Whether a ticket was printed."""
        return self.print_result is not None and self.print_result.ok


@dataclass(frozen=True)
class NodeCount:
    """How many sessions ended (or were abandoned) at one node of a tree."""

    centre_id: str
    tree_id: str
    node_id: str
    kind: str
    """The outcome kind, or for an abandonment the kind of step that was shown."""
    count: int


@dataclass(frozen=True)
class PathStats:
    """Where kiosk sessions ended: outcome counts and where citizens walked away."""

    completed: int
    abandoned: int
    timed_out: int
    """Of the abandoned, how many the kiosk ended by a timeout."""
    outcomes: tuple[NodeCount, ...]
    """Completed sessions per outcome node, most frequent first."""
    abandoned_at: tuple[NodeCount, ...]
    """Abandoned sessions per node where they stopped, most frequent first."""
    by_kind: dict[str, int] = field(default_factory=dict)
    """Completed sessions per outcome kind."""

    @property
    def abandonment_rate(self) -> float:
        """The share of sessions that were abandoned (0 when there were none)."""
        total = self.completed + self.abandoned
        return self.abandoned / total if total else 0.0


class _EngineFacts:
    """Queue facts from the live queue engine."""

    def __init__(self, config: Config, queues: Callable[[], QueueEngine]) -> None:
        self.queues = queues
        self.centre_of = {q.id: c.id for c in config.centres for q in c.queues}

    def queue_status(self, queue_id: str) -> QueueStatus | None:
        if queue_id not in self.centre_of:
            return None
        return self.queues().queue_status_of(queue_id)


class ReferralEngine:
    """Kiosk sessions on the configured trees, and the outcomes they lead to.

    It receives what it uses: the configuration, the store (it records where
    sessions ended), the clock, the hooks, and the queue and booking engines as
    functions that give them when an outcome first needs one (a kiosk that only
    sends citizens home never builds either).
    """

    def __init__(
        self,
        config: Config,
        store: EventStore,
        clock: Clock,
        hooks: Hooks,
        *,
        queues: Callable[[], QueueEngine],
        booking: Callable[[], BookingEngine],
        forecast: Callable[[], LatestForecasts | None] | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.clock = clock
        self._now_us = microseconds(clock)
        self.hooks = hooks
        self._queues = queues
        self._booking = booking
        self._forecast = forecast
        self.functions = hooks.condition_functions()
        self.facts = _EngineFacts(config, queues)
        self._trees: dict[str, CompiledTree] = {}
        self._of_centre: dict[str, CompiledTree] = {}
        """The compiled tree by centre, once a session of the centre has asked for it."""
        self._lock = threading.Lock()
        self._kiosks = {c.id: [k.id for k in c.kiosks] for c in config.centres}
        """Each centre's kiosk ids (a completed session's kiosk is checked against them)."""

    def tree(self, centre_id: str) -> CompiledTree:
        """The compiled tree of a centre (compiled once, shared by its sessions)."""
        compiled = self._of_centre.get(centre_id)
        if compiled is not None:
            return compiled
        tree = tree_of_centre(self.config, centre_id)
        with self._lock:
            if tree.id not in self._trees:
                self._trees[tree.id] = CompiledTree(tree, self.config, self.functions)
            compiled = self._of_centre[centre_id] = self._trees[tree.id]
            return compiled

    def share_trees(self, trees: dict[str, CompiledTree]) -> None:
        """Keep the compiled trees in ``trees`` (by tree id), shared with other engines.

        For engines on configurations that differ in nothing a tree reads (its nodes,
        the site, the centres' names, addresses and hours, queues, services, documents,
        authorities), such as a simulation's days, whose counters alone differ: a tree
        compiled once keeps the steps and outcomes it has made for every engine.
        """
        with self._lock:
            self._trees = trees
            self._of_centre.clear()

    def start(
        self, centre_id: str, language: str = "da", *, session_id: str | None = None
    ) -> KioskSession:
        """A new session at a kiosk of ``centre_id``, in ``language``."""
        return KioskSession(
            self.tree(centre_id),
            centre_id=centre_id,
            language=language,
            clock=self.clock,
            facts=self.facts,
            listener=self,
            session_id=session_id,
        )

    # -- recording ----------------------------------------------------------------------------

    def session_abandoned(self, session: KioskSession, reason: str) -> None:
        """Record where a citizen walked away (called by the session)."""
        step = session.step
        left = KioskAbandoned(
            tree=session.tree_id,
            node=step.node_id,
            step=step.kind,
            reason=reason,
            language=session.language,
            path=tuple(session.path),
        )
        now = self.clock.now()
        self.store.append([NewEvent(ABANDONED, session.id, now, session.centre_id, left)])

    def _walk(self, session: KioskSession, outcome: Outcome, **extra: Any) -> NewEvent:
        """The record of the outcome; ``extra`` are :class:`KioskCompleted`'s optional fields."""
        completed = KioskCompleted(
            tree=session.tree_id,
            node=outcome.node_id,
            outcome=outcome.kind,
            language=session.language,
            path=tuple(session.path),
            **extra,
        )
        return NewEvent.of(completed, session.id, session.centre_id, self._now_us())

    def _record(self, session: KioskSession, outcome: Outcome, **extra: Any) -> None:
        """Record the outcome in its own transaction."""
        self.store.append([self._walk(session, outcome, **extra)])

    # -- performing outcomes -----------------------------------------------------------------------

    def complete(
        self,
        session: KioskSession,
        *,
        kiosk_id: str | None = None,
        booking_code: str | None = None,
        phone: str | None = None,
        print_later: bool = False,
    ) -> KioskResult:
        """Perform the session's outcome and close the session.

        ``kiosk_id`` is where a ticket is printed (none: the number is shown on
        screen). For a check-in, ``booking_code`` or ``phone`` checks in at once;
        without them the result asks for one (``next_step``) and the kiosk calls
        ``fd.booking.check_in`` itself. Errors leave the session as it was.

        With ``print_later`` the ticket is issued and recorded but not printed:
        the result carries the ``print_job``, and :meth:`print_ticket` prints it
        afterwards, on another thread if need be, so a slow or dead printer does
        not hold up whoever runs the commands (a server with one core thread).
        """
        outcome = session.outcome
        if session.state is not _ACTIVE:
            raise InvalidStateError(f"the session is {session.state.value}")
        if outcome is None:
            raise InvalidStateError("the session has not reached an outcome yet")
        if kiosk_id is not None:
            kiosks = self._kiosks[session.centre_id]
            if kiosk_id not in kiosks:
                where = f"centre '{session.centre_id}'"
                raise NotFoundError(unknown(f"kiosk in {where}", kiosk_id, kiosks))
        if isinstance(outcome, TakeTicket):
            # The citizen may have stood at the kiosk across the last-ticket time.
            outcome = session.closed_for(outcome) or outcome
        if isinstance(outcome, TakeTicket):
            result = self._take_ticket(session, outcome, kiosk_id, print_later)
        elif isinstance(outcome, Closed):
            self._record(session, outcome, queue=outcome.queue_id)
            result = KioskResult(session.id, outcome, outcome.text, where=None)
        elif isinstance(outcome, SentHome):
            self._record(
                session,
                outcome,
                missing=len(outcome.missing_documents),
                documents=outcome.missing_documents,
            )
            self.hooks.citizen_sent_home(outcome)
            result = KioskResult(session.id, outcome, outcome.text)
        elif isinstance(outcome, Referred):
            self._record(session, outcome, to=outcome.authority_id or outcome.to_centre_id)
            self.hooks.citizen_referred(outcome)
            result = KioskResult(session.id, outcome, outcome.text, where=outcome.where)
        elif isinstance(outcome, CheckIn):
            result = self._check_in(session, outcome, kiosk_id, booking_code, phone, print_later)
        else:
            result = self._book(session, outcome)
        session.mark_completed()
        return result

    def _take_ticket(
        self, session: KioskSession, outcome: TakeTicket, kiosk_id: str | None, print_later: bool
    ) -> KioskResult:
        # The walk is recorded in the ticket's own transaction: a citizen never has a
        # ticket without its record, nor a record of a ticket that was never issued.
        # Printing comes after the commit, so the record cannot say how it went (a
        # failed print is a device fault).
        ticket = self._queues().issue(
            outcome.queue_id,
            service_id=outcome.service_id,
            priority=outcome.priority,
            note=outcome.note,
            language=session.language,
            along=lambda ticket_id: [
                self._walk(session, outcome, queue=outcome.queue_id, ticket=ticket_id)
            ],
        )
        wait = self._queues().estimate(ticket.id)
        # The latest forecast for a ticket taken now in the queue: read, never computed here.
        forecaster = self._forecast() if self._forecast is not None else None
        forecast = forecaster.queue(ticket.queue_id) if forecaster is not None else None
        printed, deferred = self._print(
            ticket,
            wait,
            session.language,
            kiosk_id,
            outcome.where,
            outcome.text,
            print_later,
            forecast,
        )
        return KioskResult(
            session.id,
            outcome,
            outcome.text,
            ticket=ticket,
            wait=wait,
            forecast=forecast,
            print_result=printed,
            show_number_on_screen=printed is None or not printed.ok,
            where=outcome.where,
            print_job=deferred,
        )

    def _print(
        self,
        ticket: Ticket,
        wait: WaitEstimate,
        language: str,
        kiosk_id: str | None,
        where: str | None,
        text: str,
        later: bool,
        forecast: TicketForecast | None = None,
    ) -> tuple[PrintResult | None, TicketPrint | None]:
        """Print the kiosk's paper ticket for ``ticket`` now (the result), or hand the job
        back to be printed later; nothing without a kiosk. With no printer plugin to hear
        it (a simulated day), printing now gives the no-printer result without making
        the job."""
        if kiosk_id is None:
            return None, None
        if not later and self.hooks.silent(PRINT_HOOK):
            return UNPRINTED, None
        centre = self.config.centre(ticket.centre_id)
        queue = self.config.queue(ticket.queue_id)
        fallback = self.config.site.languages[0]
        job = TicketPrint(
            kiosk_id=kiosk_id,
            centre_id=centre.id,
            centre_name=text_in(dict(centre.name), language, fallback),
            number=ticket.number,
            queue_name=text_in(dict(queue.name), language, fallback),
            issued_at=ticket.issued_at,
            language=language,
            people_ahead=wait.people_ahead,
            expected_wait_minutes=wait.minutes,
            where=where,
            lines=(text,),
            expected_wait_text=(
                forecast.text(language)
                if forecast is not None and forecast.minutes is not None
                else None
            ),
        )
        if later:
            return None, job
        return self._send(job, ticket.centre_id), None

    def print_ticket(self, result: KioskResult) -> KioskResult:
        """Print a result's ``print_job`` (from ``complete(..., print_later=True)``).

        Safe on any thread: it reads no engine state. A failed print is reported
        as a device fault and the result says to show the number on the screen.
        """
        job = result.print_job
        if job is None or result.ticket is None:
            return result
        printed = self._send(job, result.ticket.centre_id)
        return replace(
            result, print_result=printed, show_number_on_screen=not printed.ok, print_job=None
        )

    def _send(self, job: TicketPrint, centre_id: str) -> PrintResult:
        """Print ``job``; a failure (other than "no printer here") is a device fault."""
        result = self.hooks.print_ticket(job)
        if not result.ok and result.fault != NO_PRINTER:
            # The ticket stands (the kiosk shows the number); the manager must hear of it.
            self.hooks.device_fault(
                DeviceFault(
                    device=f"printer:{job.kiosk_id}",
                    centre_id=centre_id,
                    kind=result.fault or "error",
                    detail=result.detail or "",
                    at=self.clock.now(),
                )
            )
        return result

    def _check_in(
        self,
        session: KioskSession,
        outcome: CheckIn,
        kiosk_id: str | None,
        code: str | None,
        phone: str | None,
        print_later: bool,
    ) -> KioskResult:
        if code is None and phone is None:
            self._record(session, outcome, handed_over=True)
            return KioskResult(session.id, outcome, outcome.text, next_step=ENTER_BOOKING_CODE)
        # A ticket, the booking's check-in and the walk's record are one transaction.
        checked = self._booking().check_in(
            code,
            phone=phone,
            language=session.language,
            along=lambda ticket_id, action: [
                self._walk(session, outcome, action=action.value, ticket=ticket_id)
            ],
        )
        ticket, wait, printed, deferred = checked.ticket, None, None, None
        if ticket is not None:
            wait = self._queues().estimate(ticket.id)
            printed, deferred = self._print(
                ticket, wait, session.language, kiosk_id, checked.where, "", print_later
            )
        else:  # too early, or late and to be booked again: no ticket, the walk alone
            self._record(session, outcome, action=checked.action.value, ticket=None)
        return KioskResult(
            session.id,
            outcome,
            outcome.text,
            ticket=ticket,
            wait=wait,
            print_result=printed,
            show_number_on_screen=ticket is not None and (printed is None or not printed.ok),
            check_in=checked,
            where=checked.where,
            print_job=deferred,
        )

    def _book(self, session: KioskSession, outcome: BookTime) -> KioskResult:
        slots = tuple(self._booking().next_free_today(outcome.service_id, limit=3))
        self._record(session, outcome, service=outcome.service_id, slots=len(slots))
        return KioskResult(session.id, outcome, outcome.text, slots=slots, next_step=CHOOSE_SLOT)

    # -- statistics --------------------------------------------------------------------------------

    def stats(
        self,
        *,
        centre_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> PathStats:
        """Outcome counts and where sessions were abandoned, from the event log."""
        ended: Counter[tuple[str, str, str, str]] = Counter()
        left: Counter[tuple[str, str, str, str]] = Counter()
        timed_out = 0
        for event in self.store.read(
            kinds=[COMPLETED, ABANDONED], centre_id=centre_id, since=since, until=until
        ):
            payload = event.payload
            if isinstance(payload, KioskCompleted):
                ended[(event.centre_id, payload.tree, payload.node, payload.outcome)] += 1
            elif isinstance(payload, KioskAbandoned):
                left[(event.centre_id, payload.tree, payload.node, payload.step)] += 1
                timed_out += payload.reason == "timeout"
        by_kind: Counter[str] = Counter()
        for key, count in ended.items():
            by_kind[key[3]] += count
        return PathStats(
            completed=sum(ended.values()),
            abandoned=sum(left.values()),
            timed_out=timed_out,
            outcomes=_counts(ended),
            abandoned_at=_counts(left),
            by_kind=dict(by_kind),
        )


def _counts(counter: Counter[tuple[str, str, str, str]]) -> tuple[NodeCount, ...]:
    rows = [NodeCount(*key, count=count) for key, count in counter.items()]
    return tuple(sorted(rows, key=lambda r: (-r.count, r.centre_id, r.tree_id, r.node_id)))
