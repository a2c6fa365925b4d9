"""A small configuration with the plugin's policy and section, written for each test."""

from __future__ import annotations

from pathlib import Path

import pytest

CONFIG = """\
site:
  id: testby
  name: Testby Kommune
  languages: [da, en]
centres:
  - id: main
    name: {da: Borgerservice, en: Citizen Service}
    address: Torvet 1, 9999 Testby
    opening_hours:
      mon: "08:00-18:00"
    queues:
      - id: tax
        name: {da: Skat, en: Tax}
        prefix: S
        target: 80% within 10 minutes
      - id: cash
        name: {da: Kontanthjælp, en: Cash benefit}
        prefix: K
        target: 90% within 20 minutes
    counters:
      - id: c1
        name: {da: Skranke 1, en: Counter 1}
        queues: [cash, tax]
        call_policy: queue_order
services:
  - id: tax-return
    name: {da: Selvangivelse, en: Tax return}
    queue: tax
audit:
  path: AUDIT_PATH
"""


@pytest.fixture
def audit_path(tmp_path: Path) -> Path:
    """Where the audit log of the test's configuration goes."""
    return tmp_path / "audit.csv"


@pytest.fixture
def config_path(tmp_path: Path, audit_path: Path) -> Path:
    """The configuration: one counter with ``call_policy: queue_order``, and an audit log."""
    path = tmp_path / "frontdesk.yaml"
    path.write_text(CONFIG.replace("AUDIT_PATH", str(audit_path)), encoding="utf-8")
    return path
