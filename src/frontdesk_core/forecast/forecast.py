"""Forecasts as records, made by simulation or by queue length.

* :func:`simulate_forecast` runs ``replications`` forward runs of the rest of
  the day from a :class:`~frontdesk_core.forecast.snapshot.LiveSnapshot` and
  gives each waiting ticket the median minutes until its call and an 80% band
  (the 10th to the 90th percentile over the runs); each probed queue gets the
  same for a ticket taken now.
* :func:`queue_length_forecast` is today's estimate
  (:mod:`frontdesk_core.queues.estimates`) in the same records, without a band.

A ticket or queue gets no estimate (``minutes`` is ``None``) rather than a wild
number when nothing can be known: no counter open, the centre closed, no
history, or (simulated) the ticket not called before the day ends in most runs.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from frontdesk_core.forecast.forward import replicate
from frontdesk_core.forecast.records import (
    QUEUE_LENGTH,
    SIMULATION,
    Band,
    Forecast,
    TicketForecast,
    band_of,
)
from frontdesk_core.forecast.snapshot import LiveSnapshot
from frontdesk_core.plugins import Hooks
from frontdesk_core.simulation.scenario import LoadedScenario

if TYPE_CHECKING:
    from frontdesk_core.app import Frontdesk


def simulate_forecast(
    snapshot: LiveSnapshot,
    loaded: LoadedScenario,
    *,
    hooks: Hooks,
    replications: int,
    seed: str = "forecast",
    through_kiosk: bool = False,
) -> Forecast:
    """Forecast every waiting ticket of ``snapshot`` and a new ticket in each queue.

    ``through_kiosk``: the model's walk-ins arrive at the kiosk (a scenario written
    for the planner) rather than with their ticket (a model calibrated from tickets).
    """
    centres = {c.centre_id for c in snapshot.counters}
    probe = [q.id for c in loaded.config.centres if c.id in centres for q in c.queues]
    start = snapshot.minute
    runs = [
        (run.called, run.probes)
        for run in replicate(
            loaded,
            snapshot,
            hooks=hooks,
            replications=replications,
            seed=seed,
            probe=probe,
            through_kiosk=through_kiosk,
        )
    ]
    tickets = {}
    for ticket in snapshot.tickets:
        waits = [called.get(ticket.id, math.inf) - start for called, _ in runs]
        tickets[ticket.id] = TicketForecast(ticket.queue_id, band_of(waits), ticket.id)
    queues = {}
    for queue_id in probe:
        waits = [called.get(probes.get(queue_id, ""), math.inf) - start for called, probes in runs]
        queues[queue_id] = TicketForecast(queue_id, band_of(waits))
    return Forecast(snapshot.now, SIMULATION, replications, tickets, queues)


def queue_length_forecast(fd: Frontdesk, snapshot: LiveSnapshot) -> Forecast:
    """Today's queue-length estimate of every waiting ticket and queue, as a forecast."""
    tickets = {}
    for ticket in snapshot.tickets:
        estimate = fd.queues.estimate(ticket.id)
        tickets[ticket.id] = TicketForecast(ticket.queue_id, _flat(estimate.minutes), ticket.id)
    queues = {}
    centres = {t.centre_id for t in snapshot.tickets} | {c.centre_id for c in snapshot.counters}
    for centre_id in sorted(centres):
        for status in fd.queues.queue_status(centre_id):
            queues[status.queue_id] = TicketForecast(
                status.queue_id, _flat(status.expected_wait_minutes)
            )
    return Forecast(snapshot.now, QUEUE_LENGTH, 0, tickets, queues)


def _flat(minutes: int | float | None) -> Band | None:
    return None if minutes is None else Band(float(minutes), float(minutes), float(minutes))


__all__ = ["queue_length_forecast", "simulate_forecast"]
