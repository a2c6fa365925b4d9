"""The plugin system: the factory, the typed facade and one test per hook.

Event hooks are tested through the facade here; the engines' own tests check
that each command fires its hook at the right moment.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import BaseModel, ConfigDict

from frontdesk_core import Frontdesk, hookimpl
from frontdesk_core.booking.records import Booking, BookingState, Contact
from frontdesk_core.cli import main
from frontdesk_core.config.loader import check
from frontdesk_core.devices import DeviceFault, PrintResult, ScreenState, TicketPrint
from frontdesk_core.errors import PluginError
from frontdesk_core.notify import SmsReceipt, SmsRequest
from frontdesk_core.plugins import Hooks, make_plugin_manager
from frontdesk_core.queues.tickets import Ticket, TicketState
from frontdesk_core.referral.outcomes import Referred, SentHome
from frontdesk_core.testing import HookRecorder, plugin_manager_with

BASE = Path(__file__).parent / "config" / "valid" / "base.yaml"
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=ZoneInfo("Europe/Copenhagen"))
TICKET = Ticket("t1", "P001", "pass", "main", TicketState.WAITING, NOW, NOW)
BOOKING = Booking(
    "b1", "K7Q2", "passport", "main", NOW, NOW + timedelta(minutes=15), "in_person",
    BookingState.BOOKED, NOW,
)  # fmt: skip
CONTACT = Contact(phone="+4512345678")


class Broken:
    """A plugin whose every event hook raises."""

    @hookimpl
    def frontdesk_ticket_issued(self, ticket: Ticket) -> None:
        raise RuntimeError("boom for +4512345678")

    @hookimpl
    def frontdesk_print_ticket(self, ticket: TicketPrint) -> PrintResult | None:
        raise OSError("printer on fire")


def hooks_with(*plugins: object) -> Hooks:
    return Hooks(plugin_manager_with(plugins))


def fire_and_record(fire: Callable[[Hooks], object], hook: str) -> dict[str, Any]:
    recorder = HookRecorder()
    report = fire(hooks_with(recorder))
    assert getattr(report, "ok", True)
    calls = recorder.named(hook)
    assert len(calls) == 1
    # A facade bound to no Frontdesk (as here) passes ``frontdesk=None``.
    assert calls[0].pop("frontdesk") is None
    return calls[0]


# --- event hooks ------------------------------------------------------------------------


def test_frontdesk_ticket_issued() -> None:
    args = fire_and_record(lambda h: h.ticket_issued(TICKET), "frontdesk_ticket_issued")
    assert args["ticket"] is TICKET


def test_frontdesk_ticket_called() -> None:
    args = fire_and_record(lambda h: h.ticket_called(TICKET, "c1"), "frontdesk_ticket_called")
    assert args == {"ticket": TICKET, "counter_id": "c1"}


def test_frontdesk_ticket_recalled() -> None:
    args = fire_and_record(lambda h: h.ticket_recalled(TICKET, "c1"), "frontdesk_ticket_recalled")
    assert args == {"ticket": TICKET, "counter_id": "c1"}


def test_frontdesk_ticket_finished() -> None:
    args = fire_and_record(lambda h: h.ticket_finished(TICKET), "frontdesk_ticket_finished")
    assert args["ticket"] is TICKET


def test_frontdesk_ticket_no_show() -> None:
    args = fire_and_record(lambda h: h.ticket_no_show(TICKET), "frontdesk_ticket_no_show")
    assert args["ticket"] is TICKET


def test_frontdesk_ticket_transferred() -> None:
    args = fire_and_record(
        lambda h: h.ticket_transferred(TICKET, "tax"), "frontdesk_ticket_transferred"
    )
    assert args == {"ticket": TICKET, "from_queue": "tax"}


def test_frontdesk_citizen_checked_in() -> None:
    args = fire_and_record(
        lambda h: h.citizen_checked_in(BOOKING, TICKET), "frontdesk_citizen_checked_in"
    )
    assert args == {"booking": BOOKING, "ticket": TICKET}


def test_frontdesk_citizen_sent_home() -> None:
    outcome = SentHome("main", "main", "home", "da", "Kom igen", ("photo",), ("Pasfoto",))
    args = fire_and_record(lambda h: h.citizen_sent_home(outcome), "frontdesk_citizen_sent_home")
    assert args["outcome"] is outcome


def test_frontdesk_citizen_referred() -> None:
    outcome = Referred("main", "main", "job", "da", "Gå til Jobcenteret", authority_id="jobcenter")
    args = fire_and_record(lambda h: h.citizen_referred(outcome), "frontdesk_citizen_referred")
    assert args["outcome"] is outcome


def test_frontdesk_booking_created() -> None:
    args = fire_and_record(
        lambda h: h.booking_created(BOOKING, CONTACT), "frontdesk_booking_created"
    )
    assert args == {"booking": BOOKING, "contact": CONTACT}


def test_frontdesk_booking_cancelled() -> None:
    args = fire_and_record(
        lambda h: h.booking_cancelled(BOOKING, CONTACT, "sms"), "frontdesk_booking_cancelled"
    )
    assert args["reason"] == "sms"


def test_frontdesk_booking_reminder_due() -> None:
    args = fire_and_record(
        lambda h: h.booking_reminder_due(BOOKING, CONTACT, timedelta(hours=2)),
        "frontdesk_booking_reminder_due",
    )
    assert args["before"] == timedelta(hours=2)


def test_frontdesk_render_display() -> None:
    screen = ScreenState("main", NOW, (), ())
    args = fire_and_record(lambda h: h.render_display(screen), "frontdesk_render_display")
    assert args["screen"] is screen


def test_frontdesk_device_fault() -> None:
    fault = DeviceFault("printer:k1", "main", "paper_out", "no paper", NOW)
    args = fire_and_record(lambda h: h.device_fault(fault), "frontdesk_device_fault")
    assert args["fault"] is fault


def test_a_failing_plugin_is_isolated_and_reported(caplog: pytest.LogCaptureFixture) -> None:
    recorder = HookRecorder()
    # Registered after the recorder, so it runs first: the recorder must still be told.
    hooks = hooks_with(recorder, Broken())
    with caplog.at_level(logging.ERROR, logger="frontdesk.plugins"):
        report = hooks.ticket_issued(TICKET)
    assert not report.ok
    assert "boom" in report.failures[0].error
    assert len(recorder.named("frontdesk_ticket_issued")) == 1
    assert "12345678" not in caplog.text  # the exception text may hold personal data


class Issued:
    """A plugin counting the tickets it is told of."""

    def __init__(self) -> None:
        self.tickets: list[Ticket] = []

    @hookimpl
    def frontdesk_ticket_issued(self, ticket: Ticket) -> None:
        self.tickets.append(ticket)


def test_a_plugin_registered_or_unregistered_later_is_heard_or_dropped_at_once() -> None:
    """Who implements a hook is pluggy's to know: (un)registering must show at once."""
    hooks = hooks_with()
    assert not hooks.implemented("frontdesk_ticket_issued")
    assert hooks.ticket_issued(TICKET).results == []
    late, first = Issued(), Issued()
    hooks.pm.register(late)
    assert hooks.implemented("frontdesk_ticket_issued")
    hooks.ticket_issued(TICKET)
    assert late.tickets == [TICKET]
    hooks.pm.register(first)
    hooks.pm.unregister(late)
    hooks.ticket_issued(TICKET)
    assert late.tickets == [TICKET]
    assert first.tickets == [TICKET]
    hooks.pm.unregister(first)
    assert not hooks.implemented("frontdesk_ticket_issued")


