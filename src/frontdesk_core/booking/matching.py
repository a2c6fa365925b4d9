"""Whether one more booking fits the counters, moving bookings already made if needed.

A booking holds one counter for its whole window (appointment and buffers), and
only a counter that serves its service and is on duty for all of that window can
hold it. A new booking fits when *some* assignment of every booking to such a
counter, the new one included, leaves no counter with two overlapping windows —
not only when a counter is free as the bookings sit now. Bookings that move keep
their time; only their counter changes.

:func:`place` decides it exactly, cheapest test first:

1. a counter of the new booking is free over its window: take it, move nothing;
2. an *augmenting path*: the new booking takes a counter whose only booking in
   the way moves to another counter, whose only booking in the way moves on, and
   so on until one lands on a free counter (breadth first, so the path is short).
   Where the windows are equal and on one grid this is bipartite matching and
   already exact;
3. a necessary test that refuses most full times at once: at each moment of the
   new window the bookings running then, plus the new one, must match counters
   one to one (an augmenting path at that moment, from today's assignment);
4. otherwise an exact search over the bookings linked to the new one (those
   whose counter it or a linked booking could use, overlapping in time): they
   are seated in order of start, each on a counter free at its start, with the
   current counter tried first. Counters that are free and serve exactly the
   same bookings are interchangeable, so only one of them is tried, and a state
   that failed once (which counters are busy until when) is never searched
   again. It first holds bookings far from the new one where they are
   (:data:`REACH`), so a time that fits is mostly found in a small search. Centres
   have tens of counters, so this stays small; a search that still grows past its
   :class:`Budget` refuses rather than over-book (or take seconds).

Times are epoch seconds; counters are their ids. The module knows nothing of
the ledger: a :class:`Floor` says which bookings sit where.
"""

from __future__ import annotations

import logging
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from frontdesk_core.drafts import quick_init

log = logging.getLogger("frontdesk.booking")

SEARCH_BUDGET = 20_000
"""Steps of exact search one booking decision, or one list of free times, may take
before the searches still needed give up and refuse (never reached at the examples'
centres: ``benchmarks/bench_booking_matching.py`` counts it)."""

REACH = (3600, 4 * 3600, None)
"""The exact search first keeps bookings more than an hour away from the new one
where they are, then four hours, then none: most times that fit are found in the
small search; only a time that fits nowhere needs the whole one."""


@quick_init
@dataclass(frozen=True, slots=True)
class Job:
    """A booking's window and the counters that can hold it."""

    key: str
    start: int
    end: int
    counters: tuple[str, ...]
    """The counters that may hold it, in the configuration's order (one, if it must
    stay where it is)."""
    at: str | None
    """The counter holding it now; ``None`` for the booking being placed."""


class Floor(Protocol):
    """The bookings as they sit on the counters now."""

    def sitting(self, counter: str, start: int, end: int) -> list[Job]:
        """The jobs on ``counter`` whose windows overlap ``[start, end)``."""
        ...


@dataclass
class Budget:
    """Steps of exact search left to one decision or one list of free times, shared by
    every search it makes: a few searches may be large, but never without end."""

    left: int = 0
    spent: bool = False
    """Whether a search has run out (it is logged once)."""


def place(new: Job, floor: Floor, budget: Budget | None = None) -> dict[str, str] | None:
    """Where ``new`` goes and where the bookings that must make room go.

    Returns ``{key: counter}`` for ``new`` and for every job whose counter
    changes (nothing else), or ``None`` when no assignment of the bookings can
    take ``new`` — or none was found before ``budget`` (by default
    :data:`SEARCH_BUDGET` steps) ran out.
    """
    if budget is None:
        budget = Budget(SEARCH_BUDGET)
    for counter in new.counters:
        if not _others(floor.sitting(counter, new.start, new.end), new.key):
            return {new.key: counter}
    path = _augment(new, floor)
    if path is not None:
        return path
    if not all(_augments_at(new, floor, moment) for moment in _moments(new, floor)):
        return None
    for reach in REACH:
        jobs, whole = _linked(new, floor, reach)
        seats = _search(jobs, budget)
        if seats is not None:
            return {job.key: seats[job.key] for job in jobs if seats[job.key] != job.at}
        if whole:
            break  # no booking was held in place: the answer is final
    return None


def _others(jobs: list[Job], key: str) -> list[Job]:
    return [job for job in jobs if job.key != key]


def _augment(new: Job, floor: Floor) -> dict[str, str] | None:
    """A chain of single moves that frees a counter for ``new`` (see step 2)."""
    return _path(new, lambda job, counter: floor.sitting(counter, job.start, job.end))


def _path(new: Job, in_the_way: Callable[[Job, str], list[Job]]) -> dict[str, str] | None:
    """Breadth first from ``new``: a counter with nothing ``in_the_way`` of the job that
    wants it, reached through counters where exactly one job is in the way and moves on.
    Returns the seats of ``new`` and of the jobs that move."""
    seen: set[str] = set()
    came: dict[str, tuple[Job, str] | None] = {new.key: None}
    """For each job on the tree: the job that takes its counter, and that counter."""
    todo = deque([new])
    while todo:
        job = todo.popleft()
        for counter in job.counters:
            if counter in seen:
                continue
            seen.add(counter)
            blocking = _others(in_the_way(job, counter), job.key)
            if not blocking:
                moves = {job.key: counter}
                step = came[job.key]
                while step is not None:
                    taker, taken = step
                    moves[taker.key] = taken
                    step = came[taker.key]
                return moves
            if len(blocking) == 1 and blocking[0].key not in came:
                came[blocking[0].key] = (job, counter)
                todo.append(blocking[0])
    return None


