"""A setting's designated teacher manages their own colleagues: who works at the setting, inviting
a colleague to it, and removing a colleague's setting-staff role. Never another setting's people."""

from __future__ import annotations

from sqlalchemy import select

from portal.authorities.vocabulary import SETTING_ROLES, Role
from portal.extensions import db
from portal.models import EducationSetting, Invitation, Membership, User
from portal.services import audit
from portal.services.invitations import pending_filter

#: Roles a designated teacher may invite a colleague to, at their own setting.
INVITABLE = (Role.SETTING_STAFF, Role.DESIGNATED_TEACHER)


class ColleagueChangeRefusedError(Exception):
    """Nothing was changed; the message says why."""


def setting_for_teacher(user: User, setting_id: int) -> EducationSetting | None:
    """The setting, if ``user`` is its designated teacher; None (the page is not found) otherwise."""
    if not any(m.role is Role.DESIGNATED_TEACHER and m.setting_id == setting_id for m in user.memberships):
        return None
    return db.session.get(EducationSetting, setting_id)


def settings_led_by(user: User) -> list[EducationSetting]:
    return sorted(
        (m.setting for m in user.memberships if m.role is Role.DESIGNATED_TEACHER and m.setting),
        key=lambda s: s.name,
    )


def colleagues(setting: EducationSetting) -> list[tuple[User, list[Role]]]:
    """Everyone with a role at the setting and their roles there, by name (one query)."""
    rows = db.session.execute(
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.setting_id == setting.id, Membership.role.in_(SETTING_ROLES))
        .order_by(User.full_name, User.id, Membership.role)
    ).all()
    found: dict[int, tuple[User, list[Role]]] = {}
    for user, role in rows:
        found.setdefault(user.id, (user, []))[1].append(role)
    return list(found.values())


def pending_invitations(setting: EducationSetting) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .where(Invitation.setting_id == setting.id, *pending_filter())
            .order_by(Invitation.created_at, Invitation.id)
        )
    )


def remove_setting_staff(actor: User, setting: EducationSetting, user_id: int) -> User:
    """Remove a colleague's setting-staff role at this setting; effective on their next request."""
    membership = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user_id,
            Membership.setting_id == setting.id,
            Membership.role == Role.SETTING_STAFF,
        )
    )
    if membership is None:
        raise ColleagueChangeRefusedError("That colleague no longer has a setting staff role here")
    user = membership.user
    user.memberships.remove(membership)
    audit.record(
        "people.role_removed",
        actor=actor,
        subject=user,
        role=Role.SETTING_STAFF.value,
        setting=setting.id,
    )
    db.session.commit()
    return user
