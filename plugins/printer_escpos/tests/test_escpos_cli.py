"""``frontdesk printers``: listing, kiosk checks with positions, status and test prints."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from escpos_decode import decode
from escpos_peer import COVER_OPEN, TcpPrinterPeer

from frontdesk_core.api import cli_main as main

CORE = """\
site:
  id: kk
  name: Københavns Kommune
centres:
  - id: nyropsgade
    name: {da: Borgerservice Nyropsgade, en: Citizen Service Nyropsgade}
    address: Nyropsgade 1
    opening_hours: {mon: "09:00-17:00"}
    queues:
      - id: pass
        name: {da: Pas og kørekort, en: Passports}
        prefix: P
    counters:
      - {id: c1, name: {da: Skranke 1, en: Counter 1}, queues: [pass]}
    kiosks:
      - {id: nyropsgade-1, name: Indgang}
      - {id: nyropsgade-2, name: Indgang 2}
"""


def write(tmp_path: Path, printers: str) -> Path:
    """A configuration directory: the core in frontdesk.yaml, ``printers`` in its own file."""
    # The section may live in a file of its own, as consultants often keep it.
    (tmp_path / "printers.yaml").write_text(printers, encoding="utf-8")
    (tmp_path / "frontdesk.yaml").write_text(CORE + "include: [printers.yaml]\n", encoding="utf-8")
    return tmp_path


def test_an_unknown_kiosk_is_reported_where_it_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        """\
printers:
  - kiosk: nyropsgade-1
    connection: {kind: file, path: lp0}
  - kiosk: nyropsgade-3
    connection: {kind: file, path: lp1}
""",
    )
    expected = (
        f"{path / 'printers.yaml'}:4:12: unknown kiosk 'nyropsgade-3'; "
        "did you mean 'nyropsgade-2'?\n"
    )
    assert main(["printers", str(path)]) == 1
    assert capsys.readouterr().out == expected
    # The same check runs in the core's validate, through frontdesk_config_checks.
    assert main(["validate", str(path)]) == 1
    assert capsys.readouterr().out == expected


def test_the_status_of_every_printer(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    tcp_peer: Callable[..., TcpPrinterPeer],
) -> None:
    good, open_cover = tcp_peer(), tcp_peer(status=COVER_OPEN)
    path = write(
        tmp_path,
        f"""\
printers:
  - kiosk: nyropsgade-1
    connection: {{kind: network, host: 127.0.0.1, port: {good.port}, timeout: 1 s}}
  - kiosk: nyropsgade-2
    name: reserve
    paper_width: 58
    connection: {{kind: network, host: 127.0.0.1, port: {open_cover.port}, timeout: 1 s}}
""",
    )
    assert main(["printers", str(path), "--status"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"nyropsgade-1: nyropsgade-1, network 127.0.0.1:{good.port}, CP865, 80 mm: ok",
        f"nyropsgade-2: reserve, network 127.0.0.1:{open_cover.port}, CP865, 58 mm: "
        "cover_open: the printer's cover is open",
    ]
    # Asking for the status prints nothing.
    assert decode(good.wait_jobs(1)[0]).texts == []


def test_a_test_ticket(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    tcp_peer: Callable[..., TcpPrinterPeer],
) -> None:
    peer = tcp_peer()
    path = write(
        tmp_path,
        f"""\
printers:
  - kiosk: nyropsgade-1
    connection: {{kind: network, host: 127.0.0.1, port: {peer.port}, timeout: 1 s}}
""",
    )
    assert main(["printers", str(path), "--test", "nyropsgade-1"]) == 0
    assert capsys.readouterr().out == "nyropsgade-1: test ticket: ok\n"
    ticket = decode(peer.wait_jobs(1)[0])
    assert "Borgerservice Nyropsgade" in ticket.texts
    assert "æøå ÆØÅ é ü ß" in ticket.texts
    assert len(ticket.rasters) == 1  # the line with Ş and Ł
    assert ticket.qr_codes[0].content == "frontdesk test print nyropsgade-1"
    assert len(ticket.cuts) == 1
    assert main(["printers", str(path), "--test", "nyropsgade-2"]) == 1
    assert "kiosk 'nyropsgade-2' has no printer" in capsys.readouterr().out


def test_no_printers_configured(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "frontdesk.yaml").write_text(CORE, encoding="utf-8")
    assert main(["printers", str(tmp_path / "frontdesk.yaml")]) == 0
    assert "no printers are configured" in capsys.readouterr().out
