"""``frontdesk walk`` and ``frontdesk tree``: try a referral tree without a kiosk.

``walk`` plays one path: each ``--answer`` answers the step shown, in order.
Questions are answered with an option id, an information step with
``continue``, a checklist with what the citizen has::

    --answer have:photo_id          has photo ID, lacks the other documents listed
    --answer missing:lease          lacks the lease, has the others
    --answer all / --answer none    has every document / none of them

``--at`` sets the time the conditions see, and ``--set`` the state of a queue
(``--set queue.pas.length=25``, ``--set queue.skat.open=false``); otherwise
every queue is open and empty. Nothing is written anywhere.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from frontdesk_core.clock import Clock, ManualClock, SystemClock
from frontdesk_core.config.link import all_queue_ids
from frontdesk_core.config.loader import load_config
from frontdesk_core.config.models import Config
from frontdesk_core.config.suggest import unknown
from frontdesk_core.config.types import text_in
from frontdesk_core.devices import QueueStatus
from frontdesk_core.errors import CommandError
from frontdesk_core.hookspecs import Command
from frontdesk_core.referral.conditions import QUEUE_ATTRIBUTES, WEEKDAYS, StaticFacts
from frontdesk_core.referral.mermaid import render_mermaid
from frontdesk_core.referral.outcomes import (
    BookTime,
    Closed,
    Outcome,
    Referred,
    SentHome,
    TakeTicket,
)
from frontdesk_core.referral.session import CompiledTree, KioskSession, tree_of_centre
from frontdesk_core.referral.steps import Step


def _configure_walk(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="a configuration file or directory")
    parser.add_argument("--centre", required=True, help="the centre whose kiosk tree to walk")
    parser.add_argument("--lang", help="the citizen's language (default: the site's first)")
    parser.add_argument(
        "--answer",
        action="extend",
        nargs="+",
        default=[],
        metavar="ID",
        help="answers in order: an option id, 'continue', or for a checklist "
        "have:ID,ID / missing:ID,ID / all / none",
    )
    parser.add_argument(
        "--at", help="the time the conditions see, e.g. '2026-11-23 14:30' (default: now)"
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="VAR=VALUE",
        help="a queue's state: queue.ID.open=true|false, queue.ID.length=N, queue.ID.wait=MIN",
    )
    parser.add_argument("--json", action="store_true", help="print the walk as JSON")


def _clock(config: Config, at: str | None) -> Clock:
    tz = ZoneInfo(config.site.timezone)
    if at is None:
        return SystemClock(tz)
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        raise CommandError(f"'{at}' is not a time; write it like '2026-11-23 14:30'") from None
    return ManualClock(moment if moment.tzinfo else moment.replace(tzinfo=tz))


def parse_queue_settings(config: Config, settings: list[str]) -> StaticFacts:
    """Queue states from ``queue.ID.ATTRIBUTE=VALUE`` settings; the rest open and empty."""
    queues = all_queue_ids(config)
    values: dict[str, dict[str, Any]] = {}
    for setting in settings:
        name, sep, raw = setting.partition("=")
        parts = name.strip().split(".")
        if not sep or len(parts) != 3 or parts[0] != "queue" or parts[2] not in QUEUE_ATTRIBUTES:
            raise CommandError(
                f"'{setting}' sets nothing; write queue.ID.open=false, queue.ID.length=20 "
                "or queue.ID.wait=30"
            )
        queue_id, attribute, raw = parts[1], parts[2], raw.strip().lower()
        if queue_id not in queues:
            raise CommandError(unknown("queue", queue_id, queues))
        if attribute == "open":
            if raw not in ("true", "false"):
                raise CommandError(f"'{setting}': open is true or false")
            values.setdefault(queue_id, {})["open"] = raw == "true"
        else:
            if not raw.isdigit():
                raise CommandError(f"'{setting}': {attribute} is a whole number")
            values.setdefault(queue_id, {})[attribute] = int(raw)
    return StaticFacts(
        {
            queue_id: QueueStatus(
                queue_id,
                queue_id,
                waiting=found.get("length", 0),
                expected_wait_minutes=found.get("wait", 0),
                open=found.get("open", True),
            )
            for queue_id, found in values.items()
        }
    )


def _outcome_lines(outcome: Outcome) -> list[str]:
    lines: list[str] = []
    if isinstance(outcome, TakeTicket):
        lines.append(f"queue: {outcome.queue_id} ({outcome.queue_name})")
        if outcome.service_id:
            lines.append(f"service: {outcome.service_id}")
        if outcome.priority is not None:
            lines.append(f"priority: {outcome.priority}")
        if outcome.note:
            lines.append(f"note for the counter: {outcome.note}")
        if outcome.where:
            lines.append(f"wait at: {outcome.where}")
    elif isinstance(outcome, SentHome):
        if outcome.missing_documents:
            lines.append(f"missing: {', '.join(outcome.missing_documents)}")
        if outcome.bring:
            lines.append(f"bring: {'; '.join(outcome.bring)}")
        if outcome.book_service:
            lines.append(f"book: {outcome.book_service}")
        if outcome.url:
            lines.append(f"link: {outcome.url}")
    elif isinstance(outcome, Referred):
        target = outcome.authority_id or outcome.to_centre_id
        lines.append(f"to: {outcome.name} ({target}), {outcome.address}")
        for label, value in (
            ("hours", outcome.opening_hours),
            ("where", outcome.where),
            ("phone", outcome.phone),
            ("link", outcome.url),
        ):
            if value:
                lines.append(f"{label}: {value}")
    elif isinstance(outcome, Closed):
        why = "closed now" if outcome.reason == "closed" else "after the last ticket"
        lines.append(f"no ticket ({why}) in queue: {outcome.queue_id} ({outcome.queue_name})")
        if outcome.closes_at is not None:
            lines.append(f"closes: {outcome.closes_at:%Y-%m-%d %H:%M}")
        lines.append(f"opens: {f'{outcome.opens_at:%Y-%m-%d %H:%M}' if outcome.opens_at else '-'}")
        if outcome.book_service:
            lines.append(f"book: {outcome.book_service}")
        if outcome.url:
            lines.append(f"link: {outcome.url}")
    elif isinstance(outcome, BookTime):
        lines.append(f"service: {outcome.service_id} ({outcome.service_name})")
        lines.append(f"channels: {', '.join(outcome.channels)}")
    return lines


def _step_lines(step: Step) -> list[str]:
    lines = [f"{step.number}. {step.kind} {step.node_id}: {step.text}"]
    if step.outcome is not None:
        lines[0] = f"{step.number}. outcome {step.outcome.kind} {step.node_id}: {step.text}"
        lines += [f"   {line}" for line in _outcome_lines(step.outcome)]
        return lines
    if step.help:
        lines.append(f"   {step.help}")
    lines += [f"   - {choice.id}: {choice.label}" for choice in step.options]
    lines += [f"   - {item.id}: {item.name}" for item in step.documents]
    return lines


def _answer_note(before: Step, session: KioskSession, missing_before: frozenset[str]) -> str:
    if before.kind != "checklist":
        return ""
    lacking = [d.id for d in before.documents if d.id in session.missing - missing_before]
    return f" (missing: {', '.join(lacking)})" if lacking else " (all there)"


def run_walk(args: argparse.Namespace) -> int:
    """Play one path through a centre's tree and print each step and the outcome."""
    config = load_config(args.path, args.hooks.load_context())
    compiled = CompiledTree.for_centre(config, args.centre, args.hooks.condition_functions())
    language = args.lang or config.site.languages[0]
    clock = _clock(config, args.at)
    facts = parse_queue_settings(config, args.set)
    session = KioskSession(
        compiled, centre_id=args.centre, language=language, clock=clock, facts=facts
    )
    now = clock.now().astimezone(compiled.tz)
    centre = config.centre(args.centre)
    steps: list[dict[str, Any]] = []
    if not args.json:
        name = text_in(dict(centre.name), language)
        print(
            f"{name} (centre {centre.id}), tree {compiled.tree.id}, language {language}, "
            f"{WEEKDAYS[now.weekday()]} {now:%Y-%m-%d %H:%M}"
        )
        print()
    answers = list(args.answer)
    while True:
        step = session.step
        record: dict[str, Any] = {"step": step.as_dict(), "answer": None, "via": []}
        steps.append(record)
        if not args.json:
            print("\n".join(_step_lines(step)))
        if session.done:
            if answers:
                raise CommandError(
                    f"the walk reached the outcome '{step.node_id}'; "
                    f"{len(answers)} answer(s) left over: {' '.join(answers)}"
                )
            break
        if not answers:
            if not args.json:
                print("   (the kiosk waits here: add --answer with one of the ids above)")
            break
        token = answers.pop(0)
        passed, missing_before = len(session.path), session.missing
        session.answer(token)
        via = [n for n in session.path[passed:-1]]
        record["answer"], record["via"] = token, via
        if not args.json:
            print(f"   > {token}{_answer_note(step, session, missing_before)}")
            for branch in via:
                print(f"   (branch {branch})")
    if args.json:
        data = {
            "centre": centre.id,
            "tree": compiled.tree.id,
            "language": language,
            "at": now.isoformat(),
            "steps": steps,
            "done": session.done,
            "outcome": steps[-1]["step"]["outcome"],
            "path": list(session.path),
        }
        print(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    return 0


def _configure_tree(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="a configuration file or directory")
    parser.add_argument("--centre", required=True, help="the centre whose kiosk tree to draw")
    parser.add_argument("--format", choices=["mermaid"], default="mermaid", help="output format")
    parser.add_argument("--lang", help="the language of the labels (default: the site's first)")


def run_tree(args: argparse.Namespace) -> int:
    """Print a centre's referral tree as a Mermaid flowchart."""
    config = load_config(args.path, args.hooks.load_context())
    tree = tree_of_centre(config, args.centre)
    if args.lang is not None and args.lang not in config.site.languages:
        raise CommandError(unknown("language", args.lang, config.site.languages))
    print(render_mermaid(tree, config, args.lang), end="")
    return 0


COMMANDS = [
    Command("walk", "play a path through a centre's referral tree", _configure_walk, run_walk),
    Command("tree", "draw a centre's referral tree (Mermaid)", _configure_tree, run_tree),
]
