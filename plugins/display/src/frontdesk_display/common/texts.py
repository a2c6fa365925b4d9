"""The pages' own words (buttons and headings) in the site's languages: the kiosk's and
those of booking from home."""

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
    "too_many": {
        "da": "For mange forkerte koder. Vent et minut, og prøv igen.",
        "en": "Too many wrong codes. Wait a minute and try again.",
    },
}


def kiosk_text(name: str, language: str) -> str:
    """A kiosk text in ``language`` (English, then Danish, when it has none)."""
    texts = TEXTS[name]
    return texts.get(language) or texts.get("en") or texts["da"]


def preferred_language(accept: str, offered: list[str]) -> str:
    """The first of ``offered`` an ``Accept-Language`` header asks for (weights in the
    order given), else the first offered."""
    for part in accept.split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in offered:
            return tag
    return offered[0] if offered else "da"


def texts_for(language: str) -> dict[str, str]:
    """Every kiosk text in ``language``."""
    return {name: kiosk_text(name, language) for name in TEXTS}


BOOKING_TEXTS: dict[str, dict[str, str]] = {
    "title": {"da": "Book en tid", "en": "Book an appointment"},
    "choose_service": {"da": "Hvad skal du?", "en": "What is your errand?"},
    "minutes": {"da": "min", "en": "min"},
    "bring": {"da": "Tag med:", "en": "Bring:"},
    "choose_time": {"da": "Vælg et tidspunkt", "en": "Choose a time"},
    "no_times": {"da": "Ingen ledige tider denne dag.", "en": "No free times this day."},
    "earlier": {"da": "Dagen før", "en": "Day before"},
    "later": {"da": "Dagen efter", "en": "Day after"},
    "phone": {
        "da": "Mobilnummer (til bekræftelse og påmindelse)",
        "en": "Mobile number (for the confirmation and reminder)",
    },
    "name": {"da": "Navn (valgfrit)", "en": "Name (optional)"},
    "book": {"da": "Book tiden", "en": "Book this time"},
    "booked": {"da": "Din tid er booket", "en": "Your appointment is booked"},
    "code": {"da": "Din kode", "en": "Your code"},
    "code_help": {
        "da": "Skriv koden på standeren, når du kommer. Du kan også aflyse med den.",
        "en": "Type the code at the kiosk when you arrive. You can also cancel with it.",
    },
    "manage": {"da": "Find eller aflys en booking", "en": "Find or cancel a booking"},
    "find": {"da": "Find", "en": "Find"},
    "cancel": {"da": "Aflys tiden", "en": "Cancel the appointment"},
    "cancelled": {"da": "Tiden er aflyst.", "en": "The appointment is cancelled."},
    "state_booked": {"da": "Booket", "en": "Booked"},
    "state_cancelled": {"da": "Aflyst", "en": "Cancelled"},
    "when": {"da": "Tid", "en": "Time"},
    "status": {"da": "Status", "en": "Status"},
    "move": {"da": "Vælg en anden tid", "en": "Choose another time"},
    "moving": {"da": "Du flytter booking", "en": "You are moving booking"},
    "move_here": {"da": "Flyt til denne tid", "en": "Move to this time"},
    "channel_in_person": {"da": "Mød op i borgerservice", "en": "At the citizen service centre"},
    "channel_phone": {"da": "Telefonmøde (vi ringer til dig)", "en": "By phone (we call you)"},
    "by_phone": {
        "da": "Vi ringer til dig på dit mobilnummer.",
        "en": "We call you on your mobile number.",
    },
    "too_many": {
        "da": "For mange ukendte koder. Vent et minut, og prøv igen.",
        "en": "Too many unknown codes; wait a minute and try again.",
    },
}


def booking_texts_for(language: str) -> dict[str, str]:
    """Every text of the booking pages in ``language`` (Danish when it has none)."""
    return {name: texts.get(language) or texts["da"] for name, texts in BOOKING_TEXTS.items()}
