"""The timed rules: what has to happen because time passed, in one call.

Commands change the state when someone gives them; these rules fall due by the
clock alone:

* ``days_ended``: once a centre's ``day_reset`` has passed, its earlier service
  day is ended (what it left open is closed, and the day's end is recorded even
  when nothing was), so the live state forgets the day's tickets and the next
  start-up replays the log from there
  (:meth:`~frontdesk_core.queues.engine.QueueEngine.roll_day`);
* ``tickets_expired``: a called ticket whose queue's ``no_show_after`` ran out
  becomes a no-show (:meth:`~frontdesk_core.queues.engine.QueueEngine.expire_calls`);
* ``reminders_sent``: a booking reminder (``site.booking.reminders``) that fell
  due is sent, once, through the ``booking_reminder_due`` hook (the SMS plugin
  turns it into an SMS);
* ``booking_no_shows``: an in-person booking not checked in by the end of its
  time plus the centre's late check-in window is recorded as a no-show;
* ``personal_purged``: phone numbers and names past the retention period are
  deleted;
* ``checkpoint_written``: once enough events have come since the last one, the
  booking checkpoint is written, so the next start-up reads fewer events.

:meth:`Frontdesk.housekeeping <frontdesk_core.app.Frontdesk.housekeeping>` runs
each rule once and returns a :class:`HousekeepingReport`. Call it every so often:
``frontdesk serve`` does every 30 seconds; an integrator without the display
plugin calls it from their own loop or a timer. Every rule decides inside the
store's transaction from the injected clock and writes what it did, so a second
call with nothing newly due changes nothing, and several processes on one store
may all call it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from frontdesk_core.logs import redact

if TYPE_CHECKING:
    from frontdesk_core.app import Frontdesk

log = logging.getLogger("frontdesk.housekeeping")

MAX_DETAIL = 200
"""How much of a failing rule's error message a report keeps."""


@dataclass(frozen=True)
class RuleFailure:
    """A timed rule that raised: the others still ran."""

    rule: str
    """The rule's name, as in :data:`RULES`."""
    error: str
    """The error's class name."""
    detail: str
    """The error's message, with personal data masked and cut to a readable length."""


@dataclass(frozen=True)
class HousekeepingReport:
    """What one round of the timed rules did (a failed rule counts 0)."""

    at: datetime
    """The injected clock's time when the round began."""
    tickets_expired: int = 0
    """Called tickets that became no-shows because ``no_show_after`` ran out."""
    reminders_sent: int = 0
    """Booking reminders that fell due and were handed to ``booking_reminder_due``."""
    booking_no_shows: int = 0
    """In-person bookings recorded as no-shows (not checked in in time)."""
    personal_purged: int = 0
    """Personal-data records (phone number, name) deleted after the retention period."""
    checkpoint_written: bool = False
    """Whether the booking checkpoint was written this round."""
    days_ended: int = 0
    """Centres whose earlier service days were ended (leftovers closed, the day's end
    recorded): each centre once its ``day_reset`` has passed, even when nobody works."""
    failures: tuple[RuleFailure, ...] = ()
    """The rules that raised, in the order they ran."""

    @property
    def ok(self) -> bool:
        """Whether every rule ran without an error."""
        return not self.failures

    @property
    def changed(self) -> bool:
        """Whether any rule did anything (a quiet round changes nothing)."""
        return any(self.figures().values())

    def figures(self) -> dict[str, int]:
        """The counts by rule, flat, for a log line or a table."""
        return {
            "tickets_expired": self.tickets_expired,
            "reminders_sent": self.reminders_sent,
            "booking_no_shows": self.booking_no_shows,
            "personal_purged": self.personal_purged,
            "checkpoint_written": int(self.checkpoint_written),
            "days_ended": self.days_ended,
        }


RULES = (
    "days_ended",
    "tickets_expired",
    "reminders_sent",
    "booking_no_shows",
    "personal_purged",
    "checkpoint_written",
)
"""The timed rules, in the order a round runs them."""


