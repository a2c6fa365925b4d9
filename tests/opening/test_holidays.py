"""Danish public holidays, computed from Easter."""

from __future__ import annotations

from datetime import date

import pytest

from frontdesk_core.opening.holidays import danish_holidays, easter_sunday


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2000, date(2000, 4, 23)), (2019, date(2019, 4, 21)), (2024, date(2024, 3, 31)),
     (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)), (2027, date(2027, 3, 28)),
     (2038, date(2038, 4, 25))],
)  # fmt: skip
def test_easter_sunday(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


def test_holidays_2026() -> None:
    days = danish_holidays(2026)
    assert days[date(2026, 4, 2)] == "Skærtorsdag"
    assert days[date(2026, 4, 3)] == "Langfredag"
    assert days[date(2026, 4, 6)] == "2. påskedag"
    assert days[date(2026, 5, 14)] == "Kristi himmelfartsdag"
    assert days[date(2026, 5, 25)] == "2. pinsedag"
    assert days[date(2026, 6, 5)] == "Grundlovsdag"
    assert date(2026, 5, 1) not in days  # Store bededag was abolished from 2024
    assert len(danish_holidays(2026, customary=False)) == 10


def test_store_bededag_until_2023() -> None:
    assert danish_holidays(2023)[date(2023, 5, 5)] == "Store bededag"
