"""Printing against real peers: a TCP printer on 127.0.0.1, a pty, a FIFO, files."""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from escpos_decode import decode
from escpos_peer import (
    COVER_OPEN,
    OK,
    PAPER_NEAR_END,
    PAPER_OUT,
    SerialPrinterPeer,
    TcpPrinterPeer,
    network_printer,
)
from frontdesk_printer_escpos.config import PrinterConfig
from frontdesk_printer_escpos.printer import GRACE, TicketPrinter

from frontdesk_core.api import PrintResult, TicketPrint

Peer = Callable[..., TcpPrinterPeer]


def test_a_ticket_reaches_the_printer_whole(tcp_peer: Peer, ticket: TicketPrint) -> None:
    peer = tcp_peer()
    result = TicketPrinter(network_printer(peer.port)).print(ticket)
    assert result.ok, result
    assert (result.printer, result.fault, result.detail) == ("nyropsgade-1", None, None)
    decoded = decode(peer.wait_jobs(1)[0])
    # Asked for the status before and after printing: printer, offline cause, paper sensor.
    assert decoded.status_requests == [1, 2, 4, 1, 2, 4]
    assert [t for t in decoded.texts if t] == [
        "Borgerservice Nyropsgade",
        "23.11.2026 09:41",
        "Dit nummer",
        "P007",
        "Pas og kørekort",
        "Foran dig: 4",
        "Forventet ventetid: 18 min.",
        "Vent ved skærm 2, stueetagen",
        "Husk gammelt pas og foto",
        "Hold øje med skærmen",
    ]
    number = decoded.line("P007")
    assert (number.width, number.height, number.align) == (4, 4, "center")
    assert decoded.line("Borgerservice Nyropsgade").bold
    assert [q.content for q in decoded.qr_codes] == ["https://kk.example/billet/P007"]
    assert decoded.qr_codes[0].align == "center"
    assert len(decoded.cuts) == 1 and decoded.cuts[0].partial
    assert decoded.code_pages == ["cp865"]


def test_paper_out_prints_nothing_and_says_so(tcp_peer: Peer, ticket: TicketPrint) -> None:
    peer = tcp_peer(status=PAPER_OUT)
    result = TicketPrinter(network_printer(peer.port)).print(ticket)
    assert (result.ok, result.fault) == (False, "paper_out")
    assert result.detail == "the printer is out of paper"
    decoded = decode(peer.wait_jobs(1)[0])
    assert decoded.status_requests == [1, 2, 4]
    assert decoded.texts == [] and not decoded.cuts


def test_an_open_cover_is_told_apart_from_paper(tcp_peer: Peer, ticket: TicketPrint) -> None:
    peer = tcp_peer(status=COVER_OPEN)
    result = TicketPrinter(network_printer(peer.port)).print(ticket)
    assert (result.ok, result.fault, result.detail) == (
        False,
        "cover_open",
        "the printer's cover is open",
    )


def test_paper_running_out_during_the_ticket(tcp_peer: Peer, ticket: TicketPrint) -> None:
    peer = tcp_peer()
    peer.script = [OK, PAPER_OUT]
    result = TicketPrinter(network_printer(peer.port)).print(ticket)
    assert (result.ok, result.fault) == (False, "paper_out")
    assert "the ticket may be incomplete" in (result.detail or "")
    assert "P007" in decode(peer.wait_jobs(1)[0]).texts


def test_a_nearly_empty_roll_still_prints(tcp_peer: Peer, ticket: TicketPrint) -> None:
    peer = tcp_peer(status=PAPER_NEAR_END)
    result = TicketPrinter(network_printer(peer.port)).print(ticket)
    assert result.ok
    assert result.detail == "the paper roll is nearly empty"


def test_an_answer_that_is_no_status_byte(tcp_peer: Peer, ticket: TicketPrint) -> None:
    peer = tcp_peer(status={1: 0xFF, 2: 0x12, 4: 0x12})
    result = TicketPrinter(network_printer(peer.port)).print(ticket)
    assert (result.ok, result.fault) == (False, "bad_status")
    assert "0xff" in (result.detail or "")


