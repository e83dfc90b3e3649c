"""Invitations: a role offered to an e-mail address, accepted once through a link that expires.

Only a SHA-256 hash of the link's token is stored, so the table cannot be used to sign up; the role
is given on acceptance, never before. The e-mail goes through the outbox in the same transaction as
the invitation, and holds the link and the role, never anything about a child.

An outbox message names an account (``recipient_id`` is required), so inviting an address with no
account creates one that cannot sign in (no password, no role) until the invitation is accepted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

from flask import current_app
from sqlalchemy import select, update

from portal.authorities.vocabulary import SETTING_ROLES, Role
from portal.extensions import db
from portal.models import Authority, EducationSetting, Invitation, Membership, OutboxMessage, User
from portal.models.types import utcnow
from portal.passwords import hash_password, password_problem
from portal.services import audit
from portal.services.sign_in import normalise_email

#: How long an invitation link works. The one place this number lives.
INVITATION_LIFETIME = dt.timedelta(days=7)

Place = Authority | EducationSetting


class InvitationRefusedError(Exception):
    """Nothing was saved; ``field`` names the form field the message belongs to."""

    def __init__(self, message: str, field: str = "") -> None:
        self.field = field
        super().__init__(message)


class LinkState(StrEnum):
    OPEN = "open"
    EXPIRED = "expired"
    REVOKED = "revoked"
    USED = "used"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def place_of(invitation: Invitation | Membership) -> Place:
    place = invitation.setting if invitation.setting_id is not None else invitation.authority
    assert place is not None
    return place


def place_filter(model: type[Invitation] | type[Membership], place: Place):  # type: ignore[no-untyped-def]
    if isinstance(place, Authority):
        return model.authority_id == place.id
    return model.setting_id == place.id


def has_account(user: User | None) -> bool:
    """An account someone has set a password for (not one waiting for its first invitation)."""
    return user is not None and user.password_hash is not None


def holds_role(user: User, role: Role, place: Place) -> bool:
    setting_id = place.id if isinstance(place, EducationSetting) else None
    authority_id = place.id if isinstance(place, Authority) else None
    return any(
        m.role is role and m.setting_id == setting_id and m.authority_id == authority_id
        for m in user.memberships
    )


def state_of(invitation: Invitation, now: dt.datetime | None = None) -> LinkState:
    if invitation.accepted_at is not None:
        return LinkState.USED
    if invitation.revoked_at is not None:
        return LinkState.REVOKED
    if invitation.expires_at <= (now or utcnow()):
        return LinkState.EXPIRED
    return LinkState.OPEN


def pending_filter(now: dt.datetime | None = None):  # type: ignore[no-untyped-def]
    return (
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
        Invitation.expires_at > (now or utcnow()),
    )


def invitation_link(token: str) -> str:
    base = current_app.config.get("PORTAL_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    return f"{base}/invitations/{token}"


@dataclass(frozen=True)
class NewInvitation:
    full_name: str
    email: str
    role: Role
    place: Place
    #: The name the inviting authority gives the role (the e-mail says it).
    role_label: str


def invite(actor: User, new: NewInvitation, *, authority_id: int | None) -> Invitation:
    """Record the invitation and queue its e-mail, committing both, or refuse and save nothing.

    ``authority_id`` is the authority the audit event belongs to (None for a setting's own
    designated teacher inviting a colleague). A pending invitation of the same address to the same
    role and place is revoked: the new link replaces it.
    """
    email = normalise_email(new.email)
    if (new.role in SETTING_ROLES) != isinstance(new.place, EducationSetting):
        raise InvitationRefusedError("Choose a setting for a setting's role", "setting")
    user = db.session.scalar(select(User).where(User.email == email))
    if user is not None and holds_role(user, new.role, new.place):
        raise InvitationRefusedError(
            f"{email} already has the role {new.role_label} at {new.place.name}", "email"
        )
    now = utcnow()
    replaced = db.session.scalars(
        select(Invitation).where(
            Invitation.email == email,
            Invitation.role == new.role,
            place_filter(Invitation, new.place),
            *pending_filter(now),
        )
    ).all()
    for earlier in replaced:
        earlier.revoked_at = now
        audit.record("invitation.replaced", actor=actor, authority_id=authority_id, subject=earlier)
    if user is None:
        user = User(email=email, full_name=new.full_name.strip(), password_hash=None)
        db.session.add(user)
    elif not has_account(user):
        user.full_name = new.full_name.strip()
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=email,
        full_name=new.full_name.strip(),
        role=new.role,
        authority_id=new.place.id if isinstance(new.place, Authority) else None,
        setting_id=new.place.id if isinstance(new.place, EducationSetting) else None,
        token_hash=token_hash(token),
        invited_by_id=actor.id,
        created_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    db.session.add(invitation)
    db.session.flush()
    _queue_email(user, invitation, token, new)
    audit.record(
        "invitation.created",
        actor=actor,
        authority_id=authority_id,
        subject=invitation,
        role=new.role.value,
        setting=invitation.setting_id,
        replaced=[r.id for r in replaced],
    )
    db.session.commit()
    return invitation


def _queue_email(user: User, invitation: Invitation, token: str, new: NewInvitation) -> OutboxMessage:
    days = INVITATION_LIFETIME.days
    body = (
        f"Dear {invitation.full_name},\n\n"
        f"You have been invited to use PEP Portal as {new.role_label} at {new.place.name}.\n\n"
        f"To accept, open this link within {days} days: {invitation_link(token)}\n\n"
        "The link works once. If you did not expect this e-mail, you can ignore it. Do not forward it."
    )
    message = OutboxMessage(
        recipient_id=user.id,
        recipient_email=invitation.email,
        message="invitation",
        subject=f"You have been invited to PEP Portal ({new.place.name})",
        body=body,
    )
    db.session.add(message)
    return message


def revoke(actor: User, invitation: Invitation, *, authority_id: int | None) -> bool:
    """Stop a pending invitation's link working; False (and nothing done) if it was not pending."""
    if state_of(invitation) is not LinkState.OPEN:
        return False
    invitation.revoked_at = utcnow()
    audit.record("invitation.revoked", actor=actor, authority_id=authority_id, subject=invitation)
    db.session.commit()
    return True


