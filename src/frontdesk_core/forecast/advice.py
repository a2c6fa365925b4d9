"""Staffing advice: the rest of the day's service level per queue, and what would change it.

:func:`advise` runs the rest of the day forward from a snapshot (the forecast's
:class:`~frontdesk_core.forecast.forward.ForwardRun`, to the day's end) as it
stands, and then with each change a manager can make now, on the same simulated
citizens (the same seeds, so the comparison is paired):

* **open**: a closed counter that may serve an at-risk queue opens for it now;
* **move**: an open counter serving the queue doing best moves to the at-risk
  queue alone;
* **break**: a counter on a break now takes it half an hour later.

A queue's outlook is the share of its citizens called within its target
(``queue.target``) for the rest of the day: the mean over the runs with an 80%
interval (10th to 90th percentile), and the first twenty-minute stretch in which
it falls below the target. :meth:`Advice.sentences` says it in words a manager
acts on, in Danish or English.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from frontdesk_core.config.models import Config
from frontdesk_core.config.types import text_in
from frontdesk_core.forecast.forward import RESUME_AFTER, replicate
from frontdesk_core.forecast.records import HIGH, LOW
from frontdesk_core.forecast.snapshot import LiveSnapshot
from frontdesk_core.plugins import Hooks
from frontdesk_core.queues.counters import CounterStatus
from frontdesk_core.simulation.distributions import minutes
from frontdesk_core.simulation.scenario import LoadedScenario

SLOT = 20.0
"""Minutes per stretch in which a queue's share is judged for "falls below from"."""
POSTPONE = 30.0
"""How much later a break is taken in the 'break' option (minutes)."""
AT_RISK = 2
"""How many of the worst queues the options are sought for."""

Waits = list[tuple[str, float, float, bool]]


@dataclass(frozen=True)
class Outlook:
    """A queue's share of citizens called within its target for the rest of the day."""

    queue_id: str
    target: float
    """The share the queue aims at (0.8: 80%)."""
    share: float | None
    """The mean over the runs (``None``: nobody is expected)."""
    low: float | None
    high: float | None
    below_from: datetime | None = None
    """The start of the first stretch in which the share falls below the target."""

    @property
    def at_risk(self) -> bool:
        """Whether the rest of the day is expected below target."""
        return self.share is not None and self.share < self.target


@dataclass(frozen=True)
class Option:
    """One change a manager can make now, and the outlooks it leads to."""

    kind: str
    """``open``, ``move`` or ``break``."""
    counter_id: str
    queue_id: str
    """The at-risk queue it is for."""
    from_queues: tuple[str, ...] = ()
    outlooks: Mapping[str, Outlook] = field(default_factory=dict)

    def gain(self, baseline: Mapping[str, Outlook]) -> float:
        """How much the at-risk queue's share rises (in share points)."""
        before = baseline[self.queue_id].share or 0.0
        return (self.outlooks[self.queue_id].share or 0.0) - before


@dataclass(frozen=True)
class Advice:
    """The outlook as things stand and the options, best first."""

    made_at: datetime
    baseline: Mapping[str, Outlook]
    options: tuple[Option, ...]
    replications: int

    @property
    def best(self) -> Option | None:
        """The option that raises its at-risk queue the most (``None``: none helps)."""
        helping = [o for o in self.options if o.gain(self.baseline) > 0]
        return max(helping, key=lambda o: o.gain(self.baseline), default=None)

    def sentences(self, config: Config, language: str = "da") -> list[str]:
        """The advice in words: one sentence per at-risk queue, with its best option."""
        words = WORDS.get(language, WORDS["en"])
        out = []
        for outlook in self.baseline.values():
            name = _name(config, outlook.queue_id, language, queue=True)
            if not outlook.at_risk:
                continue
            when = (
                words["from"].format(time=f"{outlook.below_from:%H.%M}")
                if outlook.below_from is not None
                else ""
            )
            text = words["below"].format(
                queue=name, target=_pct(outlook.target), when=when, level=_level(outlook)
            )
            mine = [o for o in self.options if o.queue_id == outlook.queue_id]
            helping = [o for o in mine if o.gain(self.baseline) > 0]
            if helping:
                option = max(helping, key=lambda o: o.gain(self.baseline))
                after = option.outlooks[outlook.queue_id]
                counter = _name(config, option.counter_id, language, queue=False)
                text += "; " + words[option.kind].format(
                    counter=counter,
                    queue=name,
                    source=", ".join(
                        _name(config, q, language, queue=True) for q in option.from_queues
                    ),
                    level=_level(after),
                )
            else:
                text += "; " + words["nothing"]
            out.append(text + ".")
        return out or [words["fine"]]


WORDS = {
    "da": {
        "below": "{queue} falder under {target}{when} ({level})",
        "from": " fra kl. {time}",
        "open": "åbnes {counter} for {queue} nu, kommer den op på {level}",
        "move": "flyttes {counter} fra {source} til {queue} nu, kommer den op på {level}",
        "break": "holder {counter} pause en halv time senere, kommer den op på {level}",
        "nothing": "ingen enkelt ændring nu hjælper",
        "fine": "Alle køer ventes at nå deres mål resten af dagen.",
    },
    "en": {
        "below": "{queue} will fall below {target}{when} ({level})",
        "from": " from {time}",
        "open": "opening {counter} for {queue} now raises it to {level}",
        "move": "moving {counter} from {source} to {queue} now raises it to {level}",
        "break": "moving the break at {counter} half an hour later raises it to {level}",
        "nothing": "no single change now helps",
        "fine": "Every queue is expected to meet its target for the rest of the day.",
    },
}
"""The advice's sentences, per language."""


