"""A keep-alive HTTP/1.1 client with just enough in it for the display benchmarks.

A full client library costs more CPU per request than the server does, and on a
2-core machine the load generator would then measure itself.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any, Self
from urllib.parse import urlencode, urlsplit


class Http:
    """A keep-alive HTTP/1.1 connection: forms, JSON bodies and bearer tokens out; the
    status, the Location header's path and the body back."""

    IDLE = 4.0
    """Seconds after which the connection is opened again (uvicorn closes idle ones at 5 s)."""

    def __init__(
        self, url: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.url, self.reader, self.writer = url, reader, writer
        self.used = time.monotonic()

    @classmethod
    async def open(cls, url: str) -> Self:
        """Connect to ``http://host:port``."""
        host, port = url.removeprefix("http://").split(":")
        return cls(url, *await asyncio.open_connection(host, int(port)))

    async def request(
        self,
        method: str,
        path: str,
        *,
        form: dict[str, str] | list[tuple[str, str]] | None = None,
        body: Any = None,
        token: str | None = None,
    ) -> tuple[int, str, bytes]:
        """One request; the status, the Location header and the body."""
        if time.monotonic() - self.used > self.IDLE:
            self.writer.close()
            host, port = self.url.removeprefix("http://").split(":")
            self.reader, self.writer = await asyncio.open_connection(host, int(port))
        data, kind = b"", ""
        if form is not None:
            data, kind = urlencode(form).encode(), "application/x-www-form-urlencoded"
        elif body is not None:
            data, kind = json.dumps(body).encode(), "application/json"
        head = f"{method} {path} HTTP/1.1\r\nHost: bench\r\nContent-Length: {len(data)}\r\n"
        if kind:
            head += f"Content-Type: {kind}\r\n"
        if token:
            head += f"Authorization: Bearer {token}\r\n"
        self.writer.write(head.encode() + b"\r\n" + data)
        status = int((await self.reader.readline()).split()[1])
        length, location = 0, ""
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "location":
                location = urlsplit(value.strip()).path
        answer = await self.reader.readexactly(length)
        self.used = time.monotonic()
        return status, location, answer

    async def json(self, method: str, path: str, **options: Any) -> tuple[int, Any]:
        status, _, body = await self.request(method, path, **options)
        return status, json.loads(body) if body else None

    def close(self) -> None:
        self.writer.close()
