"""The ``printers:`` section: which printer each kiosk prints on, and how.

A consultant writes one item per kiosk::

    printers:
      - kiosk: nyropsgade-1
        connection: {kind: network, host: 10.0.4.21}
        code_page: CP865
        paper_width: 80
        qr: true

The section is validated by the core's loader like its own sections, so every
mistake is reported as ``file:line:column: message``. A layout ``template``
is checked here too (syntax, and a trial rendering in the sandbox), so a
broken template is found by ``frontdesk validate``, not at the kiosk.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from frontdesk_core.api import Duration, Identifier, LanguageCode, Model

SECTION = "printers"
"""The name of the YAML section this plugin registers."""

CODE_PAGES: dict[str, tuple[int, str]] = {
    # ESC t number and Python codec of code pages that hold æ, ø and å.
    "CP865": (5, "cp865"),
    "CP850": (2, "cp850"),
    "CP858": (19, "cp858"),
    "CP1252": (16, "cp1252"),
}
"""Code pages a ticket may use: name -> (ESC/POS table number, Python codec)."""

CodePage = Literal["CP865", "CP850", "CP858", "CP1252"]

PAPER_DOTS = {58: 384, 80: 576}
"""Printable width in dots (203 dpi) of each paper width in millimetres."""


def _usb_id(value: Any) -> Any:
    """Accept a USB id as a number (``0x04b8`` or ``1208``) or as hex text (``"04b8"``)."""
    if isinstance(value, str):
        text = value.strip().lower().removeprefix("0x")
        try:
            return int(text, 16)
        except ValueError:
            raise ValueError(
                f"'{value}' is not a USB id; write it as four hex digits like '04b8'"
            ) from None
    if isinstance(value, float):
        # YAML reads an unquoted 0e15 as the number 0.0: the id is lost, so ask for quotes.
        raise ValueError(
            f"{value!r} is not a USB id; write hex digits in quotes, like '0e15', or as 0x0e15"
        )
    return value


UsbId = Annotated[
    StrictInt,
    BeforeValidator(_usb_id),
    Field(ge=0, le=0xFFFF, description="A USB vendor or product id, e.g. 0x04b8 or '04b8'."),
]

Timeout = Annotated[
    Duration,
    Field(description="How long a print may take before it counts as failed, e.g. '3 s'."),
]


def _positive(value: timedelta) -> timedelta:
    if value <= timedelta(0) or value > timedelta(minutes=1):
        raise ValueError("the timeout must be longer than zero and at most 1 min, e.g. '3 s'")
    return value


class NetworkConnection(Model):
    """A printer on the network, spoken to over raw TCP (usually port 9100)."""

    kind: Literal["network"]
    host: Annotated[str, StringConstraints(strict=True, min_length=1)]
    port: StrictInt = Field(9100, ge=1, le=65535)
    timeout: Timeout = timedelta(seconds=3)
    status: StrictBool = Field(
        True,
        description="Ask the printer for its status (paper, cover) before and after printing.",
    )

    _check_timeout = field_validator("timeout")(_positive)


class UsbConnection(Model):
    """A printer on a USB port of the kiosk, found by its vendor and product id."""

    kind: Literal["usb"]
    vendor_id: UsbId
    product_id: UsbId
    in_ep: StrictInt = Field(0x82, ge=0, le=255, description="The USB endpoint to read from.")
    out_ep: StrictInt = Field(0x01, ge=0, le=255, description="The USB endpoint to write to.")
    timeout: Timeout = timedelta(seconds=3)
    status: StrictBool = True

    _check_timeout = field_validator("timeout")(_positive)


class SerialConnection(Model):
    """A printer on a serial port (``/dev/ttyS0``, ``/dev/ttyUSB0``)."""

    kind: Literal["serial"]
    device: Annotated[str, StringConstraints(strict=True, min_length=1)]
    baudrate: Literal[2400, 4800, 9600, 19200, 38400, 57600, 115200] = 9600
    timeout: Timeout = timedelta(seconds=3)
    status: StrictBool = True

    _check_timeout = field_validator("timeout")(_positive)


class FileConnection(Model):
    """A printer device file (``/dev/usb/lp0``), or a plain file while testing a layout.

    A file cannot answer status requests, so paper and cover faults are not seen.
    """

    kind: Literal["file"]
    path: Annotated[str, StringConstraints(strict=True, min_length=1)]
    timeout: Timeout = timedelta(seconds=3)

    _check_timeout = field_validator("timeout")(_positive)


Connection = Annotated[
    NetworkConnection | UsbConnection | SerialConnection | FileConnection,
    Field(discriminator="kind"),
]


class PrinterConfig(Model):
    """The ticket printer of one kiosk."""

    kiosk: Identifier = Field(description="The id of the kiosk this printer belongs to.")
    name: Identifier | None = Field(
        None, description="A name for fault reports; default: the kiosk id."
    )
    connection: Connection
    code_page: CodePage = Field(
        "CP865", description="The printer's character table; CP865 is the Nordic one."
    )
    paper_width: Literal[58, 80] = Field(80, description="Paper width in millimetres.")
    qr: StrictBool = Field(True, description="Print the ticket's QR code when it has one.")
    cut: Literal["full", "partial"] = "partial"
    labels: dict[LanguageCode, dict[str, str]] = Field(
        {},
        description="Words of the layout per language, e.g. {da: {your_number: Nummer}}.",
    )
    template: Annotated[str, StringConstraints(strict=True, min_length=1)] | None = Field(
        None,
        description="The ticket layout (a jinja2 template); default: the built-in layout.",
    )
    retry_after: Duration = Field(
        timedelta(seconds=30),
        description=(
            "After the printer timed out, could not be reached or was still stuck, how long "
            "tickets skip it (the kiosk shows the number at once) before it is tried again; "
            "'0 s' tries every ticket."
        ),
    )

    @field_validator("template")
    @classmethod
    def _template_renders(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None:
            from frontdesk_printer_escpos.layout import check_template

            # 'labels' is declared before 'template', so its words are known here.
            check_template(value, labels=info.data.get("labels"))
        return value

    @field_validator("retry_after")
    @classmethod
    def _retry_after_in_range(cls, value: timedelta) -> timedelta:
        if value < timedelta(0) or value > timedelta(hours=1):
            raise ValueError("'retry_after' is between 0 s and 1 h, e.g. '30 s'")
        return value

    @property
    def printer_name(self) -> str:
        """The name fault reports use."""
        return self.name or self.kiosk

    @property
    def columns(self) -> int:
        """Characters per line in the normal font (12 dots wide)."""
        return PAPER_DOTS[self.paper_width] // 12

    @property
    def dots(self) -> int:
        """Printable width in dots."""
        return PAPER_DOTS[self.paper_width]


def _one_printer_per_kiosk(printers: list[PrinterConfig]) -> list[PrinterConfig]:
    first: dict[str, int] = {}
    errors: list[InitErrorDetails] = []
    for index, printer in enumerate(printers):
        if printer.kiosk in first:
            message = (
                f"kiosk '{printer.kiosk}' already has a printer "
                f"(item {first[printer.kiosk] + 1} of 'printers')"
            )
            errors.append(
                InitErrorDetails(
                    type=PydanticCustomError("value_error", "{error}", {"error": message}),
                    loc=(index, "kiosk"),
                    input=printer.kiosk,
                )
            )
        first.setdefault(printer.kiosk, index)
    if errors:
        # Raised with a loc per item, so the loader points at the second 'kiosk:' itself.
        raise ValidationError.from_exception_data(SECTION, errors)
    return printers


PrintersSection = Annotated[list[PrinterConfig], AfterValidator(_one_printer_per_kiosk)]
"""The type of the whole ``printers:`` section: one printer per kiosk."""
