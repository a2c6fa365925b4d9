"""The event contract: one record per kind, a version on every stored event, upcasting,
and a clear stop at an event this release cannot read."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk_core import events
from frontdesk_core.app import Frontdesk
from frontdesk_core.clock import ManualClock
from frontdesk_core.errors import EventLogError
from frontdesk_core.events import (
    ForeignPayload,
    NewEvent,
    Payload,
    QueuesAssigned,
    TicketIssued,
    decode,
    encode,
)
from frontdesk_core.plugins import make_plugin_manager
from frontdesk_core.store.sqlite import SqliteStore

ROOT = Path(__file__).parents[2]
LEGACY = Path(__file__).parent / "data" / "legacy.db"
CONFIG = ROOT / "examples" / "kobenhavn"
CPH = ZoneInfo("Europe/Copenhagen")


def test_every_core_kind_has_one_frozen_record() -> None:
    registered = events.kinds()
    for kind, record in registered.items():
        assert kind == record.KIND
        assert dataclasses.is_dataclass(record)
        assert record.__dataclass_params__.frozen, kind  # type: ignore[attr-defined]
        assert record.VERSION >= 1
    core = {k for k in registered if k.split(".")[0] in events.registry.CORE_NAMESPACES}
    assert len(core) == 30


def test_a_record_survives_its_stored_form() -> None:
    issued = TicketIssued(
        number="P001",
        queue_id="pas",
        priority=2,
        language="da",
        day=date(2026, 12, 1),
        appointment_at=datetime(2026, 12, 1, 10, 30, tzinfo=CPH),
    )
    stored = json.loads(json.dumps(encode(issued)))
    assert "note" not in stored  # None fields are left out, as release 0 wrote them
    assert decode(issued.KIND, issued.VERSION, stored) == issued


@given(
    queue_ids=st.lists(st.text(min_size=1, max_size=5), min_size=1, max_size=4).map(tuple),
    before=st.none() | st.lists(st.text(max_size=5), max_size=3).map(tuple),
)
def test_queue_assignments_round_trip(
    queue_ids: tuple[str, ...], before: tuple[str, ...] | None
) -> None:
    record = QueuesAssigned(queue_ids, from_queues=before)
    assert decode(record.KIND, 2, json.loads(json.dumps(encode(record)))) == record


def test_an_old_shape_is_upcast_when_read() -> None:
    old = {"queue_ids": ["generel", "pas"], "from": ["skat"]}
    assert decode("counter.queues_assigned", 1, old) == QueuesAssigned(
        ("generel", "pas"), from_queues=("skat",)
    )


def test_a_payload_that_does_not_fit_names_the_event() -> None:
    with pytest.raises(EventLogError) as caught:
        decode("ticket.called", 1, {"counter": "c1"}, seq=41)
    assert (caught.value.seq, caught.value.kind, caught.value.version) == (
        41,
        "ticket.called",
        1,
    )
    assert "event 41" in str(caught.value) and "counter" in str(caught.value)


@pytest.mark.parametrize("stored", [["c1"], "c1", 7, None])
def test_a_stored_payload_that_is_no_mapping_names_the_event(stored: object) -> None:
    with pytest.raises(EventLogError, match=r"event 42 .*no field mapping") as caught:
        decode("ticket.called", 1, stored, seq=42)  # type: ignore[arg-type]
    assert (caught.value.seq, caught.value.kind) == (42, "ticket.called")
    with pytest.raises(EventLogError, match="event 43 "):
        events.registry.decode_json("ticket.called", 1, '["c1"]', seq=43)


def test_a_plugin_kind_not_installed_here_is_carried_not_refused() -> None:
    payload = decode("someplugin.noted", 3, {"x": 1}, seq=5)
    assert payload == ForeignPayload("someplugin.noted", 3, {"x": 1})
    assert encode(payload) == {"x": 1}


def test_writers_must_use_registered_kinds() -> None:
    with pytest.raises(ValueError, match="unknown event kind"):
        NewEvent("ticket.snoozed", "t1", datetime(2026, 1, 1, tzinfo=CPH), "main", {})
    with pytest.raises(ValueError, match="no payload of"):
        at = datetime(2026, 1, 1, tzinfo=CPH)
        NewEvent("ticket.called", "t1", at, "main", TicketIssued("P1", "q"))


def test_a_log_written_before_versions_gets_version_1(tmp_path: Path) -> None:
    db = tmp_path / "legacy.db"
    shutil.copy(LEGACY, db)
    with sqlite3.connect(db) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(events)")]
    assert "version" not in columns  # the fixture is as release 0 left it
    store = SqliteStore(str(db))
    assert {v for _, v, _ in store.kind_versions()} == {1}
    assigned = [e for e in store.read(kinds=["counter.queues_assigned"])]
    assert assigned[0].version == 1 and assigned[0].payload.from_queues == ("skat",)
    store.close()


def _poison(db: Path, kind: str, version: int) -> int:
    """Append an event a later release might write; return its seq."""
    with sqlite3.connect(db) as conn:
        cursor = conn.execute(
            "INSERT INTO events (at, kind, key, centre_id, data, version) "
            "VALUES ('2026-12-03T09:00:00+00:00', ?, 'x', 'nyropsgade', '{}', ?)",
            (kind, version),
        )
        return int(cursor.lastrowid or 0)


def _snapshot(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT * FROM events ORDER BY seq").fetchall()


@pytest.mark.parametrize(
    ("kind", "version", "words"),
    [
        ("ticket.snoozed", 1, "does not know"),
        ("ticket.issued", 2, "newer than the version 1"),
    ],
)
def test_an_event_this_release_cannot_read_stops_the_start_and_changes_nothing(
    tmp_path: Path, kind: str, version: int, words: str
) -> None:
    db = tmp_path / "legacy.db"
    shutil.copy(LEGACY, db)
    SqliteStore(str(db)).close()  # today's table
    seq = _poison(db, kind, version)
    before = _snapshot(db)
    clock = ManualClock(datetime(2026, 12, 3, 9, 30, tzinfo=CPH))
    pm = make_plugin_manager(load_entrypoints=False)
    with pytest.raises(EventLogError) as caught:
        Frontdesk.open(CONFIG, store=str(db), clock=clock, plugins=pm)
    error = caught.value
    assert (error.seq, error.kind, error.version) == (seq, kind, version)
    assert f"event {seq}" in str(error) and kind in str(error) and words in str(error)
    assert _snapshot(db) == before


def test_the_command_line_says_so_without_a_traceback(tmp_path: Path) -> None:
    db = tmp_path / "legacy.db"
    shutil.copy(LEGACY, db)
    SqliteStore(str(db)).close()
    seq = _poison(db, "ticket.issued", 9)
    found = subprocess.run(
        [str(Path(sys.executable).parent / "frontdesk"), "stats", "--db", str(db)],
        capture_output=True,
        text=True,
        env={"FRONTDESK_LOAD_PLUGINS": "", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert found.returncode != 0
    assert "Traceback" not in found.stderr
    assert f"event {seq}" in found.stderr and "version 9" in found.stderr


_STORED_VALUES = st.one_of(
    st.none(),
    st.text(max_size=5),
    st.integers(-3, 3),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["2026-03-03", "2026-03-03T09:00:00+01:00", "x"]),
    st.lists(st.sampled_from(["pass", "tax", 1]), max_size=3),
    st.dictionaries(st.sampled_from(["pass", "tax"]), st.lists(st.floats(0, 9), max_size=2)),
)


@settings(max_examples=300)
@given(st.data())
def test_a_kinds_written_out_reader_reads_as_the_loop_over_its_fields(data: st.DataObject) -> None:
    """Each slotted kind is read by a function written out for it (``fill``); on any
    stored mapping, right or wrong, it gives the record or the error the plain loop
    over the fields gives."""
    from frontdesk_core.events import registry

    kind = data.draw(st.sampled_from(sorted(registry._KINDS)))
    known = registry._KINDS[kind]
    if kind.split(".")[0] in registry.CORE_NAMESPACES:
        assert registry._filler(known.record, known.reading), f"{kind}'s record has no slots"
    names = [f.name for f in known.fields]
    if data.draw(st.booleans()):  # a record as a store writes it: every field right
        written = encode(data.draw(st.builds(known.record)))
        stored = json.loads(json.dumps(written))
    else:
        stored = data.draw(
            st.dictionaries(st.sampled_from([*names, "unknown"]), _STORED_VALUES, max_size=12)
        )
    outcomes = []
    for read in (registry._build, registry._build_looped):
        try:
            outcomes.append(read(known, stored))
        except ValueError as exc:
            outcomes.append(str(exc))
    assert outcomes[0] == outcomes[1]
    if not isinstance(outcomes[0], str):
        assert type(outcomes[0]) is known.record


_NO_RECORD = [
    "",
    "[1]",
    '"c1"',
    "null",
    '{"counter_id":"c1"',
    '{"counter_id":"c1"} x',
    # Each unreadable alone, yet joined into one JSON array they read as three mappings.
    '{"a":"}',
    '{","b":1}',
    '{"c":1},{"d":2}',
]


@st.composite
def _stored_rows(draw: st.DrawFn) -> tuple[str, int, str]:
    """A stored (kind, version, text): mostly as a store writes it, at times not."""
    from frontdesk_core.events import registry

    kind = draw(st.sampled_from([*sorted(registry._KINDS), "ticket.snoozed", "plugin.noted"]))
    known = registry._KINDS.get(kind)
    version = known.record.VERSION if known is not None else 1
    if known is not None and draw(st.integers(0, 3)):
        text = json.dumps(encode(draw(st.builds(known.record))), separators=(",", ":"))
        text = draw(st.sampled_from(["{}", " {} ", "{}\n"])).replace("{}", text)
    else:
        text = draw(st.sampled_from([*_NO_RECORD, '{"counter_id":"c1"}', '{"x":1}']))
    if not draw(st.integers(0, 9)):
        version = draw(st.sampled_from([1, version + 1]))
    return kind, version, text


def _outcome(read: Callable[[], list[Payload]]) -> object:
    from frontdesk_core.events import registry

    registry._DECODED.clear()  # each way reads every payload itself
    try:
        return read()
    except EventLogError as exc:
        return (exc.seq, exc.kind, exc.version, str(exc))


@settings(max_examples=300)
@given(pool=st.lists(_stored_rows(), min_size=1, max_size=6), picks=st.lists(st.integers(0, 5)))
def test_a_batch_of_stored_payloads_reads_as_each_payload_alone(
    pool: list[tuple[str, int, str]], picks: list[int]
) -> None:
    """``decode_rows`` gives the records ``decode_json`` gives row by row, or stops at the
    same row with the same error; rows repeat, as a log's payloads do."""
    from frontdesk_core.events import registry

    rows = [pool[i % len(pool)] for i in picks]
    kinds = [kind for kind, _, _ in rows]
    versions = [version for _, version, _ in rows]
    texts = [text for _, _, text in rows]
    seqs = list(range(100, 100 + len(rows)))
    batch = _outcome(lambda: registry.decode_rows(kinds, versions, texts, seqs))
    alone = _outcome(
        lambda: [registry.decode_json(*row, seq=s) for row, s in zip(rows, seqs, strict=True)]
    )
    assert batch == alone


