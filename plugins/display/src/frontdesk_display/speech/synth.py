"""espeak-ng, Debian's offline speech synthesiser, run as a subprocess.

The text goes to espeak-ng on standard input (never on its command line, so a
text can never be read as an option) and the sound comes back as a WAV file.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

VOICES = {
    "da": "da",
    "en": "en",
    "de": "de",
    "sv": "sv",
    "nb": "nb",
    "no": "nb",
    "fi": "fi",
    "fr": "fr",
    "pl": "pl",
    "uk": "uk",
    "ar": "ar",
    "tr": "tr",
    "so": "en",
    "fa": "fa",
}
"""espeak-ng's voice for each language the site may speak (``display.speech.voices``
chooses others); a language espeak-ng has no voice for is spoken in English."""
TIMEOUT = 10.0
"""Seconds one sentence may take to synthesise before it is given up."""


class SynthesisError(RuntimeError):
    """espeak-ng could not say a sentence (missing, failed or too slow)."""


class Espeak:
    """espeak-ng at ``program`` (default: found on ``PATH``); ``available`` says whether it is."""

    def __init__(self, program: str | None = None, *, rate: int = 150) -> None:
        self.program = program if program is not None else shutil.which("espeak-ng")
        self.rate = rate

    @property
    def available(self) -> bool:
        """Whether espeak-ng is installed."""
        return self.program is not None and Path(self.program).exists()

    def voice(self, language: str, voices: dict[str, str] | None = None) -> str:
        """The voice for ``language``: the configured one, espeak-ng's, else English."""
        if voices and language in voices:
            return voices[language]
        return VOICES.get(language, "en")

    def synthesise(self, text: str, voice: str) -> bytes:
        """``text`` spoken by ``voice`` as a WAV file; :class:`SynthesisError` if it fails."""
        if self.program is None:
            raise SynthesisError("espeak-ng is not installed")
        with tempfile.TemporaryDirectory(prefix="frontdesk-speech-") as folder:
            out = Path(folder) / "speech.wav"
            command = [self.program, "-v", voice, "-s", str(self.rate), "-w", str(out), "--stdin"]
            try:
                done = subprocess.run(
                    command, input=text.encode(), capture_output=True, timeout=TIMEOUT, check=False
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise SynthesisError(f"espeak-ng failed: {exc}") from exc
            if done.returncode != 0 or not out.exists():
                message = done.stderr.decode(errors="replace").strip() or f"exit {done.returncode}"
                raise SynthesisError(f"espeak-ng failed: {message}")
            return out.read_bytes()
