"""Loading: split files, includes, positions through every path, and the public API."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontdesk_core import ConfigError, check, load_config
from frontdesk_core.config import syntax
from frontdesk_core.plugins import builtin_context

BASE = Path(__file__).parent / "valid" / "base.yaml"


def split_base(directory: Path) -> None:
    """Write the base configuration as one file per section."""
    text = BASE.read_text(encoding="utf-8")
    sections: dict[str, list[str]] = {}
    current = ""
    for line in text.splitlines(keepends=True):
        if line and not line[0].isspace() and line.strip().endswith(":"):
            current = line.strip()[:-1]
        sections.setdefault(current, []).append(line)
    directory.mkdir(parents=True, exist_ok=True)
    for name, lines in sections.items():
        (directory / f"{name}.yaml").write_text("".join(lines), encoding="utf-8")


def test_base_loads_into_models() -> None:
    config = load_config(BASE)
    assert config.site.languages == ["da", "en"]
    assert config.queue("tax").priority == 1
    assert config.centre_of_queue("pass").id == "main"
    assert str(config.queue("pass").target) == "80% within 15 min"
    assert config.centre("main").opening_hours.thu[1].length.total_seconds() == 4.5 * 3600


def test_a_directory_of_files_loads_like_one_file(tmp_path: Path) -> None:
    split_base(tmp_path / "cfg")
    assert load_config(tmp_path / "cfg") == load_config(BASE)


def test_root_file_includes_the_others_and_ignores_the_rest(tmp_path: Path) -> None:
    split_base(tmp_path / "cfg")
    (tmp_path / "cfg" / "site.yaml").rename(tmp_path / "cfg" / "frontdesk.yaml")
    root = tmp_path / "cfg" / "frontdesk.yaml"
    root.write_text(
        root.read_text(encoding="utf-8")
        + "include: [centres.yaml, documents.yaml, services.yaml, trees.yaml]\n",
        encoding="utf-8",
    )
    (tmp_path / "cfg" / "scenarios").mkdir()
    (tmp_path / "cfg" / "scenarios" / "peak.yaml").write_text("not: [a, config]\n", "utf-8")
    assert load_config(tmp_path / "cfg") == load_config(BASE)


def test_errors_in_split_files_name_the_right_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    split_base(tmp_path / "cfg")
    trees = tmp_path / "cfg" / "trees.yaml"
    trees.write_text(
        trees.read_text(encoding="utf-8").replace("queue: tax", "queue: taxes"), "utf-8"
    )
    services = tmp_path / "cfg" / "services.yaml"
    services.write_text(services.read_text(encoding="utf-8").replace("15 min", "soon"), "utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as info:
        load_config("cfg")
    assert [p.file for p in info.value.problems] == ["cfg/services.yaml"]
    assert "is not a duration" in str(info.value)


def test_duplicate_ids_across_files_point_at_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    split_base(tmp_path / "cfg")
    docs = tmp_path / "cfg" / "documents.yaml"
    (tmp_path / "cfg" / "more-documents.yaml").write_text(docs.read_text(encoding="utf-8"), "utf-8")
    monkeypatch.chdir(tmp_path)
    _, problems = check("cfg", builtin_context())
    assert [str(p) for p in problems] == [
        "cfg/more-documents.yaml:2:9: duplicate document id 'old_passport' "
        "(first used at cfg/documents.yaml:2)",
        "cfg/more-documents.yaml:4:9: duplicate document id 'photo' "
        "(first used at cfg/documents.yaml:4)",
    ]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = BASE.read_text(encoding="utf-8")
    text = text.replace("prefix: P", "prefix: p").replace("priority: 1", "priority: x")
    text = text.replace("duration: 15 min", "duration: never")
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    _, problems = check(path)
    assert len(problems) == 3
    assert problems == sorted(problems)


def test_missing_path_and_empty_directory(tmp_path: Path) -> None:
    assert check(tmp_path / "nope")[1][0].message == "no such file or directory"
    assert check(tmp_path)[1][0].message == "no YAML files in this directory"


def test_an_empty_file_adds_nothing(tmp_path: Path) -> None:
    shutil_copy = tmp_path / "cfg"
    split_base(shutil_copy)
    (shutil_copy / "empty.yaml").write_text("# nothing yet\n", encoding="utf-8")
    assert check(shutil_copy)[1] == []


def test_not_utf8_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("site:\n  name: K\xf8ge\n".encode("latin-1"))
    assert "not UTF-8" in check(path)[1][0].message


def test_anchors_and_merge_keys_work(tmp_path: Path) -> None:
    text = (
        BASE.read_text(encoding="utf-8")
        .replace('      mon: "09:00-15:00"\n', '      mon: &day "09:00-15:00"\n')
        .replace('      tue: "09:00-15:00"\n', "      tue: *day\n")
    )
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    config = load_config(path)
    assert config.centre("main").opening_hours.tue == config.centre("main").opening_hours.mon


def test_includes_may_reach_shared_files_outside_the_folder(tmp_path: Path) -> None:
    split_base(tmp_path / "shared")
    (tmp_path / "shared" / "site.yaml").unlink()
    site = BASE.read_text(encoding="utf-8").split("\ncentres:")[0]
    (tmp_path / "town").mkdir()
    (tmp_path / "town" / "frontdesk.yaml").write_text(
        site + "\ninclude:\n  - ../shared/centres.yaml\n  - ../shared/documents.yaml\n"
        f"  - {tmp_path / 'shared'}/services.yaml\n  - {tmp_path / 'shared'}/t*.yaml\n",
        encoding="utf-8",
    )
    assert load_config(tmp_path / "town") == load_config(BASE)


def test_a_file_too_big_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as out:  # sparse: the size is what counts, nothing is read
        out.truncate(syntax.MAX_FILE_BYTES + 1)
    [problem] = check(path)[1]
    assert (problem.line, problem.column) == (1, 1)
    assert problem.message == (
        "the file holds 5,000,001 bytes; a configuration file may hold at most 5 MB "
        "(is it the right file?)"
    )


def test_the_files_together_are_bounded_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    split_base(tmp_path / "cfg")
    sizes = sorted(p.stat().st_size for p in (tmp_path / "cfg").iterdir())
    monkeypatch.setattr(syntax, "MAX_TOTAL_BYTES", sum(sizes) - 1)
    [problem] = check(tmp_path / "cfg")[1]
    assert (problem.line, problem.column) == (1, 1)
    assert "the most all its files may hold together" in problem.message
    monkeypatch.setattr(syntax, "MAX_TOTAL_BYTES", sum(sizes))
    assert check(tmp_path / "cfg")[1] == []
