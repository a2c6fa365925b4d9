"""Each language's name in itself, for the language choices (the pages' own words are in
the gettext catalogs, :mod:`frontdesk_display.i18n`)."""

from __future__ import annotations

LANGUAGE_NAMES = {"da": "Dansk", "en": "English", "de": "Deutsch", "sv": "Svenska",
                  "no": "Norsk", "pl": "Polski", "ar": "العربية", "tr": "Türkçe",
                  "uk": "Українська", "so": "Soomaali", "ur": "اردو", "fa": "فارسی"}  # fmt: skip
