"""How fast the SMS outbox accepts and sends, against a real HTTP peer on 127.0.0.1.

Run: ``.venv/bin/python plugins/sms_gateway/benchmarks/bench_sms.py``

Prints messages per second for accepting into a file outbox (WAL, ``synchronous=FULL``:
every accepted message is on disk) and for sending through the HTTP provider, with
the ratio against plain ``urllib`` POSTs to the same peer measured in the same run
(the cost of the outbox and the bookkeeping around each send).
"""

from __future__ import annotations

import json
import tempfile
import threading
import time
import urllib.request
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from frontdesk_sms_gateway.config import SmsConfig
from frontdesk_sms_gateway.gateway import SmsGateway
from frontdesk_sms_gateway.outbox import Outbox, State

from frontdesk_core.api import ManualClock, SmsRequest

COUNT = 300


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        data = b'{"id": "m"}'
        self.send_response(202)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main() -> None:
    """Measure and print."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/sms"
    clock = ManualClock(datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen")))
    config = SmsConfig.model_validate(
        {"sender": "Testby", "provider": {"kind": "http", "url": url, "timeout": "5 s"}}
    )
    with tempfile.TemporaryDirectory() as tmp:
        gateway = SmsGateway(config, outbox=Outbox(str(Path(tmp) / "sms.db")), clock=clock)
        started = time.perf_counter()
        for n in range(COUNT):
            gateway.submit(
                SmsRequest(f"k{n}", "12345678", "your_turn_soon", "da", {"number": str(n)})
            )
        accept = time.perf_counter() - started

        started = time.perf_counter()
        sent = gateway.process_due()
        send = time.perf_counter() - started
        if sent != COUNT or gateway.outbox.counts()[State.SENT] != COUNT:
            raise SystemExit("not every message was sent: the figures would be wrong")
        gateway.close()

    body = json.dumps({"to": "+4512345678", "text": "Det er snart din tur"}).encode()
    started = time.perf_counter()
    for _ in range(COUNT):
        request = urllib.request.Request(
            url, data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            response.read()
    raw = time.perf_counter() - started
    server.shutdown()
    server.server_close()

    print(f"messages: {COUNT}")
    print(f"accept into the outbox (file, WAL, synchronous=FULL): {COUNT / accept:8.0f} msg/s")
    print(f"send through the HTTP provider (claim, POST, record):  {COUNT / send:8.0f} msg/s")
    print(f"plain urllib POSTs to the same peer (reference):       {COUNT / raw:8.0f} msg/s")
    print(f"send time relative to the reference:                   {send / raw:8.2f} x")


if __name__ == "__main__":
    main()
