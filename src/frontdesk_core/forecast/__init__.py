"""Forecasts of every waiting ticket, simulated forward from the live state.

    forecasts = forecaster(fd)     # frontdesk_core.forecast.service (or frontdesk_core.api)
    forecasts.refresh_if_due()     # from a server's loop, every few seconds
    forecasts.ticket(ticket.id).text("en")   # "about 12–18 min"

* :mod:`~frontdesk_core.forecast.snapshot`: a copy of the live state, and the
  events that rebuild it in a fresh engine on an in-memory store;
* :mod:`~frontdesk_core.forecast.forward`: one run of the rest of the day, the
  planner's simulator started from that state (the real engine and call-next policy);
* :mod:`~frontdesk_core.forecast.forecast`: many runs made into a median and an
  80% band per ticket, or today's queue-length estimate in the same records
  (:mod:`~frontdesk_core.forecast.records`, which the package exports);
* :mod:`~frontdesk_core.forecast.service`: ``forecaster(fd)``, the latest forecast
  and its refresh.
"""

from frontdesk_core.forecast.records import (
    QUEUE_LENGTH,
    SIMULATION,
    Band,
    Forecast,
    TicketForecast,
    describe,
    short,
)

__all__ = [
    "QUEUE_LENGTH",
    "SIMULATION",
    "Band",
    "Forecast",
    "TicketForecast",
    "describe",
    "short",
]
