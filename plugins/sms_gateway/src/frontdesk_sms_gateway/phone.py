"""Phone numbers: validate what citizens type and normalise it to E.164 (``+4512345678``).

Danish numbers have no trunk prefix: a national number is exactly 8 digits and
never starts with 0. For
another default country, a national number loses one leading trunk ``0``.
Error messages never repeat the number: it is personal data.
"""

from __future__ import annotations

import re

from frontdesk_core.api import CommandError

DENMARK = "45"
_SEPARATORS = re.compile(r"[\s\-./()]")
_COUNTRY_CODE = re.compile(r"^\+[1-9]\d{0,2}$")
E164_MAX_DIGITS = 15
E164_MIN_DIGITS = 7


class PhoneNumberError(CommandError):
    """A phone number that cannot be used; ``reason`` says why without repeating it."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"invalid phone number: {reason}", code="phone.invalid")


def check_country_code(code: str) -> str:
    """Return ``code`` (like ``+45``) if it is a country calling code; raise ValueError if not."""
    if not _COUNTRY_CODE.match(code):
        raise ValueError(f"'{code}' is not a country calling code; write it like '+45'")
    return code


def normalise(raw: str, default_country_code: str = "+45") -> str:
    """The E.164 form of ``raw``; raise :class:`PhoneNumberError` if it is not a phone number.

    Accepts spaces, dashes, dots and brackets between digits, an international
    ``+`` or ``00`` prefix, and national numbers of the default country.
    """
    country = check_country_code(default_country_code)[1:]
    text = _SEPARATORS.sub("", raw.strip())
    if not text:
        raise PhoneNumberError("the number is empty")
    if text.startswith("+"):
        digits = text[1:]
        international = True
    elif text.startswith("00"):
        digits = text[2:]
        international = True
    else:
        digits = text
        international = False
    if not digits.isascii() or not digits.isdigit():
        raise PhoneNumberError("a phone number may only hold digits, spaces and a leading '+'")
    if not international:
        digits = _national(digits, country)
    if digits.startswith("0"):
        raise PhoneNumberError("a country calling code never starts with 0")
    if digits.startswith(DENMARK):
        _check_danish(digits[len(DENMARK) :])
    if not E164_MIN_DIGITS <= len(digits) <= E164_MAX_DIGITS:
        raise PhoneNumberError(
            f"an international number has {E164_MIN_DIGITS} to {E164_MAX_DIGITS} digits"
        )
    return "+" + digits


def _national(digits: str, country: str) -> str:
    if country == DENMARK:
        if len(digits) == 8:
            return DENMARK + digits
        # Gateways often report senders as 4512345678, without the '+'.
        if len(digits) == 10 and digits.startswith(DENMARK):
            return digits
        raise PhoneNumberError("a Danish number has 8 digits")
    if digits.startswith("0"):
        digits = digits[1:]
    return country + digits


def _check_danish(national: str) -> None:
    if len(national) != 8:
        raise PhoneNumberError("a Danish number has 8 digits after +45")
    if national[0] == "0":
        raise PhoneNumberError("a Danish number does not start with 0")


def is_valid(raw: str, default_country_code: str = "+45") -> bool:
    """Whether ``raw`` normalises to a phone number."""
    try:
        normalise(raw, default_country_code)
    except PhoneNumberError:
        return False
    return True


def mask(number: str) -> str:
    """``+45 •••• ••78``-style masking for development output: the last two digits only."""
    return number[:3] + "•" * max(len(number) - 5, 0) + number[-2:]
