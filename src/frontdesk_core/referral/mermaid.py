"""Draw a referral tree as a Mermaid flowchart, for documentation and review.

Questions are diamonds, information steps rectangles, checklists
parallelograms, branches hexagons and outcomes rounded, coloured by kind.
Options with a condition, and the cases of branches, are dashed arrows
labelled with the condition.
"""

from __future__ import annotations

import re

from frontdesk_core.config.models import Config
from frontdesk_core.config.types import text_in
from frontdesk_core.referral.conditions import describe_condition
from frontdesk_core.referral.model import (
    BookNow,
    Branch,
    Checklist,
    Info,
    JoinQueue,
    Node,
    Question,
    Refer,
    ReferralTree,
    SendHome,
)

_WORDS = {
    "da": {"all": "alt er med", "missing": "mangler noget", "otherwise": "ellers"},
    "en": {"all": "all there", "missing": "something missing", "otherwise": "otherwise"},
}
_STYLES = {
    "queue": "fill:#d9f2d9,stroke:#2e7d32",
    "send_home": "fill:#ffe0b2,stroke:#e65100",
    "refer": "fill:#d6e4ff,stroke:#1a4fa0",
    "check_in": "fill:#ead9f5,stroke:#6a1b9a",
    "book": "fill:#d0f0ef,stroke:#00695c",
}


def _quote(text: str) -> str:
    """A Mermaid string: double quotes and line breaks cannot appear inside it."""
    text = re.sub(r"\s+", " ", text).strip()
    return '"' + text.replace('"', "#quot;") + '"'


class _Drawing:
    def __init__(self, tree: ReferralTree, config: Config, language: str) -> None:
        self.tree = tree
        self.config = config
        self.language = language
        self.fallback = config.site.languages[0]
        self.words = _WORDS.get(language, _WORDS["en"])
        self.names = {node.id: f"n{index}" for index, node in reversed(list(enumerate(tree.nodes)))}
        self.lines = ["flowchart TD"]

    def text(self, text: dict[str, str] | None) -> str:
        return text_in(text, self.language, self.fallback) if text else ""

    def label(self, node: Node) -> str:
        if isinstance(node, Question | Info | Checklist):
            return f"{node.id}: {self.text(node.text)}"
        if isinstance(node, Branch):
            return node.id
        return f"{node.id}: {self.detail(node)}"

    def detail(self, node: Node) -> str:
        if isinstance(node, JoinQueue):
            return f"queue {node.queue}" + (f", service {node.service}" if node.service else "")
        if isinstance(node, SendHome):
            bring = ", ".join(node.documents)
            book = f"book {node.book_service}" if node.book_service else ""
            return "; ".join(part for part in ("send home", bring, book) if part)
        if isinstance(node, Refer):
            return f"refer to {node.authority or node.centre}"
        if isinstance(node, BookNow):
            return f"book {node.service}"
        return "check in"

    def shape(self, node: Node) -> str:
        label = _quote(self.label(node))
        if isinstance(node, Question):
            return "{" + label + "}"
        if isinstance(node, Info):
            return f"[{label}]"
        if isinstance(node, Checklist):
            return f"[/{label}/]"
        if isinstance(node, Branch):
            return "{{" + label + "}}"
        return f"([{label}])"

    def edge(self, source: str, target: str, label: str = "", *, dashed: bool = False) -> None:
        if target not in self.names:
            return  # a broken reference; validation reports it
        arrow = "-.->" if dashed else "-->"
        text = f"|{_quote(label)}|" if label else ""
        self.lines.append(f"    {self.names[source]} {arrow}{text} {self.names[target]}")

    def draw(self) -> str:
        drawn: set[str] = set()
        for node in self.tree.nodes:
            if node.id in drawn:
                continue
            drawn.add(node.id)
            self.lines.append(f"    {self.names[node.id]}{self.shape(node)}")
        for node in self.tree.nodes:
            self.edges(node)
        for kind, style in _STYLES.items():
            self.lines.append(f"    classDef {kind} {style}")
        for node in self.tree.nodes:
            if node.kind in _STYLES:
                self.lines.append(f"    class {self.names[node.id]} {node.kind}")
        return "\n".join(self.lines) + "\n"

    def edges(self, node: Node) -> None:
        if isinstance(node, Question):
            for option in node.options:
                label = self.text(option.label)
                if option.when is not None:
                    label += f" [{describe_condition(option.when)}]"
                self.edge(node.id, option.next, label, dashed=option.when is not None)
        elif isinstance(node, Info):
            self.edge(node.id, node.next)
        elif isinstance(node, Checklist):
            self.edge(node.id, node.next, self.words["all"])
            self.edge(node.id, node.missing, self.words["missing"])
        elif isinstance(node, Branch):
            for case in node.cases:
                self.edge(node.id, case.next, describe_condition(case.when), dashed=True)
            self.edge(node.id, node.otherwise, self.words["otherwise"])


def render_mermaid(tree: ReferralTree, config: Config, language: str | None = None) -> str:
    """The tree as a Mermaid ``flowchart`` (texts in ``language``, default the site's first)."""
    return _Drawing(tree, config, language or config.site.languages[0]).draw()
