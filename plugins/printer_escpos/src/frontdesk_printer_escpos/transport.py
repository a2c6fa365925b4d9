"""Getting bytes to a printer and status bytes back: network, serial, USB and file.

Every operation takes a ``deadline`` (a ``time.monotonic()`` value) shared by
the whole print job, so connecting, asking for the status and sending the
ticket together never take longer than the configured timeout. Failures are
raised as :class:`~.status.PrinterFault` with the fault kinds the manager
dashboard shows: ``unreachable``, ``timeout``, ``driver_missing``.
"""

from __future__ import annotations

import contextlib
import importlib
import socket
import time
from typing import Any, Protocol

from frontdesk_printer_escpos.config import (
    FileConnection,
    NetworkConnection,
    SerialConnection,
    UsbConnection,
)
from frontdesk_printer_escpos.status import PrinterFault


def remaining(deadline: float, what: str) -> float:
    """Seconds left before ``deadline``; a ``timeout`` fault once it has passed."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise PrinterFault("timeout", f"the printer took too long ({what})")
    return left


class Transport(Protocol):
    """A connection to one printer for the length of one print job."""

    can_read: bool
    """Whether the printer can answer status requests over this connection."""

    def open(self, deadline: float) -> None:
        """Connect to the printer."""

    def write(self, data: bytes, deadline: float) -> None:
        """Send ``data`` completely."""

    def read_byte(self, deadline: float) -> int:
        """Read one answer byte."""

    def close(self) -> None:
        """Let go of the printer; never raises."""


class NetworkTransport:
    """Raw TCP to a network printer (port 9100)."""

    can_read = True

    def __init__(self, connection: NetworkConnection) -> None:
        self.host = connection.host
        self.port = connection.port
        self.where = f"{connection.host}:{connection.port}"
        self.sock: socket.socket | None = None

    def open(self, deadline: float) -> None:
        """Connect; refused, unknown host and no route are ``unreachable``."""
        try:
            self.sock = socket.create_connection(
                (self.host, self.port), timeout=remaining(deadline, "connecting")
            )
            # Status requests are a few bytes each way: do not let Nagle hold them back.
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except TimeoutError:
            raise PrinterFault(
                "timeout", f"the printer at {self.where} did not accept the connection in time"
            ) from None
        except socket.gaierror as exc:
            raise PrinterFault(
                "unreachable", f"the printer's host name '{self.host}' is unknown ({exc.strerror})"
            ) from None
        except OSError as exc:
            raise PrinterFault(
                "unreachable", f"the printer at {self.where} cannot be reached ({exc.strerror})"
            ) from None

    def _socket(self) -> socket.socket:
        if self.sock is None:
            raise PrinterFault("unreachable", f"the printer at {self.where} is not connected")
        return self.sock

    def write(self, data: bytes, deadline: float) -> None:
        """Send everything; a printer that stops taking data is a ``timeout``."""
        sock = self._socket()
        try:
            sock.settimeout(remaining(deadline, "sending the ticket"))
            # Since Python 3.5 the timeout bounds the whole sendall, not each chunk.
            sock.sendall(data)
        except TimeoutError:
            raise PrinterFault(
                "timeout", f"the printer at {self.where} stopped taking data"
            ) from None
        except OSError as exc:
            raise PrinterFault(
                "unreachable", f"the connection to {self.where} was lost ({exc.strerror})"
            ) from None

    def read_byte(self, deadline: float) -> int:
        """Read one byte; no answer in time is a ``timeout``."""
        sock = self._socket()
        try:
            sock.settimeout(remaining(deadline, "waiting for the status"))
            data = sock.recv(1)
        except TimeoutError:
            raise PrinterFault(
                "timeout", f"the printer at {self.where} did not answer the status request"
            ) from None
        except OSError as exc:
            raise PrinterFault(
                "unreachable", f"the connection to {self.where} was lost ({exc.strerror})"
            ) from None
        if not data:
            raise PrinterFault("unreachable", f"the printer at {self.where} closed the connection")
        return data[0]

    def close(self) -> None:
        """Close the socket; what was sent is still delivered."""
        if self.sock is not None:
            with contextlib.suppress(OSError):
                self.sock.close()
            self.sock = None


def _serial() -> Any:
    # pyserial is an optional extra without type hints: reached as a plain module.
    return importlib.import_module("serial")


class SerialTransport:
    """A serial port, through pyserial (the ``serial`` extra)."""

    can_read = True

    def __init__(self, connection: SerialConnection) -> None:
        self.device = connection.device
        self.baudrate = connection.baudrate
        self.port: Any = None

    def open(self, deadline: float) -> None:
        """Open the port; a missing device is ``unreachable``."""
        try:
            serial = _serial()
        except ImportError:
            raise PrinterFault(
                "driver_missing",
                "pyserial is not installed: install frontdesk-printer-escpos[serial]",
            ) from None
        try:
            self.port = serial.Serial(
                self.device,
                self.baudrate,
                timeout=remaining(deadline, "opening the port"),
                write_timeout=remaining(deadline, "opening the port"),
            )
        except (serial.SerialException, ValueError, OSError) as exc:
            raise PrinterFault(
                "unreachable", f"the serial port {self.device} cannot be opened ({exc})"
            ) from None

    def write(self, data: bytes, deadline: float) -> None:
        """Write everything; a port that does not drain in time is a ``timeout``."""
        serial = _serial()

        try:
            self.port.write_timeout = remaining(deadline, "sending the ticket")
            self.port.write(data)
            self.port.flush()
        except serial.SerialTimeoutException:
            raise PrinterFault(
                "timeout", f"the printer on {self.device} stopped taking data"
            ) from None
        except (serial.SerialException, OSError) as exc:
            raise PrinterFault(
                "unreachable", f"the serial port {self.device} failed ({exc})"
            ) from None

    def read_byte(self, deadline: float) -> int:
        """Read one byte; no answer in time is a ``timeout``."""
        serial = _serial()

        try:
            self.port.timeout = remaining(deadline, "waiting for the status")
            data = self.port.read(1)
        except (serial.SerialException, OSError) as exc:
            raise PrinterFault(
                "unreachable", f"the serial port {self.device} failed ({exc})"
            ) from None
        if not data:
            raise PrinterFault(
                "timeout", f"the printer on {self.device} did not answer the status request"
            )
        return int(data[0])

    def close(self) -> None:
        """Close the port."""
        if self.port is not None:
            with contextlib.suppress(Exception):
                self.port.close()
            self.port = None


class UsbTransport:
    """A USB printer, through python-escpos's ``Usb`` class (the ``usb`` extra, pyusb)."""

    can_read = True

    def __init__(self, connection: UsbConnection) -> None:
        self.connection = connection
        self.name = f"USB {connection.vendor_id:04x}:{connection.product_id:04x}"
        self.printer: Any = None

    def open(self, deadline: float) -> None:
        """Find the device; not plugged in is ``unreachable``, no pyusb ``driver_missing``."""
        from escpos.exceptions import DeviceNotFoundError
        from escpos.printer import Usb

        if not Usb.is_usable():
            raise PrinterFault(
                "driver_missing", "pyusb is not installed: install frontdesk-printer-escpos[usb]"
            )
        millis = int(remaining(deadline, "opening the USB device") * 1000)
        printer = Usb(
            self.connection.vendor_id,
            self.connection.product_id,
            timeout=millis,
            in_ep=self.connection.in_ep,
            out_ep=self.connection.out_ep,
        )
        try:
            printer.open()
        except DeviceNotFoundError as exc:
            raise PrinterFault(
                "unreachable", f"the {self.name} printer is not found ({exc})"
            ) from None
        except Exception as exc:
            # pyusb reports a missing libusb backend as its own error type.
            raise PrinterFault(
                "driver_missing", f"the {self.name} printer cannot be opened ({exc})"
            ) from None
        self.printer = printer

    def write(self, data: bytes, deadline: float) -> None:
        """Write everything through the USB out endpoint."""
        try:
            self.printer.timeout = int(remaining(deadline, "sending the ticket") * 1000)
            self.printer._raw(data)
        except PrinterFault:
            raise
        except Exception as exc:
            kind = "timeout" if "timeout" in type(exc).__name__.lower() else "unreachable"
            raise PrinterFault(kind, f"the {self.name} printer failed ({exc})") from None

    def read_byte(self, deadline: float) -> int:
        """Read one answer byte from the USB in endpoint."""
        remaining(deadline, "waiting for the status")
        try:
            data = self.printer._read()
        except Exception as exc:
            kind = "timeout" if "timeout" in type(exc).__name__.lower() else "unreachable"
            raise PrinterFault(kind, f"the {self.name} printer did not answer ({exc})") from None
        if not data:
            raise PrinterFault("timeout", f"the {self.name} printer did not answer the status")
        return int(data[0])

    def close(self) -> None:
        """Release the USB device."""
        if self.printer is not None:
            with contextlib.suppress(Exception):
                self.printer.close()
            self.printer = None


