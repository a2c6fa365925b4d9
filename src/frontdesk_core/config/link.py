"""The second validation pass: cross-references, unique ids and languages.

Shapes are already valid here; what is checked is that ids are unique, that
every reference names something that exists (with a "did you mean"), and that
every citizen-facing text exists in every language of the site. The checks
of each area (referral trees, booking rules) and of plugins come in through
``context.checks``: the built-in ones are registered by
:mod:`frontdesk_core.default_plugins.config_checks` through
``frontdesk_config_checks``, like any plugin's, so this module imports no area.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from frontdesk_core.config.locate import Loc
from frontdesk_core.config.models import Config
from frontdesk_core.config.schema_walk import is_text
from frontdesk_core.config.suggest import unknown
from frontdesk_core.config.types import TimeRange, format_time

if TYPE_CHECKING:
    from frontdesk_core.config.loader import LoadContext, Reporter


def link(config: Config, context: LoadContext, reporter: Reporter) -> None:
    """Run every cross-reference check, then the registered ones, reporting to ``reporter``."""
    check_ids(config, reporter)
    check_centres(config, context, reporter)
    check_day_reset(config, reporter)
    check_services(config, reporter)
    check_languages(config, reporter)
    for plugin_check in context.checks:
        try:
            plugin_check(config, reporter)
        except Exception as exc:  # a broken plugin must not hide the consultant's problems
            name = getattr(plugin_check, "__qualname__", repr(plugin_check))
            reporter.error((), f"a plugin's check ({name}) failed: {type(exc).__name__}: {exc}")


def unique(items: Iterable[tuple[Loc, str]], kind: str, reporter: Reporter) -> None:
    """Report every id that was already used by an earlier item."""
    first: dict[str, Loc] = {}
    for loc, ident in items:
        if ident in first:
            where = reporter.document.position(first[ident])
            reporter.error(
                loc, f"duplicate {kind} '{ident}' (first used at {where.file}:{where.line})"
            )
        else:
            first[ident] = loc


def check_ids(config: Config, reporter: Reporter) -> None:
    """Ids are unique: centres, queues, counters, kiosks and screens across the site."""
    unique(
        ((("centres", i, "id"), c.id) for i, c in enumerate(config.centres)), "centre id", reporter
    )
    for section, kind in (
        ("services", "service id"),
        ("documents", "document id"),
        ("authorities", "authority id"),
        ("trees", "tree id"),
    ):
        unique(
            (((section, i, "id"), item.id) for i, item in enumerate(getattr(config, section))),
            kind,
            reporter,
        )
    for part, kind in (
        ("queues", "queue id"),
        ("counters", "counter id"),
        ("kiosks", "kiosk id"),
        ("info_screens", "info screen id"),
    ):
        unique(
            (
                (("centres", ci, part, j, "id"), item.id)
                for ci, centre in enumerate(config.centres)
                for j, item in enumerate(getattr(centre, part))
            ),
            kind,
            reporter,
        )
    for ci, centre in enumerate(config.centres):
        unique(
            (
                (("centres", ci, "queues", j, "prefix"), q.prefix)
                for j, q in enumerate(centre.queues)
            ),
            "ticket prefix",
            reporter,
        )


def check_centres(config: Config, context: LoadContext, reporter: Reporter) -> None:
    """Every queue is served by a counter of its centre; counters and screens name queues
    of their own centre; trees and policies exist."""
    trees = [t.id for t in config.trees]
    policies = sorted(context.call_policies)
    for ci, centre in enumerate(config.centres):
        queues = [q.id for q in centre.queues]
        served = {queue_id for counter in centre.counters for queue_id in counter.queues}
        # A misspelt queue of a counter is reported as such, and may be the one missing.
        misspelt = not served <= set(queues)
        for j, queue in enumerate(centre.queues):
            if queue.id not in served and not misspelt:
                reporter.error(
                    ("centres", ci, "queues", j, "id"),
                    f"no counter of centre '{centre.id}' serves the queue '{queue.id}', so its "
                    "tickets would never be called; add it to the 'queues' of a counter",
                )
        for k, counter in enumerate(centre.counters):
            for j, queue_id in enumerate(counter.queues):
                if queue_id not in queues:
                    reporter.error(
                        ("centres", ci, "counters", k, "queues", j),
                        unknown("queue", queue_id, queues, f" in centre '{centre.id}'"),
                    )
            if counter.call_policy is not None and counter.call_policy not in policies:
                reporter.error(
                    ("centres", ci, "counters", k, "call_policy"),
                    unknown("call-next policy", counter.call_policy, policies),
                )
        for s, screen in enumerate(centre.info_screens):
            for j, queue_id in enumerate(screen.queues or []):
                if queue_id not in queues:
                    reporter.error(
                        ("centres", ci, "info_screens", s, "queues", j),
                        unknown("queue", queue_id, queues, f" in centre '{centre.id}'"),
                    )
        if centre.tree is not None and centre.tree not in trees:
            reporter.error(("centres", ci, "tree"), unknown("referral tree", centre.tree, trees))
        if centre.call_policy not in policies:
            reporter.error(
                ("centres", ci, "call_policy"),
                unknown("call-next policy", centre.call_policy, policies),
            )


def check_day_reset(config: Config, reporter: Reporter) -> None:
    """No opening hours run across the centre's day reset.

    Ticket numbers, queues and the day's figures start again at ``day_reset``:
    hours that span it would belong to two service days at once.
    """
    for ci, centre in enumerate(config.centres):
        reset = centre.day_reset
        days: list[tuple[tuple[str | int, ...], list[TimeRange]]] = [
            (("centres", ci, "opening_hours", day), getattr(centre.opening_hours, day))
            for day in type(centre.opening_hours).model_fields
        ]
        days += [
            (("centres", ci, "exceptions", e, "hours"), exception.hours)
            for e, exception in enumerate(centre.exceptions)
        ]
        for loc, ranges in days:
            for r, hours in enumerate(ranges):
                if hours.start < reset < hours.end:
                    reporter.error(
                        (*loc, r),
                        f"the hours {hours} run across the day reset at "
                        f"{format_time(reset)} (ticket numbers start again then); end them "
                        f"by {format_time(reset)}, or move 'day_reset' of centre "
                        f"'{centre.id}' outside its opening hours",
                    )


def all_queue_ids(config: Config) -> list[str]:
    """Every queue id of the site."""
    return [q.id for c in config.centres for q in c.queues]


def check_services(config: Config, reporter: Reporter) -> None:
    """Services name existing queues and documents."""
    queues = all_queue_ids(config)
    documents = [d.id for d in config.documents]
    queue_set, document_set = frozenset(queues), frozenset(documents)
    for i, service in enumerate(config.services):
        if service.queue not in queue_set:
            reporter.error(("services", i, "queue"), unknown("queue", service.queue, queues))
        for j, document_id in enumerate(service.documents):
            if document_id not in document_set:
                reporter.error(
                    ("services", i, "documents", j), unknown("document", document_id, documents)
                )


def check_languages(config: Config, reporter: Reporter) -> None:
    """Every citizen-facing text exists in every language of the site, and in no other."""
    languages = list(config.site.languages)
    for loc, text in iter_texts(config, ()):
        missing = [lang for lang in languages if lang not in text]
        if missing:
            reporter.error(
                loc,
                f"the text has no {' and '.join(missing)} version "
                f"(the site's languages are {', '.join(languages)})",
            )
        for lang in text:
            if lang not in languages:
                reporter.error(
                    (*loc, lang),
                    f"'{lang}' is not one of the site's languages ({', '.join(languages)})",
                    at_key=True,
                )


def iter_texts(value: Any, loc: tuple[str | int, ...]) -> Iterable[tuple[Loc, dict[str, str]]]:
    """Every citizen-facing text below ``value``, with its path."""
    if isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            if info.exclude:
                continue
            child = getattr(value, name)
            key = info.alias or name
            if isinstance(child, dict) and is_text(type(value), (key,)):
                yield (*loc, key), child
            else:
                yield from iter_texts(child, (*loc, key))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from iter_texts(item, (*loc, index))
