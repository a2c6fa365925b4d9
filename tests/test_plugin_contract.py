"""The plugin contract as pluggy documents it: wrappers, firstresult, monitoring,
isolation of a failing plugin, the ``frontdesk`` argument and plugin state, and a
facade that matches the hook specifications."""

from __future__ import annotations

import inspect
from collections.abc import Generator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from frontdesk_core import Frontdesk, hookimpl
from frontdesk_core.devices import PrintResult, TicketPrint
from frontdesk_core.docgen import hook_functions
from frontdesk_core.notify import SmsReceipt, SmsRequest
from frontdesk_core.plugins import HookFailure, Hooks, make_plugin_manager
from frontdesk_core.queues.tickets import Ticket, TicketState
from frontdesk_core.testing import HookRecorder

BASE = Path(__file__).parent / "config" / "valid" / "base.yaml"
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=ZoneInfo("Europe/Copenhagen"))
TICKET = Ticket("t1", "P001", "pass", "main", TicketState.WAITING, NOW, NOW)
PRINT = TicketPrint("k1", "main", "Borgerservice", "P001", "Pas", NOW, "da", 3, 12)
SMS = SmsRequest("turn-soon:t1", "+4512345678", "your_turn_soon", "da")


def hooks_with(*plugins: object) -> Hooks:
    return Hooks(make_plugin_manager(load_entrypoints=False, plugins=plugins))


class Printer:
    def __init__(self, answer: PrintResult | None) -> None:
        self.answer, self.asked = answer, 0

    @hookimpl
    def frontdesk_print_ticket(self, ticket: TicketPrint) -> PrintResult | None:
        self.asked += 1
        return self.answer


class Sms:
    @hookimpl
    def frontdesk_send_sms(self, message: SmsRequest) -> SmsReceipt | None:
        return SmsReceipt(accepted=True, message_id="m1")


class Stamp:
    """A new-style wrapper that sees the printer's and the SMS plugin's answer, and changes it."""

    def __init__(self) -> None:
        self.seen: list[object] = []

    @hookimpl(wrapper=True)
    def frontdesk_print_ticket(
        self, ticket: TicketPrint
    ) -> Generator[None, PrintResult | None, PrintResult | None]:
        result = yield
        self.seen.append(result)
        return PrintResult(ok=True, printer="stamped") if result is not None else None

    @hookimpl(wrapper=True)
    def frontdesk_send_sms(
        self, message: SmsRequest
    ) -> Generator[None, SmsReceipt | None, SmsReceipt | None]:
        receipt = yield
        self.seen.append(receipt)
        return SmsReceipt(accepted=True, message_id="stamped")


def test_a_wrapper_on_print_ticket_sees_and_changes_the_result() -> None:
    stamp = Stamp()
    hooks = hooks_with(Printer(PrintResult(ok=True, printer="k1")), stamp)
    assert hooks.print_ticket(PRINT) == PrintResult(ok=True, printer="stamped")
    assert stamp.seen == [PrintResult(ok=True, printer="k1")]


def test_a_wrapper_on_send_sms_sees_and_changes_the_result() -> None:
    stamp = Stamp()
    hooks = hooks_with(Sms(), stamp)
    assert hooks.send_sms(SMS) == SmsReceipt(accepted=True, message_id="stamped")
    assert stamp.seen == [SmsReceipt(accepted=True, message_id="m1")]


class Raising:
    @hookimpl
    def frontdesk_print_ticket(self, ticket: TicketPrint) -> PrintResult | None:
        raise OSError("printer on fire")

    @hookimpl
    def frontdesk_ticket_issued(self, ticket: Ticket) -> None:
        raise ValueError("bad ticket for +4512345678")


def test_a_wrapper_sees_the_answer_of_the_next_plugin_when_one_fails() -> None:
    stamp = Stamp()
    printer = Printer(PrintResult(ok=True, printer="k1"))
    # Registered last, the failing plugin runs first; pluggy goes on with the printer.
    hooks = hooks_with(printer, stamp, Raising())
    assert hooks.print_ticket(PRINT).printer == "stamped"
    assert stamp.seen == [PrintResult(ok=True, printer="k1")] and printer.asked == 1


