"""The one registry of event kinds: payload records, their versions, and upcasters.

A payload record registers itself with :func:`event_kind`; the core's kinds are
registered when :mod:`frontdesk_core.events` is imported, a plugin's when its
module is. The registry turns a record into the plain mapping a store writes
(:func:`encode`) and a stored mapping of any known version back into today's
record (:func:`decode`), upcasting older shapes on the way, as the
``eventsourcing`` library does (an old event is never rewritten in place).

Field types a payload may use: ``str``, ``int``, ``float``, ``bool``, ``date``,
``datetime``, ``tuple[X, ...]`` and ``dict[str, X]`` of those, each optionally
``| None``. A ``None`` field is left out of the stored mapping, and a missing
optional field reads as its default.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from json.scanner import make_scanner
from typing import Any, TypeVar

from frontdesk_core.drafts import Drafts, quick_init
from frontdesk_core.errors import EventLogError
from frontdesk_core.events.base import ForeignPayload, Payload

P = TypeVar("P", bound=type[Payload])
Convert = Callable[[Any], Any]
Upcast = Callable[[dict[str, Any]], dict[str, Any]]

CORE_NAMESPACES = frozenset({"ticket", "counter", "day", "booking", "kiosk"})
"""Kinds under these prefixes belong to the core: one it does not know is an error."""


class _Missing:
    """Marks a field with no default: the stored mapping must hold it."""


_REQUIRED = _Missing()


@dataclasses.dataclass(frozen=True)
class _Field:
    name: str
    encode: Convert | None
    decode: Convert
    default: Any
    plain: type | None = None
    """The field's type when it is a JSON scalar (str, int, bool; or one of them or
    None): a stored value of exactly that type is taken as it is, without a decode."""


@dataclasses.dataclass(frozen=True)
class _Kind:
    record: type[Payload]
    fields: tuple[_Field, ...]
    names: frozenset[str]
    reading: tuple[tuple[str, Any, type | None, Convert], ...] = ()
    """Per field its name, default, plain type and decoder: what a read looks at, flat."""


_KINDS: dict[str, _Kind] = {}
_UPCASTERS: dict[tuple[str, int], Upcast] = {}


def _check(kind: type, value: Any) -> Any:
    found = type(value)
    if found is kind:
        return value
    if kind is float and found is int:
        return float(value)  # JSON writes 2.0 as 2
    raise TypeError(f"expected {kind.__name__}, got {found.__name__}")


_day = functools.lru_cache(maxsize=512)(date.fromisoformat)
"""A stored day read back: a log's events name the same few days again and again."""


_INNER: dict[Convert, Convert] = {}
"""Each optional field's reader and the reader of its value when it is not None."""


def _read_day(value: Any) -> date:
    """A stored day (ISO text) read back."""
    return _day(value if type(value) is str else _check(str, value))


def _optional(enc: Convert | None, dec: Convert) -> tuple[Convert | None, Convert]:
    def read(value: Any) -> Any:
        return None if value is None else dec(value)

    _INNER[read] = dec
    if enc is None:
        return None, read
    write = enc
    return (lambda value: None if value is None else write(value)), read


def _converters(hint: Any) -> tuple[Convert | None, Convert]:
    """How a field of type ``hint`` is written (``None``: as it is) and read back."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) != 1:
            raise TypeError(f"a payload field is one type or None, not {hint}")
        return _optional(*_converters(args[0]))
    if hint is datetime:
        return (lambda v: v.isoformat()), (lambda v: datetime.fromisoformat(_check(str, v)))
    if hint is date:
        return (lambda v: v.isoformat()), _read_day
    if hint in (str, int, float, bool):
        return None, (lambda v, t=hint: _check(t, v))
    if origin is tuple:
        item_enc, item_dec = _converters(typing.get_args(hint)[0])
        enc = (lambda v: [item_enc(i) for i in v]) if item_enc is not None else list
        return enc, (lambda v: tuple(item_dec(i) for i in _check(list, v)))
    if origin is dict:
        value_enc, value_dec = _converters(typing.get_args(hint)[1])
        if value_enc is None:
            return dict, (
                lambda v: {_check(str, k): value_dec(x) for k, x in _check(dict, v).items()}
            )
        return (
            lambda v: {k: value_enc(x) for k, x in v.items()},
            lambda v: {_check(str, k): value_dec(x) for k, x in _check(dict, v).items()},
        )
    raise TypeError(f"a payload field cannot be of type {hint}")


def _plain(hint: Any) -> type | None:
    """``str``, ``int`` or ``bool`` for a field of that type (or of it or None)."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        hint = args[0] if len(args) == 1 else None
    return hint if hint in (str, int, bool) else None


