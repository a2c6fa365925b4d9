"""The README's configuration examples validate, so they cannot rot."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from frontdesk_printer_escpos.config import PrinterConfig, PrintersSection
from frontdesk_printer_escpos.layout import Style, TextLine, render_layout
from pydantic import TypeAdapter, ValidationError
from ruamel.yaml import YAML

from frontdesk_core.api import TicketPrint

README = Path(__file__).resolve().parents[1] / "README.md"


def yaml_blocks() -> list[Any]:
    """Every ```yaml block of the README, loaded."""
    blocks = re.findall(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    return [YAML(typ="safe").load(textwrap.dedent(block)) for block in blocks]


def test_the_readme_has_its_examples() -> None:
    assert len(yaml_blocks()) == 3


def test_the_printers_example_validates() -> None:
    section = next(b["printers"] for b in yaml_blocks() if "printers" in b)
    printers = TypeAdapter(PrintersSection).validate_python(section)
    assert [p.connection.kind for p in printers] == ["network", "usb", "serial", "file"]


def test_the_template_and_labels_examples_validate(ticket: TicketPrint) -> None:
    options: dict[str, Any] = {}
    for fragment in (b for b in yaml_blocks() if "printers" not in b):
        options.update(fragment)
    printer = PrinterConfig.model_validate(
        {"kiosk": "k", "connection": {"kind": "file", "path": "lp0"}, **options}
    )
    assert printer.template is not None
    texts = [s.text for s in render_layout(printer.template, ticket) if isinstance(s, TextLine)]
    assert texts[:2] == ["Borgerservice Nyropsgade", "P007"]
    (words,) = render_layout("{{ t.your_number }}", ticket, labels=printer.labels)
    assert words == TextLine("Dit kønummer", Style())


def test_an_unquoted_usb_id_read_as_a_number_is_explained() -> None:
    with pytest.raises(ValidationError, match="write hex digits in quotes, like '0e15'"):
        PrinterConfig.model_validate(
            {"kiosk": "k", "connection": {"kind": "usb", "vendor_id": 0.0, "product_id": 1}}
        )
