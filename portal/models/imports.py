"""Files uploaded from a social-care system (Liquid Logic, Mosaic, ...) awaiting confirmation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.types import UTCDateTime, utcnow


class CsvImport(db.Model):
    """One uploaded CSV file. The administrator previews it; nothing in it is written to
    children or settings until they confirm, and a confirmed import cannot be applied twice."""

    __tablename__ = "csv_imports"
    __table_args__ = (Index("ix_csv_imports_authority_uploaded", "authority_id", "uploaded_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authorities.id"))
    #: What the file holds: "children" or "settings".
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(200))
    #: The file's text (decoded), kept so that what is confirmed is exactly what was previewed.
    content: Mapped[str] = mapped_column(Text)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    applied_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: Counts written when applied (created, updated, unchanged), for the history list.
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