def _pct(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.0f}%"


def _level(outlook: Outlook) -> str:
    if outlook.low is None or outlook.high is None:
        return _pct(outlook.share)
    return f"{_pct(outlook.share)}, {_pct(outlook.low)}–{_pct(outlook.high)}"


def _name(config: Config, some_id: str, language: str, *, queue: bool) -> str:
    for centre in config.centres:
        for item in centre.queues if queue else centre.counters:
            if item.id == some_id:
                return text_in(item.name, language)
    return some_id


def _quantile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def outlooks(
    runs: Sequence[Waits], config: Config, queue_ids: Iterable[str], snapshot: LiveSnapshot
) -> dict[str, Outlook]:
    """Each queue's outlook from the runs' calls."""
    out = {}
    start = snapshot.minute
    midnight = snapshot.now - timedelta(minutes=start)
    for queue_id in queue_ids:
        queue = config.queue(queue_id)
        target, within = queue.target.share, minutes(queue.target.within)
        shares = []
        slots: dict[int, list[int]] = {}
        for waits in runs:
            judged = [
                (ready, not gone and wait <= within + 1e-9)
                for q, ready, wait, gone in waits
                if q == queue_id
            ]
            if judged:
                shares.append(sum(ok for _, ok in judged) / len(judged))
            for ready, ok in judged:
                slot = slots.setdefault(int(max(ready - start, 0.0) // SLOT), [0, 0])
                slot[0] += ok
                slot[1] += 1
        below = next(
            (index for index in sorted(slots) if slots[index][0] < target * slots[index][1]),
            None,
        )
        out[queue_id] = Outlook(
            queue_id,
            target,
            sum(shares) / len(shares) if shares else None,
            _quantile(shares, LOW) if shares else None,
            _quantile(shares, HIGH) if shares else None,
            midnight + timedelta(minutes=start + below * SLOT) if below is not None else None,
        )
    return out


def _runs(
    snapshot: LiveSnapshot,
    loaded: LoadedScenario,
    hooks: Hooks,
    replications: int,
    seed: str,
    **change: Any,
) -> list[Waits]:
    runs = replicate(
        loaded,
        snapshot,
        hooks=hooks,
        replications=replications,
        seed=seed,
        whole_day=True,
        **change,
    )
    return [run.waits for run in runs]


def candidates(
    snapshot: LiveSnapshot, config: Config, baseline: Mapping[str, Outlook]
) -> list[Option]:
    """The changes worth trying for the worst queues below target."""
    risky = sorted((o for o in baseline.values() if o.at_risk), key=lambda o: o.share or 0.0)
    options: list[Option] = []
    for outlook in risky[:AT_RISK]:
        queue_id = outlook.queue_id
        centre = config.centre_of_queue(queue_id)
        configured = {c.id: c.queues for c in centre.counters}
        for counter in snapshot.counters:
            if counter.centre_id != centre.id:
                continue
            if counter.status is CounterStatus.CLOSED and queue_id in configured.get(
                counter.id, []
            ):
                options.append(Option("open", counter.id, queue_id))
                break
        open_elsewhere = [
            c
            for c in snapshot.counters
            if c.centre_id == centre.id
            and c.status is CounterStatus.OPEN
            and queue_id not in c.queue_ids
        ]

        def spare(counter_queues: tuple[str, ...]) -> float:
            return min((baseline[q].share or 1.0) - baseline[q].target for q in counter_queues)

        if open_elsewhere:
            donor = max(open_elsewhere, key=lambda c: spare(c.queue_ids))
            options.append(Option("move", donor.id, queue_id, donor.queue_ids))
        for counter in snapshot.counters:
            if counter.status is CounterStatus.PAUSED and queue_id in counter.queue_ids:
                options.append(Option("break", counter.id, queue_id, counter.queue_ids))
                break
    return options


def advise(
    snapshot: LiveSnapshot,
    loaded: LoadedScenario,
    *,
    hooks: Hooks,
    replications: int = 8,
    seed: str = "advice",
) -> Advice:
    """The rest of the day as things stand, and each option on the same citizens."""
    config = loaded.config
    centres = {c.centre_id for c in snapshot.counters}
    queue_ids = [q.id for c in config.centres if c.id in centres for q in c.queues]
    baseline = outlooks(
        _runs(snapshot, loaded, hooks, replications, seed), config, queue_ids, snapshot
    )
    options = []
    for option in candidates(snapshot, config, baseline):
        now = snapshot.minute
        change: dict[str, object] = {}
        if option.kind in ("open", "move"):
            change["extra"] = {option.counter_id: (option.queue_id,)}
        else:
            change["breaks"] = {option.counter_id: (now + POSTPONE, now + POSTPONE + RESUME_AFTER)}
        runs = _runs(snapshot, loaded, hooks, replications, seed, **change)
        options.append(
            Option(
                option.kind,
                option.counter_id,
                option.queue_id,
                option.from_queues,
                outlooks(runs, config, queue_ids, snapshot),
            )
        )
    ranked = sorted(options, key=lambda o: -o.gain(baseline))
    return Advice(snapshot.now, baseline, tuple(ranked), replications)


__all__ = ["Advice", "Option", "Outlook", "advise", "candidates", "outlooks"]