def find(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))


def account_for(invitation: Invitation) -> User | None:
    return db.session.scalar(select(User).where(User.email == invitation.email))


def accept_with_new_password(invitation: Invitation, password: str) -> User:
    """The invitee has no account: set its password and give the role, once."""
    if problem := password_problem(password, email=invitation.email):
        raise InvitationRefusedError(problem, "password")
    user = account_for(invitation)
    if has_account(user):
        raise InvitationRefusedError("An account with this email address exists: sign in to accept")
    if user is None:
        user = User(email=invitation.email, full_name=invitation.full_name)
        db.session.add(user)
    user.password_hash = hash_password(password)
    user.full_name = invitation.full_name
    user.last_signed_in_at = utcnow()
    return _accept(invitation, user)


def accept_as(invitation: Invitation, user: User) -> User:
    """A signed-in user accepts an invitation to their own address: the role is added."""
    if user.email != invitation.email:
        raise InvitationRefusedError(f"This invitation is for {invitation.email}: sign in with that address")
    return _accept(invitation, user)


def _accept(invitation: Invitation, user: User) -> User:
    """Claim the invitation with one conditional update, so a link works once even when opened
    twice at the same moment; then give the role (unless already held) and commit."""
    now = utcnow()
    db.session.flush()
    claimed = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, *pending_filter(now))
        .values(accepted_at=now, accepted_by_id=user.id)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise InvitationRefusedError(
            "This invitation link has already been used, has expired or was withdrawn"
        )
    place = place_of(invitation)
    if not holds_role(user, invitation.role, place):
        user.memberships.append(
            Membership(
                role=invitation.role, authority_id=invitation.authority_id, setting_id=invitation.setting_id
            )
        )
    audit.record(
        "invitation.accepted",
        actor=user,
        authority_id=invitation.authority_id,
        subject=invitation,
        user=user.id,
        role=invitation.role.value,
        setting=invitation.setting_id,
    )
    db.session.commit()
    db.session.refresh(invitation)
    return user
