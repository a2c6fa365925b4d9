"""What is said aloud, one function per kind of sentence, worded in the language catalogs.

The message ids are English, as everywhere in the display; a consultant changes
the Danish (or any language's) wording in ``i18n/locale/<language>/LC_MESSAGES/
frontdesk_display.po`` like the other texts of the screens (``make catalogs``
brings a new sentence into every catalog).
"""

from __future__ import annotations

import re

from frontdesk_display.i18n import Words

_NUMBER = re.compile(r"^([A-Za-z]*)0*(\d+)$")


def spoken_number(number: str) -> str:
    """A ticket number as it is said: ``G012`` becomes ``G 12`` (no leading zeros)."""
    match = _NUMBER.match(number.strip())
    if match is None:
        return number
    letters, digits = match.groups()
    return f"{letters} {digits}" if letters else digits


def spoken_call(number: str, counter: str, language: str, *, recall: bool = False) -> str:
    """The sentence that calls ``number`` to ``counter`` (its name in ``language``).

    ``spoken_call("G012", "Skranke 3", "da") == "Nummer G 12, Skranke 3"``. The
    parts between commas are made into sound one by one (the counter's part once
    for all its calls), so keep the number and the counter apart with a comma.
    """
    words = Words(language)
    said = spoken_number(number)
    if recall:
        # Translators: said aloud on the info screens when a counter calls a number again.
        return words.gettext("Number %(number)s again, %(counter)s", number=said, counter=counter)
    # Translators: said aloud on the info screens when a counter calls a number.
    return words.gettext("Number %(number)s, %(counter)s", number=said, counter=counter)


def kiosk_phrases(language: str) -> dict[str, str]:
    """The talking kiosk's sentences in ``language``, with ``{placeholders}`` its script fills."""
    words = Words(language)
    return {
        # Translators: the talking kiosk reads each choice with its key ("Press 1: Passport").
        "option": words.gettext("Press %(key)s: %(label)s", key="{key}", label="{label}"),
        "more": words.gettext("Press 9: more choices"),
        # Translators: said when the citizen ticks a document on the checklist by its key.
        "ticked": words.gettext("Ticked: %(label)s", label="{label}"),
        "unticked": words.gettext("Not ticked: %(label)s", label="{label}"),
        "ticket": words.gettext("Your number is %(number)s.", number="{number}"),
        "keys": words.gettext("Press 0 to hear this again, and minus to go back."),
        "idle": words.gettext("Press plus for speech. Press star for large text."),
        "on": words.gettext("Speech is on."),
        "off": words.gettext("Speech is off."),
        "warning": words.gettext("Are you still there? Press any key for more time."),
        "more_time": words.gettext("You have more time."),
        "large_on": words.gettext("Large text and high contrast."),
        "large_off": words.gettext("Normal text."),
        # Translators: the kiosk's button that turns speech on; "+" is the keypad's key.
        "speech_button": words.gettext("Speech (+)"),
        # Translators: the kiosk's button for large text; "*" is the keypad's key.
        "large_button": words.gettext("Large text (*)"),
        "more_time_button": words.gettext("More time"),
        "access": words.gettext("Speech and large text"),
    }
