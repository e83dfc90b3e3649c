"""Users, the roles they hold (memberships) and sign-in attempts."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.authorities.schema import SETTING_ROLES, Role
from portal.extensions import db
from portal.models.notices import NoticeFrequency
from portal.models.types import UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from portal.models.authority import Authority
    from portal.models.setting import EducationSetting


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-case so sign-in is case-insensitive without a function index.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Runs the platform itself: creates authorities (from another as a template). Not a role in
    #: any authority, so it gives no sight of any child.
    is_platform_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Bumped on sign-out and password change; a session carrying an older number is refused,
    #: which is how a signed cookie session can be revoked.
    session_version: Mapped[int] = mapped_column(default=1)
    last_signed_in_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Reminders and overdue notices as one e-mail each, or held for one weekly digest.
    notice_frequency: Mapped[NoticeFrequency] = mapped_column(
        str_enum(NoticeFrequency), default=NoticeFrequency.IMMEDIATE, server_default="immediate"
    )

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    # Flask-Login protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.is_enabled

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class Membership(db.Model):
    """A role one user holds in one authority or at one education setting.

    One person may hold several (a social worker who is also an administrator; a designated
    teacher at two settings), so roles live here and not on the user.
    """

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "role", "authority_id", "setting_id"),
        CheckConstraint("(authority_id IS NULL) <> (setting_id IS NULL)", name="authority_xor_setting"),
        Index("ix_memberships_authority_role", "authority_id", "role"),
        Index("ix_memberships_setting_role", "setting_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role))
    authority_id: Mapped[int | None] = mapped_column(ForeignKey("authorities.id"))
    setting_id: Mapped[int | None] = mapped_column(ForeignKey("education_settings.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    authority: Mapped[Authority | None] = relationship(lazy="joined")
    setting: Mapped[EducationSetting | None] = relationship(lazy="joined")

    @property
    def is_setting_role(self) -> bool:
        return self.role in SETTING_ROLES


class LoginAttempt(db.Model):
    """One sign-in attempt, kept to throttle guessing per account and per address."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_at", "email", "attempted_at"),
        Index("ix_login_attempts_address_at", "remote_address", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    remote_address: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    attempted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
