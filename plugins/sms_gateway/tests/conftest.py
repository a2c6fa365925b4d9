"""Fixtures: the SMS peer on 127.0.0.1, and configurations written as YAML files."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sms_peer import SmsPeer

DATA = Path(__file__).parent / "data"


@pytest.fixture
def sms_peer() -> Iterator[SmsPeer]:
    """A scripted SMS gateway on 127.0.0.1."""
    peer = SmsPeer()
    yield peer
    peer.close()


WriteConfig = Callable[[str], Path]


@pytest.fixture
def write_config(tmp_path: Path) -> WriteConfig:
    """Write the test site plus an ``sms.yaml`` with the given text; return the directory."""

    def write(sms_yaml: str) -> Path:
        directory = tmp_path / "config"
        directory.mkdir(exist_ok=True)
        shutil.copy(DATA / "site.yaml", directory / "site.yaml")
        (directory / "sms.yaml").write_text(sms_yaml, encoding="utf-8")
        return directory

    return write


HttpSection = Callable[..., str]


@pytest.fixture
def http_section() -> HttpSection:
    """Builds an ``sms:`` section sending to a URL, with a short timeout for tests."""
    return _http_section


def _http_section(url: str, *, extra: str = "", provider_extra: str = "") -> str:
    return (
        "sms:\n"
        "  sender: Testby\n"
        "  worker: false\n"
        "  provider:\n"
        "    kind: http\n"
        f"    url: {url}\n"
        "    timeout: 0.3 s\n"
        f"{provider_extra}"
        "  retry:\n"
        "    max_attempts: 4\n"
        "    backoff_base: 30 s\n"
        "    backoff_max: 5 min\n"
        f"{extra}"
    )