QUICK_FROM = 2
"""A slotted payload of this many fields or more is made through
:func:`~frontdesk_core.drafts.quick_init` (measured: 0.21 against 0.25 µs with two
fields, 0.26 against 0.61 with eight)."""


def event_kind(record: P) -> P:
    """Register a payload record (a frozen dataclass with ``KIND`` and ``VERSION``)."""
    kind = record.KIND
    if not kind or "." not in kind:
        raise TypeError(f"{record.__name__}.KIND must be 'namespace.name', not {kind!r}")
    if not dataclasses.is_dataclass(record):
        raise TypeError(f"{record.__name__} must be a frozen dataclass")
    known = _KINDS.get(kind)
    if known is not None and known.record is not record:
        raise TypeError(f"event kind '{kind}' is registered already ({known.record.__name__})")
    hints = typing.get_type_hints(record)
    fields = []
    for f in dataclasses.fields(record):
        enc, dec = _converters(hints[f.name])
        default = f.default if f.default is not dataclasses.MISSING else _REQUIRED
        fields.append(_Field(f.name, enc, dec, default, _plain(hints[f.name])))
    reading = tuple((f.name, f.default, f.plain, f.decode) for f in fields)
    names = frozenset(f.name for f in fields)
    _KINDS[kind] = _Kind(record, tuple(fields), names, reading)
    if len(fields) >= QUICK_FROM and "__slots__" in vars(record):
        quick_init(record)  # made on every command of its kind: filled as a draft
    return record


def upcaster(kind: str, version: int) -> Callable[[Upcast], Upcast]:
    """Register how a stored ``kind`` payload of ``version`` becomes ``version + 1``.

    The function takes and returns the plain mapping, so it never depends on
    today's record.
    """

    def register(upcast: Upcast) -> Upcast:
        _UPCASTERS[(kind, version)] = upcast
        return upcast

    return register


def payload_type(kind: str) -> type[Payload] | None:
    """The record registered for ``kind`` (``None``: not known to this process)."""
    known = _KINDS.get(kind)
    return known.record if known is not None else None


def kinds() -> dict[str, type[Payload]]:
    """Every registered kind and its record."""
    return {kind: known.record for kind, known in sorted(_KINDS.items())}


def encode(payload: Payload) -> dict[str, Any]:
    """The plain mapping (JSON types) a store writes for ``payload``."""
    if isinstance(payload, ForeignPayload):
        return dict(payload.fields)
    known = _KINDS[payload.KIND]
    out: dict[str, Any] = {}
    for f in known.fields:
        value = getattr(payload, f.name)
        if value is not None:
            out[f.name] = f.encode(value) if f.encode is not None else value
    return out


def _unreadable(kind: str, version: int, seq: int) -> EventLogError | None:
    """Why this release cannot read an event of ``kind`` and ``version``, if it cannot:
    a core kind it does not know, or a version newer than it knows. A plugin's kind
    that is not registered here is no reason (it is carried, not read)."""
    known = _KINDS.get(kind)
    if known is None:
        if kind.split(".", 1)[0] not in CORE_NAMESPACES:
            return None
        message = (
            f"event {seq} is of kind '{kind}' (version {version}), which this release of "
            "frontdesk does not know; was the log written by a newer release, or by a "
            "plugin that is not installed?"
        )
    elif version > known.record.VERSION:
        message = (
            f"event {seq} ('{kind}') is version {version}, newer than the version "
            f"{known.record.VERSION} this release reads; upgrade frontdesk to read this log"
        )
    else:
        return None
    return EventLogError(message, seq=seq, kind=kind, version=version)


def decode(kind: str, version: int, data: Mapping[str, Any], *, seq: int = 0) -> Payload:
    """Today's record for a stored ``kind`` payload of ``version``.

    Raises :class:`EventLogError` (naming ``seq``, kind and version) when the
    kind is a core kind this release does not know, the version is newer than
    it knows, or the payload does not fit the record. A plugin's kind that is
    not registered here reads as a :class:`ForeignPayload`.
    """
    known = _KINDS.get(kind)
    if known is not None and version == known.record.VERSION and type(data) is dict:
        values: Mapping[str, Any] = data  # today's shape: read as it is stored
    else:
        values = _upcast(kind, version, data, seq)
        if known is None:
            return ForeignPayload(kind, version, dict(data))
    try:
        return _build(known, values)
    except (TypeError, ValueError) as exc:
        raise EventLogError(
            f"event {seq} ('{kind}', version {version}) does not fit its kind: {exc}",
            seq=seq,
            kind=kind,
            version=version,
        ) from None


