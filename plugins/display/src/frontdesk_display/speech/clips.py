"""Sentences composed from a municipality's own recorded clips.

The folder holds one sub-folder per language and in it one WAV file per word,
named as the word in lower case: ``clips/da/nummer.wav``, ``clips/da/g.wav``,
``clips/da/skranke.wav``, ``clips/da/12.wav``. A number without a file of its
own is said digit by digit (``1.wav`` then ``2.wav``); a comma or full stop is
a short pause. A sentence with a word that has no clip is not composed (the
synthesiser says it instead), so a half-recorded folder never says half a call.
"""

from __future__ import annotations

import re
from array import array
from pathlib import Path

from frontdesk_display.speech import audio

_TOKEN = re.compile(r"[^\W_]+|[,.;:!?]")
PAUSE = 0.25
"""Seconds of quiet for a comma or full stop."""


def words(sentence: str) -> list[str]:
    """The words (lower case) and pause marks of ``sentence``, in order."""
    return [token.lower() for token in _TOKEN.findall(sentence)]


class Clips:
    """The recorded clips under ``folder`` (see the module's description of the naming)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def files(self, sentence: str, language: str) -> list[Path | None] | None:
        """The clip of each word of ``sentence`` (``None``: a pause), or ``None`` if one is
        missing."""
        base = self.folder / language
        found: list[Path | None] = []
        for word in words(sentence):
            if not word[0].isalnum():
                found.append(None)
                continue
            whole = base / f"{word}.wav"
            if whole.is_file():
                found.append(whole)
            elif word.isdigit() and all((base / f"{d}.wav").is_file() for d in word):
                found.extend(base / f"{d}.wav" for d in word)
            else:
                return None
        return found

    def compose(self, sentence: str, language: str) -> bytes | None:
        """``sentence`` as a WAV file made of clips, or ``None`` if a word has no clip."""
        files = self.files(sentence, language)
        if not files:
            return None
        samples = array("h")
        for file in files:
            samples.extend(audio.silence(PAUSE) if file is None else audio.read_wav(file))
        return audio.wav_bytes(samples)
