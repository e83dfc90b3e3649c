"""Lists of PEPs for the people who work on them, with whose turn it is in each."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import joinedload

from portal import access
from portal.authorities.calendar import TermRef
from portal.authorities.schema import Role
from portal.extensions import db
from portal.models import Authority, Pep, User
from portal.services.authorities import config_for, config_of_version
from portal.services.paging import Page, paginate


@dataclass(frozen=True)
class PepRow:
    """What a list shows about one PEP."""

    pep: Pep
    state_label: str
    template_label: str
    actors: frozenset[Role]
    final: bool

    def is_turn_of(self, roles: set[Role]) -> bool:
        return not self.final and bool(self.actors & roles)

    def waiting_on(self) -> str:
        return config_of_version(self.pep.config_version).role_labels(sorted(self.actors))


def describe(pep: Pep) -> PepRow:
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
    )


def _with_display_relations(statement: Select[tuple[Pep]]) -> Select[tuple[Pep]]:
    return statement.options(
        joinedload(Pep.child),
        joinedload(Pep.authority),
        joinedload(Pep.setting),
        joinedload(Pep.config_version),
    )


def _open_work_first(statement: Select[tuple[Pep]]) -> Select[tuple[Pep]]:
    """Open PEPs before finalised ones, then soonest meeting first; undated meetings last."""
    return statement.order_by(
        Pep.finalised_at.is_not(None), Pep.meeting_date.is_(None), Pep.meeting_date, Pep.id
    )


def delegated_to_settings(user: User, *, page: int) -> Page[PepRow]:
    """Every PEP delegated to a setting where the user works, from every authority."""
    statement = _open_work_first(
        _with_display_relations(select(Pep).where(access.delegated_peps_filter(user)))
    )
    result = paginate(statement, page)
    return Page([describe(p) for p in result.items], result.total, result.number, result.per_page)


def steps_for_role(authority: Authority, role: Role) -> list[str]:
    return [s.key for s in config_for(authority).workflow.steps if role in s.actors]


def waiting_for_role(authority: Authority, role: Role, *, page: int) -> Page[PepRow]:
    """PEPs of the authority in a step where ``role`` has work to do (business support's queue)."""
    condition: ColumnElement[bool] = Pep.state.in_(steps_for_role(authority, role))
    statement = _open_work_first(
        _with_display_relations(select(Pep).where(Pep.authority_id == authority.id, condition))
    )
    result = paginate(statement, page)
    return Page([describe(p) for p in result.items], result.total, result.number, result.per_page)


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
