"""Languages: the catalogs are complete and current, dates and errors are said by locale,
the calendar file, and the info screen's memory of the latest calls."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po
from frontdesk_display.booking.ics import calendar_file
from frontdesk_display.common.errors import MESSAGES, error_text
from frontdesk_display.i18n import LOCALES, Words, catalog_languages, catalog_path, direction
from frontdesk_display.live.calls import RecentCalls
from icalendar import Calendar

from frontdesk_core.api import (
    CalledNumber,
    CapacityError,
    Contact,
    Frontdesk,
    InvalidStateError,
    NotFoundError,
)

CPH = ZoneInfo("Europe/Copenhagen")
PLUGIN = Path(__file__).resolve().parents[1]
TEMPLATE = LOCALES / "frontdesk_display.pot"


def _catalog(language: str) -> list[tuple[str | tuple[str, ...], object, set[str]]]:
    with catalog_path(language).open("rb") as handle:
        catalog = read_po(handle, locale=language)
    problems = [error for m in catalog for error in m.check(catalog)]
    assert not problems, f"{language}: placeholders differ from the English: {problems}"
    return [(m.id, m.string, set(m.flags)) for m in catalog if m.id]


@pytest.mark.parametrize("language", ["da", "ar"])
def test_every_message_is_translated_and_none_is_a_guess(language: str) -> None:
    with TEMPLATE.open("rb") as handle:
        wanted = {m.id for m in read_po(handle) if m.id}
    entries = _catalog(language)
    have = {
        msgid
        for msgid, string, flags in entries
        if "fuzzy" not in flags and (all(string) if isinstance(string, tuple) else string)
    }
    assert wanted - have == set(), f"untranslated in {language}"
    assert set(catalog_languages()) >= {"da", "en", "ar"}


def test_the_template_holds_every_message_of_the_code_and_templates(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.pot"
    command = [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg"]
    command += ["-k", "N_", "-o", str(fresh), "."]
    subprocess.run(command, cwd=PLUGIN, check=True, capture_output=True)
    with fresh.open("rb") as a, TEMPLATE.open("rb") as b:
        extracted, kept = {m.id for m in read_po(a)}, {m.id for m in read_po(b)}
    assert extracted == kept, "run `make catalogs` and translate the new messages"
    assert set(MESSAGES.values()) <= kept


def test_days_and_times_are_said_by_locale_with_the_weekday() -> None:
    moment = datetime(2026, 12, 7, 10, 30, tzinfo=CPH)
    assert Words("da", CPH).when(moment) == "mandag 7. december kl. 10.30"
    assert Words("en", CPH).when(moment) == "Monday 7 December at 10:30"
    assert Words("ar", CPH).day(moment).startswith("الاثنين")
    # A moment in another zone is said in the site's time.
    assert Words("da", CPH).time(moment.astimezone(ZoneInfo("UTC"))) == "10.30"
    assert (direction("ar"), direction("da"), direction("fa")) == ("rtl", "ltr", "rtl")
    # A language without a catalog gets the English words and its own month names.
    assert Words("pl", CPH).day(date(2026, 12, 7)) == "poniedziałek 7 grudnia"


def test_errors_are_said_in_the_readers_language_never_in_the_cores_english() -> None:
    taken = CapacityError(
        "07-12-2026 10:30 is no longer free; choose another time",
        code="booking.slot_taken",
        params={"start": datetime(2026, 12, 7, 10, 30, tzinfo=CPH)},
    )
    assert error_text(taken, Words("da", CPH)) == (
        "mandag 7. december kl. 10.30 er ikke længere ledig. Vælg en anden tid."
    )
    assert error_text(taken, Words("en", CPH)).startswith("Monday 7 December at 10:30 is no")
    soon = CapacityError(
        "x",
        code="booking.too_soon",
        params={"start": datetime(2026, 12, 7, 10, tzinfo=CPH), "notice": timedelta(hours=2)},
    )
    assert "2 timer" in error_text(soon, Words("da", CPH))
    # A code with no message of its own: its kind, in Danish; in English the core's words.
    odd = InvalidStateError("the session is abandoned", code="session.odd")
    assert error_text(odd, Words("da", CPH)) == "Det kan ikke lade sig gøre lige nu."
    assert error_text(odd, Words("en", CPH)) == "the session is abandoned"
    assert error_text(NotFoundError("x"), Words("ar", CPH)) == "لم نتمكن من العثور على ما طلبته."


def test_the_calendar_file_has_the_time_place_and_code_and_nothing_personal(
    open_frontdesk: object,
) -> None:
    fd: Frontdesk = open_frontdesk()  # type: ignore[operator]
    day = fd.clock.now().date() + timedelta(days=1)
    slot = fd.booking.free_slots("passport", day, day)[0]
    contact = Contact(phone="+45 12 34 56 78", name="Jens Hansen")
    booking = fd.booking.book("passport", slot.start, contact=contact)
    body = calendar_file(fd, booking, Words("da", fd.tz))
    assert b"12345678" not in body and b"Jens" not in body
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert event.decoded("dtstart") == booking.start
    assert event.decoded("dtend") == booking.end
    assert str(event["summary"]) == "Pas"
    assert f"Din kode: {booking.code}" in str(event["description"])
    assert "Nyropsgade" in str(event["location"])


def _call(number: str, counter: str, minute: int, day: int = 7) -> CalledNumber:
    return CalledNumber(
        number, counter, counter.title(), datetime(2026, 12, day, 10, minute, tzinfo=CPH)
    )


def test_the_info_screen_keeps_the_latest_calls_after_they_finish() -> None:
    calls = RecentCalls(keep=3)
    today = date(2026, 12, 7)
    calls.merge("c", [_call("A1", "s1", 1)], today, CPH)
    shown = calls.merge("c", [_call("A2", "s2", 2)], today, CPH)  # A1 finished
    assert [(c["number"], c["current"]) for c in shown] == [("A2", True), ("A1", False)]
    calls.merge("c", [_call("A3", "s1", 3), _call("A4", "s3", 4)], today, CPH)
    shown = calls.merge("c", [_call("A1", "s1", 5)], today, CPH)  # A1 called again: on top
    assert [(c["number"], c["current"]) for c in shown] == [
        ("A1", True), ("A4", False), ("A3", False),
    ]  # fmt: skip
    assert calls.merge("c", [], date(2026, 12, 8), CPH) == []  # a new day starts empty


def test_a_built_wheel_carries_the_catalogs(tmp_path: Path) -> None:
    # Built from a copy: setuptools leaves a build/ folder beside the sources.
    source = tmp_path / "display"
    shutil.copytree(PLUGIN, source, ignore=shutil.ignore_patterns("tests", "build", "*.egg-info"))
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps"]
    command += ["-w", str(tmp_path), str(source)]
    subprocess.run(command, check=True, capture_output=True)
    (wheel,) = tmp_path.glob("frontdesk_display-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for language in ("da", "ar"):
        assert f"frontdesk_display/i18n/locale/{language}/LC_MESSAGES/frontdesk_display.po" in names
