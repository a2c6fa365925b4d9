"""WAV sound: reading, joining, silence and the chime, with the standard library only.

Everything is joined as 16-bit mono PCM at :data:`RATE` (espeak-ng's own
format); a recorded clip in another rate or with two channels is converted.
"""

from __future__ import annotations

import io
import math
import wave
from array import array
from pathlib import Path

RATE = 22050
"""Samples per second of every sound the display makes."""


def read_wav(source: bytes | Path) -> array[int]:
    """The samples of a 16-bit PCM WAV file (bytes or a path), as mono at :data:`RATE`."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")  # noqa: SIM115
    with stream, wave.open(stream, "rb") as reader:
        if reader.getsampwidth() != 2:
            raise ValueError("only 16-bit PCM WAV sound can be used")
        channels, rate = reader.getnchannels(), reader.getframerate()
        samples = array("h")
        samples.frombytes(reader.readframes(reader.getnframes()))
    if channels > 1:
        samples = array(
            "h",
            (sum(samples[i : i + channels]) // channels for i in range(0, len(samples), channels)),
        )
    return resample(samples, rate) if rate != RATE else samples


def resample(samples: array[int], rate: int) -> array[int]:
    """``samples`` taken at ``rate`` brought to :data:`RATE` (linear interpolation)."""
    if not samples:
        return array("h")
    count = max(1, round(len(samples) * RATE / rate))
    step = (len(samples) - 1) / max(1, count - 1)
    out = array("h")
    for i in range(count):
        position = i * step
        low = int(position)
        high = min(low + 1, len(samples) - 1)
        fraction = position - low
        out.append(round(samples[low] * (1 - fraction) + samples[high] * fraction))
    return out


def wav_bytes(samples: array[int]) -> bytes:
    """A WAV file holding ``samples`` (16-bit mono at :data:`RATE`)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(RATE)
        writer.writeframes(samples.tobytes())
    return buffer.getvalue()


def silence(seconds: float) -> array[int]:
    """Quiet lasting ``seconds``."""
    return array("h", bytes(2 * round(seconds * RATE)))


def join(parts: list[array[int]], pause: float = 0.0) -> array[int]:
    """``parts`` one after the other with ``pause`` seconds between them."""
    out = array("h")
    gap = silence(pause)
    for index, part in enumerate(parts):
        if index:
            out.extend(gap)
        out.extend(part)
    return out


def tone(frequency: float, seconds: float, volume: float = 0.35) -> array[int]:
    """A sine tone that fades out like a struck bell (no click at either end)."""
    count = round(seconds * RATE)
    attack = round(0.01 * RATE)
    out = array("h")
    for i in range(count):
        envelope = min(1.0, i / attack) * math.exp(-4.0 * i / count)
        out.append(round(32767 * volume * envelope * math.sin(2 * math.pi * frequency * i / RATE)))
    return out


def chime() -> bytes:
    """The two-note chime (E5 then C5, "ding-dong") played before a call, as a WAV file."""
    return wav_bytes(join([tone(659.25, 0.45), tone(523.25, 0.7)], pause=0.05))


def duration(wav: bytes) -> float:
    """How long a WAV file plays, in seconds."""
    with wave.open(io.BytesIO(wav), "rb") as reader:
        return reader.getnframes() / reader.getframerate()


__all__ = [
    "RATE",
    "chime",
    "duration",
    "join",
    "read_wav",
    "resample",
    "silence",
    "tone",
    "wav_bytes",
]
