"""The public namespace: complete, documented, and the same objects as behind it."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import pytest

import frontdesk_core
from frontdesk_core import api, apiref
from frontdesk_core.api import ConfigError, Model, check_section, load_section

ROOT = Path(__file__).resolve().parents[1]


def test_all_lists_every_public_name_and_nothing_else() -> None:
    # pytest's assertion rewriting adds '@py_...' names to the modules of a plugin's distribution.
    public = {n for n in vars(api) if n.isidentifier() and not n.startswith("_")} - {"annotations"}
    assert set(api.__all__) == public
    assert len(api.__all__) == len(set(api.__all__))


@pytest.mark.parametrize("name", api.__all__)
def test_every_name_has_documentation(name: str) -> None:
    assert apiref.docstring(name).strip(), f"frontdesk_core.api.{name} has no docstring"


@pytest.mark.parametrize("name", api.__all__)
def test_every_name_is_on_the_reference_page(name: str) -> None:
    page = (ROOT / "docs" / "reference" / "api.md").read_text(encoding="utf-8")
    assert f"### `{name}`\n" in page


@pytest.mark.parametrize("record", ["Ticket", "CounterState", "Booking", "Contact", "Absence"])
def test_the_records_plugins_see_most_have_every_field_explained(record: str) -> None:
    cls = getattr(api, record)
    explained = apiref._field_docs(cls)
    missing = [f.name for f in dataclasses.fields(cls) if not explained.get(f.name)]
    assert missing == []


def test_the_package_root_exports_the_same_objects_as_the_api() -> None:
    shared = [name for name in frontdesk_core.__all__ if name in api.__all__]
    assert {"Frontdesk", "ManualClock", "load_config", "hookimpl"} <= set(shared)
    for name in shared:
        assert getattr(frontdesk_core, name) is getattr(api, name)


def test_the_call_policy_protocol_is_documented_with_its_signature() -> None:
    page = (ROOT / "docs" / "reference" / "api.md").read_text(encoding="utf-8")
    assert (
        "`choose(self, waiting: Sequence[Ticket], counter: Counter, now: datetime, "
        "config: Config) -> Ticket | None`" in page
    )


# --- load_section: a plugin's own file, with positioned errors ------------------------


class Audit(Model):
    """A section for the tests: where to write and how often."""

    path: str
    every: int = 1


def write(tmp_path: Path, text: str) -> Path:
    file = tmp_path / "audit.yaml"
    file.write_text(textwrap.dedent(text), encoding="utf-8")
    return file


def test_load_section_returns_the_validated_model(tmp_path: Path) -> None:
    file = write(tmp_path, "audit:\n  path: audit.csv\n  every: 3\n")
    assert load_section(file, "audit", Audit) == Audit(path="audit.csv", every=3)


def test_load_section_validates_list_sections_too(tmp_path: Path) -> None:
    file = write(tmp_path, "audit:\n  - path: a.csv\n  - path: b.csv\n    every: 2\n")
    assert load_section(file, "audit", list[Audit]) == [
        Audit(path="a.csv"),
        Audit(path="b.csv", every=2),
    ]


def test_load_section_reports_every_problem_at_its_line_and_column(tmp_path: Path) -> None:
    file = write(
        tmp_path,
        """\
        audit:
          every: often
          colour: red
        """,
    )
    with pytest.raises(ConfigError) as caught:
        load_section(file, "audit", Audit)
    found = [(p.line, p.column) for p in caught.value.problems]
    assert found == [(1, 1), (2, 10), (3, 3)]
    messages = [p.message for p in caught.value.problems]
    assert "path" in messages[0]
    assert all(p.file.endswith("audit.yaml") for p in caught.value.problems)


def test_check_section_reports_a_syntax_error_with_its_position(tmp_path: Path) -> None:
    file = write(tmp_path, "audit:\n  path: [a\n")
    value, problems = check_section(file, "audit", Audit)
    assert value is None
    assert len(problems) == 1
    assert problems[0].line >= 2


def test_check_section_refuses_other_sections_in_the_file(tmp_path: Path) -> None:
    file = write(tmp_path, "audit:\n  path: a.csv\nsite:\n  name: x\n")
    _, problems = check_section(file, "audit", Audit)
    assert [(p.line, p.column, p.message) for p in problems] == [
        (3, 1, "only the 'audit:' section belongs in this file, not 'site'")
    ]


def test_check_section_names_a_missing_section_and_a_missing_file(tmp_path: Path) -> None:
    file = write(tmp_path, "other: 1\n")
    _, problems = check_section(file, "audit", Audit)
    assert [p.message for p in problems] == ["the file needs a 'audit:' section"]
    _, problems = check_section(tmp_path / "nope.yaml", "audit", Audit)
    assert [p.message for p in problems] == ["no such file"]
