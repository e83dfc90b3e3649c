"""Pupil Premium Plus requests made in a PEP and the Virtual School's decision on each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.types import UTCDateTime, str_enum

if TYPE_CHECKING:
    from portal.models.people import User


class PpPlusDecision(StrEnum):
    APPROVED = "approved"
    REDUCED = "reduced"
    DECLINED = "declined"


class PpPlusRequest(db.Model):
    """One costed PP+ request: a row of a PEP's row group that the authority's funding rules cost
    (a field with a ``within_pp_plus`` rule), kept in step with the section's latest answers.

    Stored as rows, not read from the answers' JSON, so the compliance dashboard sums requests,
    approvals and payments per setting in the database. A decision belongs to the request as it
    was when decided: if the setting changes the row's amount or description, the decision is
    cleared and the Virtual School decides again (the audit trail keeps the earlier decision).
    """

    __tablename__ = "pp_plus_requests"
    __table_args__ = (UniqueConstraint("pep_id", "section_key", "field_key", "row_index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pep_id: Mapped[int] = mapped_column(ForeignKey("peps.id"), index=True)
    section_key: Mapped[str] = mapped_column(String(60))
    field_key: Mapped[str] = mapped_column(String(60))
    #: Position of the row in the row group (0-based).
    row_index: Mapped[int]
    #: What the money is for, as the row describes it (its first text column).
    description: Mapped[str] = mapped_column(String(500), default="")
    requested: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    decision: Mapped[PpPlusDecision | None] = mapped_column(str_enum(PpPlusDecision))
    #: The amount approved: the request, less for a reduction, nothing for a decline.
    approved: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    #: Additional 1:1 tuition arranged by the Virtual School rather than the setting (source 004).
    tuition_by_virtual_school: Mapped[bool] = mapped_column(default=False)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    decided_by: Mapped[User | None] = relationship()