def _upcast(kind: str, version: int, data: Mapping[str, Any], seq: int) -> dict[str, Any]:
    """A stored payload of an older ``version`` in today's shape (a foreign kind's as it
    is), or why this release cannot read it."""
    refused = _unreadable(kind, version, seq)
    if refused is not None:
        raise refused
    if not isinstance(data, Mapping):
        raise EventLogError(
            f"event {seq} ('{kind}', version {version}) holds no field mapping",
            seq=seq,
            kind=kind,
            version=version,
        )
    values = dict(data)
    known = _KINDS.get(kind)
    if known is None:
        return values
    current = known.record.VERSION
    for step in range(version, current):
        upcast = _UPCASTERS.get((kind, step))
        if upcast is None:
            raise EventLogError(
                f"event {seq} ('{kind}') is version {version}, and this release cannot "
                f"read version {step} any more",
                seq=seq,
                kind=kind,
                version=version,
            )
        values = upcast(values)
    return values


_DECODED: dict[tuple[str, int, str], Payload] = {}
DECODED_KEPT = 4096
"""How many stored payloads :func:`decode_json` remembers (a log repeats most of them)."""


def decode_json(kind: str, version: int, text: str, *, seq: int = 0) -> Payload:
    """:func:`decode` of a payload stored as JSON text.

    Most payloads of a log repeat exactly (``{"counter_id":"c1"}``), and records
    are immutable, so the ones seen lately are shared instead of parsed again.
    """
    key = (kind, version, text)
    found = _DECODED.get(key)
    if found is None:
        try:
            data = json.loads(text)
        except ValueError:
            raise EventLogError(
                f"event {seq} ('{kind}', version {version}) holds no readable payload",
                seq=seq,
                kind=kind,
                version=version,
            ) from None
        found = decode(kind, version, data, seq=seq)
        if len(_DECODED) >= DECODED_KEPT:
            _DECODED.clear()
        _DECODED[key] = found
    return found


# typeshed asks for a scanner as the context; the scanner reads a decoder's settings.
_scan: Callable[[str, int], tuple[Any, int]] = make_scanner(json.JSONDecoder())  # type: ignore[arg-type]
"""The JSON reader under ``json.loads``, called on its own: ``scan(text, 0)`` gives the value
at the start of ``text`` and where it ends. ``json.loads`` costs about three times as much
per payload, in the checks around this call (leading and trailing whitespace, extra data)."""


def decode_rows(
    kinds: Sequence[str], versions: Sequence[int], texts: Sequence[str], seqs: Sequence[int]
) -> list[Payload]:
    """:func:`decode_json` of each row (``kinds[i]``, ``versions[i]``, ``texts[i]``, ``seqs[i]``),
    in order: the same records, and the same :class:`EventLogError` for the first row that
    cannot be read.

    A replay's way to read a batch of stored payloads: the ones seen lately are looked up
    in one pass, and each of the others is read by the JSON reader alone when the text is
    exactly one JSON value; any other text (whitespace around it, no JSON) goes through
    :func:`decode_json`, which reads it or names the event that holds it. Only the
    payloads the batch holds more than once are remembered for later batches: most
    others are unique to their event (a ticket's number), and remembering them would
    push out the ones that repeat.
    """
    decoded = _DECODED
    found: list[Payload | None] = list(map(decoded.get, zip(kinds, versions, texts, strict=True)))
    once: dict[tuple[str, int, str], Payload] = {}
    for i in [i for i, payload in enumerate(found) if payload is None]:
        kind, version, text = kinds[i], versions[i], texts[i]
        key = (kind, version, text)
        payload = once.pop(key, None)
        if payload is not None:  # met again in this batch: worth remembering
            if len(decoded) >= DECODED_KEPT:
                decoded.clear()
            decoded[key] = payload
        elif (payload := decoded.get(key)) is None:
            try:
                data, end = _scan(text, 0)
            except (StopIteration, ValueError):
                end = -1
            if end != len(text):
                payload = decode_json(kind, version, text, seq=seqs[i])
            else:
                payload = once[key] = decode(kind, version, data, seq=seqs[i])
        found[i] = payload
    return typing.cast("list[Payload]", found)  # every None was replaced


_FILLS: dict[type[Payload], Callable[[Mapping[str, Any]], Payload] | None] = {}
"""Per record, its reader written out (:func:`_filler`), made when it is first read."""


def _build(known: _Kind, values: Mapping[str, Any]) -> Payload:
    record = known.record
    try:
        fill = _FILLS[record]
    except KeyError:
        fill = _FILLS[record] = _filler(record, known.reading)
    if fill is None:
        return _build_looped(known, values)
    return fill(values)  # it checks the names first, as _build_looped does