def _moments(new: Job, floor: Floor) -> list[int]:
    """The moments of ``new``'s window where the set of bookings running that ``new``
    could meet changes: at each, those bookings and ``new`` must sit on different
    counters (see step 3)."""
    moments = {new.start}
    for counter in _reach(new, floor):
        for job in floor.sitting(counter, new.start, new.end):
            if new.start < job.start < new.end:
                moments.add(job.start)
    return sorted(moments)


def _reach(new: Job, floor: Floor) -> set[str]:
    """The counters ``new`` could reach by moving bookings that overlap its window."""
    reach = set(new.counters)
    todo = list(new.counters)
    while todo:
        for job in floor.sitting(todo.pop(), new.start, new.end):
            for counter in job.counters:
                if counter not in reach:
                    reach.add(counter)
                    todo.append(counter)
    return reach


def _augments_at(new: Job, floor: Floor, moment: int) -> bool:
    # At one moment a counter holds one booking at most: this is bipartite matching.
    return _path(new, lambda _, counter: floor.sitting(counter, moment, moment + 1)) is not None


def _linked(new: Job, floor: Floor, reach: int | None) -> tuple[list[Job], bool]:
    """``new`` and every booking that could have to move for it: one overlapping a
    linked job and sitting on a counter that job could use, and so on. The others
    never sit where a linked job could go, so they can stay as they are.

    With ``reach``, a linked booking that ends more than ``reach`` seconds before
    ``new`` starts, or starts as long after it ends, stays where it is (and links no
    further): a smaller search, whose answer is final only when none was held so
    (the second value)."""
    linked = {new.key: new}
    todo = [new]
    whole = True
    while todo:
        job = todo.pop()
        for counter in job.counters:
            for other in floor.sitting(counter, job.start, job.end):
                if other.key in linked:
                    continue
                if reach is not None and (
                    other.end <= new.start - reach or other.start >= new.end + reach
                ):
                    if len(other.counters) > 1:
                        whole = False
                        other = Job(other.key, other.start, other.end, (counter,), counter)
                    linked[other.key] = other
                    continue
                linked[other.key] = other
                todo.append(other)
    return list(linked.values()), whole


@dataclass
class _Frame:
    """One job of the search being seated: the counters left to try on it."""

    key: tuple[object, ...]
    options: list[str]
    releases: str | None
    """The job's current counter, counted out of ``held`` while the job is being seated."""
    tried: int = 0
    undo: tuple[str, int] | None = None


def _search(jobs: Sequence[Job], budget: Budget) -> dict[str, str] | None:
    """An assignment of every job to one of its counters with no overlap on a counter,
    keeping jobs on their current counter where it can (see step 4)."""
    order = sorted(jobs, key=lambda j: (j.start, j.end, j.key))
    counters = sorted({c for job in order for c in job.counters})
    # Counters serving exactly the same jobs are interchangeable while free.
    serves: dict[str, list[int]] = {c: [] for c in counters}
    for index, job in enumerate(order):
        for counter in job.counters:
            serves[counter].append(index)
    kinds: dict[tuple[int, ...], int] = {}
    kind = {c: kinds.setdefault(tuple(serves[c]), len(kinds)) for c in counters}
    held = Counter(job.at for job in order if job.at is not None)
    busy = dict.fromkeys(counters, -1)
    chosen: list[str] = []
    failed: set[tuple[object, ...]] = set()
    frames: list[_Frame] = []
    while len(frames) < len(order):
        job = order[len(frames)]
        budget.left -= 1
        if budget.left < 0:
            if not budget.spent:
                budget.spent = True
                log.warning(
                    "booking search gave up",
                    extra={"bookings": len(order), "counters": len(counters)},
                )
            return None
        state = (
            len(frames),
            tuple(sorted((kind[c], until) for c, until in busy.items() if until > job.start)),
        )
        options: list[str] = []
        releases = None
        if state not in failed:
            releases = job.at
            if releases is not None:
                held[releases] -= 1
            free = [c for c in job.counters if busy[c] <= job.start]
            free.sort(key=lambda c: (c != job.at, held[c]))
            kinds_tried: set[int] = set()
            for counter in free:
                if kind[counter] not in kinds_tried:
                    kinds_tried.add(kind[counter])
                    options.append(counter)
        frames.append(_Frame(state, options, releases))
        chosen.append("")
        # Take the next option of the deepest frame, going back up while none is left.
        while frames:
            frame = frames[-1]
            depth = len(frames) - 1
            current = order[depth]
            if frame.undo is not None:
                busy[frame.undo[0]] = frame.undo[1]
                frame.undo = None
            if frame.tried < len(frame.options):
                counter = frame.options[frame.tried]
                frame.tried += 1
                frame.undo = (counter, busy[counter])
                busy[counter] = current.end
                chosen[depth] = counter
                break
            failed.add(frame.key)
            if frame.releases is not None:
                held[frame.releases] += 1
            frames.pop()
            chosen.pop()
        if not frames:
            return None
    return {job.key: counter for job, counter in zip(order, chosen, strict=True)}
