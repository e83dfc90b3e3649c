"""Invitations: how a new colleague gets an account, or an existing user a new role."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.authorities.vocabulary import Role
from portal.extensions import db
from portal.models.types import UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from portal.models.authority import Authority
    from portal.models.people import User
    from portal.models.setting import EducationSetting


class Invitation(db.Model):
    """A role offered to an e-mail address, accepted through a link that expires.

    Only a hash of the link's token is stored, so a leaked database row cannot be used to sign
    up; the role is given when the invitation is accepted, never before.
    """

    __tablename__ = "invitations"
    __table_args__ = (
        CheckConstraint("(authority_id IS NULL) <> (setting_id IS NULL)", name="authority_xor_setting"),
        Index("ix_invitations_authority_created", "authority_id", "created_at"),
        Index("ix_invitations_setting_created", "setting_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-case, like User.email.
    email: Mapped[str] = mapped_column(String(254), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    authority_id: Mapped[int | None] = mapped_column(ForeignKey("authorities.id"))
    setting_id: Mapped[int | None] = mapped_column(ForeignKey("education_settings.id"))
    #: SHA-256 of the token in the link.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    authority: Mapped[Authority | None] = relationship()
    setting: Mapped[EducationSetting | None] = relationship()
    invited_by: Mapped[User] = relationship(foreign_keys=[invited_by_id])
