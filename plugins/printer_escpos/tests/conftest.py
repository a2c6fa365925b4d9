"""Fixtures for the ESC/POS printer plugin's tests: printer peers and tickets."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from escpos_peer import SerialPrinterPeer, TcpPrinterPeer

from frontdesk_core.api import TicketPrint


@pytest.fixture
def ticket() -> TicketPrint:
    """A ticket as the kiosk 'nyropsgade-1' hands it to the printer."""
    return TicketPrint(
        kiosk_id="nyropsgade-1",
        centre_id="nyropsgade",
        centre_name="Borgerservice Nyropsgade",
        number="P007",
        queue_name="Pas og kørekort",
        issued_at=datetime(2026, 11, 23, 9, 41, tzinfo=ZoneInfo("Europe/Copenhagen")),
        language="da",
        people_ahead=4,
        expected_wait_minutes=18,
        where="Vent ved skærm 2, stueetagen",
        qr="https://kk.example/billet/P007",
        lines=("Husk gammelt pas og foto",),
    )


@pytest.fixture
def tcp_peer() -> Iterator[Callable[..., TcpPrinterPeer]]:
    """Start TCP printer peers on 127.0.0.1; all are stopped after the test."""
    peers: list[TcpPrinterPeer] = []

    def start(mode: str = "answer", status: dict[int, int] | None = None) -> TcpPrinterPeer:
        peer = TcpPrinterPeer(mode, status)
        peers.append(peer)
        return peer

    yield start
    for peer in peers:
        peer.close()


@pytest.fixture
def serial_peer() -> Iterator[SerialPrinterPeer]:
    """A serial printer on a pty."""
    peer = SerialPrinterPeer()
    yield peer
    peer.close()
