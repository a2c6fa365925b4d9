"""Reading one YAML file: bounded, and every way it can fail in plain words.

A configuration file is read within limits (its size, how deep its values
nest, how many values its aliases repeat), so a wrong or hostile file is
refused at once with a positioned problem instead of taking minutes and
gigabytes. The parser's own errors (``expected <block end>, but found '?'``)
are put in words a consultant understands, at the place to look: a quote that
is never closed is reported where it opens, a byte that is not UTF-8 where it
stands.
"""

from __future__ import annotations

import gc
import os
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer, ComposerError, MaxDepthExceededError
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, ReusedAnchorWarning, YAMLError
from ruamel.yaml.events import AliasEvent

from frontdesk_core.config import fast_parse
from frontdesk_core.errors import Problem

MAX_FILE_BYTES = 5_000_000
"""The largest configuration file read (the biggest real one is a few hundred kB)."""
MAX_TOTAL_BYTES = 20_000_000
"""The most all files of one configuration may hold together."""
MAX_DEPTH = 40
"""How deep values may nest (a referral tree's options are about eight levels down)."""
MAX_ALIAS_VALUES = 100_000
"""How many values the aliases (``*name``) of one file may repeat between them."""


@dataclass
class Budget:
    """What is left of the bytes one configuration may read, across its files."""

    left: int = field(default_factory=lambda: MAX_TOTAL_BYTES)


class _Constructor(RoundTripConstructor):  # type: ignore[misc]
    """Round-trip constructor that keeps dates as text.

    ruamel would raise a bare ``ValueError`` for ``2026-02-30``; as text the
    date reaches pydantic, which reports it at its position like any other value.
    """


_Constructor.add_constructor(
    "tag:yaml.org,2002:timestamp",
    lambda loader, node: loader.construct_scalar(node),
)


class _BoundedComposer(Composer):  # type: ignore[misc]
    """A composer that counts the values each alias repeats ("billion laughs").

    An alias is the anchored node itself, not a copy, so the parsed file stays
    small; but everything that reads the data afterwards visits every repeat.
    Each anchored node's size is counted once (aliases inside it included).
    """

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader)
        self.repeated = 0
        self._sizes: dict[int, int] = {}

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.parser.check_event(AliasEvent):
            event = self.parser.peek_event()
            anchored = self.anchors.get(event.anchor)
            if anchored is not None:
                self.repeated += fast_parse.node_size(anchored, self._sizes)
                if self.repeated > MAX_ALIAS_VALUES:
                    raise _TooManyRepeats(event.start_mark)
        return super().compose_node(parent, index)


class _TooManyRepeats(ComposerError):  # type: ignore[misc]
    def __init__(self, mark: Any) -> None:
        super().__init__(None, None, "too many repeated values", mark)


