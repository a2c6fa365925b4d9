"""Frozen records filled fast: a mutable draft with the record's slots, then sealed.

A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``
(a call per field), and a record copied through its ``__dict__`` carries a
large dict of its own. The reducers make a record for every event they apply,
so for their records (tickets, counters, the issue's payload) they fill a
*draft* instead: an instance of a plain class with exactly the record's slots,
written with ordinary attribute stores, and then *seal* it by setting its
``__class__`` to the frozen record (Python allows that between classes with the
same slots). The sealed record is as frozen as one built by ``__init__``, equal
to it, and a few hundred bytes smaller than a record with a ``__dict__``::

    draft = TICKETS.copy(ticket)   # or TICKETS.new(), every field then set
    draft.state = TicketState.CALLED
    draft.__class__ = Ticket       # sealed: from here on it is a frozen Ticket

Drafts never leave the function that fills them, or the replay that owns them
(:func:`frontdesk_core.queues.state.replay` keeps the records it makes as drafts,
changed in place, and seals them all when it ends).

:func:`quick_init` gives such a record an ``__init__`` that fills it the same way:
the record's own signature and result, at a third of the cost of the generated
one for a record of a dozen fields (kiosk records, booking slots, event payloads).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from functools import partial
from typing import Any, Generic, TypeVar

R = TypeVar("R")


class Drafts(Generic[R]):
    """Drafts of one frozen, slotted dataclass ``record``."""

    def __init__(self, record: type[R]) -> None:
        fields = _slotted_fields(record)
        self.record = record
        self.names = fields
        # On the record's own bases: Python switches classes only within one layout.
        self.draft: type = type(f"{record.__name__}Draft", record.__bases__, {"__slots__": fields})
        self.new: Callable[[], Any] = partial(object.__new__, self.draft)
        """A blank draft: the caller sets every field, then seals it."""
        self.copy: Callable[[R], Any] = _copier(self.draft, fields)
        """A draft holding every field of a record: the caller changes some, then seals it."""
        self.writable: Callable[[Any], Any] = _copier(self.draft, fields, drafts_kept=True)
        """:attr:`copy` of a sealed record; a draft itself, as it is (its filler owns it)."""

    def replace(self, record: R, **changes: Any) -> R:
        """A sealed copy of ``record`` with ``changes`` (a misspelt field name fails)."""
        draft = self.copy(record)
        for name, value in changes.items():
            setattr(draft, name, value)
        draft.__class__ = self.record
        sealed: R = draft
        return sealed


def _slotted_fields(record: type) -> tuple[str, ...]:
    """The field names of a frozen dataclass whose slots are its fields (else TypeError)."""
    params = getattr(record, "__dataclass_params__", None)
    names = getattr(record, "__slots__", None)
    if params is None or not params.frozen or names is None:
        raise TypeError(f"{record.__name__} is no frozen dataclass with slots")
    fields = tuple(f.name for f in dataclasses.fields(record))
    if tuple(names) != fields:
        raise TypeError(f"{record.__name__}'s slots are not its fields")
    return fields


def _copier(
    draft: type, names: tuple[str, ...], *, drafts_kept: bool = False
) -> Callable[[Any], Any]:
    """A function copying every slot of a record into a new draft, written out; with
    ``drafts_kept``, one that returns a draft it is given as it is."""
    lines = ["def copy(record):"]
    if drafts_kept:
        lines += ["    if record.__class__ is Draft:", "        return record"]
    lines.append("    draft = new(Draft)")
    lines += [f"    draft.{name} = record.{name}" for name in names]
    lines.append("    return draft")
    scope: dict[str, Any] = {"new": object.__new__, "Draft": draft}
    exec("\n".join(lines), scope)  # the names are the dataclass's own fields
    copier: Callable[[Any], Any] = scope["copy"]
    return copier


_MISSING = dataclasses.MISSING


def quick_init(record: type[R]) -> type[R]:
    """Give a frozen, slotted dataclass an ``__init__`` that fills a draft and seals it.

    The signature is the dataclass's own (positional and keyword-only fields, their
    defaults and default factories) and so is the record made; a subclass's instance
    is made by the dataclass's own ``__init__``. A record with ``__post_init__`` or
    fields left out of ``__init__`` is refused (it would need more than filling).

    The ``__init__`` is written when the first record is made, not at import: a
    program starts without writing those of the records it never makes.
    """
    _slotted_fields(record)  # refuses what is no frozen dataclass with slots
    fields = dataclasses.fields(record)  # type: ignore[arg-type]
    if hasattr(record, "__post_init__") or any(not f.init for f in fields):
        raise TypeError(f"{record.__name__} needs more than its fields filled")
    own: Callable[..., None] = record.__init__  # type: ignore[misc]

    @functools.wraps(own)
    def first_init(self: Any, *args: Any, **kwargs: Any) -> None:
        init = _written_init(record, own)
        record.__init__ = init  # type: ignore[method-assign]
        init(self, *args, **kwargs)

    record.__init__ = first_init  # type: ignore[method-assign]
    return record


def _written_init(record: type, own: Callable[..., None]) -> Callable[..., None]:
    """:func:`quick_init`'s ``__init__`` for ``record`` (whose own is ``own``), written out."""
    scope: dict[str, Any] = {
        "Draft": Drafts(record).draft,
        "Record": record,
        "own_init": own,
        "set_class": object.__setattr__,
        "FACTORY": _FACTORY,
    }
    positional: list[str] = []
    keywords: list[str] = []
    fills: list[str] = []
    fields = dataclasses.fields(record)
    for f in fields:
        if f.default is not _MISSING:
            scope[f"default_{f.name}"] = f.default
            param = f"{f.name}=default_{f.name}"
        elif f.default_factory is not _MISSING:
            scope[f"factory_{f.name}"] = f.default_factory
            param = f"{f.name}=FACTORY"
            fills.append(f"    if {f.name} is FACTORY:\n        {f.name} = factory_{f.name}()")
        else:
            param = f.name
        (keywords if f.kw_only else positional).append(param)
    params = ", ".join(["self", *positional, *(["*", *keywords] if keywords else [])])
    names = [f.name for f in fields]
    lines = [
        f"def __init__({params}):",
        "    if type(self) is not Record:",
        f"        own_init(self, {', '.join(f'{n}={n}' for n in names)})",
        "        return",
        *fills,
        "    set_class(self, '__class__', Draft)",
        *(f"    self.{name} = {name}" for name in names),
        "    self.__class__ = Record",
    ]
    exec("\n".join(lines), scope)  # the names are the dataclass's own fields
    init: Callable[..., None] = scope["__init__"]
    functools.update_wrapper(init, own)  # its name, text and signature
    return init


class _Factory:
    """Marks a parameter whose default comes from its field's factory."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()
