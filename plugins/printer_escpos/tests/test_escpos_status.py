"""Real-time status bytes: decoding, and what any answer does to a print."""

from __future__ import annotations

import dataclasses
import time

import pytest
from escpos_decode import decode as decode_job
from escpos_peer import COVER_OPEN, OK, PAPER_NEAR_END, PAPER_OUT, TcpPrinterPeer, network_printer
from frontdesk_printer_escpos.printer import GRACE, TicketPrinter
from frontdesk_printer_escpos.status import PrinterFault, decode, is_status_byte
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontdesk_core.api import TicketPrint


@pytest.mark.parametrize(
    ("answers", "fault"),
    [
        (OK, None),
        (PAPER_NEAR_END, None),
        (PAPER_OUT, "paper_out"),
        (COVER_OPEN, "cover_open"),
        ({1: 0x1A, 2: 0x52, 4: 0x12}, "printer_error"),
        ({1: 0x1A, 2: 0x1A, 4: 0x12}, "offline"),
        # Paper ended but the printer has not gone offline yet: still no ticket.
        ({1: 0x12, 2: 0x12, 4: 0x72}, "paper_out"),
    ],
)
def test_status_answers_mean_what_the_printer_says(
    answers: dict[int, int], fault: str | None
) -> None:
    status = decode(answers[1], answers[2], answers[4])
    assert (status.fault.kind if status.fault else None) == fault
    assert status.paper_near_end == bool(answers[4] & 0x0C)


def test_a_byte_without_the_fixed_bits_is_no_status() -> None:
    with pytest.raises(PrinterFault) as caught:
        decode(0x12, 0x00, 0x12)
    assert caught.value.kind == "bad_status"
    assert "offline status request with 0x00" in caught.value.detail


VALID = [0x12 | bits for bits in range(0x6D) if bits & ~0x6C == 0]
"""Every byte with the fixed bits right: 0x12 plus any of bits 2, 3, 5 and 6."""
# Weighted towards 'all is well' so both outcomes are explored, not only rubbish bytes.
status_bytes = st.one_of(st.just(0x12), st.sampled_from(VALID), st.integers(0, 255))


# The ticket fixture is a frozen dataclass: sharing it between examples is harmless.
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(before=st.tuples(status_bytes, status_bytes, status_bytes), after_ok=st.booleans())
def test_any_answer_gives_a_result_and_never_a_half_truth(
    ticket: TicketPrint, before: tuple[int, int, int], after_ok: bool
) -> None:
    peer = TcpPrinterPeer(status=dict(zip((1, 2, 4), before, strict=True)))
    peer.script = [dict(zip((1, 2, 4), before, strict=True)), OK if after_ok else PAPER_OUT]
    try:
        printer = TicketPrinter(network_printer(peer.port, connection={"timeout": "2 s"}))
        started = time.monotonic()
        result = printer.print(dataclasses.replace(ticket, number="P123"))
        assert time.monotonic() - started < 2 + GRACE
        job = decode_job(peer.wait_jobs(1)[0])
        usable = all(is_status_byte(b) for b in before) and decode(*before).fault is None
        if not usable:
            # The printer said no (or said nothing sensible): nothing was printed.
            assert not result.ok and result.fault
            assert job.texts == [] and job.status_requests == [1, 2, 4]
        else:
            # The ticket went out whole; ok unless the paper ran out on the way.
            assert "P123" in job.texts and len(job.cuts) == 1
            assert result.ok == after_ok
            assert result.fault == (None if after_ok else "paper_out")
    finally:
        peer.close()
