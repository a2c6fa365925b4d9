"""Password hashes for staff users, with the standard library's scrypt.

A hash is written ``scrypt$N$r$p$SALT$KEY`` (salt and key in base64), so the
work factors travel with it and can be raised later without breaking old hashes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

N, R, P = 2**14, 8, 1
KEY_LENGTH = 32


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=KEY_LENGTH, maxmem=2**26
    )


def hash_password(password: str, *, n: int = N, r: int = R, p: int = P) -> str:
    """Hash ``password`` with a fresh random salt."""
    if not password:
        raise ValueError("a password cannot be empty")
    salt = secrets.token_bytes(16)
    key = _derive(password, salt, n, r, p)
    b64 = base64.b64encode
    return f"scrypt${n}${r}${p}${b64(salt).decode()}${b64(key).decode()}"


def verify_password(password: str, encoded: str) -> bool:
    """Whether ``password`` matches ``encoded``; a malformed hash never matches."""
    try:
        scheme, n, r, p, salt, key = encoded.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(key, validate=True)
        actual = _derive(password, base64.b64decode(salt, validate=True), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(expected, actual)
