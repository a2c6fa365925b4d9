"""A known truth played onto a store by a plain script of public API calls (not the simulator).

The centre of ``data/truth/frontdesk.yaml`` on twenty weekdays (Thursday open to 17:30):
walk-ins of each errand arrive as a Poisson process with a known rate per hour; each
walks the kiosk at once (``fd.referral``: start, answer, check, complete), forgetting
the card or asking about tax arrears with a known chance that differs by hour;
counters sign in and out by a roster of named counters per hour (c2 only in the
morning, the tax queue served by c3 alone); an idle counter on duty calls the next
ticket, starts it and finishes it after a service time drawn from its errand's known
distribution (gamma, exponential, lognormal). A counter whose shift ends at closing
serves everyone still waiting; one whose shift ends earlier finishes its citizen and
signs out. Time comes from a :class:`ManualClock` moved from event to event.

Everything the round trip asserts against is kept here as it happened: how many
walked the kiosk per errand and hour, how many were turned away, the service times
drawn, and each day's waits per queue.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from frontdesk_core.api import Frontdesk, ManualClock, load_config, make_plugin_manager

CONFIG = Path(__file__).parent / "data" / "truth" / "frontdesk.yaml"
DAYS = tuple(date(2026, 3, 2) + timedelta(days=i) for i in range(26) if i % 7 < 5)
OPEN = 9 * 60.0
"""Every day opens at 09:00."""
CLOSE = {3: 17.5 * 60}
"""Closing by weekday (Monday 0): Thursday at 17:30, the other days at 15:00."""


def closing(day: date) -> float:
    """The minute ``day`` closes."""
    return CLOSE.get(day.weekday(), 15 * 60.0)


@dataclass(frozen=True)
class Errand:
    """Citizens with one errand: the button they press, when they come and how long they take."""

    service: str | None
    """The service (None: the job centre's citizens, who belong elsewhere)."""
    button: str
    rates: Callable[[int], float]
    """Walk-ins per hour, by hour of the day."""
    turned: Callable[[int], float] = lambda hour: 0.0
    """The share sent home (card) or referred (tax), by hour of the day."""
    family: str = ""
    mean: float = 0.0
    sd: float = 0.0
    """Service time in minutes."""
    kurtosis: float = 3.0
    """The family's kurtosis at that mean and sd (for the standard error of an sd)."""

    def service_time(self, rng: random.Random) -> float:
        """One service time in minutes from the errand's own family."""
        if self.family == "gamma":
            shape = (self.mean / self.sd) ** 2
            return rng.gammavariate(shape, self.mean / shape)
        if self.family == "exponential":
            return rng.expovariate(1 / self.mean)
        sigma2 = math.log1p((self.sd / self.mean) ** 2)
        return rng.lognormvariate(math.log(self.mean) - sigma2 / 2, math.sqrt(sigma2))


def _lognormal_kurtosis(mean: float, sd: float) -> float:
    w = 1 + (sd / mean) ** 2
    return w**4 + 2 * w**3 + 3 * w**2 - 3


CARD = Errand(
    "card_errand",
    "card",
    rates=lambda hour: 8.0 if hour < 12 else 5.0 if hour < 15 else 4.0,
    turned=lambda hour: 0.3 if hour < 12 else 0.1,
    family="gamma",
    mean=6.0,
    sd=3.0,
    kurtosis=3 + 6 / 4,  # gamma of shape (6/3)^2 = 4
)
ID = Errand(
    "id_errand",
    "id",
    rates=lambda hour: 3.0,
    family="exponential",
    mean=4.0,
    sd=4.0,
    kurtosis=9.0,
)
TAX = Errand(
    "tax_errand",
    "tax",
    rates=lambda hour: 3.0,
    turned=lambda hour: 0.1 if hour < 12 else 0.4,
    family="lognormal",
    mean=5.0,
    sd=3.75,
    kurtosis=_lognormal_kurtosis(5.0, 3.75),
)
JOB = Errand(None, "job", rates=lambda hour: 2.0)
ERRANDS = (CARD, ID, TAX, JOB)
ROSTER = {"c1": (OPEN, None), "c2": (OPEN, 12 * 60.0), "c3": (OPEN, None)}
"""Each counter's shift: from, to (None: to closing). c2 helps in the morning only."""
QUEUES = ("general", "tax")


def on_duty(day: date, hour: int) -> list[str]:
    """The counters the roster has on duty in ``hour`` of ``day`` (for the whole open part)."""
    end_of_hour = min((hour + 1) * 60.0, closing(day))
    return [
        counter
        for counter, (start, end) in ROSTER.items()
        if start <= hour * 60 and end_of_hour <= (closing(day) if end is None else end)
    ]


@dataclass
class Log:
    """What the script did, to check calibration against."""

    walks: dict[tuple[str | None, int], int] = field(default_factory=lambda: defaultdict(int))
    """Kiosk sessions per errand (service) and hour of the day."""
    turned: dict[tuple[str | None, int], int] = field(default_factory=lambda: defaultdict(int))
    """Of those, sent home (card) or referred (tax)."""
    served: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    """Service times drawn, per service, in minutes."""
    waits: dict[tuple[str, date], list[float]] = field(default_factory=lambda: defaultdict(list))
    """Minutes from ticket to call, per queue and day."""
    open_hours: dict[int, float] = field(default_factory=lambda: defaultdict(float))
    """Hours each hour of the day was open over the days played (Thursday's 17:00 gives 0.5)."""

    def share(self, errand: Errand, hours: range | None = None) -> tuple[float, int]:
        """The share turned away in ``hours`` (all: None) as the truth had it, and the walks."""
        chosen = [h for (s, h) in self.walks if s == errand.service]
        chosen = [h for h in chosen if hours is None or h in hours]
        walks = sum(self.walks[(errand.service, h)] for h in chosen)
        expected = sum(self.walks[(errand.service, h)] * errand.turned(h) for h in chosen)
        return expected / walks, walks


def play(store: str, seed: int = 16) -> Log:
    """Play the twenty days onto ``store`` (a SQLite path) and return what happened."""
    config = load_config(CONFIG)
    tz = ZoneInfo(config.site.timezone)
    clock = ManualClock(datetime.combine(DAYS[0], time(0), tz))
    log = Log()
    with Frontdesk.open(
        config, store=store, clock=clock, plugins=make_plugin_manager(load_entrypoints=False)
    ) as fd:
        for day in DAYS:
            _Day(fd, clock, day, random.Random(f"{seed}/{day}"), log, tz).run()
    return log


class _Day:
    def __init__(
        self,
        fd: Frontdesk,
        clock: ManualClock,
        day: date,
        rng: random.Random,
        log: Log,
        tz: ZoneInfo,
    ) -> None:
        self.fd, self.clock, self.day, self.rng, self.log = fd, clock, day, rng, log
        self.midnight = datetime.combine(day, time(0), tz)
        self.close = closing(day)
        self.events: list[tuple[float, int, str, object]] = []
        self.on: dict[str, float] = {}  # counter on duty -> end of its shift
        self.busy: set[str] = set()
        self.issued: dict[str, tuple[Errand, float]] = {}  # ticket id -> errand, issued at
        self.order = itertools.count()  # events at the same minute, in the order pushed

    def push(self, at: float, what: str, subject: object) -> None:
        heapq.heappush(self.events, (at, next(self.order), what, subject))

    def run(self) -> None:
        for hour in range(int(OPEN // 60), math.ceil(self.close / 60)):
            self.log.open_hours[hour] += (min((hour + 1) * 60.0, self.close) - hour * 60) / 60
        for errand in ERRANDS:
            for hour in range(int(OPEN // 60), math.ceil(self.close / 60)):
                end = min((hour + 1) * 60.0, self.close)
                at = hour * 60 + self.rng.expovariate(errand.rates(hour) / 60)
                while at < end:
                    self.push(at, "arrive", errand)
                    at += self.rng.expovariate(errand.rates(hour) / 60)
        for counter, (start, end) in ROSTER.items():
            self.push(start, "on", (counter, self.close if end is None else end))
        while self.events:
            at, _, what, subject = heapq.heappop(self.events)
            self.clock.set(self.midnight + timedelta(minutes=at))
            if what == "arrive":
                assert isinstance(subject, Errand)
                self.arrive(subject, at)
            elif what == "on":
                counter, end = subject  # type: ignore[misc]
                self.fd.queues.sign_in(counter, "truth")
                self.on[counter] = end
                self.push(end, "off", counter)
            elif what == "finish":
                self.fd.queues.finish(str(subject))
                self.busy.discard(str(subject))
            self.dispatch(at)

    def arrive(self, errand: Errand, at: float) -> None:
        hour = int(at // 60)
        session = self.fd.referral.start("centre")
        session.answer(errand.button)
        turned = self.rng.random() < errand.turned(hour)
        if errand is CARD:
            session.check([] if turned else ["card"])
        elif errand is TAX:
            session.answer("debt" if turned else "assessment")
        result = self.fd.referral.complete(session, kiosk_id="k1")
        self.log.walks[(errand.service, hour)] += 1
        self.log.turned[(errand.service, hour)] += result.kind in ("send_home", "refer")
        if result.ticket is not None:
            self.issued[result.ticket.id] = (errand, at)

    def dispatch(self, now: float) -> None:
        """Every idle counter on duty calls the next ticket, or signs out after its shift."""
        for counter in sorted(self.on):
            if counter in self.busy:
                continue
            end = self.on[counter]
            if now >= end and end < self.close:
                self.sign_out(counter)  # a shift before closing: no new citizen
                continue
            ticket = self.fd.queues.call_next(counter)
            if ticket is None:
                if now >= end:
                    self.sign_out(counter)  # closing, and nobody left to serve
                continue
            errand, issued = self.issued[ticket.id]
            self.log.waits[(ticket.queue_id, self.day)].append(now - issued)
            self.fd.queues.start(counter)
            minutes = errand.service_time(self.rng)
            assert errand.service is not None
            self.log.served[errand.service].append(minutes)
            self.busy.add(counter)
            self.push(now + minutes, "finish", counter)

    def sign_out(self, counter: str) -> None:
        self.fd.queues.sign_out(counter)
        del self.on[counter]
