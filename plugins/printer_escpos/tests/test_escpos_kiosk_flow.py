"""From the kiosk's referral tree to paper: the core's engines printing through the plugin."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from escpos_decode import decode
from escpos_peer import PAPER_OUT, TcpPrinterPeer
from frontdesk_printer_escpos import plugin
from frontdesk_printer_escpos.printer import GRACE

from frontdesk_core.api import Frontdesk
from frontdesk_core.testing import MakeFrontdesk

CONFIG = """\
site:
  id: kk
  name: Københavns Kommune
centres:
  - id: nyropsgade
    name: {{da: Borgerservice Nyropsgade, en: Citizen Service Nyropsgade}}
    address: Nyropsgade 1
    opening_hours: {{mon: "08:00-17:00"}}
    queues:
      - id: pass
        name: {{da: Pas og kørekort, en: Passports and licences}}
        prefix: P
        where: {{da: Venteområde A, en: Waiting area A}}
    counters:
      - id: c1
        name: {{da: Skranke 1, en: Counter 1}}
        queues: [pass]
    kiosks:
      - {{id: nyropsgade-1, name: Indgang}}
    tree: main
trees:
  - id: main
    name: Kiosken
    start: errand
    nodes:
      - kind: question
        id: errand
        text: {{da: Hvad skal du?, en: What is your errand?}}
        options:
          - id: passport
            label: {{da: Pas, en: Passport}}
            next: passport-queue
      - kind: queue
        id: passport-queue
        queue: pass
printers:
  - kiosk: nyropsgade-1
    connection: {{kind: network, host: 127.0.0.1, port: {port}, timeout: {timeout}}}
"""


def open_frontdesk(
    tmp_path: Path, make_frontdesk: MakeFrontdesk, port: int, timeout: str = "1 s"
) -> Frontdesk:
    """A Frontdesk whose kiosk nyropsgade-1 prints at 127.0.0.1:``port``."""
    path = tmp_path / "frontdesk.yaml"
    path.write_text(CONFIG.format(port=port, timeout=timeout), encoding="utf-8")
    return make_frontdesk(path, plugins=[plugin])


def test_a_citizen_gets_a_printed_ticket(
    tmp_path: Path, make_frontdesk: MakeFrontdesk, tcp_peer: Callable[..., TcpPrinterPeer]
) -> None:
    peer = tcp_peer()
    fd = open_frontdesk(tmp_path, make_frontdesk, peer.port)
    session = fd.referral.start("nyropsgade", language="da")
    session.answer("passport")
    result = fd.referral.complete(session, kiosk_id="nyropsgade-1")
    assert result.ticket is not None
    assert result.print_result is not None and result.print_result.ok
    assert not result.show_number_on_screen
    printed = decode(peer.wait_jobs(1)[0])
    assert printed.line(result.ticket.number).width == 4
    assert "Borgerservice Nyropsgade" in printed.texts
    assert "23.11.2026 09:00" in printed.texts  # the centre's local time
    assert "Pas og kørekort" in printed.texts
    assert "Foran dig: 0" in printed.texts or "Du er den næste" in printed.texts
    assert len(printed.cuts) == 1


def test_paper_out_still_gives_the_citizen_a_number(
    tmp_path: Path, make_frontdesk: MakeFrontdesk, tcp_peer: Callable[..., TcpPrinterPeer]
) -> None:
    peer = tcp_peer(status=PAPER_OUT)
    fd = open_frontdesk(tmp_path, make_frontdesk, peer.port)
    session = fd.referral.start("nyropsgade", language="en")
    session.answer("passport")
    result = fd.referral.complete(session, kiosk_id="nyropsgade-1")
    assert result.ticket is not None and result.ticket.number.startswith("P")
    assert result.show_number_on_screen
    assert result.print_result is not None and result.print_result.fault == "paper_out"
    assert fd.queues.waiting("pass")[0].id == result.ticket.id
    assert decode(peer.wait_jobs(1)[0]).texts == []


def test_a_stalled_printer_does_not_hold_up_the_kiosk(
    tmp_path: Path, make_frontdesk: MakeFrontdesk, tcp_peer: Callable[..., TcpPrinterPeer]
) -> None:
    peer = tcp_peer("stall")
    fd = open_frontdesk(tmp_path, make_frontdesk, peer.port, timeout="0.3 s")
    session = fd.referral.start("nyropsgade")
    session.answer("passport")
    started = time.monotonic()
    result = fd.referral.complete(session, kiosk_id="nyropsgade-1")
    assert time.monotonic() - started < 0.3 + GRACE + 0.5
    assert result.ticket is not None and result.show_number_on_screen
    assert result.print_result is not None and result.print_result.fault == "timeout"
