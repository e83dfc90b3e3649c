"""Queueing e-mail about a PEP in the outbox, inside the caller's transaction.

Bodies name the child by first name and initial only, and carry a link to sign in: the PEP itself
is never in an e-mail.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import select

from portal.authorities.vocabulary import SETTING_ROLES, Role
from portal.extensions import db
from portal.models import Child, Membership, OutboxMessage, Pep, User

#: What each notify message key tells the recipient. Unknown keys get a neutral sentence.
PHRASES = {
    "delegated": "sections of a PEP have been delegated to you to complete",
    "returned": "a PEP has been returned for improvement",
    "completed": "a PEP has been completed and is ready for the next step",
    "finalised": "a PEP has been finalised",
    "submitted": "a PEP has been submitted",
    "reminder": "a PEP is due soon",
    "overdue": "a PEP deadline has passed and it has not been met",
    "weekly_digest": "your weekly digest of PEP reminders and overdue deadlines",
    "chased": "your setting's sections of a PEP are waiting to be completed",
    "assigned": "a PEP has been assigned to you to send on",
    "referred": "a PEP has been referred to the Virtual School for follow-up",
    "transferred": "a child's case, and their PEP, has been transferred to you",
    "term_started": "this term's PEP has been started",
    "copy": "the PEP has been finalised and your copy is ready to download",
    "child_copy": (
        "the PEP has been finalised. Please make sure the child gets a copy: a summary of their "
        "targets, written for them, is ready to download and share"
    ),
}


def recipients(pep: Pep, roles: list[Role]) -> list[User]:
    """The people holding ``roles`` for this PEP (one query for all authority and setting roles)."""
    setting_id = pep.setting_id or pep.child.current_setting_id
    wanted_setting = [r for r in roles if r in SETTING_ROLES]
    wanted_authority = [r for r in roles if r not in SETTING_ROLES and r is not Role.SOCIAL_WORKER]
    conditions = []
    if wanted_setting and setting_id is not None:
        conditions.append((Membership.setting_id == setting_id) & Membership.role.in_(wanted_setting))
    if wanted_authority:
        conditions.append(
            (Membership.authority_id == pep.authority_id) & Membership.role.in_(wanted_authority)
        )
    users: dict[int, User] = {}
    if conditions:
        query = select(User).join(Membership).where(db.or_(*conditions), User.is_enabled.is_(True))
        users = {u.id: u for u in db.session.scalars(query).unique()}
    if Role.SOCIAL_WORKER in roles and pep.child.social_worker is not None:
        users[pep.child.social_worker.id] = pep.child.social_worker
    if Role.DESIGNATED_TEACHER in roles and pep.setting_id is None:
        # A child with no setting: their education contact hears what a designated teacher would.
        contact = (
            pep.child.education_contact
            if pep.education_contact_id is None
            else db.session.get(User, pep.education_contact_id)
        )
        if contact is not None and contact.is_enabled:
            users[contact.id] = contact
    return sorted(users.values(), key=lambda u: u.id)


#: Messages whose link is a document to download rather than the PEP's page (path after the PEP's).
DOWNLOADS = {
    "copy": ("/pep.pdf", "Sign in to PEP Portal to download a copy"),
    "child_copy": ("/my-targets.pdf", "Sign in to PEP Portal to download the summary"),
}


def queue_about_pep(pep: Pep, roles: list[Role], message: str) -> list[OutboxMessage]:
    return queue_for_users(pep, recipients(pep, roles), message)


def queue_for_users(pep: Pep, users: list[User], message: str) -> list[OutboxMessage]:
    queued = [pep_email(pep, user, message) for user in users]
    db.session.add_all(queued)
    return queued


def child_initials(child: Child) -> str:
    """How e-mails name a child: first name and initial only."""
    return f"{child.first_name} {child.last_name[:1]}."


def pep_link(pep: Pep, suffix: str = "") -> str:
    """A link to the PEP (or one of its documents): it names the authority and a number, never the
    child, and works only after signing in as someone who may see the PEP."""
    base = current_app.config.get("PORTAL_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    return f"{base}/a/{pep.authority.slug}/peps/{pep.id}{suffix}"


def long_date(day: dt.date) -> str:
    """Friday 4 December 2026."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def deadline_phrase(label: str, overdue: bool, due_on: dt.date) -> str:
    """What a reminder or an overdue notice says about one deadline."""
    if overdue:
        return f"{label} was due on {long_date(due_on)} and has not been done"
    return f"{label} is due on {long_date(due_on)}"


def pep_email(pep: Pep, user: User, message: str, detail: str | None = None) -> OutboxMessage:
    """One e-mail about a PEP (not yet added to the session). The subject says what happened in
    ``message``'s phrase; the body says ``detail`` where given (e.g. which deadline), else the same."""
    who = child_initials(pep.child)
    phrase = PHRASES.get(message, f"a PEP needs your attention ({message.replace('_', ' ')})")
    suffix, invitation = DOWNLOADS.get(message, ("", "Sign in to PEP Portal to see it"))
    return OutboxMessage(
        recipient_id=user.id,
        recipient_email=user.email,
        message=message,
        pep_id=pep.id,
        subject=f"PEP for {who}: {phrase}",
        body=(
            f"Dear {user.full_name},\n\n"
            f"For {who} ({pep.authority.name}, {pep.term_label}): {detail or phrase}.\n\n"
            f"{invitation}: {pep_link(pep, suffix)}\n\n"
            "This e-mail contains no details of the plan and nothing is attached. Do not forward it."
        ),
    )
