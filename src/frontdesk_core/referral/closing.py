"""The kiosk keeps the centre's hours: a walk-in path at a closed time ends in
:class:`~frontdesk_core.referral.outcomes.Closed` instead of a ticket.

The session decides it when the path reaches a queue outcome, and the engine
decides it again when it performs the outcome (a citizen may stand at the
kiosk across the last-ticket time). Check-ins are not touched: a booked
citizen checks in within the booking's own window.
"""

from __future__ import annotations

from datetime import datetime

from frontdesk_core.config.models import Config
from frontdesk_core.opening.admission import ClosedReason, WalkInClosed
from frontdesk_core.opening.words import clock_time, spoken_moment
from frontdesk_core.referral.outcomes import Closed, TakeTicket

TEXTS: dict[str, dict[str, str]] = {
    "closed": {"da": "Vi har lukket nu.", "en": "We are closed now."},
    "last_ticket": {
        "da": "Vi giver ikke flere numre i dag. Vi lukker kl. {closes}.",
        "en": "We give no more numbers today. We close at {closes}.",
    },
    "opens": {"da": "Vi åbner {when}.", "en": "We open {when}."},
    "book": {
        "da": "Bestil tid, så er du sikker på at komme til.",
        "en": "Book a time, and you are sure to be seen.",
    },
    "book_at": {
        "da": "Bestil tid på {url}, så er du sikker på at komme til.",
        "en": "Book a time at {url}, and you are sure to be seen.",
    },
}
"""The closed answer's sentences; languages without their own get English."""


def _say(name: str, language: str, **values: str) -> str:
    texts = TEXTS[name]
    return texts.get(language, texts["en"]).format(**values)


def bookable_service_for(config: Config, ticket: TakeTicket) -> str | None:
    """The service to book instead: the outcome's own, else one bookable in its queue."""
    candidates = [s for s in config.services if s.booking is not None]
    if ticket.service_id is not None:
        own = [s for s in candidates if s.id == ticket.service_id]
        if own:
            return own[0].id
    return next((s.id for s in candidates if s.queue == ticket.queue_id), None)


def closed_text(closed: WalkInClosed, language: str, now: datetime, url: str | None) -> str:
    """What the kiosk says, e.g. "We are closed now. We open tomorrow, Tuesday 8 December
    at 10.00. Book a time at …"."""
    parts = []
    if closed.reason is ClosedReason.LAST_TICKET and closed.closes_at is not None:
        parts.append(_say("last_ticket", language, closes=clock_time(closed.closes_at)))
    else:
        parts.append(_say("closed", language))
    if closed.opens_at is not None:
        when = spoken_moment(closed.opens_at, language, now.date())
        parts.append(_say("opens", language, when=when))
    parts.append(_say("book_at", language, url=url) if url else _say("book", language))
    return " ".join(parts)


def closed_outcome(
    config: Config, ticket: TakeTicket, closed: WalkInClosed, now: datetime
) -> Closed:
    """The outcome that replaces ``ticket`` while walk-ins are turned away."""
    service = bookable_service_for(config, ticket)
    url = config.site.booking.url
    return Closed(
        centre_id=ticket.centre_id,
        tree_id=ticket.tree_id,
        node_id=ticket.node_id,
        language=ticket.language,
        text=closed_text(closed, ticket.language, now, url),
        queue_id=ticket.queue_id,
        queue_name=ticket.queue_name,
        reason=str(closed.reason),
        opens_at=closed.opens_at,
        closes_at=closed.closes_at,
        book_service=service,
        url=url,
    )
