"""Golden tests of ``frontdesk walk`` and ``frontdesk tree`` on the example configurations.

Each case's exact output is in ``golden/<case>.txt``. Set ``FRONTDESK_UPDATE_GOLDEN=1``
to rewrite them, then review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from frontdesk_core.cli import main

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
MONDAY = ["--at", "2026-11-23 10:00"]

CASES: dict[str, list[str]] = {
    "kbh-passport-lost-no-id": [
        "examples/kobenhavn", "--centre", "nyropsgade", *MONDAY,
        "--answer", "passport", "lost", "have:police_report",
    ],
    "kbh-passport-book": [
        "examples/kobenhavn", "--centre", "nyropsgade", *MONDAY,
        "--answer", "passport", "new", "all",
    ],
    "kbh-licence-75-no-certificate": [
        "examples/kobenhavn", "--centre", "nyropsgade", *MONDAY,
        "--answer", "driving_licence", "renew", "yes", "missing:medical_certificate",
    ],
    "kbh-mitid-long-queue": [
        "examples/kobenhavn", "--centre", "nyropsgade", *MONDAY, "--set", "queue.generel.length=20",
        "--answer", "mitid", "all", "wait",
    ],
    "kbh-moving-info": [
        "examples/kobenhavn", "--centre", "nyropsgade", *MONDAY, "--lang", "en",
        "--answer", "moving", "continue", "have:photo_id",
    ],
    "kbh-tax-counter-closed": [
        "examples/kobenhavn", "--centre", "nyropsgade", *MONDAY, "--set", "queue.skat.open=false",
        "--answer", "tax", "assessment", "all",
    ],
    "kbh-tax-newcomer-en": [
        "examples/kobenhavn", "--centre", "nyropsgade", *MONDAY, "--lang", "en",
        "--answer", "tax", "new_in_denmark",
    ],
    "kbh-cash-benefit-after-14": [
        "examples/kobenhavn", "--centre", "nyropsgade", "--at", "2026-11-26 14:30",
        "--answer", "cash_benefit", "apply", "all",
    ],
    "kbh-mitid-after-the-last-ticket": [
        "examples/kobenhavn", "--centre", "nyropsgade", "--at", "2026-03-10 14:55",
        "--answer", "mitid", "all",
    ],
    "kbh-mitid-at-night-en": [
        "examples/kobenhavn", "--centre", "nyropsgade", "--at", "2026-03-13 21:00", "--lang", "en",
        "--answer", "mitid", "all",
    ],
    "kbh-pension-advice": [
        "examples/kobenhavn", "--centre", "nyropsgade", *MONDAY, "--answer", "pension", "advice",
    ],
    "kbh-job-referred": [
        "examples/kobenhavn", "--centre", "nyropsgade", *MONDAY, "--answer", "job",
    ],
    "kbh-waits-for-an-answer": [
        "examples/kobenhavn", "--centre", "nyropsgade", *MONDAY, "--answer", "passport",
    ],
    "hvidovre-borgerservice-to-jobcenter": [
        "examples/hvidovre", "--centre", "borgerservice", *MONDAY, "--answer", "job",
    ],
    "hvidovre-passport-after-13": [
        "examples/hvidovre", "--centre", "borgerservice", "--at", "2026-11-23 13:30",
        "--answer", "passport", "all",
    ],
    "hvidovre-jobcenter-check-in": [
        "examples/hvidovre", "--centre", "jobcenter", *MONDAY, "--answer", "yes",
    ],
    "hvidovre-pension-no-appointment": [
        "examples/hvidovre", "--centre", "pensionskontor", *MONDAY, "--answer", "no",
    ],
    "hvidovre-sundhedscenter-rehabilitation": [
        "examples/hvidovre", "--centre", "sundhedscenter", *MONDAY, "--lang", "en",
        "--answer", "rehabilitation",
    ],
    "hvidovre-byggesag-book-later": [
        "examples/hvidovre", "--centre", "byggesag", *MONDAY,
        "--answer", "no", "continue",
    ],
}  # fmt: skip


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("FRONTDESK_LOAD_PLUGINS", "")


def check_golden(name: str, got: str) -> None:
    path = GOLDEN / name
    if os.environ.get("FRONTDESK_UPDATE_GOLDEN"):
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", sorted(CASES))
def test_walk_output(case: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["walk", *CASES[case]], capsys)
    assert (code, err) == (0, "")
    check_golden(f"{case}.txt", out)


def test_walk_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["walk", *CASES["kbh-passport-lost-no-id"], "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["path"] == [
        "errand", "passport-kind", "lost-passport-docs", "lost-passport-missing",
        "lost-passport-no-id",
    ]  # fmt: skip
    assert [s["answer"] for s in data["steps"]] == [
        "passport", "lost", "have:police_report", None,
    ]  # fmt: skip
    assert data["steps"][2]["via"] == ["lost-passport-missing"]
    assert data["done"] is True
    assert data["outcome"]["kind"] == "send_home"
    assert data["outcome"]["missing_documents"] == ["photo_id"]
    check_golden("kbh-passport-lost-no-id.json", out)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--answer", "pas"],
            "frontdesk: unknown option 'pas' at question 'errand'; the options are booked, "
            "passport, driving_licence, health_card, mitid, moving, tax, cash_benefit, pension, "
            "job, other",
        ),
        (
            ["--answer", "job", "passport"],
            "frontdesk: the walk reached the outcome 'to-jobcenter'; 1 answer(s) left over: "
            "passport",
        ),
        (
            ["--answer", "passport", "new", "have:pasport"],
            "frontdesk: unknown document on this checklist 'pasport'; did you mean 'old_passport'?",
        ),
        (
            ["--set", "queue.pass.length=3"],
            "frontdesk: unknown queue 'pass'; did you mean 'pas'?",
        ),
        (
            ["--set", "queue.skat.open=maybe"],
            "frontdesk: 'queue.skat.open=maybe': open is true or false",
        ),
        (
            ["--at", "tomorrow"],
            "frontdesk: 'tomorrow' is not a time; write it like '2026-11-23 14:30'",
        ),
        (
            ["--lang", "de"],
            "frontdesk: language 'de' is not offered; the site's languages are da, en",
        ),
    ],
)
def test_walk_reports_mistakes(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        ["walk", "examples/kobenhavn", "--centre", "nyropsgade", *MONDAY, *args], capsys
    )
    assert code == 1
    assert err.strip() == message


def test_walk_needs_a_centre_with_a_tree(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["walk", "examples/kobenhavn", "--centre", "nyropsgad"], capsys)
    assert (code, err.strip()) == (
        1,
        "frontdesk: unknown centre 'nyropsgad'; did you mean 'nyropsgade'?",
    )


@pytest.mark.parametrize(
    ("config", "centre", "lang"),
    [("kobenhavn", "nyropsgade", None), ("hvidovre", "jobcenter", "en")],
)
def test_tree_as_mermaid(
    config: str, centre: str, lang: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = ["--lang", lang] if lang else []
    code, out, err = run(
        ["tree", f"examples/{config}", "--centre", centre, "--format", "mermaid", *extra], capsys
    )
    assert (code, err) == (0, "")
    assert out.startswith("flowchart TD\n")
    check_golden(f"tree-{config}-{centre}.mmd", out)


def test_walk_issues_no_ticket_into_a_queue_no_counter_serves(
    capsys: pytest.CaptureFixture[str],
) -> None:
    case = ROOT / "tests/config/broken/queue-without-counter.yaml"
    code, out, err = run(["walk", str(case), "--centre", "main", "--answer", "tax"], capsys)
    assert code == 1 and "S001" not in out
    assert "no counter of centre 'main' serves the queue 'tax'" in out + err
