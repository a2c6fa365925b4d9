"""Spoken calls on the info screen in Chromium: said once per screen, in its languages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import SETTINGS, Served, serve
from frontdesk_display.settings import ScreenSpeech, SpeechSettings
from frontdesk_display.speech import synth

from frontdesk_core.api import Frontdesk

SPOKEN = "() => window.frontdeskSpoken"


def _speech(tmp_path: Path, **screen: ScreenSpeech) -> Any:
    speech = SpeechSettings(cache=str(tmp_path / "speech"), screen=screen)
    return SETTINGS.model_copy(update={"speech": speech})


def _wait_spoken(page: Any, count: int, state: str = "ready") -> list[dict[str, Any]]:
    page.wait_for_function(
        f"() => window.frontdeskSpoken.length >= {count} && window.frontdeskSpoken"
        f".every(e => e.state === '{state}' || e.state === 'played')",
        timeout=3000,
    )
    spoken: list[dict[str, Any]] = page.evaluate(SPOKEN)
    return spoken


def test_a_call_is_said_once_on_every_screen_also_from_another_server(
    open_frontdesk: Callable[..., Frontdesk], new_page: Callable[..., Any], tmp_path: Path
) -> None:
    settings = _speech(tmp_path, **{"skaerm-venteomraade": ScreenSpeech(languages=["da"])})
    first = serve(open_frontdesk(), settings=settings)
    second = serve(open_frontdesk(clock=first.fd.clock), settings=settings)
    try:
        whole = new_page(1920, 1080)
        whole.goto(f"{first.url}/screen/nyropsgade")
        waiting_room = new_page(1920, 1080)
        waiting_room.goto(f"{second.url}/screen/nyropsgade?screen=skaerm-venteomraade")
        for page in (whole, waiting_room):
            page.wait_for_selector("body[data-link=open]", state="attached")

        ticket = first.fd.queues.issue("skat")
        first.fd.queues.sign_in("skranke-4", "bo")
        first.fd.queues.call_next("skranke-4")
        (said,) = _wait_spoken(whole, 1)
        assert said["texts"] == [
            f"Nummer {ticket.number[0]} 1, Skranke 4",
            f"Number {ticket.number[0]} 1, Counter 4",
        ]
        assert said["sounds"] == 5  # the chime and two phrases in each language, from the server
        (heard,) = _wait_spoken(waiting_room, 1)  # the second server read it from the log
        assert heard["seq"] == said["seq"] and heard["texts"] == said["texts"][:1]

        # The same call heard again (a reconnect, another server) is not said twice.
        whole.evaluate(
            "s => document.dispatchEvent(new CustomEvent('frontdesk-speak', {detail: s}))",
            {"seq": said["seq"], "queue_id": "skat", "parts": [], "chime": None, "at": "10:30"},
        )
        first.fd.queues.recall("skranke-4")
        spoken = _wait_spoken(whole, 2)
        assert [s["seq"] for s in spoken] == [said["seq"], said["seq"] + 1]
        assert spoken[1]["texts"][0] == f"Nummer {ticket.number[0]} 1 igen, Skranke 4"
        whole.reload()  # played calls are remembered by the screen across a reload
        whole.wait_for_selector("body[data-link=open]", state="attached")
        whole.evaluate(
            "s => document.dispatchEvent(new CustomEvent('frontdesk-speak', {detail: s}))",
            {"seq": said["seq"], "queue_id": "skat", "parts": [], "chime": None, "at": "10:30"},
        )
        assert whole.evaluate(SPOKEN) == []
        waiting_room.wait_for_timeout(1200)  # one look of the watcher: nothing more to say
        assert len(waiting_room.evaluate(SPOKEN)) == 2
    finally:
        first.stop()
        second.stop()


def _passport_called(running: Served, new_page: Callable[..., Any], query: str, state: str) -> Any:
    """A screen of Nyropsgade (``query``: which) after P1 is called to counter 1; what it said."""
    screen = new_page(1920, 1080)
    screen.goto(f"{running.url}/screen/nyropsgade{query}")
    screen.wait_for_selector("body[data-link=open]", state="attached")
    running.fd.queues.issue("pas")
    running.fd.queues.sign_in("skranke-1", "anna")
    running.fd.queues.call_next("skranke-1")
    (said,) = _wait_spoken(screen, 1, state=state)
    screen.wait_for_selector("#announce:not([hidden])")
    return said


def test_a_screen_in_its_quiet_hours_shows_the_call_without_sound(
    open_frontdesk: Callable[..., Frontdesk], new_page: Callable[..., Any], tmp_path: Path
) -> None:
    quiet = ScreenSpeech(quiet_hours=["10:00-11:00"], volume=0.3)
    running = serve(open_frontdesk(), settings=_speech(tmp_path, **{"skaerm-venteomraade": quiet}))
    try:
        said = _passport_called(running, new_page, "?screen=skaerm-venteomraade", "quiet")
        assert said["state"] == "quiet" and said["texts"][0].startswith("Nummer")
    finally:
        running.stop()


def test_sounds_are_served_by_key_only(served: Served) -> None:
    assert httpx.get(f"{served.url}/speech/chime.wav").headers["content-type"] == "audio/wav"
    assert httpx.get(f"{served.url}/speech/..%2f..%2fetc%2fpasswd.wav").status_code == 404
    assert httpx.get(f"{served.url}/speech/{'0' * 32}.wav").status_code == 404
    said = httpx.get(f"{served.url}/speech/say", params={"lang": "da", "text": "Hej"})
    assert said.status_code == 200 and said.content[:4] == b"RIFF"
    for language, text in (("de", "Hallo"), ("da", "x" * 401), ("da", "")):
        asked = httpx.get(f"{served.url}/speech/say", params={"lang": language, "text": text})
        assert asked.status_code == 422


def test_without_espeak_ng_calls_are_shown_and_not_spoken(
    open_frontdesk: Callable[..., Frontdesk],
    new_page: Callable[..., Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(synth.shutil, "which", lambda name: None)
    running = serve(open_frontdesk(), settings=_speech(tmp_path))
    try:
        said = _passport_called(running, new_page, "", "shown")
        assert said["texts"] == ["Nummer P 1, Skranke 1", "Number P 1, Counter 1"]
        said_url = f"{running.url}/speech/say"
        assert httpx.get(said_url, params={"lang": "da", "text": "Hej"}).status_code == 404
        kiosk = new_page(1080, 1920)
        kiosk.goto(f"{running.url}/kiosk/nyropsgade/kiosk-1")
        assert kiosk.locator("#speech-toggle").is_hidden()
        assert kiosk.locator("#large-toggle").is_visible()  # large text needs no speech
    finally:
        running.stop()
