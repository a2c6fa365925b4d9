"""Printer peers for the tests: a TCP printer on 127.0.0.1 and a serial one on a pty.

Both record every byte they receive (one job per connection) and answer the
real-time status requests ``DLE EOT n`` the way a printer does, with a byte
the test chooses: so a test can make the printer refuse connections, stall,
run out of paper or have its cover open.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import threading
import tty
from collections.abc import Callable
from typing import Any

from escpos_decode import Incomplete, read_token
from frontdesk_printer_escpos.config import PrinterConfig

OK = {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}
"""Status answers of a printer ready to print."""
PAPER_OUT = {1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x7E}
"""Offline because the paper ended (status 2 bit 5, status 4 bits 5-6)."""
COVER_OPEN = {1: 0x1A, 2: 0x16, 3: 0x12, 4: 0x12}
"""Offline because the cover is open (status 2 bit 2)."""
PAPER_NEAR_END = {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x1E}
"""Online, the paper near-end sensor on (status 4 bits 2-3)."""


class StatusAnswerer:
    """Reads a byte stream command by command and answers status requests."""

    def __init__(self, peer: PrinterPeerBase) -> None:
        self.peer = peer
        self.buffer = b""
        self.pos = 0

    def feed(self, data: bytes, reply: Callable[[bytes], object]) -> None:
        """Take more bytes; answer every complete status request among them."""
        self.buffer += data
        while self.pos < len(self.buffer):
            try:
                token = read_token(self.buffer, self.pos)
            except Incomplete:
                return
            self.pos = token.end
            if token.kind == "status":
                answer = self.peer.answer(token.code)
                if answer is not None:
                    reply(bytes([answer]))


class PrinterPeerBase:
    """What both peers share: the recorded jobs and the status answers."""

    def __init__(self, status: dict[int, int] | None = None) -> None:
        self.status = dict(status or OK)
        self.script: list[dict[int, int]] = []
        self.silent = False
        self.jobs: list[bytes] = []
        self._done = threading.Condition()

    def answer(self, n: int) -> int | None:
        """The status byte for request ``n`` (``None``: stay silent)."""
        if self.silent:
            return None
        if n == 1 and self.script:
            # Each round of requests starts with n = 1: the script gives the next round's status.
            self.status = self.script.pop(0)
        return self.status.get(n, 0x12)

    def record(self, data: bytes) -> None:
        """A job ended: keep its bytes."""
        with self._done:
            self.jobs.append(data)
            self._done.notify_all()

    def wait_jobs(self, count: int, timeout: float = 5.0) -> list[bytes]:
        """The first ``count`` jobs, waiting for them to end."""
        with self._done:
            if not self._done.wait_for(lambda: len(self.jobs) >= count, timeout):
                raise AssertionError(f"{len(self.jobs)} job(s) arrived, expected {count}")
            return self.jobs[:count]


class TcpPrinterPeer(PrinterPeerBase):
    """A network printer on 127.0.0.1: ``mode`` is ``answer``, ``stall`` or ``hang_up``.

    * ``answer``: read everything, answer status requests (unless ``silent``);
    * ``stall``: accept the connection and never read or answer;
    * ``hang_up``: accept and close at once.
    """

    def __init__(self, mode: str = "answer", status: dict[int, int] | None = None) -> None:
        super().__init__(status)
        self.mode = mode
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._stop = threading.Event()
        self._open: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def connections(self) -> int:
        """How many connections the peer has accepted."""
        return len(self._open)

    def refuse(self) -> None:
        """Stop listening: new connections are refused."""
        # Stop the accept loop first: a socket closed while another thread selects on it
        # stays alive in the kernel until that select returns, and would still accept.
        self._stop.set()
        self._thread.join(2)
        self.listener.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self.listener], [], [], 0.05)
                if not ready:
                    continue
                conn, _ = self.listener.accept()
            except (OSError, ValueError):
                return
            self._open.append(conn)
            if self.mode == "hang_up":
                conn.close()
            elif self.mode == "answer":
                threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        answerer = StatusAnswerer(self)
        received = b""
        with conn:
            while not self._stop.is_set():
                ready, _, _ = select.select([conn], [], [], 0.05)
                if not ready:
                    continue
                try:
                    data = conn.recv(65536)
                except OSError:
                    break
                if not data:
                    break
                received += data
                try:
                    answerer.feed(data, conn.sendall)
                except OSError:
                    # The client gave up (e.g. after a bad status byte) while we answered.
                    break
        self.record(received)

    def close(self) -> None:
        """Stop the peer and close every connection."""
        self._stop.set()
        with contextlib.suppress(OSError):
            self.listener.close()
        for conn in self._open:
            with contextlib.suppress(OSError):
                conn.close()
        self._thread.join(2)


class SerialPrinterPeer(PrinterPeerBase):
    """A serial printer on the master side of a pty; ``device`` is the port to open."""

    def __init__(self, status: dict[int, int] | None = None) -> None:
        super().__init__(status)
        self.master, self.slave = os.openpty()
        tty.setraw(self.master)
        self.device = os.ttyname(self.slave)
        self._stop = threading.Event()
        self._received = b""
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        answerer = StatusAnswerer(self)
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            self._received += data
            try:
                answerer.feed(data, lambda answer: os.write(self.master, answer))
            except OSError:
                return

    def take(self, idle: float = 0.2) -> bytes:
        """Everything received so far, once nothing more arrived for ``idle`` seconds."""
        last = -1
        while last != len(self._received):
            last = len(self._received)
            self._stop.wait(idle)
        data, self._received = self._received, b""
        return data

    def close(self) -> None:
        """Stop the peer and close the pty."""
        self._stop.set()
        self._thread.join(2)
        for fd in (self.master, self.slave):
            with contextlib.suppress(OSError):
                os.close(fd)


def network_printer(port: int, **options: Any) -> PrinterConfig:
    """A printer for kiosk 'nyropsgade-1' at 127.0.0.1:``port`` (timeout 1 s)."""
    connection = {"kind": "network", "host": "127.0.0.1", "port": port, "timeout": "1 s"}
    connection.update(options.pop("connection", {}))
    return PrinterConfig.model_validate(
        {"kiosk": "nyropsgade-1", "connection": connection, **options}
    )
