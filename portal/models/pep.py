"""Personal Education Plans and their versioned section entries."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.authorities.vocabulary import PepKind, Phase, Term
from portal.extensions import db
from portal.models.types import UTCDateTime, str_enum, utcnow
from portal.school_years import academic_year_label

if TYPE_CHECKING:
    from portal.models.authority import Authority, AuthorityConfigVersion
    from portal.models.child import Child
    from portal.models.people import User
    from portal.models.setting import EducationSetting


class Pep(db.Model):
    """One PEP for one child for one term.

    ``authority_id`` repeats the child's authority so that every tenant-scoped list filters on an
    indexed column of this table without a join. ``setting_id`` is the setting the PEP was
    delegated to: a school sees a PEP only through this column, so moving a child to a new school
    does not hand the old school's PEPs to the new one, nor the new PEPs to the old one.
    """

    __tablename__ = "peps"
    __table_args__ = (
        UniqueConstraint("child_id", "academic_year", "term", "kind"),
        Index("ix_peps_authority_year_term_state", "authority_id", "academic_year", "term", "state"),
        Index("ix_peps_setting_state", "setting_id", "state"),
        Index("ix_peps_setting_open_due", "setting_id", "finalised_at", "next_due_on", "id"),
        Index("ix_peps_setting_authority_term", "setting_id", "authority_id", "academic_year", "term"),
        Index("ix_peps_child_year_term", "child_id", "academic_year", "term"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authorities.id"))
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"))
    setting_id: Mapped[int | None] = mapped_column(ForeignKey("education_settings.id"))
    #: For a child with no setting, the education contact the PEP was delegated to instead.
    education_contact_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    academic_year: Mapped[int]
    term: Mapped[Term] = mapped_column(str_enum(Term))
    kind: Mapped[PepKind] = mapped_column(str_enum(PepKind))
    #: The phase template chosen when the PEP started; it does not change if the child moves on.
    phase: Mapped[Phase] = mapped_column(str_enum(Phase))
    #: A step key of the authority's workflow (see AuthorityConfig.workflow).
    state: Mapped[str] = mapped_column(String(60))
    meeting_date: Mapped[dt.date | None] = mapped_column(Date)
    #: The earliest deadline not yet met, kept up to date with the PEP's deadlines so that lists
    #: can order thousands of PEPs by it from an index.
    next_due_on: Mapped[dt.date | None] = mapped_column(Date)
    #: When the PEP reached a final step; open PEPs have none. Lists put open work first with it,
    #: and compliance reports compare it with the deadline.
    finalised_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    config_version_id: Mapped[int] = mapped_column(ForeignKey("authority_config_versions.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: Optimistic lock: a state change made from a stale page is refused, never applied twice.
    lock_version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": lock_version}  # noqa: RUF012

    authority: Mapped[Authority] = relationship()
    child: Mapped[Child] = relationship()
    setting: Mapped[EducationSetting | None] = relationship()
    config_version: Mapped[AuthorityConfigVersion] = relationship()

    @property
    def term_label(self) -> str:
        return f"{self.term.capitalize()} {academic_year_label(self.academic_year)}"

    def __repr__(self) -> str:
        return f"<Pep {self.id}>"


class PepSectionEntry(db.Model):
    """One saved version of one section of a PEP. Never updated: each save adds a version.

    The unique (pep, section, version) constraint is the concurrency guard: two people saving
    on top of the same version cannot both succeed, so neither text is silently overwritten.
    """

    __tablename__ = "pep_section_entries"
    __table_args__ = (UniqueConstraint("pep_id", "section_key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pep_id: Mapped[int] = mapped_column(ForeignKey("peps.id"))
    section_key: Mapped[str] = mapped_column(String(60))
    version: Mapped[int]
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    completed: Mapped[bool] = mapped_column(default=False)
    saved_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    saved_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    saved_by: Mapped[User] = relationship()
