"""Plain dictionaries of tickets and counters for the pages and the API."""

from __future__ import annotations

from typing import Any

from frontdesk_core.api import Counter, Frontdesk, Ticket, text_in
from frontdesk_display.common.jsonable import jsonable


def ticket_view(fd: Frontdesk, ticket: Ticket, language: str) -> dict[str, Any]:
    """A ticket with the names of its queue and errand, for staff."""
    view: dict[str, Any] = jsonable(ticket)
    try:
        view["queue_name"] = text_in(fd.config.queue(ticket.queue_id).name, language)
    except KeyError:
        view["queue_name"] = ticket.queue_id
    view["service_name"] = None
    if ticket.service_id:
        try:
            view["service_name"] = text_in(fd.config.service(ticket.service_id).name, language)
        except KeyError:
            view["service_name"] = ticket.service_id
    return view


def counter_view(counter: Counter, language: str) -> dict[str, Any]:
    """A counter's id, name, location and queues."""
    return {
        "id": counter.id,
        "name": text_in(counter.name, language),
        "location": text_in(counter.location, language) if counter.location else None,
        "queues": list(counter.queues),
    }
