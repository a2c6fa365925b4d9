"""Danish public holidays, computed from the date of Easter (never typed in by hand)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache


def easter_sunday(year: int) -> date:
    """Easter Sunday of ``year`` in the Gregorian calendar (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def danish_holidays(year: int, customary: bool = True) -> dict[date, str]:
    """The Danish public holidays of ``year``, mapped to their Danish names.

    With ``customary`` the days public offices close by agreement are included too:
    Constitution Day (5 June), Christmas Eve and New Year's Eve. Store Bededag is a
    holiday until 2023 (it was abolished from 2024).
    """
    easter = easter_sunday(year)
    days = {
        date(year, 1, 1): "Nytårsdag",
        easter - timedelta(days=3): "Skærtorsdag",
        easter - timedelta(days=2): "Langfredag",
        easter: "Påskedag",
        easter + timedelta(days=1): "2. påskedag",
        easter + timedelta(days=39): "Kristi himmelfartsdag",
        easter + timedelta(days=49): "Pinsedag",
        easter + timedelta(days=50): "2. pinsedag",
        date(year, 12, 25): "Juledag",
        date(year, 12, 26): "2. juledag",
    }
    if year <= 2023:
        days[easter + timedelta(days=26)] = "Store bededag"
    if customary:
        days[date(year, 6, 5)] = "Grundlovsdag"
        days[date(year, 12, 24)] = "Juleaftensdag"
        days[date(year, 12, 31)] = "Nytårsaftensdag"
    return days
