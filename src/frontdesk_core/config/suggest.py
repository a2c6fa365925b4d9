"""'Did you mean ...?' for misspelt keys and ids."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like ``word``, if one is close enough to be a likely typo."""
    pool = sorted(set(candidates))
    matches = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if not matches:
        lowered = {c.lower(): c for c in pool}
        matches = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
        matches = [lowered[m] for m in matches]
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` when there is a likely typo, else ``""``."""
    match = closest(word, candidates)
    return f"; did you mean '{match}'?" if match and match != word else ""


def unknown(kind: str, word: str, candidates: Iterable[str], where: str = "") -> str:
    """``"unknown queue 'pas'; did you mean 'pass'?"``, or the list of known ones.

    ``where`` narrows the place: ``" in centre 'main'"``.
    """
    pool = sorted(set(candidates))
    hint = did_you_mean(word, pool)
    if not hint and pool and len(pool) <= 8:
        hint = "; known: " + ", ".join(f"'{c}'" for c in pool)
    elif not pool:
        hint = f"; there is no {kind} at all"
    return f"unknown {kind} '{word}'{where}{hint}"
