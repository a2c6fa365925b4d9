"""The display's own durable state: info pane texts and device faults.

Both are events in the core's log (kinds ``display.*``), so a restarted server
shows the same texts and the faults not yet cleared. Every method runs on the
core's thread (see :mod:`frontdesk_display.live.core`).
"""

from __future__ import annotations

from typing import Any

from frontdesk_core.api import (
    CommandError,
    DeviceFault,
    Frontdesk,
    NewEvent,
    NotFoundError,
    text_in,
)
from frontdesk_display.common.jsonable import jsonable
from frontdesk_display.live.calls import RecentCalls
from frontdesk_display.live.events import DeviceFaultRecorded, FaultCleared, InfoSet
from frontdesk_display.settings import DisplaySettings

INFO_SET = InfoSet.KIND
FAULT = DeviceFaultRecorded.KIND
FAULT_CLEARED = FaultCleared.KIND
INFO_MAX = 2000
FAULTS_KEPT = 50


def _fault_record(fault: DeviceFaultRecorded) -> dict[str, Any]:
    """A fault as the dashboards and the API show it."""
    return {
        "device": fault.device,
        "centre_id": fault.centre_id,
        "kind": fault.kind,
        "detail": fault.detail,
        "at": jsonable(fault.at),
    }


class DisplayState:
    """Info texts per centre and open device faults, loaded from and written to the store."""

    def __init__(self, fd: Frontdesk, settings: DisplaySettings) -> None:
        self.fd = fd
        self.settings = settings
        self._info: dict[str, str] = {}
        self._faults: dict[str, dict[str, Any]] = {}
        self._info_seq = 0
        self.recent_calls = RecentCalls()
        for event in fd.store.read(kinds=[INFO_SET, FAULT, FAULT_CLEARED]):
            payload = event.payload
            if isinstance(payload, InfoSet):
                self._info[event.centre_id] = payload.text
                self._info_seq = event.seq
            elif isinstance(payload, DeviceFaultRecorded):
                self._faults[event.key] = _fault_record(payload)
            else:
                self._faults.pop(event.key, None)
        self._trim()

    def info(self, centre_id: str) -> str:
        """The info pane's text for a centre: the manager's, else the configured default.

        Read from the store each time, so a text set through another process shows too.
        """
        for event in self.fd.store.read(after=self._info_seq, kinds=[INFO_SET]):
            if isinstance(event.payload, InfoSet):
                self._info[event.centre_id] = event.payload.text
            self._info_seq = event.seq
        if centre_id in self._info:
            return self._info[centre_id]
        default = self.settings.info
        if default is None:
            return ""
        return text_in(default, self.fd.config.site.languages[0])

    def set_info(self, centre_id: str, text: str, *, by: str) -> str:
        """Replace the info pane's text for a centre (durably)."""
        text = text.replace("\r\n", "\n").strip()
        if len(text) > INFO_MAX:
            raise CommandError(f"the information text is too long (at most {INFO_MAX} characters)")
        self._centre(centre_id)
        info = InfoSet(text=text, by=by)
        self.fd.store.append([NewEvent(INFO_SET, centre_id, self.fd.clock.now(), centre_id, info)])
        self._info[centre_id] = text
        return text

    def record_fault(self, fault: DeviceFault) -> dict[str, Any]:
        """Keep a device fault until a manager clears it."""
        recorded = DeviceFaultRecorded(
            device=fault.device,
            centre_id=fault.centre_id,
            kind=fault.kind,
            detail=fault.detail,
            at=fault.at,
        )
        with self.fd.store.transaction() as tx:
            seq_key = f"fault-{tx.counter('display.fault')}"
            tx.append([NewEvent(FAULT, seq_key, self.fd.clock.now(), fault.centre_id, recorded)])
        record = {"id": seq_key, **_fault_record(recorded)}
        self._faults[seq_key] = record
        self._trim()
        return record

    def clear_fault(self, fault_id: str, *, by: str) -> dict[str, Any]:
        """A manager dealt with a fault: it leaves the dashboard."""
        fault = self._faults.get(fault_id)
        if fault is None:
            raise NotFoundError(f"no open device fault '{fault_id}'")
        self.fd.store.append(
            [
                NewEvent(
                    FAULT_CLEARED,
                    fault_id,
                    self.fd.clock.now(),
                    fault["centre_id"],
                    FaultCleared(by=by),
                )
            ]
        )
        del self._faults[fault_id]
        return fault

    def faults(self, centre_id: str | None = None) -> list[dict[str, Any]]:
        """Open faults, newest first (of one centre, or every centre)."""
        found = [
            {"id": key, **{k: v for k, v in f.items() if k != "id"}}
            for key, f in self._faults.items()
            if centre_id is None or f.get("centre_id") == centre_id
        ]
        return list(reversed(found))

    def _centre(self, centre_id: str) -> None:
        try:
            self.fd.config.centre(centre_id)
        except KeyError:
            raise NotFoundError(f"no centre '{centre_id}'") from None

    def _trim(self) -> None:
        while len(self._faults) > FAULTS_KEPT:
            del self._faults[next(iter(self._faults))]
