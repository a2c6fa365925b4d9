"""``frontdesk purge``, ``frontdesk slots`` and ``frontdesk absence``: booking chores for
operators, consultants and managers."""

from __future__ import annotations

import argparse
from collections import defaultdict
from datetime import date, datetime, timedelta

from frontdesk_core.app import Frontdesk
from frontdesk_core.booking.records import AbsenceReason, AbsenceResult, Booking
from frontdesk_core.booking.slots import Slot
from frontdesk_core.clock import SystemClock
from frontdesk_core.config.types import format_duration
from frontdesk_core.errors import CommandError
from frontdesk_core.hookspecs import Command
from frontdesk_core.opening.hours import OpeningCalendar

SLOTS_PER_LINE = 8


def _configure_purge(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", required=True, help="the configuration file or directory")
    parser.add_argument("--db", required=True, help="the store (a SQLite file)")


def run_purge(args: argparse.Namespace) -> int:
    """Delete personal data whose retention has run out; the anonymous events stay.
    Also writes the booking checkpoint, so the next start-up reads only newer events."""
    with Frontdesk.open(args.config, store=args.db, plugins=args.hooks.pm) as fd:
        purged = fd.booking.purge()
        kept = fd.booking.checkpoint()
        retention = format_duration(fd.config.site.booking.retention)
    print(f"{purged} personal record(s) deleted (retention {retention} after the appointment)")
    print(f"checkpoint written: {kept} booking(s) within retention or still to come")
    return 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date; write it like 2026-11-24"
        ) from None


def _configure_slots(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("config", help="the configuration file or directory")
    parser.add_argument("--service", required=True, help="the id of a bookable service")
    parser.add_argument("--from", dest="start", type=_day, help="first day (default: today)")
    parser.add_argument("--days", type=int, default=7, help="how many days (default: 7)")
    parser.add_argument("--db", help="a store whose bookings to take into account")


def run_slots(args: argparse.Namespace) -> int:
    """Print every start time of a service and how many counters are free for it."""
    if args.days < 1:
        raise CommandError("--days must be at least 1")
    with Frontdesk.open(args.config, store=args.db or ":memory:", plugins=args.hooks.pm) as fd:
        clock = SystemClock(fd.tz)
        start = args.start or clock.now().date()
        end = start + timedelta(days=args.days - 1)
        slots = fd.booking.schedule(args.service, start, end)
        service = fd.config.service(args.service)
        calendar = OpeningCalendar(fd.config.centre_of_queue(service.queue), fd.tz)
        for line in render(service.id, slots, start, end, calendar):
            print(line)
    return 0


def render(
    service_id: str, slots: list[Slot], start: date, end: date, calendar: OpeningCalendar
) -> list[str]:
    """Slots as a consultant reads them: a line per day, ``09:00 (2)`` = two counters free."""
    by_day: dict[date, list[Slot]] = defaultdict(list)
    for slot in slots:
        by_day[slot.start.date()].append(slot)
    lines = [
        f"{service_id} at centre '{calendar.centre.id}', {start.isoformat()} to "
        f"{end.isoformat()} (in brackets: counters free; notice and horizon not applied)"
    ]
    day = start
    while day <= end:
        label = day.strftime("%a %Y-%m-%d")
        found = by_day.get(day, [])
        if not found:
            holiday = calendar.holiday(day)
            lines.append(f"{label}  closed" + (f" ({holiday})" if holiday else ""))
        else:
            free = sum(1 for s in found if s.free)
            lines.append(f"{label}  {free} of {len(found)} start times free")
            cells = [f"{s.start.strftime('%H:%M')} ({s.free if s.free else 'full'})" for s in found]
            for i in range(0, len(cells), SLOTS_PER_LINE):
                lines.append("    " + "  ".join(cells[i : i + SLOTS_PER_LINE]))
        day += timedelta(days=1)
    total = sum(1 for s in slots if s.free)
    lines.append(f"{total} free start time(s) in {(end - start).days + 1} day(s)")
    return lines


def _moment(text: str) -> datetime:
    """A local time as typed: ``2026-11-24 09:00`` (the site's timezone is added later)."""
    try:
        return datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a time; write it like '2026-11-24 09:00'"
        ) from None