def test_a_refused_connection_is_unreachable(tcp_peer: Peer, ticket: TicketPrint) -> None:
    peer = tcp_peer()
    peer.refuse()
    result = TicketPrinter(network_printer(peer.port)).print(ticket)
    assert (result.ok, result.fault) == (False, "unreachable")
    assert f"127.0.0.1:{peer.port}" in (result.detail or "")
    assert "refused" in (result.detail or "")


def test_a_printer_that_hangs_up_is_unreachable(tcp_peer: Peer, ticket: TicketPrint) -> None:
    peer = tcp_peer("hang_up")
    result = TicketPrinter(network_printer(peer.port)).print(ticket)
    assert (result.ok, result.fault) == (False, "unreachable")


@pytest.mark.parametrize("mode", ["stall", "silent"])
def test_a_stalled_printer_times_out_in_time(
    tcp_peer: Peer, ticket: TicketPrint, mode: str
) -> None:
    peer = tcp_peer("stall" if mode == "stall" else "answer")
    peer.silent = mode == "silent"
    printer = TicketPrinter(network_printer(peer.port, connection={"timeout": "0.3 s"}))
    started = time.monotonic()
    result = printer.print(ticket)
    took = time.monotonic() - started
    assert (result.ok, result.fault) == (False, "timeout")
    assert "did not answer the status request" in (result.detail or "")
    assert 0.25 < took < 0.3 + GRACE + 0.5  # slack for a busy test machine


def test_without_status_requests_only_the_ticket_is_sent(
    tcp_peer: Peer, ticket: TicketPrint
) -> None:
    peer = tcp_peer("answer", status=PAPER_OUT)
    config = network_printer(peer.port, connection={"status": False}, qr=False)
    result = TicketPrinter(config).print(ticket)
    assert result.ok
    decoded = decode(peer.wait_jobs(1)[0])
    assert decoded.status_requests == []
    assert decoded.qr_codes == []
    assert "P007" in decoded.texts


