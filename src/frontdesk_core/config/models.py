"""The configuration language: pydantic v2 models of a site and its centres.

A site (a municipality) has centres; a centre has queues, counters, kiosks and
info screens, opening hours and a referral tree. Services (errands), the
documents citizens bring, other authorities and the referral trees are shared
across the site. The same models export the JSON Schema editors use.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    WithJsonSchema,
)

from frontdesk_core.booking.model import CentreBooking, ServiceBooking, SiteBooking
from frontdesk_core.config.types import (
    RANGE_PATTERN,
    Duration,
    Identifier,
    LanguageCode,
    Model,
    ServiceLevel,
    ServiceLevelField,
    Text,
    TimeOfDay,
    TimeRangeField,
)
from frontdesk_core.referral.model import ReferralTree


def _one_or_many_ranges(value: Any) -> Any:
    """Accept ``closed``, one range, or a list of ranges for a day."""
    if isinstance(value, str):
        return [] if value.strip().lower() == "closed" else [value]
    return value


_RANGE_SCHEMA = {"type": "string", "pattern": RANGE_PATTERN, "examples": ["09:00-17:00"]}
DayHours = Annotated[
    list[TimeRangeField],
    BeforeValidator(_one_or_many_ranges),
    WithJsonSchema(
        {
            "anyOf": [
                {"const": "closed"},
                _RANGE_SCHEMA,
                {"type": "array", "items": _RANGE_SCHEMA},
            ],
            "description": "'closed', one range like '09:00-17:00', or a list of ranges.",
        }
    ),
    Field(description="'closed', one range like '09:00-17:00', or a list of ranges."),
]


class WeeklyHours(Model):
    """Hours per weekday; a day left out is closed."""

    mon: DayHours = []
    tue: DayHours = []
    wed: DayHours = []
    thu: DayHours = []
    fri: DayHours = []
    sat: DayHours = []
    sun: DayHours = []


class DateException(Model):
    """Different hours (or closed) on one date, e.g. a staff day or a short Friday."""

    date: date
    hours: DayHours = Field(description="'closed' or the ranges open on that date.")
    reason: Text | None = None


class Queue(Model):
    """A queue of tickets waiting for a kind of counter."""

    id: Identifier
    name: Text
    prefix: Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Z]{1,3}$")] = Field(
        description="The letters before the ticket number, e.g. 'P' gives P001."
    )
    priority: StrictInt = Field(0, description="Higher numbers are called first.")
    target: ServiceLevelField = Field(
        ServiceLevel(0.8, timedelta(minutes=15)),
        description="Service-level target, e.g. '80% within 15 minutes'.",
    )
    where: Text | None = Field(None, description="Where to wait, shown on the ticket.")
    recalls_before_no_show: StrictInt = Field(2, ge=0, le=10)
    no_show_after: Duration = Field(
        timedelta(minutes=10), description="A called ticket not served by then is a no-show."
    )
    last_ticket: Duration = Field(
        timedelta(minutes=15),
        description=(
            "The kiosk gives the last walk-in ticket this long before the centre closes; "
            "after it, and while the centre is closed, it says when the centre opens and "
            "offers a booking. '0 min' gives tickets until closing."
        ),
    )


class Counter(Model):
    """An employee's service point and the queues it serves."""

    id: Identifier
    name: Text
    queues: list[Identifier] = Field(min_length=1)
    location: Text | None = Field(
        None, description="Where the counter is, e.g. '1st floor, room 12'."
    )
    call_policy: Identifier | None = Field(
        None, description="Overrides the centre's call-next policy."
    )
    booking_hours: WeeklyHours | None = Field(
        None, description="When this counter serves bookings; default: the centre's opening hours."
    )


class Kiosk(Model):
    """A self-service kiosk at the entrance."""

    id: Identifier
    name: str
    location: str | None = None


class InfoScreen(Model):
    """An info screen in the waiting room."""

    id: Identifier
    name: str
    queues: list[Identifier] | None = Field(None, description="Queues shown; default: all.")


class Centre(Model):
    """A service centre: a building (or part of one) with its own reception."""

    id: Identifier
    name: Text
    address: str
    opening_hours: WeeklyHours
    exceptions: list[DateException] = []
    public_holidays: Literal["dk", "dk-official", "none"] = Field(
        "dk",
        description=(
            "'dk': closed on Danish public holidays and on 5 June, 24 and 31 December; "
            "'dk-official': official holidays only; 'none': no holidays."
        ),
    )
    queues: list[Queue] = Field(min_length=1)
    counters: list[Counter] = []
    kiosks: list[Kiosk] = []
    info_screens: list[InfoScreen] = []
    tree: Identifier | None = Field(None, description="The referral tree its kiosks show.")
    call_policy: Identifier = Field("service_level", description="The call-next policy.")
    day_reset: TimeOfDay = Field(time(4, 0), description="When ticket numbers start again at 1.")
    booking: CentreBooking = Field(default_factory=CentreBooking)