def display_name(path: Path) -> str:
    """A path as the user will recognise it: relative to the working directory if inside it."""
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def parse_file(path: Path, budget: Budget | None = None) -> tuple[Any, list[Problem]]:
    """Parse one YAML file in round-trip mode; every failure becomes a positioned problem.

    ``budget`` is what the configuration's files may still read together.
    """
    name = display_name(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [Problem(name, 1, 1, _too_big(size))]
        if budget is not None:
            if size > budget.left:
                limit = _megabytes(MAX_TOTAL_BYTES)
                return None, [
                    Problem(
                        name,
                        1,
                        1,
                        f"with this file the configuration is over {limit}, the most all its "
                        "files may hold together; is a file included that does not belong?",
                    )
                ]
            budget.left -= size
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(name, 1, 1, f"cannot read the file: {exc.strerror}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [_not_utf8(name, raw, exc)]
    return parse_text(text, name)


def parse_text(text: str, name: str) -> tuple[Any, list[Problem]]:
    """Parse YAML ``text`` of the file called ``name``.

    libyaml parses (:mod:`~frontdesk_core.config.fast_parse`) and ruamel's
    round-trip constructor builds the data; a file libyaml cannot settle is read
    by ruamel alone, which also words its errors.
    """
    yaml = _yaml()
    try:
        settled, root = fast_parse.compose_document(
            text, max_depth=MAX_DEPTH, max_repeats=MAX_ALIAS_VALUES
        )
        if not settled:
            return _parse_with_ruamel(yaml, text, name)
        return (None if root is None else yaml.constructor.construct_document(root)), []
    except fast_parse.LimitExceeded as exc:
        message = _TOO_DEEP if exc.what == "depth" else _TOO_MANY_REPEATS
        return None, [Problem(name, exc.line + 1, exc.column + 1, message)]
    except fast_parse.ReusedAnchor as exc:
        return None, [
            _anchor_again(name, exc.anchor, exc.line + 1, exc.column + 1, exc.first_line + 1)
        ]
    except MarkedYAMLError as exc:
        return None, [_syntax_problem(name, exc, text)]
    except (ValueError, TypeError) as exc:  # a constructor refusing a value
        return None, [Problem(name, 1, 1, f"the file cannot be read as YAML: {exc}")]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's garbage collector while a configuration is read and checked.

    Reading makes many small objects that all live on: the collector's full
    passes over them, ever longer as they pile up, would make checking a
    configuration grow faster than the configuration.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.Composer = _BoundedComposer
    yaml.allow_duplicate_keys = False
    yaml.max_depth = MAX_DEPTH
    return yaml


def _parse_with_ruamel(yaml: YAML, text: str, name: str) -> tuple[Any, list[Problem]]:
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ReusedAnchorWarning)
            data = yaml.load(text)
        reused = [_reused_anchor(name, w.message) for w in caught]
        problems = [p for p in reused if p is not None]
        return (None, problems) if problems else (data, [])
    except MarkedYAMLError as exc:
        return None, [_syntax_problem(name, exc, text)]
    except YAMLError as exc:
        return None, [Problem(name, 1, 1, f"YAML error: {exc}")]
    except (ValueError, TypeError) as exc:  # a constructor refusing a value
        return None, [Problem(name, 1, 1, f"the file cannot be read as YAML: {exc}")]


_TOO_DEEP = (
    f"the values here are nested more than {MAX_DEPTH} levels deep; no configuration "
    "needs that many (is a '[' or '{' never closed?)"
)
_TOO_MANY_REPEATS = (
    f"the aliases ('*name') of this file repeat more than {MAX_ALIAS_VALUES:,} values "
    "by here; a configuration never needs that many (is an anchor repeated inside "
    "itself, over and over?)"
)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB".replace(".0 MB", " MB")


def _too_big(size: int) -> str:
    return (
        f"the file holds {size:,} bytes; a configuration file may hold at most "
        f"{_megabytes(MAX_FILE_BYTES)} (is it the right file?)"
    )


def _not_utf8(name: str, raw: bytes, exc: UnicodeDecodeError) -> Problem:
    """Where the first byte that is not UTF-8 stands (columns count characters, as YAML's)."""
    line_start = raw.rfind(b"\n", 0, exc.start) + 1
    line = raw.count(b"\n", 0, exc.start) + 1
    column = len(raw[line_start : exc.start].decode("utf-8")) + 1
    byte = raw[exc.start]
    return Problem(
        name,
        line,
        column,
        f"the file is not UTF-8 text: the byte 0x{byte:02X} here is no UTF-8 character "
        "(the file was probably saved as Latin-1 or Windows-1252); save it as UTF-8",
    )


_MARK = re.compile(r"line (\d+), column (\d+)")
_ANCHOR = re.compile(r"duplicate anchor '([^']*)'")


def _reused_anchor(name: str, message: Warning | str) -> Problem | None:
    """A ruamel warning about an anchor defined twice, as a positioned problem.

    YAML lets a later ``&name`` replace an earlier one, so the aliases after it
    quietly take the second value: in a configuration that is a copy-and-paste
    slip far more often than an intent, so it is reported, not let through.
    """
    text = str(message)
    marks = _MARK.findall(text)
    anchor = _ANCHOR.search(text)
    if not isinstance(message, ReusedAnchorWarning) or len(marks) < 2 or anchor is None:
        return None
    first, second = (int(marks[0][0]), int(marks[0][1])), (int(marks[1][0]), int(marks[1][1]))
    return _anchor_again(name, anchor.group(1), second[0], second[1], first[0])


def _anchor_again(name: str, anchor: str, line: int, column: int, first_line: int) -> Problem:
    return Problem(
        name,
        line,
        column,
        f"the anchor '&{anchor}' is defined again here (first on line {first_line}); "
        "give each anchor its own name",
    )


def _syntax_problem(name: str, exc: MarkedYAMLError, text: str) -> Problem:
    """The parser's error in plain words, at the place to look."""
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    mark = exc.problem_mark or exc.context_mark
    if "quoted scalar" in context and exc.context_mark is not None and "end of" in problem:
        # The scanner ran to the end of the file looking for the closing quote:
        # the place to look is where the quote opens.
        mark = exc.context_mark
        index = getattr(mark, "index", -1)
        quote = text[index] if 0 <= index < len(text) and text[index] in "'\"" else '"'
        message = f"the quoted text that starts here is never closed; end it with {quote}"
    elif (opened := _unclosed_quote(text, mark)) is not None:
        mark, quote = opened
        message = (
            f"the quoted text that starts here is not closed on its line; end it with {quote} "
            "(the parser read on to the next quote and lost its way there)"
        )
    elif isinstance(exc, MaxDepthExceededError):
        message = _TOO_DEEP
    elif isinstance(exc, _TooManyRepeats):
        message = _TOO_MANY_REPEATS
    elif problem.startswith("expected <block end>") and exc.context_mark is not None:
        message = _misindented(exc)
    elif problem == "mapping values are not allowed here":
        message = (
            "a ':' here cannot start a key: the line is probably indented further than the "
            "key above it, or it is a text with ': ' in it that needs quotes"
        )
    else:
        message = _yaml_message(exc)
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return Problem(name, line, col, message)


def _unclosed_quote(text: str, error: Any) -> tuple[Any, str] | None:
    """A quoted text that ran over a line end just before ``error``, and its quote.

    YAML lets quoted text run over several lines, so a missing closing quote
    is noticed only later, where the next quote of the file confuses the parser.
    """
    if error is None:
        return None
    found: tuple[Any, str] | None = None
    try:
        for token in YAML(typ="rt").scan(text):
            start, end = token.start_mark, token.end_mark
            if (start.line, start.column) >= (error.line, error.column):
                break
            style = getattr(token, "style", None)
            if style in ('"', "'") and end.line > start.line:
                found = (start, style)
    except YAMLError:
        pass
    if found is None or error.line > found[0].line + 2:
        return None
    return found


def _misindented(exc: MarkedYAMLError) -> str:
    """An indentation the parser could not place: say which block it breaks."""
    start = exc.context_mark
    found = exc.problem_mark
    column = found.column + 1 if found else 0
    if "mapping" in (exc.context or ""):
        what, parts = "mapping", "keys"
    else:
        what, parts = "list", "'- ' items"
        if "'?'" in (exc.problem or "") and found and found.column == start.column:
            return (
                f"this key is in the column of the '- ' items of the list that starts on "
                f"line {start.line + 1}; indent it like the other keys of its item, or start "
                "a new item with '- '"
            )
    return (
        f"this line is indented differently from the lines above it: it starts in column "
        f"{column}, but the {what} that starts on line {start.line + 1} has its {parts} in "
        f"column {start.column + 1}; line it up with them, or indent it under the key it "
        "belongs to"
    )


def _yaml_message(exc: MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    if "duplicate key" in problem or type(exc).__name__ == "DuplicateKeyError":
        key = problem.split('"')[1] if '"' in problem else ""
        context_line = exc.context_mark.line + 1 if exc.context_mark else None
        first = ""
        if exc.context_mark is not None and exc.problem_mark is not None:
            first = f" (the mapping starting on line {context_line} has it twice)"
        return f"duplicate key '{key}'{first}"
    if "found character '\\t'" in problem:
        return "a tab character is not allowed for indentation in YAML; use spaces"
    context = (exc.context or "").strip()
    text = f"YAML syntax error: {problem}" if problem else "YAML syntax error"
    if context:
        text += f" ({context})"
    return text
