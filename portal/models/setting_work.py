"""What a setting does with a PEP besides answering it: attachments and delegation to colleagues."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.models.people import User


class PepAttachment(db.Model):
    """A supporting document (e.g. a SEND plan). The file lives outside the web root under a
    random name; the original name is only shown, never used as a path."""

    __tablename__ = "pep_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    pep_id: Mapped[int] = mapped_column(ForeignKey("peps.id"), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    uploaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    uploaded_by: Mapped[User] = relationship()


class PepDelegation(db.Model):
    """A designated teacher hands a colleague at the same setting one section, or all of the
    setting's sections, of a PEP. The designated teacher stays accountable and keeps access."""

    __tablename__ = "pep_delegations"
    __table_args__ = (Index("ix_pep_delegations_delegate", "delegate_id", "revoked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pep_id: Mapped[int] = mapped_column(ForeignKey("peps.id"), index=True)
    #: None: every section the setting owns in this PEP.
    section_key: Mapped[str | None] = mapped_column(String(60))
    delegate_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    delegated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    delegate: Mapped[User] = relationship(foreign_keys=[delegate_id])
