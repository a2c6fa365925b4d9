"""Keep the plugin ecosystem honest: every hook documented, every hook tested."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from frontdesk_core.docgen import PAGES, hook_functions, hook_signature

ROOT = Path(__file__).resolve().parents[2]
HOOKS = [fn.__name__ for fn in hook_functions()]


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented_with_its_exact_signature(hook: str) -> None:
    docs = (ROOT / "docs" / "reference" / "hooks.md").read_text(encoding="utf-8")
    fn = next(f for f in hook_functions() if f.__name__ == hook)
    assert f"## `{hook}`" in docs
    assert hook_signature(fn) in docs


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_test_named_for_it(hook: str) -> None:
    pattern = re.compile(rf"def test_{hook}\b")
    files = list((ROOT / "tests").rglob("test_*.py")) + list((ROOT / "plugins").rglob("test_*.py"))
    assert any(pattern.search(f.read_text(encoding="utf-8")) for f in files), (
        f"no test named test_{hook}"
    )


@pytest.mark.parametrize("page", sorted(PAGES))
def test_generated_reference_is_up_to_date(page: str) -> None:
    committed = (ROOT / "docs" / "reference" / page).read_text(encoding="utf-8")
    assert committed == PAGES[page](), f"docs/reference/{page} is stale: run `make docs-reference`"
