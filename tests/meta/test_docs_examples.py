"""The examples in docs/ run as tests, so they cannot rot.

In a ```console block, a line starting with ``$ frontdesk`` is run from the
project's top folder and what follows it, up to the next command or the end of
the block, must be exactly what it prints. ```python blocks of a page run in
order in one namespace.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted((ROOT / "docs").rglob("*.md"))
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)
FRONTDESK = Path(sys.executable).with_name("frontdesk")


def blocks(page: Path, language: str) -> list[str]:
    return [
        body for lang, body in BLOCK.findall(page.read_text(encoding="utf-8")) if lang == language
    ]


def console_cases() -> list[tuple[str, str, str]]:
    cases = []
    for page in PAGES:
        for body in blocks(page, "console"):
            command, output = None, []
            for line in body.splitlines():
                if line.startswith("$ "):
                    if command is not None:
                        cases.append(
                            (page.relative_to(ROOT).as_posix(), command, "\n".join(output))
                        )
                    command, output = line[2:], []
                else:
                    output.append(line)
            if command is not None:
                cases.append((page.relative_to(ROOT).as_posix(), command, "\n".join(output)))
    return cases


@pytest.mark.parametrize(("page", "command", "expected"), console_cases())
def test_console_example(page: str, command: str, expected: str) -> None:
    assert command.startswith("frontdesk "), f"{page}: only frontdesk commands run as tests"
    env = {**os.environ, "FRONTDESK_LOAD_PLUGINS": ""}
    result = subprocess.run(
        [str(FRONTDESK), *command.split()[1:]],
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert result.stdout.rstrip("\n") == expected.rstrip("\n"), f"{page}: {command}"


PYTHON_PAGES = [p for p in PAGES if blocks(p, "python") and "reference" not in p.parts]


@pytest.mark.parametrize("page", PYTHON_PAGES, ids=[p.name for p in PYTHON_PAGES])
def test_python_examples(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("FRONTDESK_LOAD_PLUGINS", "")
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for body in blocks(page, "python"):
        exec(compile(body, str(page), "exec"), namespace)


def test_the_documentation_site_builds_without_warnings(tmp_path: Path) -> None:
    mkdocs = Path(sys.executable).with_name("mkdocs")
    result = subprocess.run(
        [str(mkdocs), "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "reference" / "hooks" / "index.html").is_file()
