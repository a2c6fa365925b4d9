"""What the talking kiosk's script needs: its sentences in every site language, and the
ticket's number as it is said."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from frontdesk_display.speech.sentences import kiosk_phrases, spoken_number

if TYPE_CHECKING:
    from frontdesk_display.hub import Hub


def kiosk_speech(hub: Hub, language: str, number: str | None = None) -> dict[str, Any]:
    """The kiosk page's speech settings (a template global: ``kiosk_speech(lang, number)``)."""
    languages = list(hub.fd.config.site.languages)
    return {
        "enabled": hub.settings.speech.kiosk,
        "speaks": hub.speech.speaks,
        "language": language if language in languages else languages[0],
        "languages": languages,
        "phrases": {code: kiosk_phrases(code) for code in languages},
        "number": spoken_number(number) if number else None,
        "say": "/speech/say",
        "chime": "/speech/chime.wav",
    }