# --- service hooks -------------------------------------------------------------------------

PRINT = TicketPrint("k1", "main", "Borgerservice", "P001", "Pas", NOW, "da", 3, 12)


class Printer:
    def __init__(self, answer: PrintResult | None) -> None:
        self.answer = answer
        self.printed: list[TicketPrint] = []

    @hookimpl
    def frontdesk_print_ticket(self, ticket: TicketPrint) -> PrintResult | None:
        self.printed.append(ticket)
        return self.answer


def test_frontdesk_print_ticket() -> None:
    declines, prints = Printer(None), Printer(PrintResult(ok=True, printer="k1"))
    assert hooks_with(prints, declines).print_ticket(PRINT) == PrintResult(ok=True, printer="k1")
    assert declines.printed == [PRINT] and prints.printed == [PRINT]


def test_print_ticket_without_or_with_a_broken_printer_plugin_fails_softly() -> None:
    assert hooks_with().print_ticket(PRINT).fault == "no_printer"
    result = hooks_with(Broken()).print_ticket(PRINT)
    assert not result.ok and result.fault == "plugin_error" and "on fire" in (result.detail or "")


class Sms:
    def __init__(self) -> None:
        self.sent: list[SmsRequest] = []

    @hookimpl
    def frontdesk_send_sms(self, message: SmsRequest) -> SmsReceipt | None:
        self.sent.append(message)
        return SmsReceipt(accepted=True, message_id="m1")


def test_frontdesk_send_sms() -> None:
    sms = Sms()
    message = SmsRequest("turn-soon:t1", "+4512345678", "your_turn_soon", "da")
    assert hooks_with(sms).send_sms(message) == SmsReceipt(accepted=True, message_id="m1")
    assert sms.sent == [message]
    assert "12345678" not in repr(message)
    assert not hooks_with().send_sms(message).accepted


