"""The pages' words in the reader's language: gettext catalogs kept with Babel, and dates,
times and numbers formatted by Babel for the locale.

The catalogs are ``locale/<language>/LC_MESSAGES/frontdesk_display.po`` beside this
module; English is the source language (the message ids). A ``.po`` file is compiled
in memory the first time its language is asked for, so an installed wheel, an
editable install and a municipality's own added language all work without a build
step; a compiled ``.mo`` beside it, when it is newer, is read instead. Adding a
language is adding one ``.po`` file (see the plugin's README).
"""

from __future__ import annotations

import functools
import gettext
import io
from datetime import date, datetime, time, tzinfo
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "frontdesk_display"
LOCALES = Path(__file__).parent / "locale"
SOURCE_LANGUAGE = "en"
"""The language of the message ids: it needs no catalog to be complete."""


def catalog_path(language: str) -> Path:
    """Where the catalog of ``language`` is kept."""
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalog_languages() -> list[str]:
    """The languages that have a catalog (besides English, which needs none)."""
    found = {p.parents[1].name for p in LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    return sorted(found | {SOURCE_LANGUAGE})


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The translations of ``language``; the message ids (English) when it has no catalog."""
    po = catalog_path(language)
    mo = po.with_suffix(".mo")
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    if not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    # Fuzzy entries are guesses a translator has not confirmed: the English text is shown.
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@functools.cache
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(SOURCE_LANGUAGE)


def direction(language: str) -> str:
    """``rtl`` for a language written right to left (Arabic, Persian, Urdu...), else ``ltr``."""
    return "rtl" if _locale(language).character_order == "right-to-left" else "ltr"


def N_(message: str) -> str:
    """Mark ``message`` for the catalogs; it is translated where it is shown."""
    return message


class Words:
    """What a page needs to speak one language: its messages, dates and times."""

    def __init__(self, language: str, tz: tzinfo | None = None) -> None:
        self.language = language
        self.dir = direction(language)
        self.tz = tz
        self._translations = translations(language)
        self._locale = _locale(language)

    def raw(self, message: str) -> str:
        """``message`` in this language, its placeholders left for the caller."""
        return self._translations.gettext(message)

    def raw_plural(self, singular: str, plural: str, n: int) -> str:
        """The form for ``n`` in this language, its placeholders left for the caller."""
        return self._translations.ngettext(singular, plural, n)

    def gettext(self, message: str, **params: object) -> str:
        """``message`` in this language, its ``%(name)s`` fields filled from ``params``
        (the placeholders of jinja2's i18n extension, so templates and code share them)."""
        text = self._translations.gettext(message)
        return text % params if params else text

    def ngettext(self, singular: str, plural: str, n: int, **params: object) -> str:
        """The singular or plural form for ``n`` (``%(num)s`` is filled in too)."""
        text = self._translations.ngettext(singular, plural, n)
        return text % {"num": n, **params}

    def _local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz) if self.tz is not None else moment

    def day(self, moment: date | datetime) -> str:
        """A day with its weekday: "mandag 7. december", "Monday 7 December"."""
        if isinstance(moment, datetime):
            moment = self._local(moment).date()
        # Translators: a CLDR date pattern (EEEE weekday, d day, MMMM month name).
        pattern = self.gettext("EEEE d MMMM")
        return format_date(moment, pattern, locale=self._locale)

    def time(self, moment: datetime | time) -> str:
        """A time of day: "10.30" in Danish, "10:30" in English."""
        if isinstance(moment, datetime):
            moment = self._local(moment).time()
        # Translators: a CLDR time pattern (HH hour 00-23, mm minutes).
        return format_time(moment, self.gettext("HH:mm"), locale=self._locale)

    def when(self, moment: datetime) -> str:
        """A day and time: "mandag 7. december kl. 10.30"."""
        return self.gettext("%(day)s at %(time)s", day=self.day(moment), time=self.time(moment))
