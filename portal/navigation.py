"""Where each role works: landing pages and the service navigation built from a user's roles."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for

from portal.access import memberships
from portal.authorities.schema import SETTING_ROLES, Role
from portal.models import Membership, User

#: The page each authority role lands on, and the navigation label for it.
AUTHORITY_LANDING = {
    Role.SOCIAL_WORKER: ("social_work.caseload", "My caseload"),
    Role.BUSINESS_SUPPORT: ("business_support.queue", "Business support"),
    Role.VIRTUAL_SCHOOL: ("virtual_school.overview", "Virtual School"),
    Role.AUTHORITY_ADMIN: ("admin.overview", "Administration"),
    Role.EDUCATION_CONTACT: ("education_contact.dashboard", "Children without a setting"),
}
SCHOOL_LANDING = ("school.dashboard", "Children at my setting")
#: Where a platform administrator creates authorities.
PLATFORM_LANDING = "platform.authorities"
#: Order in which roles appear in navigation and on the role chooser.
ROLE_ORDER = [
    Role.DESIGNATED_TEACHER,
    Role.SETTING_STAFF,
    Role.SOCIAL_WORKER,
    Role.BUSINESS_SUPPORT,
    Role.VIRTUAL_SCHOOL,
    Role.AUTHORITY_ADMIN,
    Role.EDUCATION_CONTACT,
]


@dataclass(frozen=True)
class Destination:
    text: str
    href: str
    endpoint: str
    authority_slug: str | None


def destinations(user: User) -> list[Destination]:
    """One destination per place the user works: all setting roles share the school dashboard."""
    held = sorted(memberships(user), key=lambda m: (ROLE_ORDER.index(m.role), m.id))
    authority_count = len({m.authority_id for m in held if m.authority_id})
    result: list[Destination] = []
    if any(m.role in SETTING_ROLES for m in held):
        endpoint, text = SCHOOL_LANDING
        result.append(Destination(text, url_for(endpoint), endpoint, None))
    if user.is_platform_admin:
        result.append(Destination("Authorities", url_for(PLATFORM_LANDING), PLATFORM_LANDING, None))
    for membership in held:
        if membership.role in SETTING_ROLES or membership.authority is None:
            continue
        endpoint, text = AUTHORITY_LANDING[membership.role]
        if authority_count > 1:
            text = f"{text}: {membership.authority.name}"
        href = url_for(endpoint, authority=membership.authority.slug)
        result.append(Destination(text, href, endpoint, membership.authority.slug))
    return result


def service_navigation(user: User) -> list[dict[str, object]]:
    current_slug = getattr(request.view_args.get("authority"), "slug", None) if request.view_args else None
    items = []
    for destination in destinations(user):
        here = request.endpoint is not None and request.blueprint == destination.endpoint.split(".")[0]
        same_authority = destination.authority_slug in (None, current_slug)
        items.append({"text": destination.text, "href": destination.href, "active": here and same_authority})
    return items


def role_summary(membership: Membership, role_label: str) -> str:
    """ "Designated teacher, Riverside Academy" or "Social worker, Anyshire County Council"."""
    place = membership.setting.name if membership.setting else membership.authority.name  # type: ignore[union-attr]
    return f"{role_label}, {place}"