class Housekeeper:
    """Runs the timed rules of one :class:`~frontdesk_core.app.Frontdesk` (``fd.housekeeping``)."""

    def __init__(self, frontdesk: Frontdesk) -> None:
        self._fd = frontdesk
        # One round at a time in a process: two threads' rounds would only repeat each other.
        self._lock = threading.Lock()
        self._checkpointed: int | None = None
        """The log's ``seq`` when the booking checkpoint was last written (read once)."""

    def run(self, now: datetime | None = None) -> HousekeepingReport:
        """Run every rule once; see :meth:`Frontdesk.housekeeping`."""
        with self._lock:
            at = self._fd.clock.now()
            if now is not None:
                _check_due_by(now, at)
            done: dict[str, int] = {}
            failures: list[RuleFailure] = []
            for rule, run_rule in self._rules():
                try:
                    done[rule] = run_rule()
                except Exception as exc:  # one broken rule must not stop the others
                    failure = RuleFailure(rule, type(exc).__name__, redact(str(exc))[:MAX_DETAIL])
                    failures.append(failure)
                    log.error(
                        "housekeeping rule failed",
                        extra={"rule": rule, "error": failure.error, "detail": failure.detail},
                    )
        report = HousekeepingReport(
            at=at,
            tickets_expired=done.get("tickets_expired", 0),
            reminders_sent=done.get("reminders_sent", 0),
            booking_no_shows=done.get("booking_no_shows", 0),
            personal_purged=done.get("personal_purged", 0),
            checkpoint_written=bool(done.get("checkpoint_written", 0)),
            days_ended=done.get("days_ended", 0),
            failures=tuple(failures),
        )
        if report.changed:
            log.info("housekeeping", extra=report.figures())
        return report

    def _rules(self) -> tuple[tuple[str, Callable[[], int]], ...]:
        fd = self._fd
        # Lambdas, so that an engine failing to build counts as its rule's failure.
        return (
            ("days_ended", lambda: fd.queues.roll_day()),  # first: the other rules do it too
            ("tickets_expired", lambda: len(fd.queues.expire_calls())),
            ("reminders_sent", lambda: fd.booking.send_due_reminders()),
            ("booking_no_shows", lambda: fd.booking.mark_no_shows()),
            ("personal_purged", lambda: fd.booking.purge()),
            ("checkpoint_written", self._checkpoint_if_due),
        )

    def _checkpoint_if_due(self) -> int:
        """Write the booking checkpoint once ``CHECKPOINT_EVERY`` events came since the last."""
        # Here, not at the top: the package root exports this module's records, and importing
        # the booking engine there would load it for every user of the package.
        from frontdesk_core.booking import checkpoint
        from frontdesk_core.booking.engine import CHECKPOINT_EVERY

        store = self._fd.store
        newest = store.last_seq()
        if self._checkpointed is None:
            kept = store.get_checkpoint(checkpoint.NAME)
            self._checkpointed = kept[0] if kept is not None else 0
        if newest - self._checkpointed < CHECKPOINT_EVERY:
            return 0
        self._fd.booking.checkpoint()
        self._checkpointed = newest
        return 1


def _check_due_by(now: datetime, clock_now: datetime) -> None:
    """Refuse a round asked for a time the injected clock has not reached.

    The rules decide by the injected clock (the events they write carry its
    time), so a round covers everything due by the clock's time, and so by any
    earlier ``now``; a later ``now`` cannot be honoured.
    """
    if now.tzinfo is None:
        raise ValueError("give the time with a timezone (an aware datetime)")
    if now > clock_now:
        raise ValueError(
            f"the clock reads {clock_now.isoformat()}, before {now.isoformat()}: "
            "the rules due by then cannot run yet"
        )


__all__ = ["RULES", "Housekeeper", "HousekeepingReport", "RuleFailure"]
