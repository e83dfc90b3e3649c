"""An authority administrator's people: who holds a role, giving and removing roles, disabling
accounts.

What an administrator manages is the authority's own roles and the roles at the settings where the
authority has children (``Child.current_setting_id``). A person is theirs to see if they hold such
a role, or held one (an audit event of this authority is about them); anyone else is not found.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, exists, func, or_, select

from portal.authorities.vocabulary import SETTING_ROLES, Role
from portal.extensions import db
from portal.models import AuditEvent, Authority, Child, EducationSetting, Invitation, Membership, User
from portal.security import revoke_sessions
from portal.services import audit
from portal.services.invitations import Place, holds_role, pending_filter
from portal.services.paging import Page, paginate

SEARCH_LIMIT = 100


class PeopleChangeRefusedError(Exception):
    """Nothing was changed; the message says why in plain words."""


@dataclass(frozen=True)
class PeopleFilters:
    search: str = ""
    role: Role | None = None


def setting_ids_in_scope(authority: Authority) -> Select[tuple[int]]:
    """The settings where the authority has children: its administrator manages roles there."""
    return (
        select(Child.current_setting_id)
        .where(Child.authority_id == authority.id, Child.current_setting_id.is_not(None))
        .distinct()
    )


def settings_in_scope(authority: Authority) -> list[EducationSetting]:
    return list(
        db.session.scalars(
            select(EducationSetting)
            .where(EducationSetting.id.in_(setting_ids_in_scope(authority)))
            .order_by(EducationSetting.name, EducationSetting.id)
        )
    )


def setting_in_scope(authority: Authority, setting_id: int) -> EducationSetting | None:
    return db.session.scalar(
        select(EducationSetting).where(
            EducationSetting.id == setting_id, EducationSetting.id.in_(setting_ids_in_scope(authority))
        )
    )


def _membership_in_scope(authority: Authority) -> ColumnElement[bool]:
    return or_(
        Membership.authority_id == authority.id,
        Membership.setting_id.in_(setting_ids_in_scope(authority)),
    )


def _search_condition(model: type[User] | type[Invitation], search: str) -> ColumnElement[bool]:
    pattern = "%" + search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return or_(
        func.lower(model.full_name).like(pattern, escape="\\"),
        model.email.like(pattern, escape="\\"),
    )


def people(authority: Authority, filters: PeopleFilters, *, page: int) -> Page[User]:
    """People holding a role the administrator manages, by name; memberships load in one query
    for the whole page (User.memberships is selectin)."""
    held = select(Membership.user_id).where(_membership_in_scope(authority))
    if filters.role is not None:
        held = held.where(Membership.role == filters.role)
    statement = select(User).where(User.id.in_(held))
    if search := filters.search.strip()[:SEARCH_LIMIT]:
        statement = statement.where(_search_condition(User, search))
    return paginate(statement.order_by(User.full_name, User.id), page)


def pending_invitations(authority: Authority, filters: PeopleFilters | None = None) -> list[Invitation]:
    """Invitations still waiting to be accepted, to the authority or its settings, oldest first."""
    statement = select(Invitation).where(
        or_(
            Invitation.authority_id == authority.id,
            Invitation.setting_id.in_(setting_ids_in_scope(authority)),
        ),
        *pending_filter(),
    )
    if filters is not None and filters.role is not None:
        statement = statement.where(Invitation.role == filters.role)
    if filters is not None and (search := filters.search.strip()[:SEARCH_LIMIT]):
        statement = statement.where(_search_condition(Invitation, search))
    return list(db.session.scalars(statement.order_by(Invitation.created_at, Invitation.id)))


def pending_invitation(authority: Authority, invitation_id: int) -> Invitation | None:
    return next((i for i in pending_invitations(authority) if i.id == invitation_id), None)


def person(authority: Authority, user_id: int) -> User | None:
    """The user, if they hold or held a role this authority manages; otherwise None (404)."""
    in_scope = exists().where(Membership.user_id == User.id, _membership_in_scope(authority))
    touched = exists().where(
        AuditEvent.authority_id == authority.id,
        AuditEvent.subject_type == "User",
        AuditEvent.subject_id == User.id,
    )
    return db.session.scalar(select(User).where(User.id == user_id, or_(in_scope, touched)))


def roles_here(authority: Authority, user: User) -> list[Membership]:
    """The user's roles this administrator manages: the authority's, then the settings' by name."""
    settings = set(db.session.scalars(setting_ids_in_scope(authority)))
    here = [m for m in user.memberships if m.authority_id == authority.id or m.setting_id in settings]
    return sorted(here, key=lambda m: (m.setting is not None, m.setting.name if m.setting else "", m.role))


