"""A PEP's history of steps and its deadlines as last computed by the engine."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.authorities.vocabulary import Role
from portal.extensions import db
from portal.models.types import UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from portal.models.people import User


class PepStateChange(db.Model):
    """One move of a PEP between steps (its first row records where it started). Append-only."""

    __tablename__ = "pep_state_changes"
    __table_args__ = (Index("ix_pep_state_changes_pep_at", "pep_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pep_id: Mapped[int] = mapped_column(ForeignKey("peps.id"))
    from_state: Mapped[str | None] = mapped_column(String(60))
    to_state: Mapped[str] = mapped_column(String(60))
    #: The transition taken; none for the PEP's creation.
    transition_key: Mapped[str | None] = mapped_column(String(60))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Why (required by transitions such as a return for improvement).
    comment: Mapped[str | None] = mapped_column(Text)
    #: The day it happened, in England: deadlines count from days, not instants.
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()


class PepDeadline(db.Model):
    """A deadline of one PEP, recomputed whenever the PEP changes, so lists can query due dates."""

    __tablename__ = "pep_deadlines"
    __table_args__ = (
        UniqueConstraint("pep_id", "rule_key"),
        Index("ix_pep_deadlines_open_due", "met_on", "due_on"),
        # A PEP's next open deadline, read by index alone for every row of a list.
        Index("ix_pep_deadlines_pep_open_due", "pep_id", "met_on", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pep_id: Mapped[int] = mapped_column(ForeignKey("peps.id"))
    rule_key: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(120))
    responsible: Mapped[Role] = mapped_column(str_enum(Role))
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    explanation: Mapped[str] = mapped_column(String(300))
    met_on: Mapped[dt.date | None] = mapped_column(Date)


class QaReview(db.Model):
    """A Virtual School quality assurance grade of a PEP, with its criteria and feedback."""

    __tablename__ = "qa_reviews"
    __table_args__ = (
        # The open return of each PEP, read by the dashboards for a page of PEPs.
        Index("ix_qa_reviews_pep_open_return", "pep_id", "returned", "resolved_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pep_id: Mapped[int] = mapped_column(ForeignKey("peps.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: A key of the authority's qa.scale.
    grade: Mapped[str] = mapped_column(String(60))
    #: Criterion key -> grade key (or "met"/"not met"), as the authority grades.
    criteria: Mapped[dict[str, str]] = mapped_column(db.JSON, default=dict)
    feedback: Mapped[str] = mapped_column(Text, default="")
    #: The transition the Virtual School took with this grade (return, sign off), if any.
    transition_key: Mapped[str | None] = mapped_column(String(60))
    #: A return for improvement: the returned party sees the feedback until the PEP comes back.
    returned: Mapped[bool] = mapped_column(default=False)
    #: Section keys the Virtual School named as outstanding when returning the PEP.
    outstanding_sections: Mapped[list[str]] = mapped_column(db.JSON, default=list)
    #: When a returned PEP came back for quality assurance (or was finalised): the return is over.
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    reviewer: Mapped[User] = relationship()
