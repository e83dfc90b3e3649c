"""The audit trail: who viewed or changed what, in which authority, when."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.types import UTCDateTime, utcnow


class AuditEvent(db.Model):
    """Append-only. ``details`` holds identifiers and field names, never a child's personal data."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_authority_at", "authority_id", "occurred_at"),
        Index("ix_audit_events_subject", "subject_type", "subject_id"),
        # The trail filtered by action, newest first, and the list of actions to filter by.
        Index("ix_audit_events_authority_action_at", "authority_id", "action", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    authority_id: Mapped[int | None] = mapped_column(ForeignKey("authorities.id"))
    action: Mapped[str] = mapped_column(String(60))
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[int | None]
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
