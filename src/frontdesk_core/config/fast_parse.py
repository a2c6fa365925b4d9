"""Parse a configuration file with libyaml (C), into the nodes ruamel.yaml builds.

ruamel.yaml's pure-Python scanner reads about a hundred kilobytes a second;
libyaml, through PyYAML's C parser, reads megabytes. Only the parsing moves to
C: its events are composed here into ruamel's nodes (with their positions),
tags are resolved by ruamel's YAML 1.2 resolver and the data is built by the
same round-trip constructor, so a file loads into exactly what ruamel alone
gives, ``lc`` positions included.

The limits are kept while composing, without recursion: how deep values nest
and how many values the aliases repeat. Anything else the fast path cannot
settle (a syntax error, a second document, an unknown alias, no libyaml on the
machine) returns ``None``, and the caller lets ruamel read the file, which
words the error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.tag import Tag

try:
    import yaml as _pyyaml

    _LOADER: Any = _pyyaml.CSafeLoader
except (ImportError, AttributeError):  # PyYAML without libyaml: ruamel reads alone
    _pyyaml = None  # type: ignore[assignment]
    _LOADER = None


@dataclass(frozen=True)
class LimitExceeded(Exception):
    """A limit was passed at ``line``/``column`` (zero-based): ``what`` is ``depth`` or
    ``aliases``."""

    what: str
    line: int
    column: int


@dataclass(frozen=True)
class ReusedAnchor(Exception):
    """An anchor defined a second time (zero-based position of the second, line of the first)."""

    anchor: str
    line: int
    column: int
    first_line: int


class _Unsettled(Exception):
    """Something only ruamel can put in words."""


def available() -> bool:
    """Whether libyaml can be used here."""
    return _LOADER is not None


def compose_document(text: str, *, max_depth: int, max_repeats: int) -> tuple[bool, Node | None]:
    """``(settled, root)``: the root node of the only document (``None`` when empty).

    ``settled`` is false when ruamel must read the file instead.
    """
    if _LOADER is None:
        return False, None
    try:
        return True, _Composer(max_depth, max_repeats).run(text)
    except (_Unsettled, _pyyaml.YAMLError):
        return False, None


class _Resolver(VersionedResolver):  # type: ignore[misc]
    """ruamel's resolver for YAML 1.2, as its round-trip loader uses it.

    Outside a ruamel loader it would look for the document's version on every
    scalar (most of the time of a load): the version is fixed here.
    """

    @property
    def processing_version(self) -> Any:
        return (1, 2)


class _Composer:
    def __init__(self, max_depth: int, max_repeats: int) -> None:
        self.max_depth = max_depth
        self.max_repeats = max_repeats
        self.resolver = _Resolver()
        self.anchors: dict[str, Node] = {}
        self.sizes: dict[int, int] = {}
        self.repeated = 0

    def run(self, text: str) -> Node | None:
        events = _pyyaml.parse(text, Loader=_LOADER)
        root: Node | None = None
        documents = 0
        # Open collections, each with the key waiting for its value (mappings).
        stack: list[list[Any]] = []
        for event in events:
            kind = type(event).__name__
            node: Node | None = None
            if kind == "ScalarEvent":
                node = self._scalar(event)
            elif kind in ("SequenceStartEvent", "MappingStartEvent"):
                if len(stack) >= self.max_depth:
                    mark = event.start_mark
                    raise LimitExceeded("depth", mark.line, mark.column)
                collection = SequenceNode if kind == "SequenceStartEvent" else MappingNode
                opened: Node = collection(
                    self._tag(event, collection),
                    [],
                    event.start_mark,
                    None,
                    flow_style=event.flow_style,
                )
                self._anchor(event, opened)
                stack.append([opened, None])
                continue
            elif kind in ("SequenceEndEvent", "MappingEndEvent"):
                node = stack.pop()[0]
                node.end_mark = event.end_mark
            elif kind == "AliasEvent":
                node = self._alias(event)
            elif kind == "DocumentStartEvent":
                documents += 1
                if documents > 1:
                    raise _Unsettled  # ruamel words "expected a single document"
                continue
            else:
                continue
            if not stack:
                root = node
                continue
            top = stack[-1]
            parent = top[0]
            if isinstance(parent, SequenceNode):
                parent.value.append(node)
            elif top[1] is None:
                top[1] = node
            else:
                parent.value.append((top[1], node))
                top[1] = None
        return root

    def _tag(self, event: Any, kind: type[Node]) -> Tag:
        tag = event.tag
        if tag is None or tag == "!":
            resolved: Tag = self.resolver.resolve(kind, None, event.implicit)
            return resolved
        return Tag(suffix=tag)

    def _scalar(self, event: Any) -> ScalarNode:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(ScalarNode, event.value, event.implicit)
        else:
            tag = Tag(suffix=tag)
        node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
        self._anchor(event, node)
        return node

    def _anchor(self, event: Any, node: Node) -> None:
        anchor = event.anchor
        if anchor is None:
            return
        first = self.anchors.get(anchor)
        if first is not None:
            mark = event.start_mark
            raise ReusedAnchor(anchor, mark.line, mark.column, first.start_mark.line)
        node.anchor = anchor
        self.anchors[anchor] = node

    def _alias(self, event: Any) -> Node:
        node = self.anchors.get(event.anchor)
        if node is None:
            raise _Unsettled  # ruamel words "found undefined alias"
        self.repeated += node_size(node, self.sizes)
        if self.repeated > self.max_repeats:
            mark = event.start_mark
            raise LimitExceeded("aliases", mark.line, mark.column)
        return node


def node_size(node: Node, sizes: dict[int, int]) -> int:
    """How many values ``node`` stands for, its aliases' repeats included (remembered in
    ``sizes``, so each anchored node is counted once however often it is repeated)."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    sizes[id(node)] = 1  # a node repeated inside itself counts once more, not forever
    size = 1
    if isinstance(node, SequenceNode):
        size += sum(node_size(item, sizes) for item in node.value)
    elif isinstance(node, MappingNode):
        size += sum(node_size(k, sizes) + node_size(v, sizes) for k, v in node.value)
    sizes[id(node)] = size
    return size
