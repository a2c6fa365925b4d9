"""Moments said the way a kiosk says them to a citizen: "tomorrow, Tuesday 8 December at
10.30". The core's own words in Danish and English; other languages get English."""

from __future__ import annotations

from datetime import date, datetime, timedelta

WEEKDAY_NAMES = {
    "da": ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MONTH_NAMES = {
    "da": ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
           "september", "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}  # fmt: skip
_RELATIVE = {
    "da": {"today": "i dag", "tomorrow": "i morgen", "at": "kl."},
    "en": {"today": "today", "tomorrow": "tomorrow", "at": "at"},
}


def _words(language: str) -> str:
    return language if language in _RELATIVE else "en"


def clock_time(moment: datetime) -> str:
    """``10.30``: the time of day as both languages write it on a sign."""
    return f"{moment.hour:02d}.{moment.minute:02d}"


def spoken_date(day: date, language: str) -> str:
    """``tirsdag 8. december`` / ``Tuesday 8 December``."""
    lang = _words(language)
    weekday, month = WEEKDAY_NAMES[lang][day.weekday()], MONTH_NAMES[lang][day.month - 1]
    if lang == "da":
        return f"{weekday} {day.day}. {month}"
    return f"{weekday} {day.day} {month}"


def spoken_moment(moment: datetime, language: str, today: date) -> str:
    """``moment`` (already in local time) relative to ``today``: "today at 10.30",
    "tomorrow, Tuesday 8 December at 10.30" or "Tuesday 8 December at 10.30"."""
    lang = _words(language)
    words = _RELATIVE[lang]
    at = f"{words['at']} {clock_time(moment)}"
    day = moment.date()
    if day == today:
        return f"{words['today']} {at}"
    dated = f"{spoken_date(day, lang)} {at}"
    if day == today + timedelta(days=1):
        return f"{words['tomorrow']}, {dated}"
    return dated
