"""The ``audit:`` section and the CSV audit log it configures.

The section is written in the configuration::

    audit:
      path: /var/log/frontdesk/audit.csv
      events: [issued, called]

Each line is ``at,event,number,queue_id,counter_id``: no personal data, as no
ticket holds any.
"""

from __future__ import annotations

import csv
import threading
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import Field

from frontdesk_core.api import Model, Ticket

SECTION = "audit"
"""The name of the configuration section."""

AuditEvent = Literal["issued", "called"]
"""What the log records."""

COLUMNS = ("at", "event", "number", "queue_id", "counter_id")
"""The CSV columns, in order."""


class AuditSettings(Model):
    """The ``audit:`` section: where the log goes and what it records."""

    path: str = Field(description="The CSV file; lines are appended.")
    events: list[AuditEvent] = Field(
        ["issued", "called"], min_length=1, description="Which events to record."
    )


class AuditLog:
    """Appends a CSV line per recorded event to one file (thread-safe)."""

    def __init__(self, settings: AuditSettings) -> None:
        self.settings = settings
        self.path = Path(settings.path)
        self._lock = threading.Lock()
        if not self.path.exists() or self.path.stat().st_size == 0:
            self._write(COLUMNS)

    def record(self, event: AuditEvent, ticket: Ticket, at: datetime, counter_id: str = "") -> None:
        """Append one line, when the settings ask for ``event``."""
        if event in self.settings.events:
            self._write((at.isoformat(), event, ticket.number, ticket.queue_id, counter_id))

    def _write(self, row: tuple[str, ...]) -> None:
        with self._lock, self.path.open("a", newline="", encoding="utf-8") as file:
            csv.writer(file).writerow(row)


def summary(path: str | Path) -> dict[tuple[str, str], int]:
    """How many lines the log at ``path`` holds per ``(event, queue_id)``."""
    with Path(path).open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    return dict(sorted(Counter((row["event"], row["queue_id"]) for row in rows).items()))
