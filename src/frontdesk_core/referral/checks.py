"""Static checks of referral trees, run when a configuration is validated."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk_core.config.models import Config
from frontdesk_core.config.suggest import unknown

if TYPE_CHECKING:
    from frontdesk_core.config.loader import LoadContext, Reporter


def check_trees(config: Config, context: LoadContext, reporter: Reporter) -> None:
    """Every node a tree names exists, and the tree's outcomes name existing things."""
    for t, tree in enumerate(config.trees):
        ids = [n.id for n in tree.nodes]
        if tree.start not in ids:
            reporter.error(("trees", t, "start"), unknown("node", tree.start, ids))
        for n, node in enumerate(tree.nodes):
            base = ("trees", t, "nodes", n)
            for attr in ("next", "missing", "otherwise"):
                target = getattr(node, attr, None)
                if target is not None and target not in ids:
                    reporter.error((*base, attr), unknown("node", target, ids))
            for o, option in enumerate(getattr(node, "options", [])):
                if option.next not in ids:
                    reporter.error((*base, "options", o, "next"), unknown("node", option.next, ids))
            for c, case in enumerate(getattr(node, "cases", [])):
                if case.next not in ids:
                    reporter.error((*base, "cases", c, "next"), unknown("node", case.next, ids))
