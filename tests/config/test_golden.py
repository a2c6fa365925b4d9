"""Golden tests: the exact messages for a corpus of broken configurations.

Each case under ``broken/`` is a file or a directory; the messages it must give
are in ``<case>.expected``. Set ``FRONTDESK_UPDATE_GOLDEN=1`` to rewrite them,
then review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from frontdesk_core import check
from frontdesk_core.cli import main
from frontdesk_core.plugins import builtin_context

BROKEN = Path(__file__).parent / "broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if p.suffix == ".yaml" or p.is_dir())


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 25


@pytest.mark.parametrize("case", CASES)
def test_broken_file_gives_exact_messages(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BROKEN)
    config, problems = check(case, builtin_context())
    assert config is None, f"{case} should not validate"
    got = "\n".join(str(p) for p in problems) + "\n"
    expected_file = BROKEN / f"{Path(case).stem}.expected"
    if os.environ.get("FRONTDESK_UPDATE_GOLDEN"):
        expected_file.write_text(got, encoding="utf-8")
    assert got == expected_file.read_text(encoding="utf-8")


def test_every_expected_file_has_a_case() -> None:
    stems = {Path(c).stem for c in CASES}
    orphans = [p.name for p in BROKEN.glob("*.expected") if p.stem not in stems]
    assert orphans == []


@pytest.mark.parametrize("case", ["bad-duration.yaml", "split-wrong-file"])
def test_validate_command_prints_one_problem_per_line(
    case: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(BROKEN)
    monkeypatch.setenv("FRONTDESK_LOAD_PLUGINS", "")
    assert main(["validate", case]) == 1
    out = capsys.readouterr()
    expected = (BROKEN / f"{Path(case).stem}.expected").read_text(encoding="utf-8")
    assert out.out == expected
    assert "problem(s) found" in out.err
    assert "Traceback" not in out.out + out.err
