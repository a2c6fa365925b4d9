"""One hierarchy of errors for everything frontdesk raises on purpose.

Every error carries structured fields and a message written for the person who
will read it: a department consultant for configuration problems, an
integrator for invalid commands.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar


class FrontdeskError(Exception):
    """Base class of every error frontdesk raises on purpose."""


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a configuration file, at a 1-based line and column."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class ConfigError(FrontdeskError):
    """A configuration (or scenario) file set has one or more problems.

    ``problems`` holds all of them, sorted by file and position, so a
    consultant can fix every mistake in one round.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class CommandError(FrontdeskError):
    """An invalid command (call on a closed counter, unknown queue, ...).

    Raised before anything is changed: the state stays as it was. The message is
    English, for an integrator or a log; ``code`` is a stable name of the mistake
    (``"booking.unknown_code"``, ``"phone.invalid"``, ``"booking.slot_taken"``...) and
    ``params`` its values (times as aware datetimes, counts as ints, never personal
    data), so a page can say it in its reader's language. An error without its own
    code has its class's: ``"command"``, ``"not_found"``, ``"invalid_state"``,
    ``"capacity"``.
    """

    default_code: ClassVar[str] = "command"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code or self.default_code
        self.params: dict[str, object] = dict(params or {})


class NotFoundError(CommandError):
    """A command names something that does not exist (queue, ticket, booking...)."""

    default_code = "not_found"


class InvalidStateError(CommandError):
    """A command does not fit the current state (finish a ticket not being served...)."""

    default_code = "invalid_state"


class CapacityError(CommandError):
    """A booking does not fit: the slot is full, too late, too far ahead..."""

    default_code = "capacity"


class StoreError(FrontdeskError):
    """The durable store cannot be opened or reached."""


class StaleWrite(StoreError):
    """An optimistic command was decided on a look at the log that others have since
    moved on: nothing of it was written, and run again it reads what they wrote.

    Only a caller that asked for an optimistic transaction
    (:meth:`~frontdesk_core.store.base.EventStore.optimistic`) sees it.
    """


class PluginError(FrontdeskError):
    """A plugin is broken (misspelt hook, failing registration, bad entry point)."""


class EventLogError(StoreError):
    """The log holds an event this release cannot read: an unknown kind, a newer
    version than the code knows, or a payload that does not fit its kind.

    Reading stops there and nothing is changed; ``seq``, ``kind`` and ``version``
    name the event.
    """

    def __init__(self, message: str, *, seq: int, kind: str, version: int) -> None:
        super().__init__(message)
        self.seq = seq
        self.kind = kind
        self.version = version
