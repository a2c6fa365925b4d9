"""How long a ticket takes: laying it out, encoding it, and printing it on a local peer.

Run: .venv/bin/python plugins/printer_escpos/benchmarks/bench_printer.py

Prints the median time per ticket for each stage, and the cost of the status
requests (two rounds of DLE EOT) relative to printing without them.
"""

from __future__ import annotations

import dataclasses
import socket
import statistics
import threading
import time
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from frontdesk_printer_escpos.config import PrinterConfig
from frontdesk_printer_escpos.encode import encode_ticket
from frontdesk_printer_escpos.layout import DEFAULT_TEMPLATE, render_layout
from frontdesk_printer_escpos.printer import TicketPrinter

from frontdesk_core.api import TicketPrint

TICKET = TicketPrint(
    kiosk_id="k",
    centre_id="c",
    centre_name="Borgerservice Nyropsgade",
    number="P007",
    queue_name="Pas og kørekort",
    issued_at=datetime(2026, 11, 23, 9, 41, tzinfo=ZoneInfo("Europe/Copenhagen")),
    language="da",
    people_ahead=4,
    expected_wait_minutes=18,
    where="Vent ved skærm 2, stueetagen",
    qr="https://kk.example/billet/P007",
)


def serve(listener: socket.socket) -> None:
    """A printer that reads everything and answers every status request with 'ready'."""
    while True:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            while data := conn.recv(65536):
                # The benchmark ticket has no raster data, so DLE EOT cannot occur inside one.
                answers = data.count(b"\x10\x04")
                if answers:
                    conn.sendall(b"\x12" * answers)


def median_ms(run: Callable[[], object], repeat: int) -> float:
    """The median time of ``run`` in milliseconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    """Measure and print the figures."""
    steps = render_layout(DEFAULT_TEMPLATE, TICKET)
    raster = dataclasses.replace(TICKET, queue_name="Şahin Łódź")
    layout = median_ms(lambda: render_layout(DEFAULT_TEMPLATE, TICKET), 300)
    encode = median_ms(lambda: encode_ticket(steps), 300)
    with_raster = median_ms(lambda: encode_ticket(render_layout(DEFAULT_TEMPLATE, raster)), 100)
    size = len(encode_ticket(steps))
    listener = socket.create_server(("127.0.0.1", 0))
    threading.Thread(target=serve, args=(listener,), daemon=True).start()
    port = listener.getsockname()[1]

    def printer(status: bool) -> TicketPrinter:
        return TicketPrinter(
            PrinterConfig.model_validate(
                {
                    "kiosk": "k",
                    "connection": {
                        "kind": "network",
                        "host": "127.0.0.1",
                        "port": port,
                        "status": status,
                    },
                }
            )
        )

    checked, plain = printer(True), printer(False)
    with_status = median_ms(lambda: checked.print(TICKET), 200)
    without_status = median_ms(lambda: plain.print(TICKET), 200)
    listener.close()
    print(f"layout (template in the sandbox)      {layout:7.3f} ms/ticket")
    print(f"encode (ESC/POS bytes, {size} bytes)   {encode:7.3f} ms/ticket")
    print(f"layout + encode with one raster line  {with_raster:7.3f} ms/ticket")
    print(f"print on 127.0.0.1, status checked    {with_status:7.3f} ms/ticket")
    print(f"print on 127.0.0.1, no status         {without_status:7.3f} ms/ticket")
    print(f"status checks cost                    {with_status / without_status:7.2f}x")


if __name__ == "__main__":
    main()
