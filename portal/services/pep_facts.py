"""Reading what the engine needs to know about a PEP from the database (a fixed number of queries)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload

from portal import access
from portal.authorities import engine
from portal.authorities.answers import is_complete
from portal.authorities.engine import PepFacts
from portal.authorities.schema import AuthorityConfig
from portal.authorities.vocabulary import Role
from portal.extensions import db
from portal.models import Pep, PepDelegation, PepSectionEntry, PepStateChange, QaReview, User
from portal.services import qa_sampling
from portal.services.authorities import config_of_version


def config_of(pep: Pep) -> AuthorityConfig:
    """The process version the PEP runs under (not necessarily the authority's latest)."""
    return config_of_version(pep.config_version)


def latest_entries(pep: Pep) -> dict[str, PepSectionEntry]:
    """The most recent saved version of each section of the PEP."""
    newest = (
        select(PepSectionEntry.section_key, func.max(PepSectionEntry.version).label("version"))
        .where(PepSectionEntry.pep_id == pep.id)
        .group_by(PepSectionEntry.section_key)
        .subquery()
    )
    entries = db.session.scalars(
        select(PepSectionEntry)
        .options(joinedload(PepSectionEntry.saved_by))
        .join(
            newest,
            and_(
                PepSectionEntry.pep_id == pep.id,
                PepSectionEntry.section_key == newest.c.section_key,
                PepSectionEntry.version == newest.c.version,
            ),
        )
    )
    return {entry.section_key: entry for entry in entries}


def history(pep: Pep) -> list[PepStateChange]:
    """The PEP's steps in order, with who took each (loaded in the same query)."""
    return list(
        db.session.scalars(
            select(PepStateChange)
            .options(joinedload(PepStateChange.actor))
            .where(PepStateChange.pep_id == pep.id)
            .order_by(PepStateChange.id)
        )
    )


def step_facts(pep: Pep, today: dt.date) -> PepFacts:
    """The PEP's step, template and dates, without its answers, history or grades: enough for
    questions about the step such as who may edit which section, at no database cost."""
    return PepFacts(
        kind=pep.kind,
        state=pep.state,
        phase=pep.phase,
        academic_year=pep.academic_year,
        term=pep.term,
        meeting_date=pep.meeting_date,
        became_looked_after_on=pep.child.became_looked_after_on,
        emergency_placement=pep.child.emergency_placement,
        # Delegation can go to a setting, or to the education contact of a child with none.
        has_setting=pep.child.current_setting_id is not None or pep.child.education_contact_id is not None,
        today=today,
    )


def facts_for(
    pep: Pep,
    today: dt.date,
    entries: dict[str, PepSectionEntry] | None = None,
    problems: dict[str, dict[str, str]] | None = None,
) -> PepFacts:
    """``entries`` and ``problems`` (per section, from section_problems) may be passed by a caller
    that already has them, so nothing is read or validated twice."""
    config = config_of(pep)
    entries = latest_entries(pep) if entries is None else entries
    changes = history(pep)
    steps_entered: dict[str, dt.date] = {}
    for change in changes:
        steps_entered.setdefault(change.to_state, change.occurred_on)
    entered_current = changes[-1].occurred_at if changes else pep.created_at
    grade = db.session.scalar(
        select(QaReview.grade)
        .where(QaReview.pep_id == pep.id, QaReview.created_at >= entered_current)
        .order_by(QaReview.id.desc())
        .limit(1)
    )
    return dataclasses.replace(
        step_facts(pep, today),
        complete_sections=frozenset(
            key
            for key in config.sections_for(pep.phase)
            if key in entries
            and entries[key].completed
            and (
                not problems[key]
                if problems is not None and key in problems
                else is_complete(config.sections[key], entries[key].answers, config.funding.pp_plus_per_term)
            )
        ),
        grade_in_current_step=grade,
        in_qa_sample=engine.needs_grade(config, pep.state) and qa_sampling.is_in_sample(config, pep),
        steps_entered=steps_entered,
    )


def roles_for_pep(user: User, pep: Pep) -> set[Role]:
    """The roles ``user`` holds for this particular PEP.

    A designated teacher acts only for PEPs delegated to their setting; a social worker only for
    children allocated to them; authority roles for every PEP of their authority. A colleague a
    designated teacher delegated to holds no role here: see :func:`delegated_sections`.
    """
    roles: set[Role] = set()
    for membership in access.memberships(user):
        if membership.setting_id is not None:
            if membership.setting_id == pep.setting_id and membership.role is Role.DESIGNATED_TEACHER:
                roles.add(Role.DESIGNATED_TEACHER)
        elif membership.authority_id != pep.authority_id:
            continue
        elif membership.role is Role.EDUCATION_CONTACT:
            # The contact acts for the setting the child does not have, on PEPs delegated to them.
            if pep.education_contact_id == user.id:
                roles.add(Role.DESIGNATED_TEACHER)
        elif membership.role is not Role.SOCIAL_WORKER or pep.child.social_worker_id == user.id:
            roles.add(membership.role)
    return roles


#: A delegation of every section the setting owns in the PEP.
WHOLE_PEP = frozenset({"*"})


def delegated_sections(user: User, pep: Pep) -> frozenset[str]:
    """Sections of the PEP a colleague at its setting was delegated (WHOLE_PEP for all of them)."""
    if pep.setting_id is None or pep.setting_id not in access.setting_ids(user, {Role.SETTING_STAFF}):
        return frozenset()
    keys = db.session.scalars(
        select(PepDelegation.section_key).where(
            PepDelegation.pep_id == pep.id,
            PepDelegation.delegate_id == user.id,
            PepDelegation.revoked_at.is_(None),
        )
    ).all()
    return WHOLE_PEP if None in keys else frozenset(k for k in keys if k)


def editing_roles(user: User, pep: Pep, section: str) -> set[Role]:
    """The roles under which ``user`` may edit ``section``: their own, plus the designated
    teacher's for a section delegated to them."""
    roles = roles_for_pep(user, pep)
    delegated = delegated_sections(user, pep)
    if delegated is WHOLE_PEP or section in delegated:
        roles.add(Role.DESIGNATED_TEACHER)
    return roles
