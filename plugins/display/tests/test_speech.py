"""Speech made on the server: sentences, sound, the cache, recorded clips, the settings."""

from __future__ import annotations

import io
import shutil
import wave
from array import array
from pathlib import Path

import pytest
from conftest import EXAMPLE
from frontdesk_display import plugin
from frontdesk_display.speech import audio
from frontdesk_display.speech.clips import Clips, words
from frontdesk_display.speech.sentences import kiosk_phrases, spoken_call, spoken_number
from frontdesk_display.speech.service import CHIME, Speech
from frontdesk_display.speech.synth import Espeak
from hypothesis import given
from hypothesis import strategies as st

from frontdesk_core.api import ConfigError, Hooks, load_config, make_plugin_manager


def test_a_call_is_worded_with_the_number_as_it_is_said() -> None:
    assert spoken_call("G012", "skranke 3", "da") == "Nummer G 12, skranke 3"
    assert spoken_call("G012", "counter 3", "en") == "Number G 12, counter 3"
    assert spoken_call("P7", "skranke 1", "da", recall=True) == "Nummer P 7 igen, skranke 1"
    assert spoken_call("P007", "counter 1", "pl") == "Number P 7, counter 1"  # no Polish yet
    assert spoken_number("100") == "100" and spoken_number("X-1") == "X-1"
    assert set(kiosk_phrases("da")) == set(kiosk_phrases("en")) == set(kiosk_phrases("pl"))


@given(st.from_regex(r"[A-Z]{0,2}0{0,3}[1-9][0-9]{0,3}", fullmatch=True))
def test_a_spoken_number_keeps_its_letters_and_value(number: str) -> None:
    letters = number.rstrip("0123456789")
    said = spoken_number(number)
    assert said.replace(" ", "").startswith(letters)
    assert int(said.split()[-1]) == int(number[len(letters) :])


def test_the_chime_is_a_short_wav_that_starts_and_ends_quietly() -> None:
    sound = audio.chime()
    assert 1.0 < audio.duration(sound) < 1.5
    samples = audio.read_wav(sound)
    assert abs(samples[0]) < 50 and abs(samples[-1]) < 500 and max(samples) > 5000


def test_clips_in_another_rate_and_stereo_are_brought_to_the_display_format() -> None:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(2)
        writer.setsampwidth(2)
        writer.setframerate(44100)
        writer.writeframes(array("h", [100, 300] * 4410).tobytes())
    samples = audio.read_wav(buffer.getvalue())
    assert len(samples) == 2205 and set(samples) == {200}


def _clip(path: Path, seconds: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(audio.wav_bytes(audio.tone(440, seconds)))


def test_a_call_is_composed_from_recorded_clips_only_when_every_word_has_one(
    tmp_path: Path,
) -> None:
    for word, seconds in {
        "nummer": 0.3,
        "g": 0.1,
        "1": 0.1,
        "2": 0.1,
        "skranke": 0.3,
        "3": 0.1,
    }.items():
        _clip(tmp_path / "da" / f"{word}.wav", seconds)
    clips = Clips(tmp_path)
    assert words("Nummer G 12, skranke 3") == ["nummer", "g", "12", ",", "skranke", "3"]
    sound = clips.compose("Nummer G 12, skranke 3", "da")
    assert sound is not None  # 12 said as 1, 2; the comma a pause
    assert audio.duration(sound) == pytest.approx(0.3 + 0.1 * 3 + 0.25 + 0.3 + 0.1, abs=0.01)
    assert clips.compose("Nummer G 12, counter 3", "da") is None
    assert clips.compose("Nummer G 12, skranke 3", "en") is None


def test_without_espeak_sentences_are_text_only_and_the_log_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    speech = Speech(tmp_path / "cache", espeak=Espeak(str(tmp_path / "no-espeak-ng")))
    assert not speech.speaks and "not installed" in caplog.text
    assert speech.sound("Nummer G 12, skranke 3", "da") is None
    assert speech.path(CHIME) is not None  # the chime is made without espeak-ng
    assert speech.path("../../etc/passwd") is None
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    unwritable = Speech(blocked / "cache")  # the server starts; calls are shown only
    assert not unwritable.speaks and "cannot be written" in caplog.text
    assert unwritable.sound("Nummer G 12, skranke 3", "da") is None


def test_espeak_ng_says_a_danish_call_once_and_the_cache_keeps_it(tmp_path: Path) -> None:
    assert shutil.which("espeak-ng"), "make system-deps installs espeak-ng"
    speech = Speech(tmp_path)
    text = spoken_call("G012", "skranke 3", "da")
    key = speech.sound(text, "da")
    assert key is not None
    file = speech.path(key)
    assert file is not None
    with wave.open(str(file), "rb") as reader:
        assert reader.getnchannels() == 1 and reader.getsampwidth() == 2
        assert reader.getnframes() / reader.getframerate() > 1.0
    made = file.stat().st_mtime_ns
    assert speech.sound(text, "da") == key and file.stat().st_mtime_ns == made
    assert speech.key(text, "en") != key
    assert speech.sound("-v en --help", "da") is not None  # text is never an option
    # Phrase by phrase: the counter's phrase is made once for every call to it.
    first = speech.phrases(spoken_call("G013", "skranke 3", "da"), "da")
    second = speech.phrases(spoken_call("G014", "skranke 3", "da"), "da")
    assert first and second and len(first) == 2 and first[1] == second[1] != first[0]
    counter = speech.path(first[1])
    assert counter is not None and audio.duration(counter.read_bytes()) < 1.5


BASE = len((EXAMPLE / "frontdesk.yaml").read_text("utf-8").splitlines()) + 1
"""The line of the ``display:`` section added after the example's root file."""


def _problems(tmp_path: Path, speech: str, screen: str) -> list[tuple[int, int, str]]:
    """The problems of the example with ``display.speech`` holding ``screens`` and ``screen``."""
    hooks = Hooks(make_plugin_manager(load_entrypoints=False, plugins=[plugin]))
    copy = tmp_path / "kobenhavn"
    shutil.copytree(EXAMPLE, copy)
    root = copy / "frontdesk.yaml"
    section = f"\ndisplay:\n  speech:\n    screens: {speech}\n    screen:\n      {screen}\n"
    root.write_text(root.read_text("utf-8") + section, "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(root, hooks.load_context())
    return sorted((p.line, p.column, p.message) for p in caught.value.problems)


def test_speech_settings_are_checked_with_their_place_in_the_file(tmp_path: Path) -> None:
    speech = "{languages: [da, de], volume: 1.5, quiet_hours: ['12:30-12:00']}"
    assert _problems(tmp_path, speech, "skaerm-venteomrade: {enabled: yes}") == [
        (BASE + 3, 44, "'volume' must be at most 1; got the number 1.5"),
        (BASE + 3, 63, "the time range '12:30-12:00' ends before it starts"),
        (BASE + 5, 37, "'enabled' must be true or false; got 'yes'"),
    ]


def test_speech_settings_name_screens_and_languages_that_exist(tmp_path: Path) -> None:
    unknown = "unknown info screen 'skaerm-venteomrade'; did you mean 'skaerm-venteomraade'?"
    found = _problems(tmp_path, "{languages: [da, de]}", "skaerm-venteomrade: {volume: 0.5}")
    assert found == [
        (BASE + 3, 31, "unknown site language 'de'; known: 'da', 'en'"),
        (BASE + 5, 7, unknown),
    ]
