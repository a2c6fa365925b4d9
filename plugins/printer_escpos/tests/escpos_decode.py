"""A small ESC/POS decoder for the tests: bytes a printer received back into a ticket.

It knows the commands a ticket uses (and the printer peer must understand):
initialise, code page, print modes and sizes, alignment, bold, feeds, native
QR codes, raster images, cuts and the real-time status request. Any other
command is an error, so a test notices bytes it did not expect.

No PyPI package decodes ESC/POS, hence this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ESC, GS, DLE, LF, CR = 0x1B, 0x1D, 0x10, 0x0A, 0x0D

CODE_PAGES = {0: "cp437", 2: "cp850", 5: "cp865", 16: "cp1252", 19: "cp858"}
"""ESC t table numbers -> Python codecs."""


class DecodeError(ValueError):
    """Bytes that are not a command this decoder knows."""


class Incomplete(Exception):
    """The data ends in the middle of a command (more bytes are needed)."""


@dataclass(frozen=True)
class Token:
    """One command or one run of text bytes, with its position in the data."""

    kind: str  # "text", "lf", "cr", "esc", "gs", "status"
    code: int = 0  # the command letter after ESC / GS, or n of DLE EOT n
    args: bytes = b""
    start: int = 0
    end: int = 0


def _need(data: bytes, end: int) -> None:
    if end > len(data):
        raise Incomplete


_ESC_ONE_ARG = set(b"t!Ea-M{VG dJ23")
_GS_ONE_ARG = set(b"!BbHfhwLk")


def read_token(data: bytes, pos: int) -> Token:
    """The token starting at ``pos``; :class:`Incomplete` if the data stops inside it."""
    byte = data[pos]
    if byte == LF:
        return Token("lf", start=pos, end=pos + 1)
    if byte == CR:
        return Token("cr", start=pos, end=pos + 1)
    if byte == DLE:
        _need(data, pos + 3)
        if data[pos + 1] != 0x04:
            raise DecodeError(f"unknown DLE command 0x{data[pos + 1]:02x} at {pos}")
        return Token("status", data[pos + 2], start=pos, end=pos + 3)
    if byte == ESC:
        _need(data, pos + 2)
        code = data[pos + 1]
        if code == ord("@"):
            return Token("esc", code, start=pos, end=pos + 2)
        if code in _ESC_ONE_ARG:
            _need(data, pos + 3)
            return Token("esc", code, data[pos + 2 : pos + 3], pos, pos + 3)
        raise DecodeError(f"unknown command ESC {chr(code)!r} at {pos}")
    if byte == GS:
        _need(data, pos + 2)
        code = data[pos + 1]
        if code == ord("V"):
            _need(data, pos + 3)
            mode = data[pos + 2]
            end = pos + 4 if mode in (65, 66) else pos + 3
            _need(data, end)
            return Token("gs", code, data[pos + 2 : end], pos, end)
        if code == ord("("):
            _need(data, pos + 5)
            length = data[pos + 3] | data[pos + 4] << 8
            end = pos + 5 + length
            _need(data, end)
            return Token("gs", code, data[pos + 2 : end], pos, end)
        if code == ord("v"):
            _need(data, pos + 8)
            if data[pos + 2] != ord("0"):
                raise DecodeError(f"unknown command GS v {data[pos + 2]} at {pos}")
            width_bytes = data[pos + 4] | data[pos + 5] << 8
            height = data[pos + 6] | data[pos + 7] << 8
            end = pos + 8 + width_bytes * height
            _need(data, end)
            return Token("gs", code, data[pos + 3 : end], pos, end)
        if code in _GS_ONE_ARG:
            _need(data, pos + 3)
            return Token("gs", code, data[pos + 2 : pos + 3], pos, pos + 3)
        raise DecodeError(f"unknown command GS {chr(code)!r} at {pos}")
    if byte < 0x20 or byte == 0x7F:
        raise DecodeError(f"unexpected control byte 0x{byte:02x} at {pos}")
    end = pos
    while end < len(data) and data[end] >= 0x20 and data[end] != 0x7F:
        end += 1
    return Token("text", args=data[pos:end], start=pos, end=end)


def tokens(data: bytes) -> list[Token]:
    """All tokens of ``data`` (:class:`DecodeError` if it ends inside a command)."""
    out: list[Token] = []
    pos = 0
    while pos < len(data):
        try:
            token = read_token(data, pos)
        except Incomplete:
            raise DecodeError(f"the data ends inside a command at {pos}") from None
        out.append(token)
        pos = token.end
    return out


@dataclass(frozen=True)
class Line:
    """A printed line of text and how it looked."""

    text: str
    width: int = 1
    height: int = 1
    align: str = "left"
    bold: bool = False


@dataclass(frozen=True)
class QrCode:
    """A native QR code."""

    content: str
    size: int
    align: str


@dataclass(frozen=True)
class Raster:
    """A raster image (``GS v 0``)."""

    width: int
    height: int
    data: bytes
    align: str

    @property
    def ink(self) -> int:
        """How many dots are black."""
        return sum(bin(b).count("1") for b in self.data)

    def column_ink(self) -> list[int]:
        """Black dots per column, left to right."""
        width_bytes = self.width // 8
        counts = [0] * self.width
        for row in range(self.height):
            for x in range(self.width):
                byte = self.data[row * width_bytes + x // 8]
                if byte & (0x80 >> (x % 8)):
                    counts[x] += 1
        return counts


@dataclass(frozen=True)
class Cut:
    """A paper cut."""

    partial: bool


@dataclass(frozen=True)
class Feed:
    """Lines fed without printing (``ESC d n``)."""

    lines: int


@dataclass(frozen=True)
class StatusRequest:
    """A real-time status request ``DLE EOT n``."""

    n: int


Item = Line | QrCode | Raster | Cut | Feed | StatusRequest


@dataclass
class Ticket:
    """A decoded print job."""

    items: list[Item] = field(default_factory=list)
    code_pages: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[Line]:
        """The text lines."""
        return [i for i in self.items if isinstance(i, Line)]

    @property
    def texts(self) -> list[str]:
        """The text of every line, blank lines included."""
        return [line.text for line in self.lines]

    @property
    def qr_codes(self) -> list[QrCode]:
        """The QR codes."""
        return [i for i in self.items if isinstance(i, QrCode)]

    @property
    def rasters(self) -> list[Raster]:
        """The raster images."""
        return [i for i in self.items if isinstance(i, Raster)]

    @property
    def cuts(self) -> list[Cut]:
        """The cuts."""
        return [i for i in self.items if isinstance(i, Cut)]

    @property
    def status_requests(self) -> list[int]:
        """The n of every status request, in order."""
        return [i.n for i in self.items if isinstance(i, StatusRequest)]

    def line(self, text: str) -> Line:
        """The first line whose text is ``text``."""
        for line in self.lines:
            if line.text == text:
                return line
        raise AssertionError(f"no line {text!r} in {self.texts}")


_ALIGN = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right"}


class _Decoder:
    """Walks the tokens, keeping the printer's state (code page, size, alignment...)."""

    def __init__(self) -> None:
        self.ticket = Ticket()
        self.pending = b""
        self.reset()

    def reset(self) -> None:
        self.codec = "cp437"
        self.width = 1
        self.height = 1
        self.align = "left"
        self.bold = False
        self.qr_data = b""
        self.qr_size = 3

    def flush(self) -> None:
        text = self.pending.decode(self.codec)
        self.ticket.items.append(Line(text, self.width, self.height, self.align, self.bold))
        self.pending = b""

    def feed(self, token: Token) -> None:
        if token.kind == "text":
            self.pending += token.args
        elif token.kind == "lf":
            self.flush()
        elif token.kind == "status":
            self.ticket.items.append(StatusRequest(token.code))
        elif token.kind == "esc":
            self.esc(chr(token.code), token.args[0] if token.args else 0)
        elif token.kind == "gs":
            self.gs(chr(token.code), token.args)

    def esc(self, code: str, arg: int) -> None:
        if code == "@":
            self.reset()
        elif code == "t":
            if arg not in CODE_PAGES:
                raise DecodeError(f"code page {arg} is not known to the decoder")
            self.codec = CODE_PAGES[arg]
            self.ticket.code_pages.append(self.codec)
        elif code == "!":
            self.bold = bool(arg & 0x08)
            self.height = 2 if arg & 0x10 else 1
            self.width = 2 if arg & 0x20 else 1
        elif code == "E":
            self.bold = bool(arg & 1)
        elif code == "a":
            self.align = _ALIGN[arg]
        elif code == "d":
            if self.pending:
                self.flush()
            self.ticket.items.append(Feed(arg))

    def gs(self, code: str, args: bytes) -> None:
        if code == "!":
            self.width = (args[0] >> 4) + 1
            self.height = (args[0] & 0x0F) + 1
        elif code == "V":
            self.ticket.items.append(Cut(partial=args[0] in (1, 49, 66)))
        elif code == "(":
            kind, body = chr(args[0]), args[3:]
            if kind != "k" or body[0] != ord("1"):
                raise DecodeError(f"GS ( {kind} is not a QR command")
            fn = body[1]
            if fn == 67:
                self.qr_size = body[2]
            elif fn == 80:
                self.qr_data = body[3:]
            elif fn == 81:
                content = self.qr_data.decode("utf-8")
                self.ticket.items.append(QrCode(content, self.qr_size, self.align))
        elif code == "v":
            width_bytes = args[1] | args[2] << 8
            height = args[3] | args[4] << 8
            self.ticket.items.append(Raster(width_bytes * 8, height, bytes(args[5:]), self.align))


def decode(data: bytes) -> Ticket:
    """Decode a print job into a :class:`Ticket`."""
    decoder = _Decoder()
    for token in tokens(data):
        decoder.feed(token)
    if decoder.pending:
        decoder.flush()
    return decoder.ticket
