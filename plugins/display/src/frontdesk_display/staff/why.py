"""The manager's page on why citizens are sent home: the flow from the kiosk's first
question to the outcome, and the top reasons, as charts in Danish or English.

The figures are ``fd.stats.referral()`` of the event log (counts of configuration
ids, no personal data); the labels are the configuration's own texts in the
chosen language. The charts are SVG drawn here, so the page needs no script.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from frontdesk_core.api import Config, FlowFigures, ReferralReport, text_in
from frontdesk_display.auth import Staff, require
from frontdesk_display.common.pages import denied, not_found, render
from frontdesk_display.hub import Hub
from frontdesk_display.i18n import N_, translations

LANGUAGES = ("da", "en")
WHY_TEXTS: dict[str, str] = {
    "title": N_("Why are citizens sent home?"),
    "span": N_("The last {days} days"),
    "summary": N_(
        "{completed} citizens used the kiosk: {home} were sent home ({share}), "
        "{referred} were referred to another authority."
    ),
    "flow": N_("From the first question to the outcome"),
    "flow_help": N_(
        "Left: the answer to the kiosk's first question. Right: how the visit ended. "
        "The wider the band, the more citizens."
    ),
    "reasons": N_("Top reasons for being sent home"),
    "reasons_help": N_("Documents citizens lacked. Make them clearer on the website."),
    "referrals": N_("Referred to"),
    "citizens": N_("citizens"),
    "none": N_("No kiosk visits in the period."),
    "unknown_document": N_("Unknown document"),
    "outcome_queue": N_("Got a ticket"),
    "outcome_send_home": N_("Sent home"),
    "outcome_refer": N_("Referred"),
    "outcome_check_in": N_("Checked in"),
    "outcome_book": N_("Booked a time"),
    "language": N_("Language"),
    "back": N_("Back to the dashboard"),
}
"""The page's texts (English message ids; the catalogs say them in each language)."""
DAYS = 28
"""The span the page shows, ending today."""
WIDTH, HEIGHT, NODE = 720, 320, 14
"""The flow chart's size and the width of its node bars, in SVG units."""


def why_texts(language: str) -> dict[str, str]:
    """Every text of the page in ``language``, from the catalogs."""
    said = translations(language).gettext
    return {name: said(message) for name, message in WHY_TEXTS.items()}


@dataclass(frozen=True)
class Node:
    """A bar of the flow chart: a first answer (left) or an outcome (right)."""

    label: str
    count: int
    x: float
    y: float
    height: float


@dataclass(frozen=True)
class Link:
    """A band from a first answer to an outcome, as an SVG path of its width."""

    path: str
    width: float
    count: int
    title: str


def _answer_label(config: Config, flow: FlowFigures, language: str) -> str:
    try:
        node = config.tree(flow.tree_id).node(flow.question)
    except LookupError:
        return flow.first
    labels = {o.id: text_in(o.label, language) for o in getattr(node, "options", [])}
    return " / ".join(labels.get(part, part) for part in flow.first.split("|"))


