"""Static checks of booking rules, run when a configuration is validated.

Shapes are valid here; what is checked is what the booking engine would stumble
on: counters that do not exist or cannot serve, time ranges that overlap,
exceptions given twice, an appointment that fits in no opening, rules under
which nothing can ever be booked.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from frontdesk_core.booking.model import ServiceBooking
from frontdesk_core.config.locate import Loc
from frontdesk_core.config.models import Centre, Config, Counter, Service, WeeklyHours
from frontdesk_core.config.suggest import unknown
from frontdesk_core.config.types import TimeRange, format_duration
from frontdesk_core.opening.hours import WEEKDAYS

if TYPE_CHECKING:
    from frontdesk_core.config.loader import LoadContext, Reporter


def check_booking(config: Config, context: LoadContext, reporter: Reporter) -> None:
    """Run every booking check, reporting problems with their positions."""
    for ci, centre in enumerate(config.centres):
        check_centre_hours(centre, ("centres", ci), reporter)
        check_centre_booking(centre, ("centres", ci), reporter)
    for i, service in enumerate(config.services):
        if service.booking is not None:
            check_service(config, service, service.booking, ("services", i), reporter)


# --- overlapping rules ------------------------------------------------------------------


def check_ranges(ranges: Sequence[TimeRange], loc: Loc, what: str, reporter: Reporter) -> None:
    """Report each range that overlaps an earlier one of the same list."""
    for j, later in enumerate(ranges):
        for earlier in ranges[:j]:
            if later.start < earlier.end and earlier.start < later.end:
                reporter.error((*loc, j), f"{what}: {later} overlaps {earlier}")
                break


def check_week(hours: WeeklyHours, loc: Loc, what: str, reporter: Reporter) -> None:
    """Each weekday's ranges do not overlap."""
    for day in WEEKDAYS:
        check_ranges(getattr(hours, day), (*loc, day), f"{what} on {day}", reporter)


def check_centre_hours(centre: Centre, loc: Loc, reporter: Reporter) -> None:
    """Opening hours, exceptions and counters' booking hours have no overlapping ranges,
    and no date has two exceptions."""
    check_week(centre.opening_hours, (*loc, "opening_hours"), "opening hours", reporter)
    seen: dict[object, int] = {}
    for j, exception in enumerate(centre.exceptions):
        ex_loc = (*loc, "exceptions", j)
        check_ranges(exception.hours, (*ex_loc, "hours"), f"hours on {exception.date}", reporter)
        if exception.date in seen:
            where = reporter.document.position((*loc, "exceptions", seen[exception.date]))
            reporter.error(
                (*ex_loc, "date"),
                f"{exception.date} already has an exception (at {where.file}:{where.line}); "
                "give each date once",
            )
        else:
            seen[exception.date] = j
    for k, counter in enumerate(centre.counters):
        if counter.booking_hours is not None:
            check_week(
                counter.booking_hours,
                (*loc, "counters", k, "booking_hours"),
                f"booking hours of counter '{counter.id}'",
                reporter,
            )


def check_centre_booking(centre: Centre, loc: Loc, reporter: Reporter) -> None:
    """Breaks name counters of the centre and do not overlap; the walk-in queue exists."""
    rules = centre.booking
    counters = [c.id for c in centre.counters]
    queues = [q.id for q in centre.queues]
    for b, brk in enumerate(rules.breaks):
        b_loc = (*loc, "booking", "breaks", b)
        for j, counter_id in enumerate(brk.counters or []):
            if counter_id not in counters:
                reporter.error(
                    (*b_loc, "counters", j),
                    unknown("counter", counter_id, counters, f" in centre '{centre.id}'"),
                )
        for earlier in rules.breaks[:b]:
            days = [d for d in brk.weekdays if d in earlier.weekdays]
            same_counters = (
                brk.counters is None
                or earlier.counters is None
                or bool(set(brk.counters) & set(earlier.counters))
            )
            overlap = brk.time.start < earlier.time.end and earlier.time.start < brk.time.end
            if days and same_counters and overlap:
                reporter.error(
                    (*b_loc, "time"),
                    f"the break {brk.time} overlaps the break {earlier.time} on {days[0]}",
                )
                break
    if rules.walk_in_queue is not None and rules.walk_in_queue not in queues:
        reporter.error(
            (*loc, "booking", "walk_in_queue"),
            unknown("queue", rules.walk_in_queue, queues, f" in centre '{centre.id}'"),
        )
    elif rules.walk_in_queue is not None and rules.late_arrival != "walk_in":
        reporter.error(
            (*loc, "booking", "walk_in_queue"),
            f"walk_in_queue is only used with late_arrival 'walk_in' "
            f"(this centre has '{rules.late_arrival}')",
        )


