"""Phone numbers: normalised to E.164; bad ones refused without repeating them."""

from __future__ import annotations

import pytest
from frontdesk_sms_gateway.phone import PhoneNumberError, is_valid, mask, normalise
from hypothesis import given
from hypothesis import strategies as st

from frontdesk_core.api import normalise_phone


@pytest.mark.parametrize(
    "raw",
    [
        "12345678",
        "12 34 56 78",
        "1234-5678",
        "+45 12 34 56 78",
        "0045 12345678",
        "4512345678",
        " +45(12)345678 ",
    ],
)
def test_danish_numbers_in_every_form_give_one_e164(raw: str) -> None:
    assert normalise(raw) == "+4512345678"


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("+46 70 123 45 67", "+45", "+46701234567"),
        ("0046701234567", "+45", "+46701234567"),
        ("070 123 45 67", "+46", "+46701234567"),
        ("+299 32 12 34", "+45", "+299321234"),
        ("+44 20 7946 0958", "+45", "+442079460958"),
    ],
)
def test_international_and_other_default_countries(raw: str, country: str, expected: str) -> None:
    assert normalise(raw, country) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty"),
        ("1234567", "8 digits"),
        ("123456789", "8 digits"),
        ("02345678", "does not start with 0"),
        ("+45 1234 567", "8 digits after +45"),
        ("+45 0234 5678", "does not start with 0"),
        ("12ab5678", "only hold digits"),
        ("+0 123 456 789", "never starts with 0"),
        ("+1234567890123456", "7 to 15 digits"),
        ("١٢٣٤٥٦٧٨", "only hold digits"),
    ],
)
def test_bad_numbers_are_refused_with_a_reason(raw: str, reason: str) -> None:
    with pytest.raises(PhoneNumberError) as caught:
        normalise(raw)
    assert reason in str(caught.value)
    assert not is_valid(raw)


def test_the_error_never_repeats_the_number() -> None:
    with pytest.raises(PhoneNumberError) as caught:
        normalise("9876543")
    assert "9876543" not in str(caught.value)


def test_a_bad_default_country_code_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="country calling code"):
        normalise("12345678", "45")


def test_mask_keeps_only_the_last_two_digits() -> None:
    masked = mask("+4512345678")
    assert masked.endswith("78") and "123456" not in masked


danish = st.from_regex(r"[1-9][0-9]{7}", fullmatch=True)
separators = st.sampled_from(["", " ", "-", "  "])


@given(danish, separators, st.sampled_from(["", "+45", "0045", "45", "+45 "]))
def test_any_formatting_of_a_danish_number_gives_the_same_e164(
    number: str, sep: str, prefix: str
) -> None:
    spaced = sep.join(number[i : i + 2] for i in range(0, 8, 2))
    assert normalise(prefix + spaced) == "+45" + number


@given(st.text(max_size=20))
def test_normalise_is_idempotent_and_agrees_with_the_core(raw: str) -> None:
    try:
        e164 = normalise(raw)
    except PhoneNumberError as exc:
        digits = "".join(c for c in raw if c.isdigit())
        if len(digits) >= 3:
            assert digits not in str(exc)
        return
    assert normalise(e164) == e164
    # The booking engine compares numbers in its own normal form: the same one.
    assert normalise_phone(e164) == e164
