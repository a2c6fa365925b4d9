"""The numbers called lately on each centre's info screens."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, tzinfo
from typing import Any

from frontdesk_core.api import CalledNumber
from frontdesk_display.common.jsonable import jsonable


class RecentCalls:
    """The numbers called lately, per centre, so an info screen keeps showing them after
    the employee presses Finish: a citizen who looked away still finds their number.

    Kept in memory: after a restart the screens show the calls in progress again, and
    the earlier ones from the next calls on. A number's latest call counts (a recall
    moves it to the top); an earlier day's calls are dropped.
    """

    def __init__(self, keep: int = 6) -> None:
        self.keep = keep
        self._calls: dict[str, dict[str, CalledNumber]] = {}

    def merge(
        self, centre_id: str, current: Iterable[CalledNumber], today: date, tz: tzinfo
    ) -> list[dict[str, Any]]:
        """The calls to show now: those in progress first, then the latest finished."""
        known = self._calls.setdefault(centre_id, {})
        now_called = {c.number: c for c in current}
        known.update(now_called)
        for number, call in list(known.items()):
            if call.called_at.astimezone(tz).date() != today:
                del known[number]
        ordered = sorted(known.values(), key=lambda c: c.called_at, reverse=True)
        shown = ordered[: max(self.keep, len(now_called))]
        for number in list(known):
            if known[number] not in shown:
                del known[number]
        return [
            {**jsonable(c), "current": now_called.get(c.number) == c}
            for c in sorted(shown, key=lambda c: (now_called.get(c.number) != c, -_stamp(c)))
        ]


def _stamp(call: CalledNumber) -> float:
    return call.called_at.timestamp()
