"""Random mutations of valid configurations either validate or give positioned messages.

Never an exception: whatever a consultant does to a file, the loader answers
with ``file:line:column: message`` lines.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk_core import check
from frontdesk_core.plugins import builtin_context

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
SOURCES = [
    HERE / "valid" / "base.yaml",
    *sorted(p for p in (ROOT / "examples").glob("*") if (p / "frontdesk.yaml").is_file()),
]
VALUES = ["", "x", "-1", "[", "{", "}", "yes", "null", "09:00-08:00", "'", "&a", "*a", "\t", "ø"]


def yaml_files(source: Path) -> list[Path]:
    if source.is_file():
        return [source]
    return sorted(p for p in source.rglob("*.yaml") if "scenarios" not in p.parts)


def mutate(lines: list[str], kind: str, index: int, value: str) -> list[str]:
    if not lines:
        return [value]
    i = index % len(lines)
    line = lines[i]
    if kind == "delete":
        return lines[:i] + lines[i + 1 :]
    if kind == "duplicate":
        return [*lines[: i + 1], line, *lines[i + 1 :]]
    if kind == "indent":
        return [*lines[:i], "  " + line, *lines[i + 1 :]]
    if kind == "dedent":
        return [*lines[:i], line[2:] if line.startswith("  ") else line, *lines[i + 1 :]]
    if kind == "value" and ": " in line:
        key = line.split(": ", 1)[0]
        return [*lines[:i], f"{key}: {value}", *lines[i + 1 :]]
    if kind == "key" and ":" in line:
        indent = len(line) - len(line.lstrip())
        return [*lines[:i], " " * indent + value + line.lstrip()[1:], *lines[i + 1 :]]
    return [*lines[:i], line + value, *lines[i + 1 :]]


@settings(max_examples=120, deadline=None)
@given(
    source=st.sampled_from(SOURCES),
    file_index=st.integers(min_value=0, max_value=50),
    mutations=st.lists(
        st.tuples(
            st.sampled_from(["delete", "duplicate", "indent", "dedent", "value", "key", "append"]),
            st.integers(min_value=0, max_value=10_000),
            st.sampled_from(VALUES),
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_mutated_config_validates_or_reports_positions(
    source: Path, file_index: int, mutations: list[tuple[str, int, str]]
) -> None:
    # A fresh directory per example: hypothesis runs many examples in one test call.
    work = Path(tempfile.mkdtemp(prefix="mutation-"))
    try:
        if source.is_file():
            target = work / source.name
            shutil.copy(source, target)
            root = target
        else:
            shutil.copytree(source, work / source.name)
            root = work / source.name
        files = yaml_files(root)
        victim = files[file_index % len(files)]
        lines = victim.read_text(encoding="utf-8").split("\n")
        for kind, index, value in mutations:
            lines = mutate(lines, kind, index, value)
        victim.write_text("\n".join(lines), encoding="utf-8")

        config, problems = check(root, builtin_context())

        assert (config is None) == bool(problems)
        for problem in problems:
            assert Path(problem.file).is_file(), problem
            assert problem.line >= 1 and problem.column >= 1, problem
            text = Path(problem.file).read_text(encoding="utf-8")
            assert problem.line <= text.count("\n") + 2, problem
            assert problem.message and "Traceback" not in problem.message
    finally:
        shutil.rmtree(work, ignore_errors=True)
