"""An authority (the local council that looks after children) and its process versions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.types import UTCDateTime, utcnow


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
    #: Where it came from: "file" (config/authorities) or, later, "published" by an administrator.
    source: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
