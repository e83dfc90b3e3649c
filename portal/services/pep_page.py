"""Everything the PEP page shows, loaded in a fixed number of queries whatever its size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal import access
from portal.authorities import engine
from portal.authorities.answers import section_problems
from portal.authorities.forms import SectionConfig
from portal.authorities.schema import AuthorityConfig
from portal.authorities.vocabulary import Role
from portal.extensions import db
from portal.models import (
    Authority,
    Child,
    Pep,
    PepAttachment,
    PepDeadline,
    PepDelegation,
    PepSectionEntry,
    QaReview,
    User,
)
from portal.services import pep_facts, qa


@dataclass(frozen=True)
class SectionView:
    key: str
    config: SectionConfig
    entry: PepSectionEntry | None
    owner_label: str
    editable: bool
    #: Mandatory questions and rules not yet met, keyed by field path.
    problems: dict[str, str]

    @property
    def status(self) -> str:
        if self.entry is None:
            return "not_started"
        return "completed" if self.entry.completed and not self.problems else "in_progress"


@dataclass(frozen=True)
class PepPage:
    pep: Pep
    config: AuthorityConfig
    facts: engine.PepFacts
    roles: frozenset[Role]
    sections: list[SectionView]
    options: list[engine.TransitionOption]
    deadlines: list[PepDeadline]
    attachments: list[PepAttachment]
    delegations: list[PepDelegation]
    #: Every QA grade given, newest first: the PEP's history keeps them all.
    reviews: list[QaReview]

    @property
    def remaining(self) -> int:
        """Mandatory questions still to answer in the sections this reader may edit."""
        return sum(len(s.problems) for s in self.sections if s.editable)

    @property
    def final(self) -> bool:
        step = self.config.step(self.pep.state)
        return bool(step and step.final)

    @property
    def open_return(self) -> QaReview | None:
        """The return for improvement the PEP's people are working on, if any."""
        return next((r for r in self.reviews if r.returned and r.resolved_at is None), None)

    @property
    def assessing(self) -> bool:
        """The reader is the Virtual School and the PEP waits for its quality assurance: its ways
        out of QA are on the QA page, where the grade, feedback and outstanding sections go."""
        return Role.VIRTUAL_SCHOOL in self.roles and engine.needs_grade(self.config, self.pep.state)

    @property
    def shown_options(self) -> list[engine.TransitionOption]:
        if not self.assessing:
            return self.options
        return [o for o in self.options if Role.VIRTUAL_SCHOOL not in o.transition.roles]

    @property
    def is_designated_teacher(self) -> bool:
        return Role.DESIGNATED_TEACHER in self.roles


def find_pep(authority: Authority, pep_id: int) -> Pep | None:
    return db.session.scalar(
        select(Pep)
        .where(Pep.id == pep_id, Pep.authority_id == authority.id)
        .options(
            joinedload(Pep.child).joinedload(Child.social_worker),
            joinedload(Pep.child).joinedload(Child.current_setting),
            joinedload(Pep.setting),
            joinedload(Pep.authority),
            joinedload(Pep.config_version),
        )
    )


def can_view(user: User, pep: Pep) -> bool:
    """Authority staff and the allocated social worker, the setting the PEP was delegated to,
    and a colleague there to whom the designated teacher delegated part of it."""
    return access.can_view_pep(user, pep) or bool(pep_facts.delegated_sections(user, pep))


def load(user: User, pep: Pep, today: dt.date) -> PepPage:
    config = pep_facts.config_of(pep)
    entries = pep_facts.latest_entries(pep)
    problems = {
        key: section_problems(
            config.sections[key],
            entries[key].answers if key in entries else None,
            config.funding.pp_plus_per_term,
        )
        for key in config.sections_for(pep.phase)
    }
    facts = pep_facts.facts_for(pep, today, entries, problems)
    roles = pep_facts.roles_for_pep(user, pep)
    delegated = pep_facts.delegated_sections(user, pep)
    editable = set(engine.editable_sections(config, facts, roles))
    if delegated:
        as_teacher = set(engine.editable_sections(config, facts, {Role.DESIGNATED_TEACHER}))
        editable |= as_teacher if delegated is pep_facts.WHOLE_PEP else as_teacher & delegated
    readers = set(roles) | ({Role.DESIGNATED_TEACHER} if delegated else set())
    sections = [
        SectionView(
            key=key,
            config=config.sections[key],
            entry=entries.get(key),
            owner_label=config.role_label(config.sections[key].owner_in(pep.state)),
            editable=key in editable,
            problems=problems[key],
        )
        for key in config.sections_for(pep.phase)
        if key in editable or config.sections[key].readable_by(readers)
    ]
    return PepPage(
        pep=pep,
        config=config,
        facts=facts,
        roles=frozenset(roles),
        sections=sections,
        options=engine.transition_options(config, facts, roles),
        deadlines=list(
            db.session.scalars(
                select(PepDeadline)
                .where(PepDeadline.pep_id == pep.id)
                .order_by(PepDeadline.due_on.is_(None), PepDeadline.due_on, PepDeadline.id)
            )
        ),
        attachments=list(
            db.session.scalars(
                select(PepAttachment)
                .where(PepAttachment.pep_id == pep.id)
                .options(joinedload(PepAttachment.uploaded_by))
                .order_by(PepAttachment.id)
            )
        ),
        delegations=list(
            db.session.scalars(
                select(PepDelegation)
                .where(PepDelegation.pep_id == pep.id, PepDelegation.revoked_at.is_(None))
                .options(joinedload(PepDelegation.delegate))
                .order_by(PepDelegation.id)
            )
        )
        if Role.DESIGNATED_TEACHER in roles
        else [],
        reviews=qa.reviews(pep),
    )