class TurnSoon:
    def __init__(self) -> None:
        self.asked: list[tuple[str, str, str]] = []

    @hookimpl
    def frontdesk_turn_soon_requested(
        self, ticket: Ticket, phone: str, language: str
    ) -> SmsReceipt | None:
        self.asked.append((ticket.id, phone, language))
        return SmsReceipt(accepted=True)


class Available:
    def __init__(self, answer: bool | None) -> None:
        self.answer = answer

    @hookimpl
    def frontdesk_sms_available(self) -> bool | None:
        return self.answer


def test_frontdesk_sms_available() -> None:
    assert hooks_with(Available(True)).sms_available()
    assert not hooks_with(Available(False)).sms_available()
    assert not hooks_with(Available(None)).sms_available()
    assert not hooks_with().sms_available()


def test_frontdesk_turn_soon_requested() -> None:
    plugin = TurnSoon()
    ticket = Ticket("pass-1", "P001", "pass", "main", TicketState.WAITING, NOW, NOW)
    assert hooks_with(plugin).turn_soon_requested(ticket, "12345678", "da").accepted
    assert plugin.asked == [("pass-1", "12345678", "da")]
    refused = hooks_with().turn_soon_requested(ticket, "12345678", "da")
    assert not refused.accepted and refused.error == "no SMS plugin is installed"


# --- registrations ---------------------------------------------------------------------------


class SectionModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    volume: int


class Sections:
    @hookimpl
    def frontdesk_config_sections(self, register: Callable[[str, Any], None]) -> None:
        register("chimes", SectionModel)


def test_frontdesk_config_sections(tmp_path: Path) -> None:
    hooks = hooks_with(Sections())
    good = tmp_path / "good.yaml"
    good.write_text(BASE.read_text(encoding="utf-8") + "\nchimes:\n  volume: 3\n", "utf-8")
    config, problems = check(good, hooks.load_context())
    assert problems == [] and config is not None
    assert config.sections["chimes"] == SectionModel(volume=3)
    bad = tmp_path / "bad.yaml"
    text = BASE.read_text(encoding="utf-8") + "\nchimes:\n  volume: loud\n"
    bad.write_text(text, "utf-8")
    _, problems = check(bad, hooks.load_context())
    line = text.count("\n")
    assert [(p.line, p.column, p.message) for p in problems] == [
        (line, 11, "'volume' must be a whole number; got 'loud'")
    ]


class KioskCheck:
    """Checks that every kiosk named in the plugin's section exists."""

    @hookimpl
    def frontdesk_config_sections(self, register: Callable[[str, Any], None]) -> None:
        register("chimes", SectionModel)

    @hookimpl
    def frontdesk_config_checks(self, register: Callable[[Any], None]) -> None:
        def check_volume(config: Any, reporter: Any) -> None:
            if config.sections["chimes"].volume > 10:
                reporter.error(("chimes", "volume"), "the volume goes up to 10")

        register(check_volume)


