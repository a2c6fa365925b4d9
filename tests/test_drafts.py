"""Records filled as drafts and sealed are the frozen records ``__init__`` would build."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from frontdesk_core.drafts import Drafts, quick_init
from frontdesk_core.events import queues as E
from frontdesk_core.queues.counters import CounterState, CounterStatus
from frontdesk_core.queues.tickets import Ticket, TicketState

AT = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


def _ticket() -> Ticket:
    return Ticket("t1", "P001", "pass", "main", TicketState.WAITING, AT, AT, day=date(2026, 3, 3))


def test_a_sealed_copy_is_a_frozen_record_equal_to_one_built_by_init() -> None:
    drafts = Drafts(Ticket)
    draft = drafts.copy(_ticket())
    draft.state = TicketState.CALLED
    draft.counter_id = "c1"
    draft.__class__ = Ticket
    assert type(draft) is Ticket
    assert draft == dataclasses.replace(_ticket(), state=TicketState.CALLED, counter_id="c1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        draft.state = TicketState.DONE
    assert pickle.loads(pickle.dumps(draft)) == draft
    assert hash(draft) == hash(dataclasses.replace(draft))
    assert draft.is_open


def test_writable_copies_a_sealed_record_and_hands_a_draft_back_as_it_is() -> None:
    drafts = Drafts(Ticket)
    sealed = _ticket()
    draft = drafts.writable(sealed)
    assert draft is not sealed and type(draft) is drafts.draft
    draft.state = TicketState.CALLED
    assert sealed.state is TicketState.WAITING  # the sealed record is untouched
    assert drafts.writable(draft) is draft
    draft.__class__ = Ticket
    assert drafts.writable(draft) is not draft


def test_replace_changes_only_what_it_is_given_and_refuses_unknown_fields() -> None:
    counters = Drafts(CounterState)
    before = CounterState("c1", "main", ("pass",))
    after = counters.replace(before, status=CounterStatus.OPEN, ticket_id="t1")
    assert after == CounterState("c1", "main", ("pass",), CounterStatus.OPEN, ticket_id="t1")
    assert before.status is CounterStatus.CLOSED  # the original is untouched
    with pytest.raises(AttributeError):
        counters.replace(before, ticket="t1")


def test_a_blank_draft_on_a_payload_record_seals_into_that_record() -> None:
    drafts = Drafts(E.TicketIssued)
    draft = drafts.new()
    for name, value in zip(drafts.names, ("P001", "pass", 0, "da"), strict=False):
        setattr(draft, name, value)
    for name in drafts.names[4:]:
        setattr(draft, name, None)
    draft.__class__ = E.TicketIssued
    assert draft == E.TicketIssued("P001", "pass", 0, "da", None)
    assert isinstance(draft, E.TicketIssued) and draft.KIND == "ticket.issued"


def test_only_frozen_slotted_dataclasses_have_drafts() -> None:
    @dataclass(frozen=True)
    class WithDict:
        a: int

    @dataclass(slots=True)
    class Mutable:
        a: int

    for record in (WithDict, Mutable, int):
        with pytest.raises(TypeError):
            Drafts(record)


@quick_init
@dataclass(frozen=True, slots=True)
class _Sample:
    a: int
    b: str = "b"
    c: list[int] = dataclasses.field(default_factory=list)
    d: tuple[int, ...] = ()
    e: int = dataclasses.field(default=5, kw_only=True)


@dataclass(frozen=True, slots=True)
class _Plain:
    a: int
    b: str = "b"
    c: list[int] = dataclasses.field(default_factory=list)
    d: tuple[int, ...] = ()
    e: int = dataclasses.field(default=5, kw_only=True)


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((1,), {}), ((1, "x"), {}), ((1, "x", [2], (3,)), {"e": 6}), ((), {"a": 2, "d": (1,)})],
)
def test_a_quick_init_makes_what_the_dataclass_makes(
    args: tuple[object, ...], kwargs: dict[str, object]
) -> None:
    quick, plain = _Sample(*args, **kwargs), _Plain(*args, **kwargs)  # type: ignore[arg-type]
    assert type(quick) is _Sample
    assert dataclasses.astuple(quick) == dataclasses.astuple(plain)
    assert dataclasses.replace(quick, b="y").b == "y"
    assert pickle.loads(pickle.dumps(quick)) == quick
    with pytest.raises(dataclasses.FrozenInstanceError):
        quick.a = 3  # type: ignore[misc]
    # Each record gets its own list from the factory, as the dataclass's init gives.
    assert _Sample(1).c is not _Sample(1).c


def test_a_quick_init_refuses_what_it_does_not_fill() -> None:
    assert str(inspect.signature(_Sample)) == str(inspect.signature(_Plain))
    with pytest.raises(TypeError, match="missing"):
        _Sample()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        _Sample(1, "b", [], (), 5)  # type: ignore[misc]  # e is keyword-only

    @dataclass(frozen=True, slots=True)
    class Checked:
        a: int

        def __post_init__(self) -> None:
            pass

    with pytest.raises(TypeError, match="more than its fields"):
        quick_init(Checked)


def test_a_subclass_of_a_quick_record_is_made_by_the_dataclass() -> None:
    @dataclass(frozen=True, slots=True)
    class More(_Sample):
        f: int = 0

    made = More(1, f=2)
    assert (made.a, made.b, made.f, type(made)) == (1, "b", 2, More)


def test_a_quick_init_is_written_when_the_first_record_is_made() -> None:
    @quick_init
    @dataclass(frozen=True, slots=True)
    class Late:
        a: int
        b: str = "b"

    before = Late.__init__
    signature = str(inspect.signature(Late))
    assert signature == "(a: 'int', b: 'str' = 'b') -> None"
    assert Late(1) == Late(a=1, b="b")
    assert Late.__init__ is not before  # the written one took its place
    assert str(inspect.signature(Late)) == signature
