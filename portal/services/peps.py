"""Lists of PEPs for the people who work on them, with whose turn it is in each."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, and_, false, func, or_, select
from sqlalchemy.orm import joinedload

from portal import access
from portal.authorities.calendar import TermRef
from portal.authorities.schema import Role, Term
from portal.extensions import db
from portal.models import Authority, AuthorityConfigVersion, Child, Pep, QaReview, User
from portal.services.authorities import config_for, config_of_version
from portal.services.paging import Page, paginate_by_id


@dataclass(frozen=True)
class PepRow:
    """What a list shows about one PEP."""

    pep: Pep
    state_label: str
    template_label: str
    actors: frozenset[Role]
    final: bool
    #: The earliest deadline not yet met, where a list asked for it.
    next_due: dt.date | None = None
    #: The Virtual School returned the PEP for improvement and it has not come back yet.
    open_return: QaReview | None = None

    def is_turn_of(self, roles: set[Role]) -> bool:
        return not self.final and bool(self.actors & roles)

    def waiting_on(self) -> str:
        return config_of_version(self.pep.config_version).role_labels(sorted(self.actors))


def describe(pep: Pep, next_due: dt.date | None = None, open_return: QaReview | None = None) -> PepRow:
    """Labels from the configuration version the PEP runs under, not the authority's latest."""
    config = config_of_version(pep.config_version)
    step = config.step(pep.state)
    template = config.phases.get(pep.phase)
    return PepRow(
        pep=pep,
        state_label=config.step_label(pep.state),
        template_label=template.label if template else pep.phase,
        actors=frozenset(step.actors) if step else frozenset(),
        final=bool(step and step.final),
        next_due=next_due,
        open_return=open_return,
    )


def _with_display_relations(statement: Select[tuple[Pep]]) -> Select[tuple[Pep]]:
    """Eager loading for a page of PEPs (queries whose rows are already limited to a page)."""
    return statement.options(
        joinedload(Pep.child),
        joinedload(Pep.authority),
        joinedload(Pep.setting),
        joinedload(Pep.config_version),
    )


#: Open PEPs before finalised ones, then soonest meeting first; undated meetings last.
OPEN_WORK_FIRST = [Pep.finalised_at.is_not(None), Pep.meeting_date.is_(None), Pep.meeting_date, Pep.id]


class Show(StrEnum):
    OPEN = "open"
    MINE = "mine"
    WAITING = "waiting"
    FINALISED = "finalised"
    ALL = "all"


SHOW_LABELS = {
    Show.OPEN: "Open PEPs",
    Show.MINE: "Needs your setting's action",
    Show.WAITING: "Waiting for others",
    Show.FINALISED: "Finalised",
    Show.ALL: "All",
}


@dataclass(frozen=True)
class SettingFilters:
    authority: str = ""
    term: str = ""  # "2026-autumn"
    show: Show = Show.OPEN
    search: str = ""


def _steps_where_acting(role: Role, version_ids: list[int]) -> ColumnElement[bool]:
    """SQL for "the PEP is at a step where ``role`` acts", across process versions (few)."""
    conditions = []
    versions = db.session.scalars(
        select(AuthorityConfigVersion).where(AuthorityConfigVersion.id.in_(version_ids))
    )
    for version in versions:
        states = [
            s.key for s in config_of_version(version).workflow.steps if role in s.actors and not s.final
        ]
        if states:
            conditions.append(and_(Pep.config_version_id == version.id, Pep.state.in_(states)))
    return or_(*conditions) if conditions else false()


def delegated_to_settings(
    user: User, *, page: int, filters: SettingFilters = SettingFilters()
) -> Page[PepRow]:
    """Every PEP delegated to a setting where the user works, from every authority, soonest due first.

    Ordered by the stored next due date (NULLS LAST), so the database can read the order from
    ix_peps_setting_open_due instead of computing and sorting every PEP's deadlines.
    """
    visible = access.delegated_peps_filter(user)
    statement = select(Pep.id).where(visible)
    if filters.authority:
        statement = statement.join(Authority, Authority.id == Pep.authority_id).where(
            Authority.slug == filters.authority
        )
    if filters.term:
        year, _, term = filters.term.partition("-")
        if year.isdigit() and term in set(Term):
            statement = statement.where(Pep.academic_year == int(year), Pep.term == term)
    if term_text := filters.search.strip().lower():
        statement = statement.join(Child, Child.id == Pep.child_id).where(
            func.lower(Child.first_name + " " + Child.last_name).like(f"%{term_text}%")
        )
    order = [Pep.next_due_on.asc().nulls_last(), Pep.id]
    if filters.show is Show.FINALISED:
        statement = statement.where(Pep.finalised_at.is_not(None))
    elif filters.show is Show.ALL:
        order.insert(0, Pep.finalised_at.is_not(None))
    else:
        statement = statement.where(Pep.finalised_at.is_(None))
        if filters.show in (Show.MINE, Show.WAITING):
            version_ids = list(db.session.scalars(select(Pep.config_version_id).where(visible).distinct()))
            acting = _steps_where_acting(Role.DESIGNATED_TEACHER, version_ids)
            statement = statement.where(acting if filters.show is Show.MINE else ~acting)
    return page_of_peps(statement, order, page)


