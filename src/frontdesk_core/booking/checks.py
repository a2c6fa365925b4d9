"""Static checks of booking rules, run when a configuration is validated."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk_core.config.models import Config
from frontdesk_core.config.suggest import unknown

if TYPE_CHECKING:
    from frontdesk_core.config.loader import LoadContext, Reporter


def check_booking(config: Config, context: LoadContext, reporter: Reporter) -> None:
    """Bookable services name counters that exist in the centre of their queue."""
    for i, service in enumerate(config.services):
        if service.booking is None or service.booking.counters is None:
            continue
        try:
            centre = config.centre_of_queue(service.queue)
        except KeyError:
            continue  # reported by the service checks
        counters = [c.id for c in centre.counters]
        for j, counter_id in enumerate(service.booking.counters):
            if counter_id not in counters:
                reporter.error(
                    ("services", i, "booking", "counters", j),
                    unknown("counter", counter_id, counters, f" in centre '{centre.id}'"),
                )
