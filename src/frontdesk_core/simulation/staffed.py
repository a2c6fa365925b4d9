"""Bookings follow the scenario's staffing, not the configuration's.

The booking engine offers a counter's times from its ``booking_hours`` (or the
centre's opening hours). In a what-if with other staffing, a counter that is
off duty in the scenario must not take bookings then, or booked citizens would
come for slots nobody serves. :func:`staffed_config` gives the configuration the
simulated day runs on: each counter takes bookings only while it is on duty.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time, tzinfo

from frontdesk_core.config.models import Centre, Config, Counter
from frontdesk_core.config.types import TimeRange
from frontdesk_core.opening.hours import WEEKDAYS, OpeningCalendar
from frontdesk_core.simulation.scenario import Scenario, counters_on_duty

Span = tuple[float, float]


def _time(minute: float) -> time:
    if minute >= 24 * 60:
        return time.max
    whole = round(minute)
    return time(whole // 60, whole % 60)


def _minute(moment: time) -> float:
    if moment == time.max:
        return 24 * 60.0
    return moment.hour * 60.0 + moment.minute


def intersect(ranges: list[TimeRange], spans: list[Span]) -> list[TimeRange]:
    """The parts of ``ranges`` inside the on-duty ``spans`` (minutes after midnight)."""
    out: list[TimeRange] = []
    for span_start, span_end in spans:
        for r in ranges:
            start, end = max(_minute(r.start), span_start), min(_minute(r.end), span_end)
            if end - start >= 1:
                out.append(TimeRange(_time(start), _time(end)))
    return sorted(out)


def staffed_config(
    scenario: Scenario, config: Config, centre_ids: Sequence[str], day: date, tz: tzinfo
) -> Config:
    """``config`` with each simulated counter taking bookings on ``day`` only while on duty."""
    weekday = WEEKDAYS[day.weekday()]
    centres: list[Centre] = []
    for centre in config.centres:
        if centre.id not in centre_ids:
            centres.append(centre)
            continue
        calendar = OpeningCalendar(centre, tz)
        opening = calendar.hours_on(day)
        duty = counters_on_duty(scenario, centre, day, opening, only_centre=len(centre_ids) == 1)
        counters: list[Counter] = []
        for counter in centre.counters:
            own = (
                list(getattr(counter.booking_hours, weekday))
                if counter.booking_hours is not None
                else opening
            )
            hours = counter.booking_hours or centre.opening_hours
            on_duty = intersect(own, duty.get(counter.id, []))
            counters.append(
                counter.model_copy(
                    update={"booking_hours": hours.model_copy(update={weekday: on_duty})}
                )
            )
        centres.append(centre.model_copy(update={"counters": counters}))
    return config.model_copy(update={"centres": centres})
