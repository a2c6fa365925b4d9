"""The errors a citizen or an employee can meet carry a stable code and their values, so
a page can say them in its reader's language."""

from __future__ import annotations

import pytest

from booking.conftest import at
from frontdesk_core.api import CapacityError, CommandError, Contact, Frontdesk, NotFoundError


def test_unknown_code_bad_phone_and_taken_time_have_codes_and_values(fd: Frontdesk) -> None:
    with pytest.raises(NotFoundError) as unknown:
        fd.booking.find("NOPE42")
    assert unknown.value.code == "booking.unknown_code" and unknown.value.params == {}
    with pytest.raises(CommandError) as phone:
        fd.booking.book("passport", at(24, 10), contact=Contact(phone="12 34"))
    assert phone.value.code == "phone.invalid"
    assert "12 34" not in str(phone.value) and phone.value.params == {}
    while True:  # fill every counter at 10:00
        try:
            fd.booking.book("passport", at(24, 10), contact=Contact())
        except CapacityError as full:
            taken = full
            break
    assert taken.code == "booking.slot_taken"
    assert taken.params == {"start": at(24, 10)}


def test_an_error_without_a_code_of_its_own_has_its_kinds() -> None:
    assert CommandError("x").code == "command"
    assert NotFoundError("x").code == "not_found"
    assert CapacityError("x", params={"n": 1}).params == {"n": 1}
