"""The running display: the reception, its worker thread, the broadcaster and the state.

Changes reported by hooks are coalesced per centre: while a refresh of a
centre is pending, further changes ride along with it, so a burst of commands
costs one snapshot per screen, not one per command.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from frontdesk_core.api import (
    Booking,
    BookingCheckedIn,
    DeviceFault,
    Frontdesk,
    FrontdeskError,
    Ticket,
    TicketCalled,
    TicketRecalled,
    forecaster,
    short,
    text_in,
)
from frontdesk_display import plugin
from frontdesk_display.common.jsonable import jsonable
from frontdesk_display.live.broadcast import Broadcaster
from frontdesk_display.live.core import CoreRunner
from frontdesk_display.live.snapshot import FiguresCache, screen_payload, staff_payload
from frontdesk_display.live.state import DisplayState
from frontdesk_display.settings import DisplaySettings, settings_of
from frontdesk_display.speech.announcer import Announcer
from frontdesk_display.speech.service import Speech

log = logging.getLogger("frontdesk.display")
WATCH_SECONDS = 1.0
"""How often the event log is checked for changes made by other processes, besides
whenever the store says another process wrote (PostgreSQL's notifications)."""
DEMO_SECONDS = 2.0
"""How often a demonstration's simulated citizens and employees take their next step."""
HOUSEKEEPING_SECONDS = 30.0
"""How often the core's timed rules run (``Frontdesk.housekeeping``): call time-outs,
reminders, booking no-shows, purge of personal data."""
ADVICE_SECONDS = 60.0
"""How often the manager's staffing advice is worked out again (simulation method only)."""
CALLED, RECALLED, CHECKED_IN = TicketCalled.KIND, TicketRecalled.KIND, BookingCheckedIn.KIND
ANNOUNCED = (CALLED, RECALLED, CHECKED_IN)
"""Event kinds shown as they happen: a number called on the screens, a check-in pop-up."""
STALE_ANNOUNCEMENT = timedelta(minutes=1)
"""A call or check-in by another process older than this is not announced (only shown)."""
STALL_SECONDS = 0.1
"""An event-loop turn this much later than due is logged as a stall: while the loop is
held (a blocking call on it), no page, stream or kiosk is answered."""
LOOP_TICK = 0.05
"""How often the loop's punctuality is looked at."""
HEARD = 4096
"""How many announcements the hub remembers, so the log does not announce them twice."""

Heard = tuple[str, str, datetime | None]


def screen_topic(centre_id: str) -> str:
    """The topic info screens of a centre listen to."""
    return f"screen:{centre_id}"


def staff_topic(centre_id: str) -> str:
    """The topic staff dashboards of a centre listen to."""
    return f"staff:{centre_id}"


class Hub:
    """Everything a running display application shares."""

    def __init__(
        self,
        fd: Frontdesk,
        settings: DisplaySettings | None = None,
        *,
        demo: Callable[[], object] | None = None,
    ) -> None:
        self.fd = fd
        self.demo = demo
        """A demonstration's step (``DemoDriver.step``), run every ``DEMO_SECONDS``."""
        self.settings = settings if settings is not None else settings_of(fd.config)
        self.core = CoreRunner(fd)
        self.broadcaster = Broadcaster()
        self.state = DisplayState(fd, self.settings)
        self.figures = FiguresCache()
        self._pending: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._watcher: asyncio.Task[None] | None = None
        self._keeper: asyncio.Task[None] | None = None
        self._demo: asyncio.Task[None] | None = None
        self._forecaster: asyncio.Task[None] | None = None
        self._punctual: asyncio.Task[None] | None = None
        self._stop_listening: Callable[[], None] | None = None
        self.stalls = 0
        """Event-loop stalls seen so far (each is logged with its length)."""
        self._heard: OrderedDict[Heard, None] = OrderedDict()
        self._heard_lock = threading.Lock()
        speech = self.settings.speech
        self.speech = Speech(
            Path(speech.cache) if speech.cache else None,
            clips=Path(speech.clips) if speech.clips else None,
            voices=speech.voices,
        )
        self.announcer = Announcer(fd, self.core, self.speech, speech, self._speak)

    # -- life cycle ------------------------------------------------------------------

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Listen to the reception's hooks and deliver on ``loop``."""
        self.broadcaster.bind(loop)
        # The hooks find the hub in the Frontdesk's plugin state; they are the display
        # plugin's own, so a manager built without it (an integrator's) gets them here.
        if not self.fd.hooks.pm.is_registered(plugin):
            self.fd.hooks.pm.register(plugin)
        self.fd.plugin_state(plugin.STATE)["hub"] = self
        self._watcher = loop.create_task(self._watch())
        self._spawn_on(loop, self.announcer.start())
        self._keeper = loop.create_task(self._keep_house())
        if self.demo is not None:
            self._demo = loop.create_task(self._run_demo(self.demo))
        self._forecaster = loop.create_task(self._forecast())
        self._punctual = loop.create_task(self._watch_loop())

    def stop(self) -> None:
        """Stop listening and end every stream."""
        for task in (self._watcher, self._keeper, self._demo, self._forecaster, self._punctual):
            if task is not None:
                task.cancel()
        if self._stop_listening is not None:
            self._stop_listening()
        if self.fd.plugin_state(plugin.STATE).get("hub") is self:
            del self.fd.plugin_state(plugin.STATE)["hub"]
        self.broadcaster.close_all()
        self.core.close()

    # -- from hooks (any thread) -------------------------------------------------------

    def changed(self, centre_id: str) -> None:
        """Something of ``centre_id`` changed: refresh its screens and dashboards."""
        loop = self.broadcaster.loop
        if loop is None or loop.is_closed():
            return
        loop.call_soon_threadsafe(self._schedule, centre_id)

    def _hear(self, key: Heard) -> bool:
        """Remember an announcement; ``False`` when it was made already."""
        with self._heard_lock:
            if key in self._heard:
                return False
            self._heard[key] = None
            if len(self._heard) > HEARD:
                self._heard.popitem(last=False)
            return True

    def announce(self, ticket: Ticket, counter_id: str, *, recall: bool) -> None:
        """Show a called number on the screens before the full refresh arrives."""
        self._hear((RECALLED if recall else CALLED, ticket.id, ticket.called_at))
        payload = {
            "number": ticket.number,
            "counter_id": counter_id,
            "counter_name": self.counter_name(ticket.centre_id, counter_id),
            "recall": recall,
            "called_at": jsonable(ticket.called_at),
        }
        self.broadcaster.publish(screen_topic(ticket.centre_id), "announce", payload)
        self.changed(ticket.centre_id)
        loop = self.broadcaster.loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self.announcer.poke)

    def issued(self, ticket: Ticket) -> None:
        """A new ticket: refresh the screens and make its call's sound ahead of the call."""
        self.changed(ticket.centre_id)
        loop = self.broadcaster.loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(
                self.announcer.prepare, ticket.centre_id, ticket.queue_id, ticket.number
            )

    def _speak(self, centre_id: str, name: str, message: dict[str, Any]) -> None:
        """Tell the centre's info screens what to say, or to fetch (from the announcer)."""
        self.broadcaster.publish(screen_topic(centre_id), name, message)

    def checked_in(self, booking: Booking, ticket: Ticket) -> None:
        """Tell the dashboards of the centre; the right employee's page shows a pop-up."""
        self._hear((CHECKED_IN, ticket.id, None))
        service = ""
        if booking.service_id:
            try:
                service = text_in(
                    self.fd.config.service(booking.service_id).name, booking.language, "da"
                )
            except KeyError:
                service = booking.service_id
        payload = {
            "booking_code": booking.code,
            "service": service,
            "start": jsonable(booking.start),
            "counter_id": booking.counter_id,
            "queue_id": ticket.queue_id,
            "ticket_id": ticket.id,
            "number": ticket.number,
        }
        self.broadcaster.publish(staff_topic(ticket.centre_id), "checked_in", payload)
        self.changed(ticket.centre_id)

    def fault(self, fault: DeviceFault) -> None:
        """Record a device fault durably, then show it."""
        loop = self.broadcaster.loop
        if loop is None or loop.is_closed():
            log.warning("device fault before the server started", extra={"device": fault.device})
            return
        loop.call_soon_threadsafe(self._spawn, self._record_fault(fault))

    # -- on the event loop ------------------------------------------------------------------

    def _spawn(self, coroutine: Any) -> None:
        self._spawn_on(asyncio.get_running_loop(), coroutine)

    def _spawn_on(self, loop: asyncio.AbstractEventLoop, coroutine: Any) -> None:
        task = loop.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _schedule(self, centre_id: str) -> None:
        if centre_id in self._pending:
            return
        self._pending.add(centre_id)
        self._spawn(self._refresh(centre_id))

    async def _refresh(self, centre_id: str) -> None:
        self._pending.discard(centre_id)
        try:
            if self.broadcaster.subscribers(screen_topic(centre_id)):
                screen = await self.core.run(screen_payload, self.fd, self.state, centre_id)
                self.broadcaster.publish(screen_topic(centre_id), "state", screen)
            if self.broadcaster.subscribers(staff_topic(centre_id)):
                staff = await self.core.run(self.staff_status, centre_id)
                self.broadcaster.publish(staff_topic(centre_id), "status", staff)
        except Exception:  # a refresh must never take the server down
            log.exception("refreshing the screens failed", extra={"centre": centre_id})

    async def _watch(self) -> None:
        """Refresh the screens when another process (a second server, a command) wrote.

        Hooks only tell of this process's commands. A store that hears other
        processes' appends (PostgreSQL) wakes the watch at once; otherwise, and as a
        fallback while its listener connects again, one cheap look at the log's
        newest ``seq`` a second catches the rest. Calls and check-ins written
        elsewhere are announced from the log (the number on the screens, the
        employee's pop-up), once, and only while they are fresh. The browsers are
        still pushed to.
        """
        loop = asyncio.get_running_loop()
        woken = asyncio.Event()

        def heard(_seq: int) -> None:  # on the store's listener thread
            if not loop.is_closed():
                loop.call_soon_threadsafe(woken.set)

        seen = await self.core.run(self.fd.store.last_seq)
        self._stop_listening = self.fd.store.listen(heard)
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(woken.wait(), WATCH_SECONDS)
            woken.clear()
            try:
                newest = await self.core.run(self.fd.store.last_seq)
                if newest == seen:
                    continue
                seen = max(newest, await self.core.run(self.announce_from_log, seen))
            except Exception:  # the store closing under us at shutdown
                log.exception("reading the event log failed")
                continue
            for centre_id in self.centre_ids():
                self._schedule(centre_id)

    def announce_from_log(self, after: int) -> int:
        """Announce the calls and check-ins after ``after`` not yet heard of (on the core's
        thread); return the newest ``seq`` read."""
        newest = after
        now = self.fd.clock.now()
        for event in self.fd.store.read(after=after, kinds=ANNOUNCED):
            newest = max(newest, event.seq)
            if now - event.at > STALE_ANNOUNCEMENT:
                continue
            payload = event.payload
            try:
                if isinstance(payload, BookingCheckedIn):
                    ticket = self.fd.queues.ticket(str(payload.ticket_id))
                    if self._heard_of((CHECKED_IN, ticket.id, None)):
                        continue
                    self.checked_in(self.fd.booking.booking(event.key), ticket)
                elif not self._heard_of((event.kind, event.key, event.at)):
                    ticket = self.fd.queues.ticket(event.key)
                    counter_id = (
                        payload.counter_id
                        if isinstance(payload, TicketCalled | TicketRecalled)
                        else str(ticket.counter_id)
                    )
                    self.announce(ticket, counter_id, recall=event.kind == RECALLED)
            except FrontdeskError:  # the ticket or booking is gone (a day that ended)
                continue
        return newest

    def _heard_of(self, key: Heard) -> bool:
        with self._heard_lock:
            return key in self._heard

    async def _keep_house(self) -> None:
        """Run the core's timed rules (``fd.housekeeping``) every ``HOUSEKEEPING_SECONDS``;
        the core logs what each round did and any rule that failed."""
        while True:
            await asyncio.sleep(HOUSEKEEPING_SECONDS)
            try:
                await self.core.run(self.fd.housekeeping)
            except Exception:  # the next round tries again; the server stays up
                log.exception("housekeeping failed")

    async def _run_demo(self, step: Callable[[], object]) -> None:
        """Let a demonstration's citizens and employees act, on the core's thread."""
        while True:
            try:
                await self.core.run(step)
            except Exception:  # a step that fails is logged; the demonstration goes on
                log.exception("demo step failed")
            await asyncio.sleep(DEMO_SECONDS)

    async def _forecast(self) -> None:
        """Refresh the forecast every ``site.forecast.every`` (and the staffing advice every
        ``ADVICE_SECONDS``): the snapshot on the core's thread (it reads the engines), the
        simulation on a thread of its own, so no command and no page waits for it; screens
        whose forecasts changed are refreshed."""
        forecasts = forecaster(self.fd)
        shown: dict[str, str | None] = {}
        advised = 0.0
        while True:
            await asyncio.sleep(forecasts.settings.every.total_seconds())
            try:
                snapshot = await self.core.run(forecasts.snapshot)
                forecast = await asyncio.to_thread(forecasts.compute, snapshot)
                if time.monotonic() - advised >= ADVICE_SECONDS:
                    advised = time.monotonic()
                    await asyncio.to_thread(forecasts.advise, snapshot)
            except Exception:  # the next round tries again; the server stays up
                log.exception("forecast failed")
                continue
            for centre in self.fd.config.centres:
                texts = {q.id: forecast.queue(q.id) for q in centre.queues}
                now = {k: short(v.minutes) if v is not None else None for k, v in texts.items()}
                if any(shown.get(k) != v for k, v in now.items()):
                    shown.update(now)
                    self._schedule(centre.id)

    async def _watch_loop(self) -> None:
        """Log every event-loop stall longer than ``STALL_SECONDS`` (``stall_ms``)."""
        loop = asyncio.get_running_loop()
        while True:
            due = loop.time() + LOOP_TICK
            await asyncio.sleep(LOOP_TICK)
            late = loop.time() - due
            if late > STALL_SECONDS:
                self.stalls += 1
                log.warning("event loop stalled", extra={"stall_ms": round(late * 1000)})

    async def _record_fault(self, fault: DeviceFault) -> None:
        try:
            record = await self.core.run(self.state.record_fault, fault)
        except Exception:
            log.exception("recording a device fault failed")
            return
        if record is None:  # the same fault is open already
            return
        self.broadcaster.publish(staff_topic(fault.centre_id), "fault", record)
        self._schedule(fault.centre_id)

    # -- helpers ------------------------------------------------------------------------------

    def staff_status(self, centre_id: str) -> dict[str, Any]:
        """A dashboard's live state of a centre (on the core's thread)."""
        return staff_payload(self.fd, self.state, centre_id, self.figures)

    def counter_name(self, centre_id: str, counter_id: str) -> str:
        """A counter's name in the site's first language (its id when unknown)."""
        try:
            centre = self.fd.config.centre(centre_id)
        except KeyError:
            return counter_id
        for counter in centre.counters:
            if counter.id == counter_id:
                return text_in(counter.name, self.fd.config.site.languages[0])
        return counter_id

    def centre_ids(self) -> list[str]:
        """Every centre's id, in configuration order."""
        return [c.id for c in self.fd.config.centres]