def page_of_peps(ids: Select[tuple[int]], order: list[Any], page: int) -> Page[PepRow]:
    """One page of a PEP list: ids chosen in order by the database, then those PEPs loaded."""

    def rows_for(window: Subquery) -> Select[tuple[Pep]]:
        return _with_display_relations(select(Pep).join(window, Pep.id == window.c.id)).order_by(*order)

    result = paginate_by_id(ids.order_by(*order), page, rows_for)
    returns = open_returns([pep.id for pep in result.items])
    rows = [describe(pep, pep.next_due_on, returns.get(pep.id)) for pep in result.items]
    return Page(rows, result.total, result.number, result.per_page)


def open_returns(pep_ids: list[int]) -> dict[int, QaReview]:
    """The open return for improvement of each PEP on a page (one query), so the returned party
    sees the Virtual School's feedback on their dashboard."""
    if not pep_ids:
        return {}
    reviews = db.session.scalars(
        select(QaReview)
        .where(QaReview.pep_id.in_(pep_ids), QaReview.returned.is_(True), QaReview.resolved_at.is_(None))
        .order_by(QaReview.id)
    )
    return {review.pep_id: review for review in reviews}


def delegated_to_contact(user: User, authority: Authority, *, page: int) -> Page[PepRow]:
    """PEPs of children with no setting, delegated to ``user`` as their education contact."""
    ids = select(Pep.id).where(Pep.authority_id == authority.id, Pep.education_contact_id == user.id)
    return page_of_peps(
        ids, [Pep.finalised_at.is_not(None), Pep.next_due_on.asc().nulls_last(), Pep.id], page
    )


def filter_choices(user: User) -> tuple[list[Authority], list[tuple[int, str]]]:
    """The authorities and terms among the PEPs delegated to the user's settings (one query)."""
    combinations = db.session.execute(
        select(Authority, Pep.academic_year, Pep.term)
        .join(Pep, Pep.authority_id == Authority.id)
        .where(access.delegated_peps_filter(user))
        .distinct()
    ).all()
    authorities = sorted({authority for authority, _, _ in combinations}, key=lambda a: a.name)
    terms = sorted({(year, term) for _, year, term in combinations}, key=lambda t: (-t[0], t[1]))
    return authorities, terms


def steps_for_role(authority: Authority, role: Role) -> list[str]:
    return [s.key for s in config_for(authority).workflow.steps if role in s.actors]


def waiting_for_role(authority: Authority, role: Role, *, page: int) -> Page[PepRow]:
    """PEPs of the authority in a step where ``role`` has work to do (business support's queue)."""
    condition: ColumnElement[bool] = Pep.state.in_(steps_for_role(authority, role))
    ids = select(Pep.id).where(Pep.authority_id == authority.id, condition)
    return page_of_peps(ids, OPEN_WORK_FIRST, page)


@dataclass(frozen=True)
class StateCount:
    label: str
    count: int
    final: bool


def state_counts(authority: Authority, term: TermRef) -> list[StateCount]:
    """How many of the term's PEPs are in each step, in workflow order (counted by the database)."""
    counts = Counter(
        dict(
            db.session.execute(
                select(Pep.state, func.count(Pep.id))
                .where(
                    Pep.authority_id == authority.id,
                    Pep.academic_year == term.academic_year,
                    Pep.term == term.term,
                )
                .group_by(Pep.state)
            ).all()
        )
    )
    config = config_for(authority)
    return [StateCount(s.label, counts.get(s.key, 0), s.final) for s in config.workflow.steps]