class Document(Model):
    """A document a citizen may need to bring."""

    id: Identifier
    name: Text
    help: Text | None = None


class Authority(Model):
    """Another authority or centre that citizens can be referred to."""

    id: Identifier
    name: Text
    address: str
    opening_hours: Text | None = None
    where: Text | None = Field(None, description="Where to go in the building.")
    phone: str | None = None
    url: str | None = None


class Service(Model):
    """An errand a citizen comes for; bookable when it has a ``booking`` section."""

    id: Identifier
    name: Text
    queue: Identifier = Field(description="The queue that serves it.")
    documents: list[Identifier] = Field([], description="Documents to bring.")
    help: Text | None = None
    booking: ServiceBooking | None = None
    booking_only: StrictBool = Field(False, description="Served by appointment only.")


class Forecasting(Model):
    """How the waiting times on tickets, screens and dashboards are forecast."""

    method: Literal["queue_length", "simulation"] = Field(
        "queue_length",
        description="'queue_length': people ahead times the mean counter time over the open "
        "counters; 'simulation': the rest of the day simulated forward from the live state, "
        "many times, with the real queue engine (a median and an 80% band per ticket).",
    )
    replications: Annotated[StrictInt, Field(ge=2, le=200)] = Field(
        12, description="Simulated runs of the rest of the day per refresh."
    )
    every: Duration = Field(
        timedelta(seconds=5), description="At most this often the forecast is refreshed."
    )
    history: Duration = Field(
        timedelta(days=28),
        description="The log the simulation's arrivals and service times are calibrated from.",
    )


class Site(Model):
    """The municipality running the installation."""

    id: Identifier
    name: str
    languages: list[LanguageCode] = Field(["da", "en"], min_length=1)
    timezone: str = "Europe/Copenhagen"
    booking: SiteBooking = Field(default_factory=SiteBooking)
    forecast: Forecasting = Field(default_factory=Forecasting)


class Config(Model):
    """A whole configuration, composed from one or more YAML files."""

    site: Site
    centres: list[Centre] = Field(min_length=1)
    services: list[Service] = []
    documents: list[Document] = []
    authorities: list[Authority] = []
    trees: list[ReferralTree] = []
    sections: dict[str, Any] = Field(
        {}, exclude=True, description="Plugins' own validated sections, by name."
    )

    def centre(self, centre_id: str) -> Centre:
        """The centre with this id (KeyError if there is none)."""
        for centre in self.centres:
            if centre.id == centre_id:
                return centre
        raise KeyError(centre_id)

    def queue(self, queue_id: str) -> Queue:
        """The queue with this id, in any centre (KeyError if there is none)."""
        for centre in self.centres:
            for queue in centre.queues:
                if queue.id == queue_id:
                    return queue
        raise KeyError(queue_id)

    def centre_of_queue(self, queue_id: str) -> Centre:
        """The centre that has this queue."""
        for centre in self.centres:
            if any(q.id == queue_id for q in centre.queues):
                return centre
        raise KeyError(queue_id)

    def centre_of_counter(self, counter_id: str) -> Centre:
        """The centre that has this counter."""
        for centre in self.centres:
            if any(c.id == counter_id for c in centre.counters):
                return centre
        raise KeyError(counter_id)

    def service(self, service_id: str) -> Service:
        """The service with this id (KeyError if there is none)."""
        for service in self.services:
            if service.id == service_id:
                return service
        raise KeyError(service_id)

    def document(self, document_id: str) -> Document:
        """The document with this id (KeyError if there is none)."""
        for document in self.documents:
            if document.id == document_id:
                return document
        raise KeyError(document_id)

    def tree(self, tree_id: str) -> ReferralTree:
        """The referral tree with this id (KeyError if there is none)."""
        for tree in self.trees:
            if tree.id == tree_id:
                return tree
        raise KeyError(tree_id)

    def authority(self, authority_id: str) -> Authority:
        """The authority with this id (KeyError if there is none)."""
        for authority in self.authorities:
            if authority.id == authority_id:
                return authority
        raise KeyError(authority_id)


__all__ = [
    "Authority",
    "Centre",
    "Config",
    "Counter",
    "DateException",
    "Document",
    "Forecasting",
    "InfoScreen",
    "Kiosk",
    "Queue",
    "Service",
    "Site",
    "WeeklyHours",
]