def _check_names(known: _Kind, values: Mapping[str, Any]) -> None:
    if not known.names.issuperset(values):
        _unknown_names(known.names, values)


def _unknown_names(names: frozenset[str], values: Mapping[str, Any]) -> None:
    extra = values.keys() - names
    raise ValueError(f"unknown field(s) {', '.join(sorted(map(str, extra)))}")


def _build_looped(known: _Kind, values: Mapping[str, Any]) -> Payload:
    """:func:`_build` field by field (a record without slots; and the reference the
    written-out readers are tested against)."""
    _check_names(known, values)
    args: dict[str, Any] = {}
    for name, default, plain, decode in known.reading:
        value = values.get(name, default)
        if value is default or type(value) is plain:
            if value is _REQUIRED:
                raise ValueError(f"field '{name}' is missing")
            args[name] = value
            continue
        try:
            args[name] = decode(value)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"field '{name}': {exc}") from None
    return known.record(**args)


def _filler(
    record: type[Payload], reading: tuple[tuple[str, Any, type | None, Convert], ...]
) -> Callable[[Mapping[str, Any]], Payload] | None:
    """What :func:`_build_looped` does for ``record``, written out as one function: the
    names checked, then each field read, taken as it is when it is its default or of its
    plain type, else decoded (an optional field whose default is None by the reader of
    its value), into a draft of the record, sealed at the end. ``None`` for a record
    without slots (a plugin's may have none): it is then read field by field."""
    try:
        drafts = Drafts(record)
    except TypeError:
        return None
    scope: dict[str, Any] = {
        "new": drafts.new,
        "Record": record,
        "REQUIRED": _REQUIRED,
        "names": frozenset(name for name, *_ in reading),
        "unknown_names": _unknown_names,
    }
    lines = [
        "def fill(values):",
        "    if not names.issuperset(values):",
        "        unknown_names(names, values)",
        "    draft = new()",
    ]
    for i, (name, default, plain, decode) in enumerate(reading):
        if default is None:  # a None read is the default, taken as it is: the rest is read
            decode = _INNER.get(decode, decode)  # without the optional's None check
        scope[f"default_{i}"], scope[f"decode_{i}"] = default, decode
        lines.append(f"    value = values.get({name!r}, default_{i})")
        if plain is not None:
            scope[f"plain_{i}"] = plain
            taken = f"value is not default_{i} and type(value) is not plain_{i}"
        else:
            taken = f"value is not default_{i}"
        if default is _REQUIRED:
            taken = f"value is REQUIRED or {taken}"
        lines.append(f"    if {taken}:")
        scope[f"missing_{i}"] = f"field '{name}' is missing"  # _build_looped's messages
        scope[f"unfit_{i}"] = f"field '{name}': "
        if default is _REQUIRED:
            lines.append("        if value is REQUIRED:")
            lines.append(f"            raise ValueError(missing_{i})")
        lines.append("        try:")
        lines.append(f"            value = decode_{i}(value)")
        lines.append("        except (TypeError, ValueError) as exc:")
        lines.append(f"            raise ValueError(unfit_{i} + str(exc)) from None")
        lines.append(f"    draft.{name} = value")
    lines += ["    draft.__class__ = Record", "    return draft"]
    exec("\n".join(lines), scope)  # the names are the record's own fields
    fill: Callable[[Mapping[str, Any]], Payload] = scope["fill"]
    return fill


def coerce(kind: str, payload: Any) -> Payload:
    """``payload`` as ``kind``'s record: a record is checked, a mapping is built into one."""
    known = _KINDS.get(kind)
    if known is None:
        raise ValueError(f"unknown event kind '{kind}': register its payload record first")
    if type(payload) is known.record:
        found: Payload = payload
        return found
    if isinstance(payload, Payload):
        raise ValueError(f"a {type(payload).__name__} is no payload of '{kind}'")
    try:
        return _build(known, payload if payload is not None else {})
    except (TypeError, ValueError) as exc:
        raise ValueError(f"payload of '{kind}': {exc}") from None


def check_kinds(found: Iterable[tuple[str, int, int]]) -> None:
    """Check the kinds a log holds, as ``(kind, version, first seq)`` triples.

    The first event (by ``seq``) this release cannot read raises
    :class:`EventLogError`; a plugin's kind that is not registered is left to
    that plugin (it may simply not be installed here).
    """
    for kind, version, seq in sorted(found, key=lambda row: row[2]):
        refused = _unreadable(kind, version, seq)
        if refused is not None:
            raise refused
