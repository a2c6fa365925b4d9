"""A referral tree as a directed graph: edges, reachability, loops, ancestors and depth."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from frontdesk_core.referral.model import (
    OUTCOME_KINDS,
    Branch,
    Checklist,
    Info,
    Node,
    Question,
    ReferralTree,
)


@dataclass(frozen=True)
class Edge:
    """A reference from one node to the next; ``where`` is its path inside the node."""

    source: str
    target: str
    where: tuple[str | int, ...]


def node_edges(node: Node) -> Iterator[Edge]:
    """Every reference ``node`` makes to a following node, in the order it is written."""
    if isinstance(node, Question):
        for o, option in enumerate(node.options):
            yield Edge(node.id, option.next, ("options", o, "next"))
    elif isinstance(node, Info):
        yield Edge(node.id, node.next, ("next",))
    elif isinstance(node, Checklist):
        yield Edge(node.id, node.next, ("next",))
        yield Edge(node.id, node.missing, ("missing",))
    elif isinstance(node, Branch):
        for c, case in enumerate(node.cases):
            yield Edge(node.id, case.next, ("cases", c, "next"))
        yield Edge(node.id, node.otherwise, ("otherwise",))


def is_outcome(node: Node) -> bool:
    """Whether ``node`` ends a session."""
    return node.kind in OUTCOME_KINDS


class TreeGraph:
    """The graph of one tree (references to missing nodes are left out)."""

    def __init__(self, tree: ReferralTree) -> None:
        self.tree = tree
        self.ids = {node.id for node in tree.nodes}
        self.edges: dict[str, list[Edge]] = {}
        for node in tree.nodes:
            # With duplicate ids the first node wins, as ReferralTree.node() does.
            self.edges.setdefault(node.id, [e for e in node_edges(node) if e.target in self.ids])

    def reachable(self, start: str) -> set[str]:
        """Every node that some path from ``start`` reaches (``start`` included)."""
        seen = {start} if start in self.ids else set()
        stack = list(seen)
        while stack:
            for edge in self.edges.get(stack.pop(), ()):
                if edge.target not in seen:
                    seen.add(edge.target)
                    stack.append(edge.target)
        return seen

    def loops(self) -> list[tuple[Edge, list[str]]]:
        """Each reference that closes a loop, with the loop's nodes (first node repeated last)."""
        found: list[tuple[Edge, list[str]]] = []
        state: dict[str, int] = {}  # 1: on the current path, 2: finished
        order = [self.tree.start] if self.tree.start in self.ids else []
        order += [n.id for n in self.tree.nodes]
        for root in order:
            if root in state:
                continue
            path: list[str] = []
            stack: list[tuple[str, Iterator[Edge]]] = [(root, iter(self.edges.get(root, ())))]
            state[root] = 1
            path.append(root)
            while stack:
                node_id, pending = stack[-1]
                edge = next(pending, None)
                if edge is None:
                    state[node_id] = 2
                    path.pop()
                    stack.pop()
                    continue
                if state.get(edge.target) == 1:
                    loop = [*path[path.index(edge.target) :], edge.target]
                    found.append((edge, loop))
                elif edge.target not in state:
                    state[edge.target] = 1
                    path.append(edge.target)
                    stack.append((edge.target, iter(self.edges.get(edge.target, ()))))
        return found

    def ancestors(self) -> dict[str, set[str]]:
        """For every node, the nodes that come before it on some path from the start."""
        before: dict[str, set[str]] = {node_id: set() for node_id in self.ids}
        parents: dict[str, set[str]] = {node_id: set() for node_id in self.ids}
        for edges in self.edges.values():
            for edge in edges:
                parents[edge.target].add(edge.source)
        for node_id in self.ids:
            stack = list(parents[node_id])
            seen = before[node_id]
            while stack:
                parent = stack.pop()
                if parent not in seen:
                    seen.add(parent)
                    stack.extend(parents[parent])
        return before

    def depth(self) -> int:
        """The most nodes on any path from the start (branches and the outcome included)."""
        memo: dict[str, int] = {}
        active: set[str] = set()

        def longest(node_id: str) -> int:
            if node_id in memo:
                return memo[node_id]
            if node_id in active:
                return 0  # a loop: refused by the checks, never followed round here
            active.add(node_id)
            best = 1 + max((longest(e.target) for e in self.edges.get(node_id, ())), default=0)
            active.discard(node_id)
            memo[node_id] = best
            return best

        return longest(self.tree.start) if self.tree.start in self.ids else 0