def roles_elsewhere(authority: Authority, user: User) -> int:
    return len(user.memberships) - len(roles_here(authority, user))


def _enabled_admins(authority: Authority) -> list[int]:
    """Ids of the authority's enabled administrators, locked until commit (PostgreSQL) so two
    administrators cannot remove each other at the same moment."""
    return list(
        db.session.scalars(
            select(Membership.user_id)
            .join(User, User.id == Membership.user_id)
            .where(
                Membership.authority_id == authority.id,
                Membership.role == Role.AUTHORITY_ADMIN,
                User.is_enabled.is_(True),
            )
            .with_for_update()
        )
    )


def _refuse_if_last_admin(authority: Authority, user: User, doing: str) -> None:
    admins = _enabled_admins(authority)
    if user.id in admins and len(set(admins) - {user.id}) == 0:
        db.session.rollback()
        raise PeopleChangeRefusedError(
            f"You cannot {doing}: {authority.name} must keep at least one administrator. "
            "Give another person the administrator role first"
        )


def give_role(
    actor: User, authority: Authority, user: User, role: Role, place: Place, role_label: str
) -> Membership:
    if (role in SETTING_ROLES) != isinstance(place, EducationSetting):
        raise PeopleChangeRefusedError("Choose a setting for a setting's role")
    if not user.is_enabled:
        raise PeopleChangeRefusedError(
            f"{user.full_name}'s account is disabled: enable it before giving a role"
        )
    if holds_role(user, role, place):
        raise PeopleChangeRefusedError(f"{user.full_name} already has the role {role_label} at {place.name}")
    membership = Membership(
        role=role,
        authority_id=place.id if isinstance(place, Authority) else None,
        setting_id=place.id if isinstance(place, EducationSetting) else None,
    )
    user.memberships.append(membership)
    audit.record(
        "people.role_given",
        actor=actor,
        authority_id=authority.id,
        subject=user,
        role=role.value,
        setting=membership.setting_id,
    )
    db.session.commit()
    return membership


def remove_role(actor: User, authority: Authority, user: User, membership_id: int) -> tuple[Role, str]:
    """Remove one of the user's roles this administrator manages; effective on their next request.
    Returns the role and where it was held (the membership itself is gone)."""
    membership = next((m for m in roles_here(authority, user) if m.id == membership_id), None)
    if membership is None:
        raise PeopleChangeRefusedError("That role has already been removed")
    if membership.role is Role.AUTHORITY_ADMIN:
        _refuse_if_last_admin(authority, user, "remove the last administrator's role")
    removed = (membership.role, membership.setting.name if membership.setting else authority.name)
    user.memberships.remove(membership)
    audit.record(
        "people.role_removed",
        actor=actor,
        authority_id=authority.id,
        subject=user,
        role=membership.role.value,
        setting=membership.setting_id,
    )
    db.session.commit()
    return removed


def disable(actor: User, authority: Authority, user: User) -> None:
    """Disable the account and end its sessions; refused for the last administrator, for oneself,
    and for someone who also works for another authority or at a setting this one does not use."""
    if not user.is_enabled:
        return
    if user.id == actor.id:
        raise PeopleChangeRefusedError("You cannot disable your own account")
    if roles_elsewhere(authority, user):
        raise PeopleChangeRefusedError(
            f"{user.full_name} also has roles that {authority.name} does not manage (in another "
            "authority, or at a setting where it has no children), so their account stays enabled. "
            "Remove their roles here instead"
        )
    _refuse_if_last_admin(authority, user, "disable the last administrator")
    user.is_enabled = False
    revoke_sessions(user)
    audit.record("people.disabled", actor=actor, authority_id=authority.id, subject=user)
    db.session.commit()


def enable(actor: User, authority: Authority, user: User) -> None:
    if user.is_enabled:
        return
    user.is_enabled = True
    audit.record("people.enabled", actor=actor, authority_id=authority.id, subject=user)
    db.session.commit()


def headline(authority: Authority) -> tuple[int, int]:
    """How many people hold a role the administrator manages, and how many invitations wait."""
    held = select(Membership.user_id).where(_membership_in_scope(authority))
    people_count = db.session.scalar(select(func.count(User.id)).where(User.id.in_(held))) or 0
    waiting = db.session.scalar(
        select(func.count(Invitation.id)).where(
            or_(
                Invitation.authority_id == authority.id,
                Invitation.setting_id.in_(setting_ids_in_scope(authority)),
            ),
            *pending_filter(),
        )
    )
    return people_count, waiting or 0
