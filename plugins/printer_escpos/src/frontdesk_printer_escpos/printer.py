"""One kiosk's printer: render a ticket, check the printer, send it, say how it went.

A kiosk must never hang on its printer: a citizen is waiting for a number.
The job runs in a worker thread under one deadline (the connection's
``timeout``), and the caller waits for it at most that long plus a moment. A
driver that hangs all the same (a USB or device-file write blocking in the
kernel) is left behind, and the printer answers ``busy`` until it returns.
Nothing here raises: every failure becomes a ``PrintResult(ok=False, ...)``,
which the core turns into "show the number on screen" and a device fault.

A printer that timed out, could not be reached or was still stuck is not tried
again for ``retry_after`` (30 s by default): the tickets in between fail at once
with the same fault, so one dead printer costs the kiosk (and the commands queued
behind it) one timeout, not one per citizen. Paper and cover faults are found by
a quick status request and are tried every time, so a new roll prints at once.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from datetime import tzinfo

from frontdesk_core.api import PrintResult, TicketPrint
from frontdesk_printer_escpos.config import PrinterConfig
from frontdesk_printer_escpos.encode import encode_ticket
from frontdesk_printer_escpos.layout import DEFAULT_TEMPLATE, LayoutError, Step, render_layout
from frontdesk_printer_escpos.status import QUERIES, PrinterFault, PrinterStatus, decode, request
from frontdesk_printer_escpos.transport import Transport, make_transport

log = logging.getLogger("frontdesk.printer_escpos")

GRACE = 0.5
"""Seconds the caller waits beyond the deadline for a job to report before giving up."""

SLOW_FAULTS = frozenset({"timeout", "unreachable", "busy"})
"""Faults that cost a wait to find out: after one, the printer rests for ``retry_after``."""

TransportFactory = Callable[[PrinterConfig], Transport]


def _default_transport(config: PrinterConfig) -> Transport:
    return make_transport(config.connection)


def read_status(transport: Transport, deadline: float) -> PrinterStatus:
    """Ask the three real-time status requests and decode the answers."""
    # One write for all three: the printer answers them in order, in one round trip.
    transport.write(b"".join(request(n) for n in QUERIES), deadline)
    answers = [transport.read_byte(deadline) for _ in QUERIES]
    return decode(*answers)


class TicketPrinter:
    """The printer of one kiosk; safe to call from several threads (one job at a time).

    ``monotonic`` tells the time (seconds) a rest after a slow fault is measured by
    (:func:`time.monotonic`; a test moves its own). A print job's time limit is always
    measured by :func:`time.monotonic`: it bounds real waiting on a device.
    """

    def __init__(
        self,
        config: PrinterConfig,
        *,
        tz: tzinfo | None = None,
        transport: TransportFactory = _default_transport,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self.monotonic = monotonic
        self.tz = tz
        self.name = config.printer_name
        self._transport = transport
        self._lock = threading.Lock()
        self._resting: tuple[float, PrintResult] | None = None
        """Until when (monotonic seconds) tickets skip the printer, and the fault behind it."""

    @property
    def timeout(self) -> float:
        """The time limit of one print job, in seconds."""
        return self.config.connection.timeout.total_seconds()

    @property
    def asks_status(self) -> bool:
        """Whether the printer is asked for its status around each ticket."""
        return bool(getattr(self.config.connection, "status", False))

    def render(self, ticket: TicketPrint) -> tuple[bytes, str | None]:
        """The ticket's bytes, and a note when the configured template had to be replaced."""
        config = self.config
        note = None

        def steps_of(template: str) -> list[Step]:
            return render_layout(
                template,
                ticket,
                qr=config.qr,
                columns=config.columns,
                labels=config.labels,
                tz=self.tz,
            )

        try:
            steps = steps_of(config.template or DEFAULT_TEMPLATE)
        except LayoutError as exc:
            if config.template is None:
                raise
            # A ticket in the hand beats a perfect layout: print the built-in one instead.
            log.warning("ticket template failed", extra={"printer": self.name, "error": str(exc)})
            steps = steps_of(DEFAULT_TEMPLATE)
            note = f"the printer's template failed ({exc}); printed with the built-in layout"
        data = encode_ticket(
            steps,
            code_page=config.code_page,
            columns=config.columns,
            dots=config.dots,
            cut=config.cut,
            qr_size=6 if config.paper_width == 80 else 4,
        )
        return data, note

    def print(self, ticket: TicketPrint) -> PrintResult:
        """Print ``ticket``; returns within about the timeout whatever the printer does."""
        resting = self._rest_result()
        if resting is not None:
            return resting
        deadline = time.monotonic() + self.timeout
        try:
            data, note = self.render(ticket)
        except Exception as exc:
            return self._failed("layout", f"the ticket could not be laid out: {exc}")
        result = self._run(lambda: self._send(data, deadline, note), deadline, rested=True)
        if not result.ok:
            log.warning(
                "ticket not printed",
                extra={"printer": self.name, "fault": result.fault, "detail": result.detail},
            )
        return result

    def check(self) -> PrintResult:
        """Connect and ask for the status without printing (for the super-user's tools).

        A check always tries the printer, resting or not, and a good answer ends the rest.
        """
        deadline = time.monotonic() + self.timeout
        return self._run(lambda: self._send(None, deadline, None), deadline, rested=False)

    @property
    def resting_for(self) -> float:
        """Seconds before the printer is tried again after a slow fault (0: it is tried)."""
        resting = self._resting
        return max(0.0, resting[0] - self.monotonic()) if resting is not None else 0.0

    def _rest_result(self) -> PrintResult | None:
        """The fault a ticket fails with at once while the printer rests (else ``None``)."""
        now = self.monotonic()
        resting = self._resting
        if resting is None or now >= resting[0]:
            return None
        fault = resting[1]
        return self._failed(
            fault.fault or "error",
            f"{fault.detail}; the printer is tried again in {math.ceil(resting[0] - now)} s",
        )

    def _settle(self, result: PrintResult) -> PrintResult:
        """Start a rest after a slow fault; end it when the printer answers."""
        pause = self.config.retry_after.total_seconds()
        if result.fault in SLOW_FAULTS and pause > 0:
            self._resting = (self.monotonic() + pause, result)
        else:
            self._resting = None
        return result

    def _failed(self, fault: str, detail: str) -> PrintResult:
        return PrintResult(ok=False, printer=self.name, fault=fault, detail=detail)

    def _run(self, job: Callable[[], PrintResult], deadline: float, *, rested: bool) -> PrintResult:
        """Run ``job`` in a worker thread, one at a time, waiting until the deadline at most.

        The outcome is settled (a rest started or ended) before the next job may start,
        so a ticket that waited for a printer which has just failed slowly fails with
        that same fault at once (when ``rested``) instead of trying the printer again:
        one silent printer, one fault, however many citizens were waiting for it.
        """
        if not self._lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
            waited = self._rest_result() if rested else None
            return waited or self._settle(
                self._failed("busy", "the printer is still busy with an earlier ticket")
            )
        waited = self._rest_result() if rested else None
        if waited is not None:
            self._lock.release()
            return waited
        outcome: list[PrintResult] = []

        def work() -> None:
            try:
                result = job()
            except Exception as exc:
                result = self._failed("error", f"{type(exc).__name__}: {exc}")
            try:
                outcome.append(self._settle(result))
            finally:
                self._lock.release()

        worker = threading.Thread(target=work, name=f"print-{self.name}", daemon=True)
        worker.start()
        worker.join(max(0.0, deadline - time.monotonic()) + GRACE)
        if outcome:
            return outcome[0]
        return self._settle(
            self._failed("timeout", f"the printer did not finish within {self.timeout:g} s")
        )

    def _send(self, data: bytes | None, deadline: float, note: str | None) -> PrintResult:
        """Open, ask the status, send ``data`` (if any), ask again; faults become results."""
        transport = self._transport(self.config)
        notes = [note] if note else []
        status: PrinterStatus | None = None
        try:
            transport.open(deadline)
            check = self.asks_status and transport.can_read
            if check:
                before = read_status(transport, deadline)
                if before.fault is not None:
                    raise before.fault
                status = before
            if data is not None:
                transport.write(data, deadline)
                if check:
                    status = read_status(transport, deadline)
                    if status.fault is not None:
                        raise PrinterFault(
                            status.fault.kind,
                            f"{status.fault.detail} (while printing: the ticket may be incomplete)",
                        )
            if status is not None and status.paper_near_end:
                notes.append("the paper roll is nearly empty")
        except PrinterFault as fault:
            return self._failed(fault.kind, fault.detail)
        finally:
            transport.close()
        return PrintResult(ok=True, printer=self.name, detail="; ".join(notes) or None)
