"""Looked-after children of an authority: caseloads, lists with their latest PEP, one child."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload

from portal.authorities.phases import NoPhaseTemplateError, phase_for
from portal.authorities.schema import AuthorityConfig
from portal.extensions import db
from portal.models import Authority, Child, Pep, PepDeadline, User
from portal.services.paging import Page, paginate
from portal.services.peps import PepRow, describe, open_returns


@dataclass(frozen=True)
class ChildWithPep:
    child: Child
    latest_pep: PepRow | None


def _latest_pep_ids() -> Select[tuple[int, int]]:
    # PEPs are created in term order, so a child's highest id is their most recent PEP.
    return select(Pep.child_id, func.max(Pep.id).label("pep_id")).group_by(Pep.child_id)


def children_with_latest_pep(
    authority: Authority,
    *,
    page: int,
    social_worker: User | None = None,
    search: str = "",
) -> Page[ChildWithPep]:
    """One page of an authority's children (or one social worker's caseload) in name order."""
    latest = _latest_pep_ids().subquery()
    statement = (
        select(Child, Pep)
        .outerjoin(latest, latest.c.child_id == Child.id)
        .outerjoin(Pep, Pep.id == latest.c.pep_id)
        .where(Child.authority_id == authority.id)
        .options(
            joinedload(Child.current_setting),
            joinedload(Child.social_worker),
            joinedload(Pep.config_version),
        )
        .order_by(Child.last_name, Child.first_name, Child.id)
    )
    if social_worker is not None:
        statement = statement.where(Child.social_worker_id == social_worker.id)
    if term := search.strip():
        pattern = f"%{term.lower()}%"
        statement = statement.where(
            or_(
                func.lower(Child.first_name + " " + Child.last_name).like(pattern),
                func.lower(Child.case_reference).like(pattern),
            )
        )
    result = paginate(statement, page, scalars=False)
    returns = open_returns([pep.id for _, pep in result.items if pep])
    rows = [
        ChildWithPep(child, describe(pep, open_return=returns.get(pep.id)) if pep else None)
        for child, pep in result.items
    ]
    return Page(items=rows, total=result.total, number=result.number, per_page=result.per_page)


def child_in_authority(authority: Authority, child_id: int) -> Child | None:
    return db.session.scalar(
        select(Child)
        .where(Child.id == child_id, Child.authority_id == authority.id)
        .options(joinedload(Child.current_setting), joinedload(Child.social_worker))
    )


def phase_template(child: Child, config: AuthorityConfig, on: dt.date) -> str:
    """The template a new PEP for the child would use, derived from age and setting."""
    setting_type = child.current_setting.setting_type if child.current_setting else None
    try:
        return config.phases[phase_for(config, child.year_group(on), setting_type)].label
    except NoPhaseTemplateError:
        return "None: the authority has no template for this age"


def deadlines_of(pep: Pep) -> list[PepDeadline]:
    """The PEP's deadlines as last computed by the engine, soonest first, unknown dates last."""
    return list(
        db.session.scalars(
            select(PepDeadline)
            .where(PepDeadline.pep_id == pep.id)
            .order_by(PepDeadline.due_on.is_(None), PepDeadline.due_on, PepDeadline.id)
        )
    )


def peps_of_child(child: Child) -> list[Pep]:
    return list(
        db.session.scalars(
            select(Pep)
            .where(Pep.child_id == child.id)
            .options(joinedload(Pep.setting), joinedload(Pep.config_version))
            .order_by(Pep.academic_year.desc(), Pep.id.desc())
        )
    )
