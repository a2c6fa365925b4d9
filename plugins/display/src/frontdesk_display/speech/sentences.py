"""What is said aloud, worded in one place per sentence so a consultant can change it.

Every spoken sentence is made by a function here; the wording is looked up by
language (Danish, English), falling back to English for a language without it.
"""

from __future__ import annotations

import re

_CALL = {
    "da": "Nummer {number}, {counter}",
    "en": "Number {number}, {counter}",
}
_RECALL = {
    "da": "Nummer {number} igen, {counter}",
    "en": "Number {number} again, {counter}",
}
_KIOSK = {
    "da": {
        "option": "Tryk {key}: {label}",
        "ticket": "Dit nummer er {number}.",
        "go_to": "Gå til {where}.",
        "queue": "Vent i {queue}, til dit nummer bliver kaldt.",
        "keys": "Tryk 0 for at høre det igen, og minus for at gå tilbage.",
        "idle": "Tryk plus for tale. Tryk stjerne for stor skrift.",
        "on": "Tale er slået til.",
        "off": "Tale er slået fra.",
        "warning": "Er du der stadig? Tryk på en tast for mere tid.",
        "more_time": "Du har fået mere tid.",
        "large_on": "Stor skrift og høj kontrast.",
        "large_off": "Almindelig skrift.",
        "more": "Tryk 9: flere valg",
        "speech_button": "Tale (+)",
        "large_button": "Stor skrift (*)",
        "more_time_button": "Mere tid",
        "access": "Tale og stor skrift",
    },
    "en": {
        "option": "Press {key}: {label}",
        "ticket": "Your number is {number}.",
        "go_to": "Go to {where}.",
        "queue": "Wait in {queue} until your number is called.",
        "keys": "Press 0 to hear this again, and minus to go back.",
        "idle": "Press plus for speech. Press star for large text.",
        "on": "Speech is on.",
        "off": "Speech is off.",
        "warning": "Are you still there? Press any key for more time.",
        "more_time": "You have more time.",
        "large_on": "Large text and high contrast.",
        "large_off": "Normal text.",
        "more": "Press 9: more choices",
        "speech_button": "Speech (+)",
        "large_button": "Large text (*)",
        "more_time_button": "More time",
        "access": "Speech and large text",
    },
}
_NUMBER = re.compile(r"^([A-Za-z]*)0*(\d+)$")


def _in(wordings: dict[str, str], language: str) -> str:
    return wordings.get(language) or wordings["en"]


def spoken_number(number: str) -> str:
    """A ticket number as it is said: ``G012`` becomes ``G 12`` (no leading zeros)."""
    match = _NUMBER.match(number.strip())
    if match is None:
        return number
    letters, digits = match.groups()
    return f"{letters} {digits}" if letters else digits


def spoken_call(number: str, counter: str, language: str, *, recall: bool = False) -> str:
    """The sentence that calls ``number`` to ``counter`` (its name in ``language``).

    ``spoken_call("G012", "skranke 3", "da") == "Nummer G 12, skranke 3"``.
    """
    wording = _in(_RECALL if recall else _CALL, language)
    return wording.format(number=spoken_number(number), counter=counter)


def kiosk_phrases(language: str) -> dict[str, str]:
    """The talking kiosk's sentences in ``language``, with ``{placeholders}`` its script fills."""
    return dict(_KIOSK.get(language) or _KIOSK["en"])
