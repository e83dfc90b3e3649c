"""Password hashing and policy (security.md item 5).

argon2id with argon2-cffi's defaults; Werkzeug's default scrypt parameters are below OWASP's
minimum. Policy is length over complexity: at least 12 characters, 64 and more allowed, and not a
well-known password.
"""

from __future__ import annotations

from contextlib import suppress
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 256

_hasher = PasswordHasher()  # argon2id by default

#: Common passwords that meet the length rule; the rest of the usual lists are shorter than 12.
COMMON_PASSWORDS = frozenset(
    {
        "password1234",
        "password12345",
        "password123456",
        "123456789012",
        "1234567890123",
        "qwertyuiop12",
        "qwertyuiopas",
        "iloveyou1234",
        "letmein12345",
        "welcome12345",
        "administrator",
        "changeme1234",
        "passwordpassword",
        "football1234",
        "abc123456789",
        "000000000000",
        "111111111111",
        "aaaaaaaaaaaa",
        "qwerty123456",
        "monkey123456",
    }
)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        burn_time(password)
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    return _hasher.hash("no account has this password; it only costs time")


def burn_time(password: str) -> None:
    """Spend as long as a real verification, for attempts on accounts that do not exist.

    A wrong e-mail address then takes as long to refuse as a wrong password, so response times
    do not reveal which addresses have accounts.
    """
    with suppress(VerificationError):
        _hasher.verify(_dummy_hash(), password)


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problem(password: str, *, email: str = "") -> str | None:
    """Why a new password is not acceptable, in GOV.UK error wording, or ``None`` if it is."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer"
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) < 4:
        return "Password is too easy to guess. Use a longer phrase of several words"
    if email and email.split("@")[0].lower() in lowered:
        return "Password must not contain your email address"
    return None
