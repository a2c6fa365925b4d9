"""The kiosk's own words (buttons and headings) in the site's languages."""

from __future__ import annotations

LANGUAGE_NAMES = {"da": "Dansk", "en": "English", "de": "Deutsch", "sv": "Svenska",
                  "no": "Norsk", "pl": "Polski", "ar": "العربية", "tr": "Türkçe",
                  "uk": "Українська", "so": "Soomaali", "ur": "اردو", "fa": "فارسی"}  # fmt: skip

TEXTS: dict[str, dict[str, str]] = {
    "choose_language": {"da": "Vælg sprog", "en": "Choose your language"},
    "welcome": {"da": "Velkommen", "en": "Welcome"},
    "back": {"da": "Tilbage", "en": "Back"},
    "restart": {"da": "Start forfra", "en": "Start again"},
    "continue": {"da": "Fortsæt", "en": "Continue"},
    "have_documents": {
        "da": "Sæt kryds ved det, du har med:",
        "en": "Tick what you have with you:",
    },
    "your_number": {"da": "Dit nummer", "en": "Your number"},
    "people_ahead": {"da": "Foran dig", "en": "Ahead of you"},
    "expected_wait": {"da": "Forventet ventetid", "en": "Expected wait"},
    "minutes": {"da": "min", "en": "min"},
    "no_print": {
        "da": "Printeren virker ikke lige nu. Husk dit nummer:",
        "en": "The printer is not working right now. Remember your number:",
    },
    "bring": {"da": "Tag dette med næste gang:", "en": "Bring this next time:"},
    "book_online": {"da": "Bestil tid på", "en": "Book a time at"},
    "code": {"da": "Kode fra din bekræftelse", "en": "Code from your confirmation"},
    "check_in": {"da": "Check ind", "en": "Check in"},
    "checked_in": {"da": "Du er checket ind", "en": "You are checked in"},
    "too_early": {
        "da": "Du er for tidlig. Kom tilbage lidt før din tid.",
        "en": "You are early. Please come back a little before your time.",
    },
    "rebook": {
        "da": "Din tid er overskredet. Bestil venligst en ny tid.",
        "en": "Your time has passed. Please book a new time.",
    },
    "go_to": {"da": "Gå til", "en": "Go to"},
    "done": {"da": "Færdig", "en": "Done"},
    "choose_time": {"da": "Vælg en ledig tid i dag:", "en": "Choose a free time today:"},
    "no_times": {"da": "Der er ingen ledige tider i dag.", "en": "There are no free times today."},
    "booked": {"da": "Din tid er bestilt", "en": "Your time is booked"},
    "your_code": {"da": "Din kode", "en": "Your code"},
    "come_back": {
        "da": "Kom tilbage lidt før, og check ind med koden her på skærmen.",
        "en": "Come back a little before, and check in with the code here on the screen.",
    },
}


def kiosk_text(name: str, language: str) -> str:
    """A kiosk text in ``language`` (English, then Danish, when it has none)."""
    texts = TEXTS[name]
    return texts.get(language) or texts.get("en") or texts["da"]


def texts_for(language: str) -> dict[str, str]:
    """Every kiosk text in ``language``."""
    return {name: kiosk_text(name, language) for name in TEXTS}