def test_frontdesk_config_checks(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    text = BASE.read_text(encoding="utf-8") + "\nchimes:\n  volume: 11\n"
    path.write_text(text, "utf-8")
    _, problems = check(path, hooks_with(KioskCheck()).load_context())
    assert [(p.line, p.column, p.message) for p in problems] == [
        (text.count("\n"), 11, "the volume goes up to 10")
    ]


def test_a_failing_plugin_check_is_reported_not_raised(tmp_path: Path) -> None:
    class Crashing:
        @hookimpl
        def frontdesk_config_checks(self, register: Callable[[Any], None]) -> None:
            register(lambda config, reporter: 1 / 0)

    _, problems = check(BASE, hooks_with(Crashing()).load_context())
    assert len(problems) == 1 and "ZeroDivisionError" in problems[0].message


class LastFirst:
    def choose(self, waiting: Any, counter: Any, now: Any, config: Any) -> Any:
        return max(waiting, key=lambda t: t.arrived_at) if waiting else None


class Policies:
    @hookimpl
    def frontdesk_call_policies(self, register: Callable[[str, Any], None]) -> None:
        register("last_first", LastFirst())


def test_frontdesk_call_policies(tmp_path: Path) -> None:
    hooks = hooks_with(Policies())
    assert set(hooks.call_policies()) == {"service_level", "fifo", "last_first"}
    path = tmp_path / "c.yaml"
    path.write_text(
        BASE.read_text(encoding="utf-8").replace(
            "    tree: main\n", "    tree: main\n    call_policy: last_first\n"
        ),
        "utf-8",
    )
    assert check(path, hooks.load_context())[1] == []
    assert check(path, hooks_with().load_context())[1][0].message.startswith(
        "unknown call-next policy 'last_first'"
    )


def test_registering_the_same_name_twice_is_an_error() -> None:
    with pytest.raises(PluginError, match="fifo"):

        class Clash:
            @hookimpl
            def frontdesk_call_policies(self, register: Callable[[str, Any], None]) -> None:
                register("fifo", LastFirst())

        hooks_with(Clash()).call_policies()


class Conditions:
    @hookimpl
    def frontdesk_condition_functions(self, register: Callable[[str, Any], None]) -> None:
        register("is_rush_hour", lambda args, variables: variables.get("time", "") < "10:00")


def test_frontdesk_condition_functions() -> None:
    functions = hooks_with(Conditions()).condition_functions()
    assert functions["is_rush_hour"]({}, {"time": "09:30"}) is True
    assert "is_rush_hour" in hooks_with(Conditions()).load_context().condition_functions


class Commands:
    @hookimpl
    def frontdesk_cli_commands(self, register: Callable[..., None]) -> None:
        def configure(parser: argparse.ArgumentParser) -> None:
            parser.add_argument("name")

        def run(args: argparse.Namespace) -> int:
            print(f"hello {args.name}")
            return 7

        register("hello", "say hello", configure, run)


def test_frontdesk_cli_commands(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        "frontdesk_core.cli.make_plugin_manager",
        lambda **kw: make_plugin_manager(load_entrypoints=False, plugins=[Commands()]),
    )
    assert main(["hello", "world"]) == 7
    assert capsys.readouterr().out == "hello world\n"


class Lifecycle:
    def __init__(self) -> None:
        self.events: list[str] = []

    @hookimpl
    def frontdesk_startup(self, frontdesk: Frontdesk) -> None:
        self.events.append(f"start {frontdesk.config.site.id}")

    @hookimpl
    def frontdesk_shutdown(self, frontdesk: Frontdesk) -> None:
        self.events.append("stop")


def test_frontdesk_startup() -> None:
    life = Lifecycle()
    pm = make_plugin_manager(load_entrypoints=False, plugins=[life])
    with Frontdesk.open(BASE, store=":memory:", plugins=pm):
        assert life.events == ["start testby"]


def test_frontdesk_shutdown() -> None:
    life = Lifecycle()
    pm = make_plugin_manager(load_entrypoints=False, plugins=[life])
    fd = Frontdesk.open(BASE, store=":memory:", plugins=pm)
    fd.close()
    fd.close()
    assert life.events == ["start testby", "stop"]


# --- the factory --------------------------------------------------------------------------------


def test_a_misspelt_hook_implementation_fails_loudly() -> None:
    class Typo:
        @hookimpl
        def frontdesk_ticket_isued(self, ticket: Ticket) -> None: ...

    with pytest.raises(PluginError, match="frontdesk_ticket_isued"):
        make_plugin_manager(load_entrypoints=False, plugins=[Typo()])


def test_environment_chooses_and_blocks_entry_point_plugins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FRONTDESK_LOAD_PLUGINS", "")
    names = {name for name, _ in Hooks(make_plugin_manager()).plugins()}
    assert names == {"frontdesk.call_policies", "frontdesk.config_checks"}
    monkeypatch.delenv("FRONTDESK_LOAD_PLUGINS")
    monkeypatch.setenv("FRONTDESK_DISABLE_PLUGINS", "printer_escpos,sms_gateway,display")
    names = {name for name, _ in Hooks(make_plugin_manager()).plugins()}
    assert not names & {"printer_escpos", "sms_gateway", "display"}


def test_plugins_command_lists_plugins_and_their_hooks(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FRONTDESK_LOAD_PLUGINS", "")
    assert main(["plugins"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "frontdesk.call_policies\n"
        "  policies: service_level, fifo\n"
        "  hooks: frontdesk_call_policies\n"
        "frontdesk.cli_commands\n"
        "  commands: validate, schema, plugins, walk, tree, "
    )
    assert out.endswith(
        "frontdesk.config_checks\n"
        "  config checks: check_referral_trees, check_booking_rules\n"
        "  hooks: frontdesk_config_checks\n"
    )


def test_an_installed_plugin_that_cannot_be_imported_is_reported_and_left_out(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from importlib.metadata import EntryPoint

    broken = EntryPoint(name="broken", value="no_such_module_anywhere", group="frontdesk")
    monkeypatch.setattr("frontdesk_core.plugins.entry_points", lambda group: [broken])
    pm = make_plugin_manager()
    assert pm.get_plugin("broken") is None
    assert Hooks(pm).load_errors == [
        "plugin 'broken' (no_such_module_anywhere) cannot be loaded: "
        "No module named 'no_such_module_anywhere'"
    ]
    assert main(["plugins"]) == 0
    captured = capsys.readouterr()
    assert "warning: plugin 'broken'" in captured.err
    assert captured.out.startswith("frontdesk.call_policies\n")
