"""Signing in: password check, throttling per account and per address, audit (security.md 5, 6)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import LoginAttempt, User
from portal.models.types import utcnow
from portal.passwords import hash_password, needs_rehash, verify_password
from portal.services import audit

THROTTLE_WINDOW = dt.timedelta(minutes=15)
#: Failures allowed in the window, per account and per network address. A school's staff may
#: share one address, so the address limit is higher than the account limit.
MAX_FAILURES_PER_ACCOUNT = 10
MAX_FAILURES_PER_ADDRESS = 30


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    throttled: bool = False


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _recent_failures(column: object, value: str, since: dt.datetime) -> int:
    return (
        db.session.scalar(
            select(func.count(LoginAttempt.id)).where(
                column == value,  # type: ignore[operator]
                LoginAttempt.succeeded.is_(False),
                LoginAttempt.attempted_at >= since,
            )
        )
        or 0
    )


def is_throttled(email: str, remote_address: str) -> bool:
    since = utcnow() - THROTTLE_WINDOW
    return (
        _recent_failures(LoginAttempt.email, email, since) >= MAX_FAILURES_PER_ACCOUNT
        or _recent_failures(LoginAttempt.remote_address, remote_address, since) >= MAX_FAILURES_PER_ADDRESS
    )


def authenticate(email: str, password: str, remote_address: str) -> SignInResult:
    """Check a sign-in attempt. The result never says whether the account exists."""
    email = normalise_email(email)
    if is_throttled(email, remote_address):
        db.session.add(LoginAttempt(email=email, remote_address=remote_address, succeeded=False))
        db.session.commit()
        return SignInResult(user=None, throttled=True)
    user = db.session.scalar(select(User).where(User.email == email))
    valid = verify_password(user.password_hash if user else None, password)
    succeeded = bool(user and valid and user.is_enabled)
    db.session.add(LoginAttempt(email=email, remote_address=remote_address, succeeded=succeeded))
    if not succeeded:
        db.session.commit()
        return SignInResult(user=None)
    assert user is not None and user.password_hash is not None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_signed_in_at = utcnow()
    audit.record("signed_in", actor=user)
    db.session.commit()
    return SignInResult(user=user)


def sign_out(user: User) -> None:
    """Revoke every session of the user, not only this browser's cookie."""
    from portal.security import revoke_sessions

    revoke_sessions(user)
    audit.record("signed_out", actor=user)
    db.session.commit()
