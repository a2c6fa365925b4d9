"""The JSON Schema editors use checks the same files the loader accepts."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from frontdesk_core.cli import main
from frontdesk_core.config.schema import config_schema

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(
    p
    for p in [*ROOT.glob("examples/*/**/*.yaml"), ROOT / "tests/config/valid/base.yaml"]
    if "scenarios" not in p.parts
)


@functools.cache
def schema() -> dict[str, object]:
    return config_schema()


def load_plain(path: Path) -> object:
    yaml = YAML(typ="safe")
    data = yaml.load(path.read_text(encoding="utf-8"))
    # Dates are text to the schema, as the editor sees them.
    return json.loads(json.dumps(data, default=str))


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_every_example_file_passes_the_schema(path: Path) -> None:
    jsonschema.validate(load_plain(path), schema())


def test_the_schema_catches_shape_mistakes() -> None:
    validator = jsonschema.Draft202012Validator(config_schema())
    bad = {"centres": [{"id": "main", "queues": [{"id": "pass", "prefx": "P"}]}]}
    messages = sorted(e.message for e in validator.iter_errors(bad))
    assert any("'prefx' was unexpected" in m for m in messages)
    assert not validator.is_valid({"centers": []})


def test_schema_command_prints_the_schema(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FRONTDESK_LOAD_PLUGINS", "")
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(json.dumps(config_schema()))
    jsonschema.Draft202012Validator.check_schema(printed)
