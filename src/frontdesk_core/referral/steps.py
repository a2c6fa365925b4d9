"""What a kiosk shows at each step of a session, as plain data any front end can render."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from frontdesk_core.drafts import quick_init
from frontdesk_core.referral.outcomes import Outcome

StepKind = Literal["question", "info", "checklist", "outcome"]

CONTINUE = "continue"
"""The one option of an information step."""

DEFAULT_TEXTS: dict[str, dict[str, str]] = {
    "continue": {"da": "Fortsæt", "en": "Continue"},
    "queue": {
        "da": "Tag dit nummer. Du bliver kaldt frem på skærmen.",
        "en": "Take your number. You will be called on the screen.",
    },
    "refer": {
        "da": "Din henvendelse hører til et andet sted.",
        "en": "Your errand belongs elsewhere.",
    },
    "check_in": {"da": "Tjek ind med din bookingkode.", "en": "Check in with your booking code."},
    "book": {"da": "Vælg en ledig tid.", "en": "Choose a free time."},
}
"""Texts for steps the configuration leaves without one; other languages fall back to English."""


def default_text(name: str, language: str) -> str:
    """A built-in text in ``language`` (English when there is none in that language)."""
    texts = DEFAULT_TEXTS[name]
    return texts.get(language, texts["en"])


@dataclass(frozen=True)
class Choice:
    """A button: an option of a question, or 'continue' on an information step."""

    id: str
    label: str
    icon: str | None = None
    help: str | None = None


@dataclass(frozen=True)
class DocumentItem:
    """A line of a checklist: a document the citizen ticks if they have it."""

    id: str
    name: str
    help: str | None = None


@quick_init
@dataclass(frozen=True, slots=True)
class Step:
    """The current step of a session: what to show and what the citizen can answer.

    ``options`` are the buttons visible now (their conditions already evaluated);
    ``documents`` are the lines of a checklist; ``outcome`` is set on the last step.
    """

    kind: StepKind
    node_id: str
    number: int
    """1 for the first step shown, 2 for the next, ..."""
    text: str
    help: str | None = None
    options: tuple[Choice, ...] = ()
    documents: tuple[DocumentItem, ...] = ()
    can_go_back: bool = False
    outcome: Outcome | None = None

    def as_dict(self) -> dict[str, Any]:
        """The step as JSON-ready data (the outcome with its ``kind``)."""
        data = asdict(self)
        if self.outcome is not None:
            data["outcome"] = {"kind": self.outcome.kind, **asdict(self.outcome)}
        return data