@pytest.mark.parametrize("kind", ["ticket.called", "plugin.noted"])
@pytest.mark.parametrize("bad", range(len(_NO_RECORD)))
def test_a_batch_names_the_first_payload_that_holds_no_record(kind: str, bad: int) -> None:
    """Whatever follows it (a plugin's kind takes any mapping), the batch stops at the
    first row that holds no record, with the error that row gives alone."""
    from frontdesk_core.events import registry

    texts = ['{"counter_id":"c1"}', *_NO_RECORD[bad:], '{"counter_id":"c2"}']
    with pytest.raises(EventLogError) as alone:
        registry.decode_json(kind, 1, _NO_RECORD[bad], seq=8)
    registry._DECODED.clear()
    with pytest.raises(EventLogError) as caught:
        registry.decode_rows([kind] * len(texts), [1] * len(texts), texts, range(7, 7 + len(texts)))
    assert (caught.value.seq, caught.value.kind, caught.value.version) == (8, kind, 1)
    assert str(caught.value) == str(alone.value)


def test_a_batch_remembers_the_payloads_it_holds_more_than_once() -> None:
    from frontdesk_core.events import registry

    registry._DECODED.clear()
    issued = '{"number":"P001","queue_id":"pass"}'
    called = '{"counter_id":"c1"}'
    texts = [issued, called, called, called]
    kinds = ["ticket.issued", *["ticket.called"] * 3]
    read = registry.decode_rows(kinds, [1] * 4, texts, range(1, 5))
    assert read == [TicketIssued("P001", "pass"), *[read[1]] * 3]
    assert set(registry._DECODED) == {("ticket.called", 1, called)}
