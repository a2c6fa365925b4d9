"""A real PostgreSQL server on 127.0.0.1 in a temporary folder, for tests and benchmarks.

Started as the ``postgres`` user when run as root (initdb refuses root), on a
free port; :meth:`PostgresServer.stop` and :meth:`PostgresServer.start` stop it
(``immediate``: as a crash would) and start it again on the same port and data.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def pg_bin() -> Path:
    """The folder of the newest installed PostgreSQL's programs."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: `make system-deps` installs it")
    return found[-1].parent


class PostgresServer:
    """One initialised data folder and the server running on it."""

    def __init__(self, base: Path) -> None:
        self.bin = pg_bin()
        self.base = base
        self.data, sockets = base / "data", base / "run"
        sockets.mkdir()
        self.as_postgres: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            shutil.chown(base, "postgres")
            shutil.chown(sockets, "postgres")
            self.as_postgres = ["runuser", "-u", "postgres", "--"]
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.options = f"-p {self.port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=on"
        self._ctl("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres")
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, program: str, *args: str, check: bool = True) -> None:
        command = [*self.as_postgres, str(self.bin / program), *args]
        subprocess.run(command, check=check, capture_output=True)

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        log = str(self.base / "log")
        self._ctl("pg_ctl", "-D", str(self.data), "-o", self.options, "-w", "start", "-l", log)

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``immediate``: no shutdown checkpoint, as a crash)."""
        self._ctl("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)


def create_database(server_url: str, prefix: str = "t") -> str:
    """The URL of a new, empty database on the server at ``server_url``."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return server_url.rsplit("/", 1)[0] + f"/{name}"


@contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """A started server, stopped and removed afterwards."""
    # Not under pytest's temporary folder: the server's user must be able to reach it.
    base = Path(tempfile.mkdtemp(prefix="frontdesk-pg-"))
    try:
        server = PostgresServer(base)
        server.start()
        try:
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(base, ignore_errors=True)
