"""Layout steps to ESC/POS bytes, through python-escpos.

Text is sent in one code page chosen in the configuration (CP865 by default,
which has æ, ø and å). python-escpos sends the code-page switch once per
printer object, so every ticket is built on a fresh one after ``ESC @``
(which resets the printer's table). A line with a character the code page
does not hold is drawn as a raster image instead (see :mod:`.raster`), so
nothing is ever printed as "?".
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy

from frontdesk_printer_escpos.layout import Cut, Feed, Qr, Rule, Step, Style, TextLine
from frontdesk_printer_escpos.raster import text_image

_CONTROL = {code: " " for code in [*range(0x20), 0x7F]}


def printable(text: str) -> str:
    """``text`` without control characters, which a printer would take as commands."""
    return text.translate(_CONTROL)


class TicketEncoder:
    """Builds the bytes of one ticket: create one per ticket."""

    def __init__(
        self, *, code_page: str, columns: int, dots: int, cut: str = "partial", qr_size: int = 6
    ) -> None:
        self.code_page = code_page
        self.columns = columns
        self.dots = dots
        self.cut_mode = "PART" if cut == "partial" else "FULL"
        self.qr_size = qr_size
        self.printer = Dummy()
        # The default profile does not know the paper width, and python-escpos then prints a
        # warning to stdout for every image; give this printer object its own copy that knows.
        profile = self.printer.profile
        media = dict(profile.profile_data.get("media", {}))
        media["width"] = {"pixels": dots, "mm": "Unknown"}
        profile.profile_data = {**profile.profile_data, "media": media}
        self._style: Style | None = None
        self.rasterised = 0
        self.printer.hw("INIT")
        self.printer.charcode(code_page)

    def can_encode(self, text: str) -> bool:
        """Whether every character of ``text`` is in the code page."""
        encoder = self.printer.magic.encoder
        return all(encoder.can_encode(self.code_page, char) for char in text)

    def _set_style(self, style: Style) -> None:
        if style == self._style:
            return
        self.printer.set(
            align=style.align,
            bold=style.bold,
            custom_size=True,
            width=style.width,
            height=style.height,
        )
        self._style = style

    def _text(self, text: str, style: Style) -> None:
        width = max(1, self.columns // style.width)
        pieces = textwrap.wrap(text, width, break_long_words=True) if text.strip() else [""]
        for piece in pieces:
            self._set_style(style)
            if self.can_encode(piece):
                self.printer.text(piece + "\n")
            else:
                self.rasterised += 1
                image = text_image(
                    piece,
                    dots=self.dots,
                    width=style.width,
                    height=style.height,
                    align=style.align,
                    bold=style.bold,
                )
                self.printer.image(image, impl="bitImageRaster")

    def add(self, steps: Iterable[Step]) -> None:
        """Append layout steps to the ticket."""
        for step in steps:
            if isinstance(step, TextLine):
                self._text(printable(step.text), step.style)
            elif isinstance(step, Feed):
                if step.lines:
                    self.printer.ln(step.lines)
            elif isinstance(step, Rule):
                self._set_style(step.style)
                self.printer.text("-" * max(1, self.columns // step.style.width) + "\n")
            elif isinstance(step, Qr):
                self._set_style(Style(align=step.align))
                # Native QR, so the printer draws it and its content stays readable in the bytes;
                # centring is the alignment set above (native QR with center=True is unsupported).
                self.printer.qr(step.content, native=True, size=self.qr_size, ec=QR_ECLEVEL_M)
                self.printer.ln()
            elif isinstance(step, Cut):
                self.printer.cut(mode=self.cut_mode)

    @property
    def output(self) -> bytes:
        """The bytes built so far."""
        return bytes(self.printer.output)


def encode_ticket(
    steps: Iterable[Step],
    *,
    code_page: str = "CP865",
    columns: int = 48,
    dots: int = 576,
    cut: str = "partial",
    qr_size: int = 6,
) -> bytes:
    """The ESC/POS bytes of a ticket made of ``steps``."""
    encoder = TicketEncoder(
        code_page=code_page, columns=columns, dots=dots, cut=cut, qr_size=qr_size
    )
    encoder.add(steps)
    return encoder.output
