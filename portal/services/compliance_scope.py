"""Which PEPs a compliance figure counts: the term chosen, each PEP's one :class:`Status` (a SQL
CASE over the PEP and its deadlines) and its latest grade, all in :func:`classified`.

The figures (services.compliance) group by that subquery and the drill-down list
(services.compliance_peps) filters on it, so a figure and the PEPs behind it cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import ColumnElement, Subquery, and_, case, exists, func, or_, select

from portal.authorities.schema import AuthorityConfig, Term
from portal.extensions import db
from portal.models import Authority, Child, Pep, PepDeadline, PpPlusRequest, QaReview
from portal.school_years import academic_year_label

NONE = "none"  # the filter value for "no setting", "not allocated", "not graded"


class Status(StrEnum):
    COMPLETED_ON_TIME = "completed_on_time"
    COMPLETED_LATE = "completed_late"
    OVERDUE = "overdue"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Outcome(StrEnum):
    """Where one deadline of a PEP stands."""

    MET_ON_TIME = "met_on_time"
    MET_LATE = "met_late"
    OVERDUE = "overdue"
    NOT_YET_DUE = "not_yet_due"
    NO_DATE = "no_date"

    @property
    def label(self) -> str:
        return "No date yet" if self is Outcome.NO_DATE else self.value.replace("_", " ").capitalize()


class Funding(StrEnum):
    """Which PP+ amount a figure sums: asked for, approved by the Virtual School, or payable."""

    REQUESTED = "requested"
    APPROVED = "approved"
    PAYABLE = "payable"


@dataclass(frozen=True)
class TermChoice:
    academic_year: int
    term: Term

    @property
    def value(self) -> str:
        return f"{self.academic_year}-{self.term}"

    @property
    def label(self) -> str:
        return f"{self.term.capitalize()} term {academic_year_label(self.academic_year)}"

    @property
    def sort_key(self) -> tuple[int, int]:
        return self.academic_year, list(Term).index(self.term)

    @classmethod
    def parse(cls, text: str | None) -> TermChoice | None:
        """ "2026-autumn" -> the autumn term of 2026-27; anything else -> None."""
        year, _, term = (text or "").partition("-")
        if len(year) == 4 and year.isdigit() and term in set(Term):
            return cls(int(year), Term(term))
        return None


@dataclass(frozen=True)
class Scope:
    """One authority's PEPs of one term, judged on ``today``."""

    authority: Authority
    config: AuthorityConfig
    term: TermChoice
    today: dt.date

    def conditions(self) -> list[ColumnElement[bool]]:
        return [
            Pep.authority_id == self.authority.id,
            Pep.academic_year == self.term.academic_year,
            Pep.term == self.term.term,
        ]

    def drill(self, **filters: str) -> dict[str, str]:
        return {"term": self.term.value, **filters}

    @property
    def payable_grades(self) -> list[str] | None:
        """The grades good enough for PP+ to be paid, or None when the authority pays regardless."""
        minimum = self.config.funding.minimum_grade
        if minimum is None:
            return None
        return [g.key for g in self.config.qa.scale if self.config.qa.at_least(g.key, minimum)]


def term_choices(authority: Authority, config: AuthorityConfig, today: dt.date) -> list[TermChoice]:
    """Terms that have PEPs, and the calendar's terms up to the current one; newest first."""
    with_peps = db.session.execute(
        select(Pep.academic_year, Pep.term).where(Pep.authority_id == authority.id).distinct()
    ).all()
    calendar = config.work_calendar
    current = calendar.current_term(today)
    started = [t for t in calendar.terms if t.starts <= today or t == current]
    choices = {TermChoice(year, Term(term)) for year, term in with_peps}
    choices |= {TermChoice(t.academic_year, t.term) for t in started}
    return sorted(choices, key=lambda t: t.sort_key, reverse=True)


def choose_term(
    requested: str | None, choices: list[TermChoice], config: AuthorityConfig, today: dt.date
) -> TermChoice | None:
    """The term asked for if it is one of the choices, else the current term, else the newest."""
    asked = TermChoice.parse(requested)
    if asked in choices:
        return asked
    current = config.work_calendar.current_term(today)
    if current is not None:
        return TermChoice(current.academic_year, current.term)
    return choices[0] if choices else None


# --- The SQL expressions every figure and drill-down shares ----------------------------------


def _any_deadline(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(PepDeadline.pep_id == Pep.id, *conditions)


def status_of(scope: Scope) -> ColumnElement[str]:
    """The PEP's status, in this order: finalised late (a deadline met after its date, or still open
    when the PEP was finalised after that date), finalised on time, overdue (an open deadline
    past its date), not started (still at the first step), in progress.

    The day of finalising is the database's date of the stored UTC time: at most an hour away from
    the day in England, and only for a PEP finalised around midnight on its due date.
    """
    finalised = Pep.finalised_at.is_not(None)
    late = or_(
        PepDeadline.met_on > PepDeadline.due_on,
        and_(PepDeadline.met_on.is_(None), PepDeadline.due_on < func.date(Pep.finalised_at)),
    )
    overdue = _any_deadline(PepDeadline.met_on.is_(None), PepDeadline.due_on < scope.today)
    return case(
        (and_(finalised, _any_deadline(late)), Status.COMPLETED_LATE.value),
        (finalised, Status.COMPLETED_ON_TIME.value),
        (overdue, Status.OVERDUE.value),
        (Pep.state == scope.config.initial_step.key, Status.NOT_STARTED.value),
        else_=Status.IN_PROGRESS.value,
    )


def outcome_of(today: dt.date) -> ColumnElement[str]:
    """Where a deadline stands; one deadline row per rule per PEP, so it counts PEPs too."""
    met, due = PepDeadline.met_on, PepDeadline.due_on
    return case(
        (and_(met.is_not(None), or_(due.is_(None), met <= due)), Outcome.MET_ON_TIME.value),
        (met.is_not(None), Outcome.MET_LATE.value),
        (due.is_(None), Outcome.NO_DATE.value),
        (due < today, Outcome.OVERDUE.value),
        else_=Outcome.NOT_YET_DUE.value,
    )


def latest_grade() -> ColumnElement[str]:
    """The PEP's most recent QA grade (a later review replaces an earlier one)."""
    return (
        select(QaReview.grade)
        .where(QaReview.pep_id == Pep.id)
        .order_by(QaReview.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def classified(scope: Scope) -> Subquery:
    """One row per PEP of the term: what the tables group by, its status and its latest grade.

    Grouping happens outside this subquery, on its columns: PostgreSQL cannot match a CASE with
    bound parameters in GROUP BY to the same CASE in the select list.
    """
    return (
        select(
            Pep.id,
            Pep.setting_id,
            Pep.phase,
            Child.social_worker_id,
            status_of(scope).label("status"),
            latest_grade().label("grade"),
        )
        .join(Child, Child.id == Pep.child_id)
        .where(*scope.conditions())
        .subquery("classified")
    )


def funding_amount(kind: Funding, scope: Scope, grade: ColumnElement[str]) -> ColumnElement[Decimal]:
    """The part of one PP+ request a funding figure counts: all of it when requested; the approved
    amount once decided; that amount again when payable (graded well enough, where required)."""
    if kind is Funding.REQUESTED:
        return PpPlusRequest.requested
    decided = PpPlusRequest.decision.is_not(None)
    grades = scope.payable_grades
    if kind is Funding.PAYABLE and grades is not None:
        decided = and_(decided, grade.in_(grades))
    return case((decided, func.coalesce(PpPlusRequest.approved, 0)), else_=0)