class FileTransport:
    """A device file such as ``/dev/usb/lp0``, or a plain file; it cannot answer status."""

    can_read = False

    def __init__(self, connection: FileConnection) -> None:
        self.path = connection.path
        self.handle: Any = None

    def open(self, deadline: float) -> None:
        """Open for appending; a missing device is ``unreachable``."""
        remaining(deadline, "opening the file")
        try:
            self.handle = open(self.path, "ab", buffering=0)  # noqa: SIM115 (closed in close())
        except OSError as exc:
            raise PrinterFault(
                "unreachable", f"the printer file {self.path} cannot be opened ({exc.strerror})"
            ) from None

    def write(self, data: bytes, deadline: float) -> None:
        """Write everything (a blocked device is caught by the job's own time limit)."""
        remaining(deadline, "sending the ticket")
        try:
            self.handle.write(data)
        except OSError as exc:
            raise PrinterFault(
                "unreachable", f"writing to {self.path} failed ({exc.strerror})"
            ) from None

    def read_byte(self, deadline: float) -> int:
        """A file has no answers."""
        raise PrinterFault("bad_status", f"{self.path} cannot answer status requests")

    def close(self) -> None:
        """Close the file."""
        if self.handle is not None:
            with contextlib.suppress(OSError):
                self.handle.close()
            self.handle = None


def make_transport(
    connection: NetworkConnection | UsbConnection | SerialConnection | FileConnection,
) -> Transport:
    """The transport for a configured connection."""
    if isinstance(connection, NetworkConnection):
        return NetworkTransport(connection)
    if isinstance(connection, SerialConnection):
        return SerialTransport(connection)
    if isinstance(connection, UsbConnection):
        return UsbTransport(connection)
    return FileTransport(connection)