def test_a_failing_plugin_is_isolated_and_reported_with_name_hook_class_and_message() -> None:
    heard: list[Ticket] = []

    class Listener:
        @hookimpl
        def frontdesk_ticket_issued(self, ticket: Ticket) -> None:
            heard.append(ticket)

    pm = make_plugin_manager(load_entrypoints=False, plugins=[Listener()])
    pm.register(Raising(), name="raising")
    report = Hooks(pm).ticket_issued(TICKET)
    assert heard == [TICKET]
    assert report.failures == [
        HookFailure(
            "raising", "frontdesk_ticket_issued", "ValueError", "bad ticket for +4512345678"
        )
    ]
    assert report.failures[0].error == "ValueError: bad ticket for +4512345678"


def test_a_failing_plugin_is_isolated_when_called_through_pluggy_directly() -> None:
    pm = make_plugin_manager(load_entrypoints=False)
    pm.register(Raising(), name="raising")
    printer = Printer(PrintResult(ok=True, printer="k1"))
    pm.register(printer, name="printer")
    pm.register(Raising(), name="raising-too")
    result = pm.hook.frontdesk_print_ticket(frontdesk=None, ticket=PRINT)
    assert result == PrintResult(ok=True, printer="k1")


def test_a_failing_wrapper_fails_the_call_softly_and_is_named() -> None:
    class BadWrapper:
        @hookimpl(wrapper=True)
        def frontdesk_print_ticket(self, ticket: TicketPrint) -> Generator[None, Any, Any]:
            yield
            raise RuntimeError("wrapper broke")

    pm = make_plugin_manager(load_entrypoints=False, plugins=[Printer(PrintResult(ok=True))])
    pm.register(BadWrapper(), name="bad-wrapper")
    result = Hooks(pm).print_ticket(PRINT)
    assert (result.ok, result.fault, result.detail) == (
        False,
        "plugin_error",
        "RuntimeError: wrapper broke",
    )


def test_firstresult_stops_at_the_first_answer() -> None:
    late = Printer(PrintResult(ok=True, printer="late"))
    declines = Printer(None)
    answers = Printer(PrintResult(ok=True, printer="first"))
    # pluggy calls the newest registration first: answers, then declines (never reached).
    hooks = hooks_with(late, declines, answers)
    assert hooks.print_ticket(PRINT).printer == "first"
    assert (answers.asked, declines.asked, late.asked) == (1, 0, 0)


def test_hook_call_monitoring_records_every_call_implemented_or_not() -> None:
    hooks = hooks_with(Printer(PrintResult(ok=True)))
    seen: list[tuple[str, dict[str, Any]]] = []
    after: list[object] = []
    undo = hooks.pm.add_hookcall_monitoring(
        lambda name, impls, kwargs: seen.append((name, dict(kwargs))),
        lambda outcome, name, impls, kwargs: after.append(outcome.get_result()),
    )
    hooks.ticket_issued(TICKET)  # nobody implements it
    hooks.print_ticket(PRINT)
    hooks.call_policies()
    assert [name for name, _ in seen] == [
        "frontdesk_ticket_issued",
        "frontdesk_print_ticket",
        "frontdesk_call_policies",
    ]
    assert seen[0][1] == {"frontdesk": None, "ticket": TICKET}
    assert after[:2] == [[], PrintResult(ok=True)]
    undo()
    undo()  # twice is harmless
    hooks.ticket_issued(TICKET)
    assert len(seen) == 3 and hooks.pm.monitors == 0


def test_the_hook_recorder_records_every_hook_of_a_frontdesk(
    make_frontdesk: Any, hook_recorder: HookRecorder
) -> None:
    fd = make_frontdesk(BASE, plugins=[hook_recorder])
    fd.queues.issue("pass")
    fd.close()
    names = [name for name, _ in hook_recorder.calls]
    assert names[0] == "frontdesk_config_sections"  # loading the configuration
    assert {"frontdesk_startup", "frontdesk_ticket_issued", "frontdesk_shutdown"} <= set(names)
    (issued,) = hook_recorder.named("frontdesk_ticket_issued")
    assert issued["frontdesk"] is fd


class Counting:
    """A plugin keeping a count per Frontdesk, in that Frontdesk's plugin state."""

    @hookimpl
    def frontdesk_startup(self, frontdesk: Frontdesk) -> None:
        frontdesk.plugin_state("counting")["site"] = frontdesk.config.site.id
        frontdesk.plugin_state("counting")["issued"] = 0

    @hookimpl
    def frontdesk_ticket_issued(self, frontdesk: Frontdesk, ticket: Ticket) -> None:
        frontdesk.plugin_state("counting")["issued"] += 1


