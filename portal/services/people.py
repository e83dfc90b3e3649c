"""People who work in an authority, and the authority's headline numbers for its administrator."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.authorities.vocabulary import Role
from portal.extensions import db
from portal.models import Authority, Child, Membership, User


def child_count(authority: Authority) -> int:
    return db.session.scalar(select(func.count(Child.id)).where(Child.authority_id == authority.id)) or 0


def users_with_role(
    role: Role, *, authority_id: int | None = None, setting_id: int | None = None
) -> list[User]:
    """Enabled users holding ``role`` in one authority or at one setting, by name."""
    place = (
        Membership.authority_id == authority_id
        if authority_id is not None
        else Membership.setting_id == setting_id
    )
    return list(
        db.session.scalars(
            select(User)
            .join(Membership)
            .where(place, Membership.role == role, User.is_enabled.is_(True))
            .order_by(User.full_name)
        ).unique()
    )
