"""Audit events, added to the caller's transaction so the record and the change commit together."""

from __future__ import annotations

from typing import Any

from portal.extensions import db
from portal.models import AuditEvent, User


def record(
    action: str,
    *,
    actor: User | None,
    authority_id: int | None = None,
    subject: Any = None,
    **details: Any,
) -> AuditEvent:
    """Add an audit event. ``details`` holds identifiers and field names, never personal data."""
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
        authority_id=authority_id,
        subject_type=type(subject).__name__ if subject is not None else None,
        subject_id=getattr(subject, "id", None),
        details=details,
    )
    db.session.add(event)
    return event
