"""An authority (the local council that looks after children) and its process versions."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.models.people import User


class Authority(db.Model):
    __tablename__ = "authorities"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: The process version new PEPs start under. Older PEPs keep the version they started with.
    current_config_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("authority_config_versions.id", use_alter=True)
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    current_config_version: Mapped[AuthorityConfigVersion | None] = relationship(
        foreign_keys=[current_config_version_id], post_update=True
    )

    def __repr__(self) -> str:
        return f"<Authority {self.slug}>"


#: How a version came to be, in words for the version history.
VERSION_SOURCES = {
    "file": "Loaded from the configuration file",
    "published": "Published in the portal",
    "rollback": "Rolled back to an earlier version",
    "template": "Created from another authority's process",
}


class AuthorityConfigVersion(db.Model):
    """One immutable, validated version of an authority's process configuration."""

    __tablename__ = "authority_config_versions"
    __table_args__ = (UniqueConstraint("authority_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authorities.id"), index=True)
    version: Mapped[int]
    #: The validated configuration as JSON (dates as ISO strings), re-validated when read. Deferred:
    #: lists load many PEPs with their version, and need only the hash to find the parsed config.
    document: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    #: SHA-256 of the canonical document, so re-loading an unchanged file adds no version.
    content_hash: Mapped[str] = mapped_column(String(64))
    #: Where it came from: a key of VERSION_SOURCES.
    source: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: What the administrator said the change was for, shown in the version history.
    note: Mapped[str] = mapped_column(Text, default="")

    created_by: Mapped[User | None] = relationship()

    @property
    def source_label(self) -> str:
        return VERSION_SOURCES.get(self.source, self.source)


class AuthorityConfigDraft(db.Model):
    """The administrator's unpublished changes to their authority's process: at most one per
    authority. Each edit is validated against the whole schema before it is kept (see
    portal.services.process_drafts), so a draft is always a process the engine could run.
    """

    __tablename__ = "authority_config_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authorities.id"), unique=True)
    #: The configuration being edited, in the same JSON form as AuthorityConfigVersion.document.
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: The version the draft started from: publishing refuses a draft whose base is no longer
    #: current (someone else published meanwhile), rather than silently undoing their change.
    based_on_version_id: Mapped[int] = mapped_column(ForeignKey("authority_config_versions.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: Optimistic lock: two administrators editing one draft cannot overwrite each other unseen.
    lock_version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": lock_version}  # noqa: RUF012

    based_on_version: Mapped[AuthorityConfigVersion] = relationship()
    updated_by: Mapped[User | None] = relationship()
