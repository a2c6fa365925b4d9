"""The JSON API's request and response bodies, as strict pydantic models.

Requests refuse unknown fields and wrong types; the OpenAPI description is
generated from these same models, so the description and the checks agree.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
)

Id = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z][a-z0-9_-]*$", max_length=64)]
BookingCode = Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Za-z0-9 -]{1,16}$")]


def _whole(value: object) -> object:
    """JSON's ``40.0`` is the integer 40 (JSON Schema says so); ``40.5``, ``"40"`` and
    ``true`` stay refused (the models are strict)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


SITE_LANGUAGES = "x-site-languages"
"""Marks a language in the JSON schema: the published description lists the site's own."""
Language = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"^[a-z]{2}$"),
    Field(json_schema_extra={SITE_LANGUAGES: True}),
]


class Request(BaseModel):
    """Base of request bodies: strict, no unknown fields."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Response(BaseModel):
    """Base of response bodies."""

    model_config = ConfigDict(extra="forbid")


# --- requests -----------------------------------------------------------------------


class TokenRequest(Request):
    """A staff user's credentials."""

    username: Annotated[str, StringConstraints(strict=True, min_length=1, max_length=64)]
    password: Annotated[str, StringConstraints(strict=True, min_length=1, max_length=256)]


class StartKiosk(Request):
    """Start a kiosk session in a language."""

    language: Language = "da"


class Answer(Request):
    """Answer the current step: an option of a question, or the documents a checklist has."""

    option: Annotated[str, StringConstraints(strict=True, max_length=64)] | None = None
    have: list[Id] | None = Field(
        None, max_length=50, description="For a checklist: the documents the citizen has."
    )
    code: BookingCode | None = Field(
        None, description="For a check-in: the code from the booking confirmation."
    )
    slot: Annotated[str, StringConstraints(strict=True, max_length=40)] | None = Field(
        None, description="For a 'book' result: the start of one of the times it offered."
    )
    phone: Annotated[str, StringConstraints(strict=True, max_length=20)] | None = Field(
        None,
        description="For a ticket whose result offers 'turn_soon': the citizen's mobile number "
        "for one SMS when their turn is near (kept only by the SMS plugin, never shown).",
    )


class CheckInRequest(Request):
    """A booked citizen's check-in code."""

    code: BookingCode


class IssueRequest(Request):
    """Issue a ticket at the desk."""

    service_id: Id | None = None
    language: Language = "da"
    note: Annotated[str, StringConstraints(strict=True, max_length=200)] | None = None
    priority: Annotated[int, Field(ge=-100, le=100), BeforeValidator(_whole)] | None = None


class CallRequest(Request):
    """The ticket to call."""

    ticket_id: Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Za-z0-9_.:-]{1,80}$")]


class TransferRequest(Request):
    """Move a ticket to another queue."""

    queue_id: Id


class AssignQueues(Request):
    """The queues a counter serves from now."""

    queue_ids: list[Id] = Field(min_length=1, max_length=50)


class OpenRequest(Request):
    """Open (true) or close (false) a counter."""

    open: StrictBool


class InfoRequest(Request):
    """The info pane's new text."""

    text: Annotated[str, StringConstraints(strict=True, max_length=2000)]


Moment = Annotated[
    str,
    StringConstraints(
        strict=True,
        pattern=(
            r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
            r"T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?"
            r"(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])$"
        ),
    ),
    Field(json_schema_extra={"format": "date-time"}),
]
"""A moment with its UTC offset, e.g. ``2026-11-24T09:00+01:00``: a real date and time
(RFC 3339) of the years 1900-2999."""


class AbsenceRequest(Request):
    """A counter takes no bookings from ``start`` to ``end``."""

    start: Moment
    end: Moment
    reason: Literal["sick", "leave", "training", "meeting", "other"] = "other"
    cancel_unplaced: StrictBool = Field(
        False,
        description=(
            "Cancel (and tell the citizens of) the bookings no other counter can take; "
            "by default they stay booked and are listed under 'unplaced'."
        ),
    )


# --- responses ----------------------------------------------------------------------


class Problem(Response):
    """An error: what went wrong, in words.

    ``error`` is English, for the integrator. An error of the core also has its stable
    ``code`` and ``params`` (times as ISO 8601, durations in seconds) and ``message``:
    the words to show a citizen or an employee, in the first language of the request's
    ``Accept-Language`` that has a catalog (else the site's first language).
    """

    error: str
    detail: Any = None
    code: str | None = None
    params: dict[str, Any] | None = None
    message: str | None = None


class TokenOut(Response):
    """A bearer token for the ``Authorization`` header."""

    token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int


class NamedId(Response):
    """Something with an id and a name."""

    id: str
    name: str


class CounterInfo(Response):
    """A configured counter."""

    id: str
    name: str
    queues: list[str]


