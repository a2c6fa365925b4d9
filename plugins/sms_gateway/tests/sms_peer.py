"""A real HTTP SMS gateway on 127.0.0.1 for the tests.

:class:`SmsPeer` answers each request as scripted (a status, a stall past the
client's timeout, a 429 with ``Retry-After``) and records every request; with
``dedupe`` it drops a repeated idempotency key the way a careful gateway does.
Its error bodies repeat the number, as real gateways' do, so a test notices if
an error detail were ever kept or logged.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Stall:
    """Answer only after ``seconds`` (or when the peer is shut down)."""

    seconds: float


@dataclass
class Answer:
    """Answer with ``status`` and extra ``headers``."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Received:
    """One request the peer got."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any


class SmsPeer:
    """An SMS gateway peer on 127.0.0.1 (port chosen by the OS)."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.delivered: list[Received] = []
        self.script: list[Answer | Stall] = []
        self.dedupe = False
        self.released = threading.Event()
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        peer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                peer._handle(self)

            do_PUT = do_POST

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    @property
    def url(self) -> str:
        """Where messages are posted."""
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1/sms"

    def respond(self, *answers: int | Answer | Stall) -> None:
        """Script the next answers (then 200 again)."""
        with self.lock:
            for answer in answers:
                self.script.append(Answer(answer) if isinstance(answer, int) else answer)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """Wait until ``count`` requests have arrived."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.requests) >= count, timeout)
            return list(self.requests)

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length)
        received = Received(
            handler.command,
            handler.path,
            {k.lower(): v for k, v in handler.headers.items()},
            json.loads(raw.decode("utf-8")) if raw else None,
        )
        with self.arrived:
            self.requests.append(received)
            self.arrived.notify_all()
            answer = self.script.pop(0) if self.script else Answer(200)
        if isinstance(answer, Stall):
            self.released.wait(answer.seconds)
            answer = Answer(200)
        status = answer.status
        if 200 <= status < 300:
            key = received.headers.get("idempotency-key")
            with self.lock:
                if not (
                    self.dedupe
                    and any(r.headers.get("idempotency-key") == key for r in self.delivered)
                ):
                    self.delivered.append(received)
            payload: dict[str, Any] = {"id": f"m{len(self.requests)}"}
        else:
            to = received.body.get("to") if isinstance(received.body, dict) else None
            payload = {"error": f"rejected message to {to}"}
        data = json.dumps(payload).encode("utf-8")
        try:
            handler.send_response(status)
            for name, value in answer.headers.items():
                handler.send_header(name, value)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except OSError:
            pass  # the client gave up (a stall past its timeout)

    def close(self) -> None:
        """Stop serving."""
        self.released.set()
        self.server.shutdown()
        self.server.server_close()
