"""The ``printers:`` section, validated by the core's loader with positions."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from frontdesk_printer_escpos.config import (
    FileConnection,
    NetworkConnection,
    PrinterConfig,
    PrintersSection,
    SerialConnection,
    UsbConnection,
)
from pydantic import TypeAdapter, ValidationError

from frontdesk_core.api import LoadContext, check

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
CORE_LINES = CORE.count("\n")
CONTEXT = LoadContext(sections={"printers": PrintersSection})


def problems(tmp_path: Path, printers: str) -> list[str]:
    """The problems ``check`` reports for the core config plus ``printers``."""
    path = tmp_path / "frontdesk.yaml"
    path.write_text(CORE + printers, encoding="utf-8")
    config, found = check(path, CONTEXT)
    assert (config is None) == bool(found)
    return [f"{p.line - CORE_LINES}:{p.column}: {p.message}" for p in found]


def test_a_good_section_reaches_the_config(tmp_path: Path) -> None:
    path = tmp_path / "frontdesk.yaml"
    path.write_text(
        CORE
        + """\
printers:
  - kiosk: nyropsgade-1
    connection: {kind: network, host: 10.0.4.21}
  - kiosk: nyropsgade-2
    name: reserve
    paper_width: 58
    code_page: CP850
    qr: false
    connection: {kind: usb, vendor_id: 0x04b8, product_id: "0e15", timeout: 2 s}
""",
        encoding="utf-8",
    )
    config, found = check(path, CONTEXT)
    assert found == []
    assert config is not None
    first, second = config.sections["printers"]
    assert isinstance(first.connection, NetworkConnection)
    assert (first.connection.port, first.connection.timeout) == (9100, timedelta(seconds=3))
    assert (first.code_page, first.columns) == ("CP865", 48)
    assert first.printer_name == "nyropsgade-1"
    assert isinstance(second.connection, UsbConnection)
    assert (second.connection.vendor_id, second.connection.product_id) == (0x04B8, 0x0E15)
    assert second.columns == 32 and second.dots == 384 and second.printer_name == "reserve"


def test_shape_errors_are_reported_where_they_are_written(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
printers:
  - kiosk: nyropsgade-1
    connection: {kind: network, hots: 10.0.0.5, port: "x"}
  - kiosk: nyropsgade-2
    connection:
      kind: netwrk
  - kiosk: Kiosk 3
    paper_width: 57
    cut: half
    qr: yes
    connection: {kind: serial, device: /dev/ttyS0, baudrate: 9601, timeout: 0 s}
  - kiosk: nyropsgade-4
    connection: {kind: usb, vendor_id: zz, product_id: 70000}
  - kiosk: nyropsgade-5
    code_page: CP437
    connection: {kind: file}
""",
    )
    assert found == [
        "3:5: missing required key 'host'",
        "3:33: unknown key 'hots'; did you mean 'host'?",
        "3:55: 'port' must be a whole number; got 'x'",
        "6:13: unknown kind 'netwrk'; did you mean 'network'?",
        "7:12: 'Kiosk 3' is not a valid id: use lower-case letters, digits, '_' and '-', "
        "starting with a letter",
        "8:18: the number 57 is not allowed for 'paper_width'; use 58 or 80",
        "9:10: 'half' is not allowed for 'cut'; use 'full' or 'partial'",
        "10:9: 'qr' must be true or false; got 'yes'",
        "11:62: the number 9601 is not allowed for 'baudrate'; did you mean '9600'?; "
        "use 2400, 4800, 9600, 19200, 38400, 57600 or 115200",
        "11:77: the timeout must be longer than zero and at most 1 min, e.g. '3 s'",
        "13:40: 'zz' is not a USB id; write it as four hex digits like '04b8'",
        "13:56: 'product_id' must be at most 65535; got the number 70000",
        "15:16: 'CP437' is not allowed for 'code_page'; use 'CP865', 'CP850', 'CP858' or 'CP1252'",
        "16:5: missing required key 'path'",
    ]


def test_a_kiosk_with_two_printers_is_reported_at_the_second(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
printers:
  - kiosk: nyropsgade-1
    connection: {kind: network, host: 10.0.4.21}
  - kiosk: nyropsgade-2
    connection: {kind: network, host: 10.0.4.22}
  - kiosk: nyropsgade-1
    connection: {kind: file, path: /dev/usb/lp0}
""",
    )
    assert found == ["6:12: kiosk 'nyropsgade-1' already has a printer (item 1 of 'printers')"]


def test_a_template_is_checked_when_the_config_is_loaded(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
printers:
  - kiosk: nyropsgade-1
    connection: {kind: network, host: 10.0.4.21}
    template: |
      @align center
      {{ number.__class__.__mro__ }}
  - kiosk: nyropsgade-2
    connection: {kind: network, host: 10.0.4.22}
    template: "@sise 2\\n{{ number }}"
  - kiosk: nyropsgade-3
    connection: {kind: network, host: 10.0.4.23}
    template: "{% if number %}{{ number }}"
  - kiosk: nyropsgade-4
    connection: {kind: network, host: 10.0.4.24}
    template: "{{ t.yuor_number }}"
  - kiosk: nyropsgade-5
    connection: {kind: network, host: 10.0.4.25}
    template: "@size 9\\n{{ number }}"
""",
    )
    assert found == [
        "4:15: the template does something not allowed: access to attribute '__class__' "
        "of 'str' object is unsafe.",
        "9:15: the template has an unknown directive '@sise' on line 1; did you mean '@size'?",
        "12:15: the template has a syntax error on line 1: Unexpected end of template. "
        "Jinja was looking for the following tags: 'elif' or 'else' or 'endif'. "
        "The innermost block that needs to be closed is 'if'.",
        "15:15: the template cannot be rendered: 'dict object' has no attribute 'yuor_number'",
        "18:15: output line 1: '@size 9': use a size from 1 to 8, or WxH such as 2x3",
    ]


def test_each_connection_kind_validates_alone() -> None:
    adapter = TypeAdapter(PrintersSection)
    printers = adapter.validate_python(
        [
            {"kiosk": "a", "connection": {"kind": "network", "host": "h", "status": False}},
            {"kiosk": "b", "connection": {"kind": "serial", "device": "/dev/ttyS0"}},
            {"kiosk": "c", "connection": {"kind": "file", "path": "/dev/usb/lp0"}},
            {"kiosk": "d", "connection": {"kind": "usb", "vendor_id": 1208, "product_id": 1}},
        ]
    )
    kinds = [type(p.connection) for p in printers]
    assert kinds == [NetworkConnection, SerialConnection, FileConnection, UsbConnection]
    with pytest.raises(ValidationError):
        PrinterConfig.model_validate({"kiosk": "a", "connection": {"kind": "network"}})
