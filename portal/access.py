"""The one place that answers "may this user do this to this object?".

Deny by default: every view declares an :class:`AccessRule` with one of the decorators below, and
:func:`enforce` (run before every request) refuses any endpoint that has none. Object-level checks
(this child, this PEP) are the ``can_*`` functions and the ``*_filter`` query helpers, so list
pages and detail pages cannot disagree about who sees what.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from flask import abort, current_app, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import ColumnElement, and_, false, or_, select

from portal.authorities.schema import SETTING_ROLES, Role

if TYPE_CHECKING:
    from portal.models import Authority, Child, Membership, Pep, User

View = TypeVar("View", bound=Callable[..., Any])

#: Authority roles that see every child of their authority (a social worker sees their caseload).
AUTHORITY_WIDE_ROLES = frozenset({Role.VIRTUAL_SCHOOL, Role.AUTHORITY_ADMIN, Role.BUSINESS_SUPPORT})


class Audience(StrEnum):
    PUBLIC = "public"
    SIGNED_IN = "signed in"
    AUTHORITY = "authority role"
    SETTING = "setting role"
    #: Anyone who may see the PEP named in the URL (checked when the PEP is loaded, 404 if not).
    PEP = "people working on the PEP"
    #: Whoever runs the platform: creates authorities. Sees no child.
    PLATFORM = "platform administrators"


@dataclass(frozen=True)
class AccessRule:
    audience: Audience
    roles: frozenset[Role] = frozenset()

    def describe(self) -> str:
        roles = ", ".join(sorted(self.roles))
        return f"{self.audience}: {roles}" if roles else str(self.audience)


def _declare(rule: AccessRule) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        view.access_rule = rule  # type: ignore[attr-defined]
        return view

    return decorator


def public(view: View) -> View:
    """Anyone, signed in or not (the sign-in page, assets, health check)."""
    return _declare(AccessRule(Audience.PUBLIC))(view)


def signed_in(view: View) -> View:
    """Any signed-in user; the view must narrow what it shows by the user's memberships."""
    return _declare(AccessRule(Audience.SIGNED_IN))(view)


def authority_roles(*roles: Role) -> Callable[[View], View]:
    """A user holding one of ``roles`` in the authority named by the URL's ``authority``."""
    if not roles or set(roles) & SETTING_ROLES:
        raise ValueError("authority_roles needs one or more authority (not setting) roles")
    return _declare(AccessRule(Audience.AUTHORITY, frozenset(roles)))


def setting_roles(*roles: Role) -> Callable[[View], View]:
    """A user holding one of ``roles`` at some education setting; data is narrowed per setting."""
    if not roles or not set(roles) <= SETTING_ROLES:
        raise ValueError("setting_roles needs one or more setting roles")
    return _declare(AccessRule(Audience.SETTING, frozenset(roles)))


def pep_viewers(view: View) -> View:
    """Signed-in users; the route's PEP loader refuses anyone who may not see that PEP."""
    return _declare(AccessRule(Audience.PEP))(view)


def platform_admin(view: View) -> View:
    """Platform administrators only (User.is_platform_admin): creating authorities."""
    return _declare(AccessRule(Audience.PLATFORM))(view)


def rule_for(view: Callable[..., Any]) -> AccessRule | None:
    return getattr(view, "access_rule", None)


def enforce() -> ResponseReturnValue | None:
    """Before every request: apply the endpoint's declared rule, refusing endpoints with none.

    Returns a response (the sign-in redirect) to short-circuit the request, or ``None`` to go on.
    """
    if request.endpoint is None:  # no route matched; Flask answers 404 or 405 itself
        return None
    rule = rule_for(current_app.view_functions[request.endpoint])
    if rule is None:
        abort(403)
    if rule.audience is Audience.PUBLIC:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    user: User = current_user  # type: ignore[assignment]
    if rule.audience is Audience.AUTHORITY:
        authority = (request.view_args or {}).get("authority")
        if authority is None or not has_authority_role(user, authority, rule.roles):
            abort(403)
    elif (rule.audience is Audience.SETTING and not setting_ids(user, rule.roles)) or (
        rule.audience is Audience.PLATFORM and not user.is_platform_admin
    ):
        abort(403)
    return None


# --- Membership questions -------------------------------------------------------------------


def memberships(user: User, roles: Iterable[Role] | None = None) -> list[Membership]:
    wanted = None if roles is None else set(roles)
    return [m for m in user.memberships if wanted is None or m.role in wanted]


def has_authority_role(user: User, authority: Authority, roles: Iterable[Role]) -> bool:
    return any(m.authority_id == authority.id for m in memberships(user, roles))


def setting_ids(user: User, roles: Iterable[Role] = SETTING_ROLES) -> set[int]:
    return {m.setting_id for m in memberships(user, roles) if m.setting_id is not None}


# --- Object checks --------------------------------------------------------------------------


def can_view_child(user: User, child: Child) -> bool:
    """Authority-wide staff see their authority's children; a social worker sees their caseload."""
    for membership in memberships(user):
        if membership.authority_id != child.authority_id:
            continue
        if membership.role in AUTHORITY_WIDE_ROLES:
            return True
        if membership.role is Role.SOCIAL_WORKER and child.social_worker_id == user.id:
            return True
    return False


def can_view_pep(user: User, pep: Pep) -> bool:
    """A setting's designated teacher sees the PEPs delegated to it; authority staff as for the
    child. (Colleagues the designated teacher delegated to are checked with the delegation.)"""
    if pep.setting_id is not None and pep.setting_id in setting_ids(user, {Role.DESIGNATED_TEACHER}):
        return True
    if pep.education_contact_id == user.id and has_authority_role(
        user, pep.authority, {Role.EDUCATION_CONTACT}
    ):
        return True
    return can_view_child(user, pep.child)


def delegated_peps_filter(user: User) -> ColumnElement[bool]:
    """SQL condition selecting the PEPs a setting user works on: every PEP delegated to a setting
    where they are designated teacher, and the ones a designated teacher delegated to them."""
    from portal.models import Pep, PepDelegation

    conditions = []
    if teacher_at := setting_ids(user, {Role.DESIGNATED_TEACHER}):
        conditions.append(Pep.setting_id.in_(teacher_at))
    if staff_at := setting_ids(user, {Role.SETTING_STAFF}):
        handed_over = select(PepDelegation.pep_id).where(
            PepDelegation.delegate_id == user.id, PepDelegation.revoked_at.is_(None)
        )
        conditions.append(and_(Pep.setting_id.in_(staff_at), Pep.id.in_(handed_over)))
    return or_(*conditions) if conditions else false()