class QueueInfo(Response):
    """A configured queue."""

    id: str
    name: str
    prefix: str


class CentreOut(Response):
    """A centre, its queues, counters and kiosks."""

    id: str
    name: str
    queues: list[QueueInfo]
    counters: list[CounterInfo]
    kiosks: list[NamedId]


class QueueStatusOut(Response):
    """One queue as the screens show it."""

    queue_id: str
    name: str
    waiting: int
    expected_wait_minutes: int | None
    open: bool
    forecast: str | None = Field(
        None,
        description="The latest forecast for a ticket taken now: a band such as '12–18 min' "
        "(the configured method), or null when there is none.",
    )


class CalledOut(Response):
    """A number called to a counter."""

    number: str
    counter_id: str
    counter_name: str
    called_at: str
    current: bool = Field(
        True, description="Still called or being served; false: finished, kept on the screen."
    )


class ScreenOut(Response):
    """What an info screen shows (no personal data)."""

    centre_id: str
    centre_name: str
    at: str
    queues: list[QueueStatusOut]
    called: list[CalledOut]
    info: str


class PublicTicket(Response):
    """A ticket as its holder may see it."""

    id: str
    number: str
    queue_id: str
    state: str
    people_ahead: int | None
    expected_wait_minutes: int | None
    counter_id: str | None


class TicketOut(Response):
    """A ticket as staff see it."""

    id: str
    number: str
    queue_id: str
    centre_id: str
    state: str
    service_id: str | None
    note: str | None
    booking_id: str | None
    appointment_at: str | None
    counter_id: str | None
    called_at: str | None
    recalls: int
    language: str


class CounterStateOut(Response):
    """A counter now."""

    id: str
    centre_id: str
    queue_ids: list[str]
    status: str
    employee_ref: str | None
    ticket_id: str | None


class CounterOut(Response):
    """A counter and the ticket at it."""

    counter: CounterStateOut
    ticket: TicketOut | None


class StatusOut(Response):
    """A dashboard's live state."""

    centre_id: str
    at: str
    queues: list[QueueStatusOut]
    counters: list[CounterStateOut]
    kpis: dict[str, int | float | None]
    faults: list[dict[str, str]]


class InfoOut(Response):
    """The info pane's text."""

    centre_id: str
    text: str


_S = r"[ ()-]*"
Phone = Annotated[
    str,
    StringConstraints(
        strict=True,
        min_length=8,
        max_length=20,
        pattern=(
            rf"^{_S}(\+{_S}[1-9](?:{_S}[0-9]){{6,14}}|0{_S}0{_S}[1-9](?:{_S}[0-9]){{6,14}}"
            rf"|[1-9](?:{_S}[0-9]){{7}}|0{_S}[1-9](?:{_S}[0-9]){{6}}){_S}$"
        ),
    ),
]
"""A phone number the booking engine takes: 8 digits (a Danish number), or + or 00 and
the country code first; spaces, dashes and brackets anywhere."""


class BookingRequest(Request):
    """Book a time: the citizen's number gets the confirmation and the reminders by SMS."""

    service_id: Id
    start: Moment
    phone: Phone | None = Field(
        None, description="For the SMS confirmation and reminders (kept until retention)."
    )
    name: Annotated[str, StringConstraints(strict=True, min_length=1, max_length=100)] | None = None
    language: Language = "da"
    channel: Literal["in_person", "phone"] = "in_person"


class RescheduleRequest(Request):
    """Move a booking to another free time."""

    start: Moment


class SlotOut(Response):
    """A free time of a service."""

    start: str
    end: str
    free: int
    capacity: int


class BookingOut(Response):
    """A booking as the citizen sees it (the code is its key; no personal data)."""

    code: str
    service_id: str
    centre_id: str
    start: str
    end: str
    channel: str
    state: str
    language: str


class AbsenceOut(Response):
    """A recorded absence of a counter."""

    id: str
    counter_id: str
    centre_id: str
    start: str
    end: str
    reason: str


class BookingRefOut(Response):
    """A booking, without personal data."""

    code: str
    service_id: str
    start: str
    counter_id: str | None


class AbsenceResultOut(Response):
    """What recording an absence did to the counter's bookings."""

    absence: AbsenceOut
    moved: list[BookingRefOut]
    unplaced: list[BookingRefOut]
    cancelled: bool


class CheckInOut(Response):
    """What a check-in did."""

    action: str
    number: str | None
    where: str | None
    appointment: str


class KioskOption(Response):
    """A button on the kiosk."""

    id: str
    label: str
    help: str | None


class KioskStep(Response):
    """A kiosk session's current step, or its result once done."""

    session_id: str
    centre_id: str
    language: str
    kind: str
    node_id: str | None
    text: str
    help: str | None
    options: list[KioskOption]
    documents: list[NamedId]
    done: bool
    result: dict[str, Any] | None
