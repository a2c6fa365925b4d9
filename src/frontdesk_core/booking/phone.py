"""Phone numbers as citizens type them, reduced to one form so they can be compared.

A number is personal data: it is only ever kept through the store's personal
table, and no message here (or anywhere) repeats it.
"""

from __future__ import annotations

import re

from frontdesk_core.errors import CommandError

_SEPARATORS = re.compile(r"[\s\-().]")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def normalise_phone(raw: str, *, country_code: str = "45") -> str:
    """``"12 34 56 78"``, ``"0045 1234 5678"`` and ``"+45 12345678"`` all give ``"+4512345678"``.

    Eight digits without a prefix are a Danish number. Raises :class:`CommandError`
    (without repeating the number) when it cannot be a phone number.
    """
    text = _SEPARATORS.sub("", raw)
    if text.startswith("00"):
        text = "+" + text[2:]
    elif text.isdigit() and len(text) == 8:
        text = f"+{country_code}{text}"
    if not _E164.match(text):
        raise CommandError(
            "that is not a phone number; write 8 digits, or + and the country code first",
            code="phone.invalid",
        )
    return text


def mask_phone(phone: str) -> str:
    """A number fit to show on a screen: only the last two digits (``"+45 •••• ••78"``)."""
    return f"{phone[:3]} •••• ••{phone[-2:]}" if len(phone) > 5 else "••"
