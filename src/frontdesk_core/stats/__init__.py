"""Figures from the event log: arrivals, served, no-shows, waiting and service times.

    report = fd.stats.report(start=date(2026, 11, 23), end=date(2026, 11, 27))
    for row in report.queues: ...

The definitions are in :mod:`frontdesk_core.stats.compute`; the records in
:mod:`frontdesk_core.stats.records`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from frontdesk_core.config.models import Config
from frontdesk_core.stats.compute import DEFAULT_TIMEZONE, KINDS, compute, read_span
from frontdesk_core.stats.records import (
    CentreFigures,
    CounterFigures,
    Distribution,
    QueueFigures,
    Report,
)
from frontdesk_core.store.base import EventStore

if TYPE_CHECKING:
    from frontdesk_core.stats.referral import ReferralReport


def read_report(
    store: EventStore,
    config: Config | None = None,
    *,
    start: date | None = None,
    end: date | None = None,
    centre_id: str | None = None,
) -> Report:
    """Every figure in ``store`` for local days ``start`` to ``end`` (inclusive)."""
    tz = ZoneInfo(config.site.timezone if config is not None else DEFAULT_TIMEZONE)
    since, until = read_span(tz, start, end)
    events = store.read(since=since, until=until, kinds=KINDS)
    return compute(events, config, tz, start=start, end=end, centre_id=centre_id)


class Stats:
    """Statistics of one store, read fresh from the log on every call (``fd.stats``)."""

    def __init__(self, store: EventStore, config: Config) -> None:
        self.store = store
        self.config = config

    def report(
        self,
        start: date | None = None,
        end: date | None = None,
        *,
        centre_id: str | None = None,
    ) -> Report:
        """Every figure for local days ``start`` to ``end`` (inclusive; open ends for all)."""
        return read_report(self.store, self.config, start=start, end=end, centre_id=centre_id)

    def referral(
        self,
        start: date | None = None,
        end: date | None = None,
        *,
        centre_id: str | None = None,
    ) -> ReferralReport:
        """Why citizens were sent home or referred, per tree, path, answer and week."""
        from frontdesk_core.stats.referral import read_referral_report

        return read_referral_report(
            self.store, self.config, start=start, end=end, centre_id=centre_id
        )


__all__ = [
    "CentreFigures",
    "CounterFigures",
    "Distribution",
    "QueueFigures",
    "Report",
    "Stats",
    "compute",
    "read_report",
    "read_span",
]