def test_tickets_from_many_threads_each_print_whole(tcp_peer: Peer, ticket: TicketPrint) -> None:
    peer = tcp_peer()
    printer = TicketPrinter(network_printer(peer.port, connection={"timeout": "3 s"}))
    numbers = [f"P{n:03d}" for n in range(8)]
    results = {}

    def issue(number: str) -> None:
        results[number] = printer.print(dataclasses.replace(ticket, number=number))

    threads = [threading.Thread(target=issue, args=(n,)) for n in numbers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(r.ok for r in results.values()), results
    printed = sorted(
        line.text for job in peer.wait_jobs(8) for line in decode(job).lines if line.width == 4
    )
    assert printed == numbers


def test_a_template_that_fails_at_print_time_falls_back(
    tcp_peer: Peer, ticket: TicketPrint
) -> None:
    peer = tcp_peer()
    # Valid for the sample tickets' four-character numbers, not for a three-character one.
    template = "{{ number[3] }}\n@cut\n"
    config = network_printer(peer.port, template=template)
    short = dataclasses.replace(ticket, number="A12")
    result = TicketPrinter(config).print(short)
    assert result.ok
    assert "printed with the built-in layout" in (result.detail or "")
    assert "A12" in decode(peer.wait_jobs(1)[0]).texts


def test_a_file_printer_appends_tickets(tmp_path: Path, ticket: TicketPrint) -> None:
    path = tmp_path / "lp0"
    config = PrinterConfig.model_validate(
        {"kiosk": "k", "connection": {"kind": "file", "path": str(path)}, "code_page": "CP850"}
    )
    printer = TicketPrinter(config)
    assert printer.print(ticket).ok and printer.print(ticket).ok
    decoded = decode(path.read_bytes())
    assert decoded.texts.count("Pas og kørekort") == 2
    assert decoded.code_pages == ["cp850", "cp850"]
    assert decoded.status_requests == []


def test_a_missing_device_file_is_unreachable(tmp_path: Path, ticket: TicketPrint) -> None:
    config = PrinterConfig.model_validate(
        {"kiosk": "k", "connection": {"kind": "file", "path": str(tmp_path / "no" / "lp0")}}
    )
    result = TicketPrinter(config).print(ticket)
    assert (result.ok, result.fault) == (False, "unreachable")


def test_a_device_that_blocks_is_abandoned_in_time(tmp_path: Path, ticket: TicketPrint) -> None:
    # Opening a FIFO for writing blocks until someone reads: a printer driver that hangs.
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    config = PrinterConfig.model_validate(
        {
            "kiosk": "k",
            "connection": {"kind": "file", "path": str(fifo), "timeout": "0.3 s"},
            "retry_after": "0 s",  # try every ticket: this test follows the stuck job
        }
    )
    printer = TicketPrinter(config)
    started = time.monotonic()
    first = printer.print(ticket)
    assert time.monotonic() - started < 0.3 + GRACE + 0.5
    assert (first.ok, first.fault) == (False, "timeout")
    second = printer.print(ticket)
    assert (second.ok, second.fault) == (False, "busy")
    # The device wakes up: the stuck job ends without printing (the kiosk has shown the
    # number on screen by then), and the printer takes tickets again.
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        deadline = time.monotonic() + 2
        while printer._lock.locked() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not printer._lock.locked()
        assert os.read(reader, 65536) == b""
        late = dataclasses.replace(ticket, number="P008")
        assert printer.print(late).ok
        assert "P008" in decode(os.read(reader, 65536)).texts
    finally:
        os.close(reader)


def test_a_stalled_printer_rests_so_the_next_tickets_do_not_wait(
    tcp_peer: Peer, ticket: TicketPrint
) -> None:
    peer = tcp_peer("stall")
    config = network_printer(peer.port, connection={"timeout": "0.3 s"}, retry_after="1 s")
    rest_clock = [500.0]
    printer = TicketPrinter(config, monotonic=lambda: rest_clock[0])
    first = printer.print(ticket)
    assert (first.ok, first.fault) == (False, "timeout")
    assert printer.resting_for == 1
    # The next citizens get their number on the screen at once (the printer is not even
    # connected to), with the same fault.
    rest_clock[0] += 0.9
    second = printer.print(dataclasses.replace(ticket, number="P008"))
    assert (second.ok, second.fault) == (False, "timeout")
    assert "tried again in 1 s" in (second.detail or "")
    assert peer.connections == 1
    # After the rest the printer is tried again, and a printer that answers ends it.
    peer.mode = "answer"
    rest_clock[0] += 0.1
    assert printer.resting_for == 0
    third = printer.print(dataclasses.replace(ticket, number="P009"))
    assert third.ok, third
    assert printer.resting_for == 0
    assert "P009" in decode(peer.wait_jobs(1)[0]).texts


def test_paper_out_is_tried_on_every_ticket(tcp_peer: Peer, ticket: TicketPrint) -> None:
    peer = tcp_peer("answer", status=PAPER_OUT)
    printer = TicketPrinter(network_printer(peer.port))
    assert printer.print(ticket).fault == "paper_out"
    assert printer.resting_for == 0
    peer.status = OK  # a new roll
    assert printer.print(ticket).ok


def test_a_check_tries_a_resting_printer(tcp_peer: Peer, ticket: TicketPrint) -> None:
    peer = tcp_peer("stall")
    printer = TicketPrinter(network_printer(peer.port, connection={"timeout": "0.3 s"}))
    assert printer.print(ticket).fault == "timeout"
    assert printer.resting_for > 25  # the default: 30 s
    peer.mode = "answer"  # someone restarted it
    assert printer.check().ok
    assert printer.resting_for == 0
    assert printer.print(ticket).ok


def test_a_serial_printer_on_a_pty(serial_peer: SerialPrinterPeer, ticket: TicketPrint) -> None:
    config = PrinterConfig.model_validate(
        {"kiosk": "k", "connection": {"kind": "serial", "device": serial_peer.device}}
    )
    printer = TicketPrinter(config)
    assert printer.print(ticket).ok
    decoded = decode(serial_peer.take())
    assert decoded.status_requests == [1, 2, 4, 1, 2, 4]
    assert "Pas og kørekort" in decoded.texts
    serial_peer.status = dict(PAPER_OUT)
    result = printer.print(ticket)
    assert (result.ok, result.fault) == (False, "paper_out")


def test_a_missing_serial_port_is_unreachable(tmp_path: Path, ticket: TicketPrint) -> None:
    config = PrinterConfig.model_validate(
        {"kiosk": "k", "connection": {"kind": "serial", "device": str(tmp_path / "ttyS9")}}
    )
    result = TicketPrinter(config).print(ticket)
    assert (result.ok, result.fault) == (False, "unreachable")


def test_a_usb_printer_that_is_not_there(ticket: TicketPrint) -> None:
    config = PrinterConfig.model_validate(
        {
            "kiosk": "k",
            "connection": {"kind": "usb", "vendor_id": "ffff", "product_id": "fffe"},
        }
    )
    started = time.monotonic()
    result = TicketPrinter(config).print(ticket)
    assert time.monotonic() - started < 3 + GRACE
    assert not result.ok
    # Without pyusb (or libusb) the driver is missing; with it, the device is not found.
    assert result.fault in ("driver_missing", "unreachable")
    assert "ffff:fffe" in (result.detail or "") or "pyusb" in (result.detail or "")


class BrokenTransport:
    """A transport whose driver fails in a way no one planned for."""

    can_read = False

    def open(self, deadline: float) -> None:
        """Connects fine."""

    def write(self, data: bytes, deadline: float) -> None:
        """Fails unexpectedly."""
        raise RuntimeError("driver bug")

    def read_byte(self, deadline: float) -> int:
        """Never reached."""
        raise AssertionError

    def close(self) -> None:
        """Nothing to close."""


def test_an_unexpected_driver_error_is_a_result_not_an_exception(
    tmp_path: Path, ticket: TicketPrint
) -> None:
    config = PrinterConfig.model_validate(
        {"kiosk": "k", "connection": {"kind": "file", "path": str(tmp_path / "lp0")}}
    )
    printer = TicketPrinter(config, transport=lambda _: BrokenTransport())
    result = printer.print(ticket)
    assert (result.ok, result.fault, result.detail) == (False, "error", "RuntimeError: driver bug")
    # The printer is free again for the next ticket.
    assert not printer._lock.locked()


def test_a_serial_printer_that_does_not_answer_times_out(
    serial_peer: SerialPrinterPeer, ticket: TicketPrint
) -> None:
    serial_peer.silent = True
    config = PrinterConfig.model_validate(
        {
            "kiosk": "k",
            "connection": {"kind": "serial", "device": serial_peer.device, "timeout": "0.3 s"},
        }
    )
    started = time.monotonic()
    result = TicketPrinter(config).print(ticket)
    assert time.monotonic() - started < 0.3 + GRACE + 0.5
    assert (result.ok, result.fault) == (False, "timeout")
    assert serial_peer.device in (result.detail or "")


def test_tickets_waiting_for_a_silent_printer_fail_with_its_one_fault(
    tcp_peer: Peer, ticket: TicketPrint
) -> None:
    """Two citizens 80 ms apart at a printer that never answers: it is tried once, and
    the second ticket gets the first one's fault as soon as it is known, not a second
    time-out of its own (which the managers would see as a second fault)."""
    peer = tcp_peer("answer")
    peer.silent = True
    printer = TicketPrinter(network_printer(peer.port, connection={"timeout": "0.4 s"}))
    results: dict[str, tuple[PrintResult, float]] = {}

    def issue(number: str) -> None:
        result = printer.print(dataclasses.replace(ticket, number=number))
        results[number] = (result, time.monotonic())

    first = threading.Thread(target=issue, args=("P001",))
    first.start()
    time.sleep(0.08)
    second = threading.Thread(target=issue, args=("P002",))
    second.start()
    first.join(5)
    second.join(5)
    (one, one_at), (two, two_at) = results["P001"], results["P002"]
    assert (one.fault, two.fault) == ("timeout", "timeout")
    assert "tried again" in (two.detail or "")
    assert peer.connections == 1
    assert abs(two_at - one_at) < 0.05
