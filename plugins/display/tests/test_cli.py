"""``frontdesk serve`` and ``frontdesk hash-password`` as a user runs them."""

from __future__ import annotations

import io
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from conftest import EXAMPLE, ROOT, bind
from frontdesk_display.cli import default_key_file
from frontdesk_display.live.state import DisplayState
from frontdesk_display.passwords import hash_password, verify_password
from frontdesk_display.settings_file import load_settings_file

from frontdesk_core.api import ConfigError, Frontdesk
from frontdesk_core.api import cli_main as main

FRONTDESK = Path(sys.executable).parent / "frontdesk"


def test_hash_password_prints_a_hash_that_verifies(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("s3cret!\n"))
    assert main(["hash-password", "--stdin"]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed.startswith("scrypt$") and "s3cret" not in printed
    assert verify_password("s3cret!", printed)
    assert not verify_password("s3cret", printed)


def test_a_display_file_with_mistakes_is_reported_with_positions(tmp_path: Path) -> None:
    path = tmp_path / "display.yaml"
    path.write_text(
        "display:\n  users:\n    - username: anna\n      role: boss\n"
        "      password_hash: plain\n  kiosk_idle: soon\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_settings_file(path)
    lines = [f"{p.line}:{p.column}" for p in caught.value.problems]
    assert lines == ["4:13", "5:22", "6:15"]
    assert "use 'employee' or 'manager'" in caught.value.problems[0].message


def test_serve_starts_the_reception_prints_its_urls_and_keeps_state(tmp_path: Path) -> None:
    sock = bind()
    port = sock.getsockname()[1]
    sock.close()
    hashed = hash_password("pw", n=2**10)
    display = tmp_path / "display.yaml"
    user = f"{{username: mette, role: manager, password_hash: '{hashed}'}}"
    display.write_text(f"display:\n  users:\n    - {user}\n", encoding="utf-8")
    db = tmp_path / "state.db"
    command = [
        str(FRONTDESK), "serve", str(EXAMPLE), "--db", str(db),
        "--port", str(port), "--display", str(display),
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        assert "serving 'Københavns Kommune'" in first
        listed = [server.stdout.readline() for _ in range(3)]
        assert f"http://127.0.0.1:{port}/kiosk/nyropsgade/kiosk-1" in listed[0]
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                answer = httpx.get(f"{url}/api/v1/centres/nyropsgade/screen")
                break
            except httpx.ConnectError:
                time.sleep(0.05)
        assert answer.status_code == 200
        token = httpx.post(f"{url}/api/v1/token", json={"username": "mette", "password": "pw"})
        assert token.status_code == 200
        headers = {"Authorization": f"Bearer {token.json()['token']}"}
        info = httpx.put(
            f"{url}/api/v1/centres/nyropsgade/info", json={"text": "Åbent"}, headers=headers
        )
        assert info.status_code == 200
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=10)
    assert server.returncode == 0
    # The text is in the store: a new server shows it again.
    with Frontdesk.open(EXAMPLE, store=str(db)) as fd:
        assert DisplayState(fd, load_settings_file(display)).info("nyropsgade") == "Åbent"


def test_the_signing_key_file_sits_next_to_a_sqlite_file_only() -> None:
    assert default_key_file("/var/lib/frontdesk/fd.db") == "/var/lib/frontdesk/fd.db.key"
    assert default_key_file(":memory:") is None
    assert default_key_file("postgresql://frontdesk@db.example:5432/frontdesk") is None
