"""The plugin in a Frontdesk: found by entry point, configured from YAML, printing."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from escpos_decode import decode
from escpos_peer import PAPER_OUT, TcpPrinterPeer
from frontdesk_printer_escpos import plugin
from frontdesk_printer_escpos.plugin import printers_of

from frontdesk_core.api import Frontdesk, TicketPrint, make_plugin_manager
from frontdesk_core.api import cli_main as main
from frontdesk_core.testing import MakeFrontdesk

CONFIG = """\
site:
  id: kk
  name: Københavns Kommune
centres:
  - id: nyropsgade
    name: {{da: Borgerservice Nyropsgade, en: Citizen Service Nyropsgade}}
    address: Nyropsgade 1
    opening_hours: {{mon: "09:00-17:00"}}
    queues:
      - id: pass
        name: {{da: Pas og kørekort, en: Passports}}
        prefix: P
    counters:
      - {{id: c1, name: {{da: Skranke 1, en: Counter 1}}, queues: [pass]}}
    kiosks:
      - {{id: nyropsgade-1, name: Indgang}}
      - {{id: nyropsgade-2, name: Indgang 2}}
printers:
  - kiosk: nyropsgade-1
    connection: {{kind: network, host: 127.0.0.1, port: {port}, timeout: 1 s}}
"""


def write_config(tmp_path: Path, port: int) -> Path:
    """A configuration whose kiosk nyropsgade-1 prints at 127.0.0.1:``port``."""
    path = tmp_path / "frontdesk.yaml"
    path.write_text(CONFIG.format(port=port), encoding="utf-8")
    return path


def test_the_entry_point_finds_the_plugin() -> None:
    pm = make_plugin_manager()
    assert pm.get_plugin("printer_escpos") is plugin


def test_frontdesk_plugins_lists_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plugins"]) == 0
    out = capsys.readouterr().out
    assert (
        "printer_escpos\n"
        "  config sections: printers\n"
        "  config checks: check_printer_kiosks\n"
        "  commands: printers\n"
        "  hooks: frontdesk_cli_commands, frontdesk_config_checks, frontdesk_config_sections, "
        "frontdesk_print_ticket, frontdesk_shutdown, frontdesk_startup\n"
    ) in out


def test_frontdesk_validate_checks_the_printers_section(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_config(tmp_path, 9100)
    path.write_text(path.read_text().replace("port: 9100", "prot: 9100"), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "frontdesk.yaml:20:50: unknown key 'prot'; did you mean 'port'?" in out


def test_a_kiosk_prints_through_the_hooks(
    tmp_path: Path,
    make_frontdesk: MakeFrontdesk,
    tcp_peer: Callable[..., TcpPrinterPeer],
    ticket: TicketPrint,
) -> None:
    peer = tcp_peer()
    fd = make_frontdesk(write_config(tmp_path, peer.port), plugins=[plugin])
    result = fd.hooks.print_ticket(ticket)
    assert result.ok and result.printer == "nyropsgade-1"
    assert "P007" in decode(peer.wait_jobs(1)[0]).texts
    # A kiosk without a printer here is not this plugin's: the core hears "no printer".
    other = fd.hooks.print_ticket(dataclasses.replace(ticket, kiosk_id="nyropsgade-2"))
    assert (other.ok, other.fault) == (False, "no_printer")


def test_a_fault_reaches_the_core_as_a_failed_result(
    tmp_path: Path,
    make_frontdesk: MakeFrontdesk,
    tcp_peer: Callable[..., TcpPrinterPeer],
    ticket: TicketPrint,
) -> None:
    peer = tcp_peer(status=PAPER_OUT)
    fd = make_frontdesk(write_config(tmp_path, peer.port), plugins=[plugin])
    result = fd.hooks.print_ticket(ticket)
    assert (result.ok, result.fault, result.printer) == (False, "paper_out", "nyropsgade-1")


def test_closing_the_frontdesk_stops_its_printers(
    tmp_path: Path,
    make_frontdesk: MakeFrontdesk,
    tcp_peer: Callable[..., TcpPrinterPeer],
    ticket: TicketPrint,
) -> None:
    peer = tcp_peer()
    fd = make_frontdesk(write_config(tmp_path, peer.port), plugins=[plugin])
    assert printers_of(fd) is not None
    fd.close()
    assert printers_of(fd) is None
    assert fd.hooks.print_ticket(ticket).fault == "no_printer"


def test_two_frontdesks_keep_their_own_printers(
    tmp_path: Path,
    make_frontdesk: MakeFrontdesk,
    tcp_peer: Callable[..., TcpPrinterPeer],
    ticket: TicketPrint,
) -> None:
    first, second = tcp_peer(), tcp_peer()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    # One plugin manager, as in a process serving two sites: the state is per Frontdesk.
    pm = make_plugin_manager(load_entrypoints=False, plugins=[plugin])
    fd_a = Frontdesk.open(write_config(tmp_path / "a", first.port), store=":memory:", plugins=pm)
    fd_b = Frontdesk.open(write_config(tmp_path / "b", second.port), store=":memory:", plugins=pm)
    assert printers_of(fd_a) is not printers_of(fd_b)
    assert fd_a.hooks.print_ticket(dataclasses.replace(ticket, number="A001")).ok
    assert fd_b.hooks.print_ticket(dataclasses.replace(ticket, number="B001")).ok
    assert "A001" in decode(first.wait_jobs(1)[0]).texts
    assert "B001" in decode(second.wait_jobs(1)[0]).texts
    fd_a.close()
    assert printers_of(fd_a) is None and printers_of(fd_b) is not None
    assert fd_b.hooks.print_ticket(dataclasses.replace(ticket, number="B002")).ok
    fd_b.close()
