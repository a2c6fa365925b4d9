"""The seating match's answers, kept until an event could change them.

A kiosk offering a walk-in the next free times today asks, on every offer, whether
each full time on the grid still fits by moving bookings (see
:mod:`frontdesk_core.booking.matching`); most of them were asked a minute ago and
nothing near them has changed since. The match is a function of what it reads: the
bookings sitting on some counters over some spans of time, each with its window, its
counter and the counters it may move to (its state, whether it has begun, the
configuration and the absences). So an answer is kept with what it read, and:

* the :class:`~frontdesk_core.booking.ledger.Ledger` drops every answer that read a
  span an event touches (a booking made, moved, reassigned, cancelled, checked in,
  missed or done: its counter over its window, before and after), and all of them on
  an absence, a checkpoint loaded or bookings forgotten; being fed by the reducer,
  it sees the events of every process sharing the store;
* an answer holds only while the clock stays on the same side of the start of every
  booked appointment it read (a booking that has begun may no longer move);
* it is used only where the match would have had at least the search steps it took
  left in its :class:`~frontdesk_core.booking.matching.Budget`, and those are spent
  as if it had run: a search that runs out of budget gives a different answer, so
  such answers are never kept.

Then a kept answer is exactly what the match would answer now.

The bookings the match reads are kept too, as jobs (where each sits and where it may
move), for the next question: a job holds while the ledger has the same record of its
booking (every event about a booking replaces the record) and the clock is on the same
side of its start; an absence drops them with the answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from frontdesk_core.booking.matching import Job

Key = tuple[int, int, tuple[str, ...]]
"""A question: the new booking's window (epoch seconds) and the counters it may take."""

Read = tuple[str, int, int]
"""A span of one counter the match looked at: ``(counter, start, end)``."""

ENTRIES_KEPT = 50_000
"""How many read spans (over all answers, dropped ones included until passed) are kept
before every answer is dropped and kept afresh."""

JOBS_KEPT = 20_000
"""How many bookings' jobs are kept before they are all dropped and kept afresh."""

BUCKET = 3600
"""Answers are indexed by counter and hour, so an event looks at those near it only."""


@dataclass(frozen=True)
class Answer:
    """What the match answered, what it read, and while when it holds."""

    seats: tuple[tuple[str, str], ...] | None
    """Where the new booking and the bookings moved for it go; ``None``: it does not fit."""
    steps: int
    """The exact-search steps it took from its budget."""
    reads: tuple[Read, ...]
    since: int
    """It holds from this epoch second (the latest start of a booking read as begun) ..."""
    until: int
    """... to before this one (the earliest start of a booking read as not yet begun)."""


class Fits:
    """Kept answers of the seating match, by question (see the module's docstring)."""

    def __init__(self) -> None:
        self._answers: dict[Key, Answer] = {}
        self._near: dict[tuple[str, int], list[tuple[int, int, Key, Answer]]] = {}
        """By counter and hour: the spans of it read in that hour, each with its answer.
        An entry whose answer is no longer kept is stale, and goes when next passed."""
        self._entries = 0
        self._jobs: dict[str, tuple[object, bool, Job]] = {}

    @property
    def jobs(self) -> Mapping[str, tuple[object, bool, Job]]:
        """Bookings seen as jobs of the match, by id: the booking record they were made
        from, whether it had begun, and the job (the floor checks they still hold)."""
        return self._jobs

    def keep_job(self, booking_id: str, kept: tuple[object, bool, Job]) -> None:
        """Keep a booking's job (see :attr:`jobs`)."""
        if len(self._jobs) >= JOBS_KEPT:
            self._jobs.clear()
        self._jobs[booking_id] = kept

    def __len__(self) -> int:
        return len(self._answers)

    def get(self, key: Key, now: int) -> Answer | None:
        """The kept answer to ``key``, if it still holds at ``now``."""
        answer = self._answers.get(key)
        if answer is None or not answer.since <= now < answer.until:
            return None
        return answer

    def keep(self, key: Key, answer: Answer) -> None:
        """Keep ``answer`` to ``key`` (in place of an earlier one)."""
        if self._entries >= ENTRIES_KEPT:
            self.clear()
        self._answers[key] = answer
        for counter, start, end in answer.reads:
            for hour in range(start // BUCKET, (max(end, start + 1) - 1) // BUCKET + 1):
                self._near.setdefault((counter, hour), []).append((start, end, key, answer))
                self._entries += 1

    def touch(self, counter: str | None, start: int, end: int) -> None:
        """An event changed what sits on ``counter`` over ``[start, end)``: drop the
        answers that read any of it."""
        if counter is None or not self._answers:
            return
        answers = self._answers
        for hour in range(start // BUCKET, (max(end, start + 1) - 1) // BUCKET + 1):
            place = (counter, hour)
            near = self._near.get(place)
            if not near:
                continue
            kept = []
            for entry in near:
                read_start, read_end, key, answer = entry
                if answers.get(key) is not answer:
                    continue  # stale
                if read_start < end and start < read_end:
                    del answers[key]
                    continue
                kept.append(entry)
            self._entries -= len(near) - len(kept)
            if kept:
                self._near[place] = kept
            else:
                del self._near[place]

    def clear(self) -> None:
        """Drop every answer."""
        self._answers.clear()
        self._near.clear()
        self._entries = 0
        self._jobs.clear()