# --- services ------------------------------------------------------------------------------


def check_service(
    config: Config, service: Service, rules: ServiceBooking, loc: Loc, reporter: Reporter
) -> None:
    """A bookable service: its counters exist and serve it, someone can serve it, and an
    appointment fits in some opening."""
    b_loc = (*loc, "booking")
    try:
        centre = config.centre_of_queue(service.queue)
    except KeyError:
        return  # the unknown queue is reported by the service checks
    if rules.duration <= timedelta(0):
        reporter.error((*b_loc, "duration"), "the duration must be longer than zero")
        return
    if rules.slot_step is not None and rules.slot_step <= timedelta(0):
        reporter.error((*b_loc, "slot_step"), "the slot step must be longer than zero")
    if rules.min_notice >= rules.horizon:
        reporter.error(
            (*b_loc, "min_notice"),
            f"nothing can ever be booked: the minimum notice ({format_duration(rules.min_notice)})"
            f" is not shorter than the horizon ({format_duration(rules.horizon)})",
        )
    for j, channel in enumerate(rules.channels):
        if channel in rules.channels[:j]:
            reporter.error((*b_loc, "channels", j), f"the channel '{channel}' is listed twice")
    names = [c.id for c in centre.counters]
    serving: list[Counter] = []
    if rules.counters is not None:
        for j, counter_id in enumerate(rules.counters):
            counter = next((c for c in centre.counters if c.id == counter_id), None)
            if counter is None:
                reporter.error(
                    (*b_loc, "counters", j),
                    unknown("counter", counter_id, names, f" in centre '{centre.id}'"),
                )
            elif service.queue not in counter.queues:
                reporter.error(
                    (*b_loc, "counters", j),
                    f"counter '{counter_id}' does not serve the queue '{service.queue}' of this "
                    f"service, so it could not call the booked citizens; add the queue to it",
                )
            else:
                serving.append(counter)
        if len(serving) < len(rules.counters):
            return  # the fit below would only repeat the problems above
    else:
        known_queues = {q.id for q in centre.queues}
        if any(q not in known_queues for c in centre.counters for q in c.queues):
            return  # a misspelt queue of a counter is reported already and may be the cause
        serving = [c for c in centre.counters if service.queue in c.queues]
        if not serving:
            reporter.error(
                b_loc,
                f"service '{service.id}' can be booked but no counter of centre '{centre.id}' "
                f"serves its queue '{service.queue}'; add the queue to a counter or list "
                "booking.counters",
                at_key=True,
            )
            return
    check_fit(centre, serving, rules, b_loc, reporter)


def _longest(ranges: Sequence[TimeRange]) -> timedelta:
    return max((r.length for r in ranges), default=timedelta(0))


def _overlap(a: TimeRange, b: TimeRange) -> timedelta:
    start, end = max(a.start, b.start), min(a.end, b.end)
    return TimeRange(start, end).length if start < end else timedelta(0)


def check_fit(
    centre: Centre, serving: Sequence[Counter], rules: ServiceBooking, loc: Loc, reporter: Reporter
) -> None:
    """An appointment with its buffers fits in the longest time some counter is on duty."""
    need = rules.duration + rules.buffer_before + rules.buffer_after
    longest = timedelta(0)
    for day in WEEKDAYS:
        opening: list[TimeRange] = getattr(centre.opening_hours, day)
        for counter in serving:
            if counter.booking_hours is None:
                longest = max(longest, _longest(opening))
            else:
                own: list[TimeRange] = getattr(counter.booking_hours, day)
                for a in opening:
                    for b in own:
                        longest = max(longest, _overlap(a, b))
    for exception in centre.exceptions:
        day = WEEKDAYS[exception.date.weekday()]
        for counter in serving:
            if counter.booking_hours is None:
                longest = max(longest, _longest(exception.hours))
            else:
                for a in exception.hours:
                    for b in getattr(counter.booking_hours, day):
                        longest = max(longest, _overlap(a, b))
    if longest == timedelta(0):
        reporter.error(
            loc,
            f"no counter that serves this service takes bookings while centre '{centre.id}' "
            "is open, so nothing can be booked",
            at_key=True,
        )
    elif need > longest:
        with_buffers = "" if need == rules.duration else f" ({format_duration(need)} with buffers)"
        reporter.error(
            (*loc, "duration"),
            f"an appointment of {format_duration(rules.duration)}{with_buffers} is longer than "
            f"any time a counter serving it takes bookings in centre '{centre.id}' "
            f"(the longest is {format_duration(longest)})",
        )
