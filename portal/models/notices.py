"""Reminders and overdue notices about deadlines, each recorded once, and weekly digests of them.

The unique constraints are the idempotency guarantee of ``flask notifications remind``: a notice
row and its e-mail are written in one transaction, so a notice that exists has been queued (or is
held for its recipient's weekly digest), and a second run, or a concurrent one, cannot add another.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.types import UTCDateTime, str_enum, utcnow


class NoticeKind(StrEnum):
    #: Before the due date, from the rule's ``remind`` offset.
    REMINDER = "reminder"
    #: The first working day after the due date, while the deadline is still unmet.
    OVERDUE = "overdue"


class NoticeFrequency(StrEnum):
    """How a person wants their reminders and overdue notices."""

    IMMEDIATE = "immediate"
    WEEKLY_DIGEST = "weekly_digest"


class DeadlineNotice(db.Model):
    """One reminder or overdue notice to one person about one due date of one PEP's deadline.

    A moved due date (the meeting was rearranged) is a new due item with notices of its own.
    """

    __tablename__ = "deadline_notices"
    __table_args__ = (
        UniqueConstraint(
            "pep_id", "rule_key", "due_on", "kind", "recipient_id", name="uq_deadline_notices_once"
        ),
        # Notices held for a weekly digest and not yet in one.
        Index("ix_deadline_notices_held", "digest_sent_at", "outbox_message_id", "recipient_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pep_id: Mapped[int] = mapped_column(ForeignKey("peps.id"))
    rule_key: Mapped[str] = mapped_column(String(60))
    due_on: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[NoticeKind] = mapped_column(str_enum(NoticeKind))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: The deadline's label when the notice was made, for the digest.
    label: Mapped[str] = mapped_column(String(120))
    #: The run's date (England) that made the notice.
    queued_on: Mapped[dt.date] = mapped_column(Date)
    #: The e-mail; none while the notice waits for its recipient's weekly digest.
    outbox_message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id"))
    #: When a weekly digest listing the notice was queued.
    digest_sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class NoticeDigest(db.Model):
    """One weekly digest e-mail to one person: never two for the same ISO week."""

    __tablename__ = "notice_digests"
    __table_args__ = (UniqueConstraint("recipient_id", "week_starting"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: The Monday of the ISO week the digest was sent in.
    week_starting: Mapped[dt.date] = mapped_column(Date)
    #: None when everything held had been settled by then (nothing to tell; the week is done).
    outbox_message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class NoticeDigestWeek(db.Model):
    """The day of each ISO week on which weekly digests go out: the first weekday with a run.

    Notices held after that day wait for the next week's digest.
    """

    __tablename__ = "notice_digest_weeks"

    #: The Monday of the ISO week.
    week_starting: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    digest_day: Mapped[dt.date] = mapped_column(Date)
