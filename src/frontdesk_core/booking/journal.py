"""The booking ledger kept in step with the event store.

Several processes (web booking, kiosks, dashboards) may share one store, so
every part of the booking engine catches up with the log before it decides, and
decides inside the store's exclusive transaction: two bookers can never both
take the last free counter. A :class:`Journal` holds what that needs: the
store, the clock, the :class:`~frontdesk_core.booking.ledger.Ledger` and the
lock that keeps the threads of one process from applying events twice. It also
starts the ledger from the store's checkpoint and writes new ones.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from frontdesk_core.booking import checkpoint
from frontdesk_core.booking.checkpoint import Entry
from frontdesk_core.booking.events import KINDS
from frontdesk_core.booking.ledger import Ledger
from frontdesk_core.clock import Clock, microseconds
from frontdesk_core.events.base import Payload
from frontdesk_core.store.base import Event, EventStore, NewEvent, Transaction

log = logging.getLogger("frontdesk.booking")


class Journal:
    """The store, the clock and the ledger derived from the store, under one lock.

    The pattern every change follows::

        with journal.lock:
            with journal.store.transaction() as tx:
                journal.catch_up(tx)
                ...  # decide on journal.ledger
                appended = tx.append(events)
            journal.absorb(appended)
    """

    def __init__(self, store: EventStore, clock: Clock, timezone: str) -> None:
        self.store = store
        self.clock = clock
        self.now_us = microseconds(clock)
        """The clock's time in microseconds since the epoch (what events are stamped with)."""
        self.timezone = timezone
        """The site's timezone key; a checkpoint made in another is not used."""
        self.tz = ZoneInfo(timezone)
        self.ledger = Ledger(self.tz)
        self.lock = threading.RLock()
        self._checkpoint_seq = 0
        self._restore()
        self._seen = self.ledger.seq
        """The newest ``seq`` of the log looked at (of any kind): a catch-up when nothing
        was written since is one compare, and otherwise reads only what is newer."""

    # -- the log ------------------------------------------------------------------------

    def catch_up(self, source: Transaction | None = None) -> None:
        """Apply the booking events appended since the last look (by anyone).

        Called before its caller appends anything (in its own transaction, or in a
        command's ``along`` hook, which runs before the command's events are written):
        a look that counted an append a rollback then took back would hide the next
        event written with that ``seq``.
        """
        reader: Transaction = source if source is not None else self.store
        last = reader.last_seq()
        if last == self._seen:
            return
        # Writes are numbered in commit order: nothing at or before the last look can be
        # new. An event read twice (a read outside a transaction may see past ``last``)
        # is skipped by the ledger.
        self.ledger.absorb(reader.read(after=max(self._seen, self.ledger.seq), kinds=KINDS))
        self._seen = last

    def absorb(self, appended: Iterable[Event]) -> None:
        """Apply events this process has just appended."""
        self.ledger.absorb(appended)

    def event(self, entry: Entry, payload: Payload) -> NewEvent:
        """A new event about the booking of ``entry``, stamped now."""
        booking = entry.booking
        return NewEvent.of(payload, booking.id, booking.centre_id, self.now_us())

    # -- time -------------------------------------------------------------------------------

    def now(self) -> int:
        """The clock's time in epoch seconds."""
        return self.now_us() // 1_000_000

    def dt(self, moment: int) -> datetime:
        """Epoch seconds as a local time of the site."""
        return datetime.fromtimestamp(moment, self.tz)

    # -- the checkpoint -----------------------------------------------------------------------

    @property
    def since_checkpoint(self) -> int:
        """How many events the ledger has taken since the last checkpoint (a sequence gap)."""
        return self.ledger.seq - self._checkpoint_seq

    def _restore(self) -> None:
        """Start from the store's checkpoint, if there is one this engine can use."""
        kept = self.store.get_checkpoint(checkpoint.NAME)
        if kept is None:
            return
        seq, data = kept
        try:
            if seq > self.store.last_seq():
                raise ValueError("the checkpoint claims events the log does not hold")
            entries, absences = checkpoint.load(data, self.tz, self.timezone)
        except ValueError as exc:
            log.warning("booking checkpoint ignored", extra={"reason": str(exc)})
            return
        self.ledger.load(entries, absences, seq)
        self._checkpoint_seq = seq
        log.info("booking checkpoint loaded", extra={"seq": seq, "bookings": len(entries)})

    def checkpoint(self, retention: timedelta) -> int:
        """Forget what ended longer than ``retention`` ago, keep the rest as the store's
        checkpoint, and return how many bookings it holds."""
        with self.lock:
            self.catch_up()
            self.ledger.forget_ended(self.now() - int(retention.total_seconds()))
            data = checkpoint.dump(
                list(self.ledger.entries.values()),
                list(self.ledger.absences.values()),
                self.timezone,
            )
            seq = self.ledger.seq
        self.store.put_checkpoint(checkpoint.NAME, seq, data)
        self._checkpoint_seq = seq
        log.info("booking checkpoint written", extra={"seq": seq, "bookings": len(data["entries"])})
        return len(data["entries"])
