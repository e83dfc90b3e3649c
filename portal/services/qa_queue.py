"""The Virtual School's QA queue: the authority's PEPs at a quality assurance step, oldest due
first, as its sampling rule selects them, with filters a PEP co-ordinator works by."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, exists, false, or_, select

from portal.authorities import engine
from portal.authorities.vocabulary import Phase, Term
from portal.extensions import db
from portal.models import Authority, AuthorityConfigVersion, Child, EducationSetting, Pep, QaReview, User
from portal.services import qa_sampling
from portal.services.authorities import config_for, config_of_version
from portal.services.paging import Page
from portal.services.peps import PepRow, page_of_peps


class KeyStage(StrEnum):
    """National Curriculum key stages by year group (Reception is 0)."""

    EARLY_YEARS = "early_years"
    KS1 = "ks1"
    KS2 = "ks2"
    KS3 = "ks3"
    KS4 = "ks4"
    POST_16 = "post_16"

    @property
    def label(self) -> str:
        return KEY_STAGE_LABELS[self][0]

    @property
    def year_groups(self) -> tuple[int, int]:
        return KEY_STAGE_LABELS[self][1]


KEY_STAGE_LABELS: dict[KeyStage, tuple[str, tuple[int, int]]] = {
    KeyStage.EARLY_YEARS: ("Early years (nursery and Reception)", (-3, 0)),
    KeyStage.KS1: ("Key stage 1 (Years 1 and 2)", (1, 2)),
    KeyStage.KS2: ("Key stage 2 (Years 3 to 6)", (3, 6)),
    KeyStage.KS3: ("Key stage 3 (Years 7 to 9)", (7, 9)),
    KeyStage.KS4: ("Key stage 4 (Years 10 and 11)", (10, 11)),
    KeyStage.POST_16: ("Post-16 (Years 12 and 13)", (12, 14)),
}


class Selection(StrEnum):
    SAMPLE = "sample"
    ALL = "all"


@dataclass(frozen=True)
class QueueFilters:
    term: str = ""  # "2026-autumn"
    setting: int | None = None
    social_worker: int | None = None
    phase: str = ""
    key_stage: KeyStage | None = None
    selection: Selection = Selection.SAMPLE

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> QueueFilters:
        """Filters from a query string; values that make no sense are ignored, never an error."""

        def number(name: str) -> int | None:
            value = args.get(name, "")
            return int(value) if value.isdigit() and len(value) < 10 else None

        year, _, term = args.get("term", "").partition("-")
        key_stage = args.get("key_stage", "")
        return cls(
            term=f"{year}-{term}" if year.isdigit() and len(year) == 4 and term in set(Term) else "",
            setting=number("setting"),
            social_worker=number("social_worker"),
            phase=args.get("phase", "") if args.get("phase", "") in set(Phase) else "",
            key_stage=KeyStage(key_stage) if key_stage in set(KeyStage) else None,
            selection=Selection.ALL if args.get("selection") == Selection.ALL else Selection.SAMPLE,
        )


@dataclass(frozen=True)
class QueueRow:
    row: PepRow
    in_sample: bool
    #: It was graded before: it comes back after a return for improvement.
    regraded: bool


def _qa_states(authority: Authority) -> ColumnElement[bool]:
    """SQL for "the PEP is at a QA step", across the process versions its PEPs run under."""
    conditions = []
    versions = db.session.scalars(
        select(AuthorityConfigVersion).where(AuthorityConfigVersion.authority_id == authority.id)
    )
    for version in versions:
        config = config_of_version(version)
        states = [s.key for s in config.workflow.steps if engine.needs_grade(config, s.key)]
        if states:
            conditions.append(and_(Pep.config_version_id == version.id, Pep.state.in_(states)))
    return or_(*conditions) if conditions else false()


def _key_stage_condition(key_stage: KeyStage, years: list[int]) -> ColumnElement[bool]:
    """Children in the key stage in the PEP's academic year, as date-of-birth ranges per year, so
    the database filters with the child's stored date of birth."""
    low, high = key_stage.year_groups
    # Year group N in academic year A: born 1 September (A-N-5) to 31 August (A-N-4).
    return or_(
        *(
            and_(
                Pep.academic_year == year,
                Child.date_of_birth >= dt.date(year - high - 5, 9, 1),
                Child.date_of_birth <= dt.date(year - low - 4, 8, 31),
            )
            for year in years
        )
    )


def awaiting_qa(authority: Authority, filters: QueueFilters, *, page: int) -> Page[QueueRow]:
    """The queue, oldest due first (a PEP with no due date last), a page at a time."""
    config = config_for(authority)
    in_sample = qa_sampling.in_sample_condition(config)
    statement = select(Pep.id).where(Pep.authority_id == authority.id, _qa_states(authority))
    if filters.selection is Selection.SAMPLE:
        statement = statement.where(in_sample)
    if filters.term:
        year, _, term = filters.term.partition("-")
        statement = statement.where(Pep.academic_year == int(year), Pep.term == term)
    if filters.setting is not None:
        statement = statement.where(Pep.setting_id == filters.setting)
    if filters.phase:
        statement = statement.where(Pep.phase == filters.phase)
    if filters.social_worker is not None or filters.key_stage is not None:
        statement = statement.join(Child, Child.id == Pep.child_id)
    if filters.social_worker is not None:
        statement = statement.where(Child.social_worker_id == filters.social_worker)
    if filters.key_stage is not None:
        years = db.session.scalars(
            select(Pep.academic_year).where(Pep.authority_id == authority.id).distinct()
        ).all()
        statement = statement.where(_key_stage_condition(filters.key_stage, list(years)))
    result = page_of_peps(statement, [Pep.next_due_on.asc().nulls_last(), Pep.id], page)
    ids = [row.pep.id for row in result.items]
    flags = {
        pep_id: (sampled, graded)
        for pep_id, sampled, graded in db.session.execute(
            select(Pep.id, in_sample, exists().where(QaReview.pep_id == Pep.id)).where(Pep.id.in_(ids))
        )
    }
    rows = [QueueRow(row, *flags.get(row.pep.id, (True, False))) for row in result.items]
    return Page(rows, result.total, result.number, result.per_page)


@dataclass(frozen=True)
class FilterChoices:
    terms: list[tuple[int, str]]
    settings: list[tuple[int, str]]
    social_workers: list[tuple[int, str]]


def filter_choices(authority: Authority) -> FilterChoices:
    """The terms, settings and social workers among the authority's PEPs awaiting QA."""
    waiting = select(Pep).where(Pep.authority_id == authority.id, _qa_states(authority)).subquery()
    terms = db.session.execute(select(waiting.c.academic_year, waiting.c.term).distinct()).all()
    settings = db.session.execute(
        select(EducationSetting.id, EducationSetting.name)
        .join(waiting, waiting.c.setting_id == EducationSetting.id)
        .distinct()
        .order_by(EducationSetting.name)
    ).all()
    workers = db.session.execute(
        select(User.id, User.full_name)
        .join(Child, Child.social_worker_id == User.id)
        .join(waiting, waiting.c.child_id == Child.id)
        .distinct()
        .order_by(User.full_name)
    ).all()
    return FilterChoices(
        terms=sorted({(year, term) for year, term in terms}, key=lambda t: (-t[0], list(Term).index(t[1]))),
        settings=[(i, n) for i, n in settings],
        social_workers=[(i, n) for i, n in workers],
    )
