"""A looked-after child, owned by the authority that looks after them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.types import UTCDateTime, utcnow
from portal.school_years import year_group_on

if TYPE_CHECKING:
    from portal.models.authority import Authority
    from portal.models.people import User
    from portal.models.setting import EducationSetting


class Child(db.Model):
    __tablename__ = "children"
    __table_args__ = (
        Index("ix_children_authority_social_worker", "authority_id", "social_worker_id"),
        Index("ix_children_authority_last_name", "authority_id", "last_name"),
        #: Imports from the social-care system match children on the authority's case reference.
        Index("ix_children_authority_case_reference", "authority_id", "case_reference"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authorities.id"))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[dt.date] = mapped_column(Date)
    became_looked_after_on: Mapped[dt.date] = mapped_column(Date)
    emergency_placement: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The authority's own case reference (e.g. the Liquid Logic or Mosaic person id).
    case_reference: Mapped[str | None] = mapped_column(String(40))
    current_setting_id: Mapped[int | None] = mapped_column(ForeignKey("education_settings.id"), index=True)
    social_worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: For a child with no setting: who gives the education input (Health Visitor, Leaving Care
    #: Worker or Personal Adviser, where the authority has that role).
    education_contact_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The day the child stopped being looked after (None while they are): the termly cycle starts
    #: no PEP for a term beginning on or after it. The reason is a code of portal/leaving_care.py.
    left_care_on: Mapped[dt.date | None] = mapped_column(Date)
    left_care_reason: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    authority: Mapped[Authority] = relationship()
    current_setting: Mapped[EducationSetting | None] = relationship()
    social_worker: Mapped[User | None] = relationship(foreign_keys=[social_worker_id])
    education_contact: Mapped[User | None] = relationship(foreign_keys=[education_contact_id])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def year_group(self, on: dt.date) -> int:
        return year_group_on(self.date_of_birth, on)

    def __repr__(self) -> str:
        return f"<Child {self.id}>"
