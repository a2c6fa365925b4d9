"""The example plugin, tested with the fixtures of frontdesk's pytest plugin.

``make_frontdesk(config, plugins=[...])`` opens a Frontdesk on an in-memory store
with the built-in plugins and only the plugins given; ``frontdesk_clock`` is the
manual clock it runs on; ``hook_recorder`` records every hook call.
"""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

import pytest
from frontdesk_example_plugin import plugin
from frontdesk_example_plugin.audit import AuditSettings

from frontdesk_core.api import ConfigError, ManualClock, TicketState, cli_main, load_config
from frontdesk_core.testing import HookRecorder, MakeFrontdesk


def lines(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def test_queue_order_calls_the_counters_first_queue_first(
    make_frontdesk: MakeFrontdesk, config_path: Path, frontdesk_clock: ManualClock
) -> None:
    fd = make_frontdesk(config_path, plugins=[plugin])
    fd.queues.sign_in("c1", "emp-1")
    tax = fd.queues.issue("tax")
    frontdesk_clock.advance(minutes=5)
    cash = fd.queues.issue("cash")
    # Under fifo (or service_level's waiting-time rule) the earlier tax ticket would go first.
    called = fd.queues.call_next("c1")
    assert called is not None and called.id == cash.id
    fd.queues.finish("c1")
    called = fd.queues.call_next("c1")
    assert called is not None and called.id == tax.id
    assert fd.queues.ticket(tax.id).state is TicketState.CALLED
    fd.queues.finish("c1")
    assert fd.queues.call_next("c1") is None


def test_the_audit_log_has_a_line_per_ticket_issued_and_called(
    make_frontdesk: MakeFrontdesk, config_path: Path, audit_path: Path
) -> None:
    fd = make_frontdesk(config_path, plugins=[plugin])
    fd.queues.sign_in("c1", "emp-1")
    ticket = fd.queues.issue("tax")
    fd.queues.call_next("c1")
    assert [
        (r["event"], r["number"], r["queue_id"], r["counter_id"]) for r in lines(audit_path)
    ] == [
        ("issued", ticket.number, "tax", ""),
        ("called", ticket.number, "tax", "c1"),
    ]


def test_the_log_lives_in_the_frontdesks_plugin_state(
    make_frontdesk: MakeFrontdesk, config_path: Path, tmp_path: Path
) -> None:
    with_log = make_frontdesk(config_path, plugins=[plugin])
    text = config_path.read_text(encoding="utf-8")
    bare = tmp_path / "bare.yaml"
    bare.write_text(text[: text.index("audit:")], encoding="utf-8")
    without = make_frontdesk(bare, plugins=[plugin])
    assert plugin.audit_log(with_log) is not None
    assert without.plugin_state("example") == {}
    with_log.close()
    assert with_log.plugin_state("example") == {}


def test_the_hooks_are_called_with_the_frontdesk(
    make_frontdesk: MakeFrontdesk, config_path: Path, hook_recorder: HookRecorder
) -> None:
    fd = make_frontdesk(config_path, plugins=[plugin, hook_recorder])
    fd.queues.issue("cash")
    (issued,) = hook_recorder.named("frontdesk_ticket_issued")
    assert issued["frontdesk"] is fd
    assert issued["ticket"].queue_id == "cash"


def test_the_audit_section_is_validated_at_its_position(config_path: Path, tmp_path: Path) -> None:
    from frontdesk_core.api import Hooks, make_plugin_manager

    text = config_path.read_text(encoding="utf-8").replace(
        "  path:", "  events: [issued, served]\n  path:"
    )
    config_path.write_text(text, encoding="utf-8")
    context = Hooks(make_plugin_manager(load_entrypoints=False, plugins=[plugin])).load_context()
    with pytest.raises(ConfigError) as caught:
        load_config(config_path, context)
    (problem,) = caught.value.problems
    line = text.splitlines().index("  events: [issued, served]") + 1
    assert (problem.line, problem.column) == (line, 20)
    assert "served" in problem.message


def test_the_audit_command_counts_the_log(
    make_frontdesk: MakeFrontdesk,
    config_path: Path,
    audit_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fd = make_frontdesk(config_path, plugins=[plugin])
    fd.queues.sign_in("c1", "emp-1")
    fd.queues.issue("tax")
    fd.queues.issue("cash")
    fd.queues.call_next("c1")
    settings = tmp_path / "audit.yaml"
    settings.write_text(f"audit:\n  path: {audit_path}\n", encoding="utf-8")
    assert cli_main(["audit", str(settings)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "called cash 1",
        "issued cash 1",
        "issued tax 1",
    ]


def test_the_audit_command_reports_a_wrong_setting_at_its_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = tmp_path / "audit.yaml"
    settings.write_text("audit:\n  path: a.csv\n  evnts: [issued]\n", encoding="utf-8")
    assert cli_main(["audit", str(settings)]) == 1
    err = capsys.readouterr().err
    assert "audit.yaml:3:3:" in err
    assert "evnts" in err


def test_a_settings_model_refuses_an_empty_event_list() -> None:
    with pytest.raises(ValueError):
        AuditSettings(path="a.csv", events=[])


def test_the_called_line_uses_the_call_time(
    make_frontdesk: MakeFrontdesk, config_path: Path, audit_path: Path, frontdesk_clock: ManualClock
) -> None:
    fd = make_frontdesk(config_path, plugins=[plugin])
    fd.queues.sign_in("c1", "emp-1")
    fd.queues.issue("tax")
    frontdesk_clock.advance(timedelta(minutes=7))
    called = fd.queues.call_next("c1")
    assert called is not None and called.called_at is not None
    assert lines(audit_path)[-1]["at"] == called.called_at.isoformat()
