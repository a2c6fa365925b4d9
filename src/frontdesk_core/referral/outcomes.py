"""The outcomes of a kiosk session, as typed data for integrators and hooks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SentHome:
    """The citizen was sent home with the list of what to bring."""

    centre_id: str
    tree_id: str
    node_id: str
    language: str
    text: str
    missing_documents: tuple[str, ...]
    """Ids of the documents the citizen said they lack."""
    bring: tuple[str, ...]
    """Names (in the session's language) of everything to bring next time."""
    book_service: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Referred:
    """The citizen belongs at another authority or centre."""

    centre_id: str
    tree_id: str
    node_id: str
    language: str
    text: str
    authority_id: str | None = None
    to_centre_id: str | None = None
