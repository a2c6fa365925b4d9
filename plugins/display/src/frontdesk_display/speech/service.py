"""The display's speech: sentences made into sound once and kept on disk.

A sentence is looked up by a key made of its language, voice and text, so
"Nummer G 12, skranke 3" is synthesised the first time it is said and read from
the cache after that. A sentence is made phrase by phrase (the parts between
commas, each cached on its own, joined with a short pause), so "skranke 3" is
made once for all the calls to that counter and "Nummer G 12" can be made when
the ticket is issued: the call itself then only joins sound that is ready.
Recorded clips (``display.speech.clips``) are used where
every word has one; otherwise espeak-ng speaks. Without either the display
still runs: announcements are shown, not spoken, and the log says so once.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import threading
from pathlib import Path

from frontdesk_display.speech import audio
from frontdesk_display.speech.clips import Clips
from frontdesk_display.speech.synth import Espeak, SynthesisError

log = logging.getLogger("frontdesk.display.speech")
CHIME = "chime"
"""The key of the chime played before a call."""
KEY = re.compile(r"^(?:[0-9a-f]{32}|chime)$")
"""What a sound's key looks like (anything else is not looked up on disk)."""
PHRASES = re.compile(r"\s*[,;،]\s*")
"""Where a sentence is cut into phrases made (and cached) on their own."""
PAUSE = 0.2
"""Seconds of quiet between two phrases of a sentence."""
MAX_SOUNDS = 5000
"""The cache keeps at most this many sentences; the oldest go first."""


def split(text: str) -> list[str]:
    """The phrases of a sentence: its parts between commas (Latin or Arabic) and semicolons."""
    return [phrase for phrase in PHRASES.split(text.strip()) if phrase] or [text]


def default_cache() -> Path:
    """Where sound is kept unless ``display.speech.cache`` says otherwise."""
    return Path(tempfile.gettempdir()) / f"frontdesk-speech-{os.getuid()}"


class Speech:
    """Sound for sentences, kept in ``cache``; thread-safe (sound is made off the event loop)."""

    def __init__(
        self,
        cache: Path | None = None,
        *,
        espeak: Espeak | None = None,
        clips: Path | None = None,
        voices: dict[str, str] | None = None,
    ) -> None:
        self.cache = cache if cache is not None else default_cache()
        self.espeak = espeak if espeak is not None else Espeak()
        self.clips = Clips(clips) if clips is not None else None
        self.voices = dict(voices or {})
        self._lock = threading.Lock()
        self._written = 0
        self._in_making: dict[str, threading.Lock] = {}
        self.writable = True
        try:
            self.cache.mkdir(parents=True, exist_ok=True)
            self._write(CHIME, audio.chime())
        except OSError as exc:  # a read-only or missing folder: the screens still show calls
            self.writable = False
            log.error(
                "the speech cache cannot be written: calls are shown on the screens but not spoken",
                extra={"folder": str(self.cache), "reason": str(exc)},
            )
        if not self.espeak.available:
            log.warning(
                "espeak-ng is not installed: calls are shown on the screens but not spoken"
                + (" (except sentences made of recorded clips)" if self.clips else "")
            )

    @property
    def speaks(self) -> bool:
        """Whether any sentence can be spoken (espeak-ng or recorded clips, and a cache)."""
        return self.writable and (self.espeak.available or self.clips is not None)

    def key(self, text: str, language: str) -> str:
        """The cache key of ``text`` said in ``language`` (by its voice)."""
        voice = self.espeak.voice(language, self.voices)
        made = f"{language}\n{voice}\n{self.espeak.rate}\n{text}".encode()
        return hashlib.sha256(made).hexdigest()[:32]

    def path(self, key: str) -> Path | None:
        """The file of a sound made before, or ``None``."""
        if not KEY.match(key):
            return None
        file = self.cache / f"{key}.wav"
        return file if file.is_file() else None

    def sound(self, text: str, language: str) -> str | None:
        """The key of ``text`` said in ``language``, made now unless cached; ``None`` when it
        cannot be said (then the text is shown only)."""
        key = self.key(text, language)
        if self.path(key) is not None:
            return key
        if not self.writable:
            return None
        with self._making(key):  # two threads asking for one sentence make it once
            if self.path(key) is not None:
                return key
            return self._sound(key, text, language)

    def phrases(self, text: str, language: str) -> list[str] | None:
        """The keys of the phrases of ``text`` (made now unless cached), to be played one
        after the other with a :data:`PAUSE`; ``None`` when one cannot be said."""
        keys = [self.sound(phrase, language) for phrase in split(text)]
        return None if None in keys else [k for k in keys if k is not None]

    def _making(self, key: str) -> threading.Lock:
        with self._lock:
            lock = self._in_making.get(key)
            if lock is None:
                lock = self._in_making[key] = threading.Lock()
                if len(self._in_making) > 1000:  # forget the locks of sentences long made
                    for old in list(self._in_making)[:500]:
                        if not self._in_making[old].locked():
                            del self._in_making[old]
            return lock

    def _sound(self, key: str, text: str, language: str) -> str | None:
        phrases = split(text)
        if len(phrases) <= 1:
            wav = self._make(text, language)
        else:
            keys = [self.sound(phrase, language) for phrase in phrases]
            files = [self.path(k) for k in keys if k is not None]
            if len(files) != len(phrases) or None in files:
                return None
            wav = audio.wav_bytes(
                audio.join([audio.read_wav(f) for f in files if f is not None], pause=PAUSE)
            )
        if wav is None:
            return None
        try:
            self._write(key, wav)
        except OSError as exc:  # a full disk: this sentence is shown, not spoken
            log.error("a sentence could not be kept", extra={"reason": str(exc)})
            return None
        return key

    def _make(self, phrase: str, language: str) -> bytes | None:
        """One phrase from the recorded clips, else from espeak-ng; ``None`` if neither can."""
        wav = self.clips.compose(phrase, language) if self.clips is not None else None
        if wav is None and self.espeak.available:
            try:
                wav = self.espeak.synthesise(phrase, self.espeak.voice(language, self.voices))
            except SynthesisError as exc:
                log.error("a sentence could not be spoken", extra={"reason": str(exc)})
                return None
        return wav

    def _write(self, key: str, wav: bytes) -> None:
        target = self.cache / f"{key}.wav"
        handle, temporary = tempfile.mkstemp(dir=self.cache, suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(wav)
        os.replace(temporary, target)  # readers see the whole file or none
        with self._lock:
            self._written += 1
            prune = self._written % 100 == 0
        if prune:
            self.prune()

    def prune(self, keep: int = MAX_SOUNDS) -> None:
        """Remove the oldest sounds beyond ``keep`` (the chime stays)."""
        files = sorted(
            (f for f in self.cache.glob("*.wav") if f.stem != CHIME),
            key=lambda f: f.stat().st_mtime,
        )
        for file in files[: max(0, len(files) - keep)]:
            file.unlink(missing_ok=True)