def test_two_frontdesks_on_one_plugin_manager_keep_their_own_plugin_state(tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(BASE.read_text("utf-8").replace("id: testby", "id: andeby", 1), "utf-8")
    pm = make_plugin_manager(load_entrypoints=False, plugins=[Counting()])
    with (
        Frontdesk.open(BASE, store=":memory:", plugins=pm) as first,
        Frontdesk.open(other, store=":memory:", plugins=pm) as second,
    ):
        first.queues.issue("pass")
        first.queues.issue("pass")
        second.queues.issue("pass")
        assert first.plugin_state("counting") == {"site": "testby", "issued": 2}
        assert second.plugin_state("counting") == {"site": "andeby", "issued": 1}
        assert first.hooks.pm is second.hooks.pm and first.hooks is not second.hooks


def test_every_hookspec_has_exactly_one_facade_method_with_its_arguments() -> None:
    """The facade is written by hand for typing; this keeps it in step with hookspecs.py.

    A facade method takes the spec's arguments less ``frontdesk`` (the bound
    Frontdesk is passed) and ``register`` (the facade collects the registrations).
    """
    facade = {
        name: fn
        for name, fn in vars(Hooks).items()
        if callable(fn)
        and not name.startswith("_")
        and name not in {"bound", "implemented", "silent"}
        and name not in {"plugins", "registrations", "load_context"}
    }
    specs = {fn.__name__.removeprefix("frontdesk_"): fn for fn in hook_functions()}
    assert sorted(facade) == sorted(specs)
    for name, spec in specs.items():
        wanted = [
            p for p in inspect.signature(spec).parameters if p not in {"frontdesk", "register"}
        ]
        got = list(inspect.signature(facade[name]).parameters)[1:]
        assert got == wanted, name
        assert f'"{spec.__name__}"' in inspect.getsource(facade[name]), name


def test_a_plain_pluggy_manager_is_refused() -> None:
    import pluggy

    with pytest.raises(TypeError):
        Hooks(pluggy.PluginManager("frontdesk"))  # type: ignore[arg-type]


class Everything:
    """A third-party plugin registering one of each kind."""

    @hookimpl
    def frontdesk_call_policies(self, register: Any) -> None:
        register("newest_first", object())

    @hookimpl
    def frontdesk_condition_functions(self, register: Any) -> None:
        register("always", lambda args, variables: True)

    @hookimpl
    def frontdesk_config_sections(self, register: Any) -> None:
        register("chimes", dict)

    @hookimpl
    def frontdesk_config_checks(self, register: Any) -> None:
        def check_chimes(config: Any, reporter: Any) -> None: ...

        register(check_chimes)

    @hookimpl
    def frontdesk_cli_commands(self, register: Any) -> None:
        register("validate", "a clash with the core's", lambda p: None, lambda a: 3)
        register("chime", "ring", lambda p: None, lambda a: 0)


def test_registrations_say_what_each_plugin_registers() -> None:
    from frontdesk_core.cli import plugin_manager

    pm = plugin_manager(load_entrypoints=False)
    pm.register(Everything(), name="everything")
    infos = {info.name: info for info in Hooks(pm).registrations()}
    mine = infos["everything"]
    assert (mine.call_policies, mine.condition_functions, mine.config_sections) == (
        ("newest_first",),
        ("always",),
        ("chimes",),
    )
    assert (mine.config_checks, mine.commands) == (("check_chimes",), ("validate", "chime"))
    assert "frontdesk_cli_commands" in mine.hooks
    assert infos["frontdesk.call_policies"].call_policies == ("service_level", "fifo")
    assert infos["frontdesk.config_checks"].config_checks == (
        "check_referral_trees",
        "check_booking_rules",
    )
    assert "walk" in infos["frontdesk.cli_commands"].commands


def test_the_core_command_keeps_its_name_when_a_plugin_registers_it_too(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from frontdesk_core.cli import main

    monkeypatch.setattr(
        "frontdesk_core.cli.make_plugin_manager",
        lambda **kw: make_plugin_manager(load_entrypoints=False, plugins=[Everything()]),
    )
    assert main(["validate", str(BASE)]) == 0  # the core's, not the plugin's (exit 3)
    assert "valid" in capsys.readouterr().out
    assert main(["chime"]) == 0