def flow_chart(
    flows: list[FlowFigures], config: Config, texts: dict[str, str], language: str
) -> tuple[list[Node], list[Link]]:
    """The flow chart's bars and bands: answers on the left, outcomes on the right."""
    total = sum(f.count for f in flows)
    if not total:
        return [], []
    left: dict[str, int] = {}
    right: dict[str, int] = {}
    for flow in flows:
        label = _answer_label(config, flow, language)
        left[label] = left.get(label, 0) + flow.count
        outcome = texts.get(f"outcome_{flow.outcome}", flow.outcome)
        right[outcome] = right.get(outcome, 0) + flow.count
    gap = 6.0
    scale = (HEIGHT - gap * max(len(left), len(right))) / total

    def column(counts: dict[str, int], x: float) -> dict[str, Node]:
        y, out = 0.0, {}
        for label, count in sorted(counts.items(), key=lambda item: -item[1]):
            out[label] = Node(label, count, x, y, count * scale)
            y += count * scale + gap
        return out

    lefts, rights = column(left, 0.0), column(right, WIDTH - NODE)
    left_used = dict.fromkeys(lefts, 0.0)
    right_used = dict.fromkeys(rights, 0.0)
    links = []
    for flow in sorted(flows, key=lambda f: -f.count):
        a = lefts[_answer_label(config, flow, language)]
        b = rights[texts.get(f"outcome_{flow.outcome}", flow.outcome)]
        width = flow.count * scale
        y0 = a.y + left_used[a.label] + width / 2
        y1 = b.y + right_used[b.label] + width / 2
        left_used[a.label] += width
        right_used[b.label] += width
        x0, x1 = NODE, WIDTH - NODE
        middle = (x0 + x1) / 2
        path = f"M{x0},{y0:.1f} C{middle},{y0:.1f} {middle},{y1:.1f} {x1},{y1:.1f}"
        links.append(Link(path, max(width, 1.0), flow.count, f"{a.label} → {b.label}"))
    return [*lefts.values(), *rights.values()], links


def reasons(
    report: ReferralReport, config: Config, texts: dict[str, str], language: str
) -> list[dict[str, Any]]:
    """The top missing documents with their names and bar widths (percent of the largest)."""
    top = report.top_documents()
    most = max((count for _, count in top), default=0)
    out = []
    for document_id, count in top:
        try:
            name = text_in(config.document(document_id).name, language)
        except LookupError:
            name = texts["unknown_document"]
        out.append({"name": name, "count": count, "percent": 100 * count / most})
    return out


def referral_targets(
    report: ReferralReport, config: Config, language: str
) -> list[tuple[str, int]]:
    """Where citizens were referred, with the authority's or centre's name, most first."""
    totals: dict[str, int] = {}
    for row in report.referrals:
        totals[row.to] = totals.get(row.to, 0) + row.count
    named = []
    for target, count in sorted(totals.items(), key=lambda item: -item[1]):
        try:
            name = text_in(config.authority(target).name, language)
        except LookupError:
            try:
                name = text_in(config.centre(target).name, language)
            except LookupError:
                name = target
        named.append((name, count))
    return named


@require("manager", on_denied=denied)
async def why(request: Request, user: Staff) -> Response:
    """The charts of one centre, in the language asked for (``?lang=da`` or ``en``)."""
    hub: Hub = request.app.state.hub
    allowed = [c for c in hub.fd.config.centres if user.works_at(c.id)]
    wanted = request.query_params.get("centre")
    centre = next((c for c in allowed if wanted in (None, c.id)), None)
    if centre is None:
        return not_found(request, "There is no such centre.")
    language = request.query_params.get("lang", hub.fd.config.site.languages[0])
    if language not in LANGUAGES:
        language = "da"
    texts = why_texts(language)
    today = hub.fd.clock.now().astimezone(hub.fd.tz).date()
    report: ReferralReport = await hub.core.run(
        lambda: hub.fd.stats.referral(today - timedelta(days=DAYS - 1), today, centre_id=centre.id)
    )
    config = hub.fd.config
    nodes, links = flow_chart(list(report.flows), config, texts, language)
    share = f"{report.sent_home / report.completed:.0%}" if report.completed else "0%"
    return render(
        request,
        "manager_why.html",
        {
            "centre": centre,
            "centre_name": text_in(centre.name, language),
            "language": language,
            "lang": language,
            "languages": LANGUAGES,
            "t": texts,
            "span": texts["span"].format(days=DAYS),
            "summary": texts["summary"].format(
                completed=report.completed,
                home=report.sent_home,
                share=share,
                referred=report.referred,
            ),
            "report": report,
            "nodes": nodes,
            "links": links,
            "width": WIDTH,
            "height": HEIGHT,
            "node_width": NODE,
            "reasons": reasons(report, config, texts, language),
            "referrals": referral_targets(report, config, language),
        },
    )


def routes() -> list[BaseRoute]:
    """The routes of this module."""
    return [Route("/manager/why", why, name="manager_why", methods=["GET"])]