def _configure_absence(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", required=True, help="the configuration file or directory")
    parser.add_argument("--db", required=True, help="the store (a SQLite file)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="a counter takes no bookings for a while")
    add.add_argument("--counter", required=True, help="the counter (employee's desk) away")
    add.add_argument("--from", dest="start", required=True, type=_moment, help="'2026-11-24 09:00'")
    add.add_argument("--until", dest="end", required=True, type=_moment, help="'2026-11-24 15:00'")
    add.add_argument(
        "--reason", default="other", choices=[r.value for r in AbsenceReason], help="why"
    )
    add.add_argument(
        "--cancel-unplaced",
        action="store_true",
        help="cancel (and tell) the bookings no other counter can take; default: list them",
    )
    listing = actions.add_parser("list", help="the absences recorded")
    listing.add_argument("--counter", help="only this counter")
    withdraw = actions.add_parser("withdraw", help="the employee is back: take bookings again")
    withdraw.add_argument("id", help="the absence's id (from 'list')")


def _when(booking: Booking) -> str:
    return f"{booking.start:%d-%m-%Y %H:%M}"


def describe_absence(result: AbsenceResult) -> list[str]:
    """What recording an absence did, for the manager who recorded it."""
    a = result.absence
    lines = [
        f"absence {a.id} recorded: counter '{a.counter_id}' from {a.start:%d-%m-%Y %H:%M} "
        f"until {a.end:%d-%m-%Y %H:%M} ({a.reason.value})"
    ]
    for booking in result.moved:
        lines.append(
            f"  moved: {booking.code} at {_when(booking)} ({booking.service_id}) "
            f"to counter '{booking.counter_id}'; same time, the citizen is not disturbed"
        )
    for booking in result.unplaced:
        if result.cancelled:
            lines.append(
                f"  cancelled: {booking.code} at {_when(booking)} ({booking.service_id}); "
                "the citizen is told to book a new time"
            )
        else:
            lines.append(
                f"  NOT MOVED: {booking.code} at {_when(booking)} ({booking.service_id}): no "
                "other counter is free then; contact the citizen or reschedule"
            )
    if not result.moved and not result.unplaced:
        lines.append("  no bookings on that counter in that time")
    return lines


def run_absence(args: argparse.Namespace) -> int:
    """Record, list or withdraw a counter's absence."""
    with Frontdesk.open(args.config, store=args.db, plugins=args.hooks.pm) as fd:
        if args.action == "add":
            result = fd.booking.add_absence(
                args.counter,
                args.start.replace(tzinfo=args.start.tzinfo or fd.tz),
                args.end.replace(tzinfo=args.end.tzinfo or fd.tz),
                reason=args.reason,
                cancel_unplaced=args.cancel_unplaced,
            )
            for line in describe_absence(result):
                print(line)
            return 0
        if args.action == "withdraw":
            absence = fd.booking.withdraw_absence(args.id)
            print(f"absence {absence.id} withdrawn: counter '{absence.counter_id}' takes bookings")
            return 0
        found = fd.booking.absences(counter_id=args.counter)
        for a in found:
            print(
                f"{a.id}  {a.counter_id:<12} {a.start:%d-%m-%Y %H:%M} - "
                f"{a.end:%d-%m-%Y %H:%M}  {a.reason.value}"
            )
        print(f"{len(found)} absence(s)")
    return 0


COMMANDS = [
    Command(
        "purge",
        "delete personal data (phone numbers, names) past the retention period",
        _configure_purge,
        run_purge,
    ),
    Command(
        "slots",
        "show the start times of a bookable service and the counters free for each",
        _configure_slots,
        run_slots,
    ),
    Command(
        "absence",
        "record, list or withdraw a counter's absence (bookings move to free counters)",
        _configure_absence,
        run_absence,
    ),
]
