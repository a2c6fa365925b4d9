"""Load a configuration from YAML files into validated models, or report every problem.

A configuration is one file, a directory of files, or a directory whose
``frontdesk.yaml`` lists the files to include. Files are parsed with ruamel.yaml
in round-trip mode (so every node keeps its line and column), composed into one
document section by section, validated with pydantic (shapes), then linked
(cross-references, languages, tree structure). Every problem is reported as
``file:line:column: message``; a bad file never raises anything but
:class:`~frontdesk_core.errors.ConfigError`.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from frontdesk_core.config.link import link
from frontdesk_core.config.locate import Loc, Position, Source, walk
from frontdesk_core.config.messages import describe, message_for
from frontdesk_core.config.models import Config
from frontdesk_core.config.schema_walk import without_tags
from frontdesk_core.config.suggest import did_you_mean
from frontdesk_core.config.syntax import Budget, collector_paused, display_name, parse_file
from frontdesk_core.errors import ConfigError, Problem

ROOT_FILE = "frontdesk.yaml"
MAP_SECTIONS = ("site",)
LIST_SECTIONS = ("centres", "services", "documents", "authorities", "trees")
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class LoadContext:
    """What plugins add to the language: their own sections, policies, condition functions
    and cross-checks.

    The core's own cross-checks of referral trees and booking rules are built-in
    plugins too: a bare ``LoadContext()`` checks shapes, ids, references and
    languages only. ``Hooks.load_context()`` (or
    :func:`frontdesk_core.plugins.builtin_context`) gives the full language.
    """

    sections: Mapping[str, Any] = field(default_factory=dict)
    call_policies: frozenset[str] = frozenset({"service_level", "fifo"})
    condition_functions: frozenset[str] = frozenset()
    checks: tuple[Callable[[Config, Reporter], None], ...] = ()


@dataclass
class Document:
    """The composed YAML of every file, remembering where each section came from."""

    data: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, Source] = field(default_factory=dict)
    items: dict[str, list[Source]] = field(default_factory=dict)
    root_file: str = "<config>"
    empty_files: list[str] = field(default_factory=list)
    """Files that hold nothing at all (no section, not even an empty one)."""

    def position(self, loc: Loc, *, at_key: bool = False) -> Position:
        """Where ``loc`` (a path from the top of the composed document) is written."""
        if not loc:
            return Position(self.root_file, 1, 1)
        section, rest = str(loc[0]), list(loc[1:])
        if section in self.items:
            sources = self.items[section]
            if rest and isinstance(rest[0], int) and 0 <= rest[0] < len(sources):
                return walk(sources[rest[0]], rest[1:], at_key=at_key)
            if not rest and section in self.sections:
                src = self.sections[section]
                return Position(src.file, src.line + 1, src.column + 1)
            if sources:
                first = sources[0]
                return Position(first.file, first.line + 1, first.column + 1)
        if section in self.sections:
            return walk(self.sections[section], rest, at_key=at_key)
        return Position(self.root_file, 1, 1)


class Reporter:
    """Collects positioned problems for a composed document.

    ``context`` is what the plugins add to the language (their policies,
    condition functions, sections), for checks that need to know it.
    """

    def __init__(self, document: Document, context: LoadContext | None = None) -> None:
        self.document = document
        self.context = context if context is not None else LoadContext()
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def error(self, loc: Loc, message: str, *, at_key: bool = False) -> None:
        """Record a problem at ``loc``."""
        pos = self.document.position(loc, at_key=at_key)
        self.problems.append(Problem(pos.file, pos.line, pos.column, message))

    def warn(self, loc: Loc, message: str, *, at_key: bool = False) -> None:
        """Record a warning at ``loc``: the configuration is valid, but something in it
        cannot work as the consultant probably meant (``frontdesk validate`` prints it)."""
        pos = self.document.position(loc, at_key=at_key)
        self.warnings.append(Problem(pos.file, pos.line, pos.column, "warning: " + message))


def discover(path: Path) -> tuple[list[Path], list[Problem]]:
    """The files making up the configuration at ``path`` (root file first)."""
    if not path.exists():
        return [], [Problem(display_name(path), 1, 1, "no such file or directory")]
    if path.is_file():
        return [path], []
    root = path / ROOT_FILE
    if root.is_file():
        return [root], []
    files = sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())
    files = [
        p for p in files if not any(part.startswith(".") for part in p.relative_to(path).parts)
    ]
    if not files:
        return [], [Problem(display_name(path), 1, 1, "no YAML files in this directory")]
    return files, []


def compose(files: Sequence[Path], context: LoadContext) -> tuple[Document, list[Problem]]:
    """Parse ``files`` (following a root file's ``include``) and merge them section by section."""
    document = Document(root_file=display_name(files[0]) if files else "<config>")
    problems: list[Problem] = []
    known = [*MAP_SECTIONS, *LIST_SECTIONS, *context.sections]
    queue = list(files)
    seen: set[Path] = set()
    budget = Budget()
    while queue:
        path = queue.pop(0)
        resolved = path.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        node, parse_problems = parse_file(path, budget)
        problems += parse_problems
        if parse_problems:
            continue
        name = display_name(path)
        if node is None:
            document.empty_files.append(name)  # it adds nothing, but may explain what is missing
            continue
        if not isinstance(node, dict):
            problems.append(
                Problem(
                    name,
                    1,
                    1,
                    f"a configuration file must be a mapping of sections; got {describe(node)}",
                )
            )
            continue
        for key in node:
            pos = node.lc.data[key]  # type: ignore[attr-defined]
            line, col = pos[0], pos[1]
            value = node[key]
            here = Problem(name, line + 1, col + 1, "")
            if key == "include":
                if path != files[0] or path.name != ROOT_FILE:
                    problems.append(_with(here, f"'include' is only allowed in {ROOT_FILE}"))
                    continue
                more, include_problems = _includes(path, node, name)
                problems += include_problems
                queue += more
                continue
            if not isinstance(key, str) or key not in known:
                hint = did_you_mean(str(key), known) or "; sections: " + ", ".join(known)
                problems.append(_with(here, f"unknown section '{key}'{hint}"))
                continue
            if isinstance(value, list) and (key in LIST_SECTIONS or key in context.sections):
                document.data.setdefault(key, [])
                document.items.setdefault(key, [])
                if not isinstance(document.data[key], list):
                    problems.append(_with(here, f"section '{key}' is given as a mapping elsewhere"))
                    continue
                document.sections.setdefault(key, Source(name, value, line, col))
                for index, item in enumerate(value):
                    item_pos = value.lc.data[index]  # type: ignore[attr-defined]
                    document.items[key].append(Source(name, item, item_pos[0], item_pos[1]))
                    document.data[key].append(item)
                continue
            if key in LIST_SECTIONS:
                problems.append(
                    _with(
                        Problem(name, pos[2] + 1, pos[3] + 1, ""),
                        f"'{key}' must be a list (lines starting with '- '); got {describe(value)}",
                    )
                )
                continue
            if key in document.sections:
                first = document.sections[key]
                problems.append(
                    _with(
                        here, f"section '{key}' is already given at {first.file}:{first.line + 1}"
                    )
                )
                continue
            document.sections[key] = Source(name, value, line, col)
            document.data[key] = value
    return document, problems


def _with(problem: Problem, message: str) -> Problem:
    return Problem(problem.file, problem.line, problem.column, message)


def _includes(root: Path, node: Any, name: str) -> tuple[list[Path], list[Problem]]:
    value = node["include"]
    pos = node.lc.data["include"]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return [], [
            Problem(name, pos[2] + 1, pos[3] + 1, "'include' must be a list of file patterns")
        ]
    found: list[Path] = []
    problems: list[Problem] = []
    for index, pattern in enumerate(value):
        item_line, item_col = value.lc.data[index] if hasattr(value, "lc") else (pos[2], pos[3])
        here = Problem(name, item_line + 1, item_col + 1, "")
        if not isinstance(pattern, str) or not pattern.strip():
            problems.append(_with(here, "an include must be a file pattern"))
            continue
        # glob.glob, unlike Path.glob, takes absolute patterns and '..' too.
        matches = sorted(
            Path(p)
            for p in glob.glob(os.path.join(root.parent, pattern), recursive=True)
            if Path(p).is_file() and Path(p).suffix in YAML_SUFFIXES
        )
        if not matches:
            problems.append(
                Problem(
                    name, item_line + 1, item_col + 1, f"no file matches the include '{pattern}'"
                )
            )
        found += matches
    return found, problems


def _validate_shapes(document: Document, context: LoadContext, reporter: Reporter) -> Config | None:
    core = {k: v for k, v in document.data.items() if k not in context.sections}
    config: Config | None = None
    try:
        config = Config.model_validate(core)
    except ValidationError as exc:
        _report(exc, Config, (), reporter)
    sections: dict[str, Any] = {}
    for name, annotation in context.sections.items():
        if name not in document.data:
            continue
        try:
            sections[name] = TypeAdapter(annotation).validate_python(document.data[name])
        except ValidationError as exc:
            _report(exc, annotation, (name,), reporter)
    if config is None or reporter.problems:
        return None
    return config.model_copy(update={"sections": sections})


def _report(
    exc: ValidationError, root_type: Any, prefix: tuple[str, ...], reporter: Reporter
) -> None:
    for error in exc.errors(include_url=False):
        loc: tuple[str | int, ...] = (*prefix, *without_tags(root_type, error["loc"]))
        message, at_key = message_for(error, root_type, tuple(error["loc"]))
        if error["type"] == "union_tag_invalid":
            loc = (*loc, "kind")
        if not prefix and len(loc) == 1 and error["type"] == "missing":
            message = f"the configuration has no '{loc[0]}' section"
        reporter.error(loc, message, at_key=at_key)


def check(
    path: str | os.PathLike[str], context: LoadContext | None = None
) -> tuple[Config | None, list[Problem]]:
    """Load and check the configuration at ``path``: the models, or every problem found."""
    config, problems, _ = check_with_warnings(path, context)
    return config, problems


def check_with_warnings(
    path: str | os.PathLike[str], context: LoadContext | None = None
) -> tuple[Config | None, list[Problem], list[Problem]]:
    """Like :func:`check`, and the warnings of a valid configuration (things that are
    allowed but cannot work, such as a booking outcome that can never offer a time)."""
    with collector_paused():
        return _check(Path(path), context or LoadContext())


def _check(path: Path, context: LoadContext) -> tuple[Config | None, list[Problem], list[Problem]]:
    files, problems = discover(path)
    if problems:
        return None, problems, []
    document, problems = compose(files, context)
    if problems:
        return None, sorted(set(problems)), []
    reporter = Reporter(document, context)
    config = _validate_shapes(document, context, reporter)
    if config is None:
        return None, sorted(set(reporter.problems)), []
    link(config, context, reporter)
    if reporter.problems:
        return None, sorted(set(blame_empty_files(document, reporter.problems))), []
    return config, [], sorted(set(reporter.warnings))


_NONE_AT_ALL = re.compile(r"^unknown (?P<kind>[a-z -]+) '.*; there is no (?P=kind) at all\b")
_SECTION_OF = {"authority": "authorities", "referral tree": "trees"}


def blame_empty_files(document: Document, problems: Sequence[Problem]) -> list[Problem]:
    """Name an empty file once, instead of every reference to the section it should hold.

    An empty ``documents.yaml`` leaves the configuration without documents, and
    every service and checklist naming one reports an unknown document: the
    consultant needs to hear of the file, with the first place that missed it.
    """
    if not document.empty_files:
        return list(problems)
    kept: list[Problem] = []
    missing: dict[str, list[Problem]] = {}
    for problem in problems:
        match = _NONE_AT_ALL.match(problem.message)
        if match is None:
            kept.append(problem)
        else:
            missing.setdefault(match["kind"], []).append(problem)
    for kind, found in missing.items():
        section = _SECTION_OF.get(kind, f"{kind}s")
        empty = [f for f in document.empty_files if section in Path(f).stem.lower()]
        if not empty:
            kept += found
            continue
        first = min(found, key=lambda p: (p.file, p.line, p.column))
        places = f"{len(found)} places name one" if len(found) > 1 else "1 place names one"
        message = (
            f"the file is empty, so the configuration has no {section}; {places}, the first "
            f"at {first.file}:{first.line}:{first.column}"
        )
        kept.append(Problem(empty[0], 1, 1, message))
    return kept


def load_config(path: str | os.PathLike[str], context: LoadContext | None = None) -> Config:
    """Load the configuration at ``path``; raise :class:`ConfigError` with every problem."""
    config, problems = check(path, context)
    if config is None:
        raise ConfigError(problems)
    return config


def iter_files(path: str | os.PathLike[str]) -> Iterable[Path]:
    """The YAML files a configuration path stands for (for watchers and tools)."""
    files, _ = discover(Path(path))
    return files
