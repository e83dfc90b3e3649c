"""Demo quality assurance: grades on the finalised PEPs, spread over the authority's scale, and
one PEP returned for improvement to its setting, so that the Virtual School's figures, the PEPs'
QA history and the return on a designated teacher's dashboard all have something to show."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, exists, select

from portal.authorities.schema import AuthorityConfig, Role
from portal.extensions import db
from portal.models import Authority, Membership, Pep, QaReview
from portal.services import qa
from portal.services.pep_facts import config_of

RETURN_FEEDBACK = (
    "The targets do not say how progress will be measured or by when. Please make each one SMART "
    "and add the wellbeing target discussed at the meeting."
)


def load_reviews(authority: Authority) -> None:
    """Grade the authority's ungraded finalised PEPs and return one PEP at the step a return goes
    to; PEPs that already have a grade are left as they are (running it again adds nothing)."""
    reviewer_id = db.session.scalar(
        select(Membership.user_id).where(
            Membership.authority_id == authority.id, Membership.role == Role.VIRTUAL_SCHOOL
        )
    )
    if reviewer_id is None:
        return
    ungraded = select(Pep).where(Pep.authority_id == authority.id, ~exists().where(QaReview.pep_id == Pep.id))
    finalised = db.session.scalars(ungraded.where(Pep.finalised_at.is_not(None)).order_by(Pep.id)).all()
    for number, pep in enumerate(finalised):
        config = config_of(pep)
        passing = [g for g in config.qa.scale if not g.returns]
        grade = passing[number % len(passing)].key
        db.session.add(_review(config, pep, reviewer_id, grade, "Graded from the previous system.", number))
    _return_one(authority, ungraded, reviewer_id)


def _return_one(authority: Authority, ungraded: Select[tuple[Pep]], reviewer_id: int) -> None:
    """The first delegated PEP at the step a return for improvement leads to gets that return."""
    if db.session.scalar(
        select(
            exists().where(
                QaReview.returned.is_(True), QaReview.pep_id == Pep.id, Pep.authority_id == authority.id
            )
        )
    ):
        return
    for pep in db.session.scalars(ungraded.where(Pep.setting_id.is_not(None)).order_by(Pep.id)):
        config = config_of(pep)
        back = next(
            (t for t in config.workflow.transitions if t.returns_for_improvement and t.to == pep.state), None
        )
        if back is None:
            continue
        returning = next(g for g in config.qa.scale if g.returns)
        review = _review(config, pep, reviewer_id, returning.key, RETURN_FEEDBACK, 0)
        review.transition_key = back.key
        review.returned = True
        review.outstanding_sections = _targets_sections(config, pep)
        db.session.add(review)
        return


def _review(
    config: AuthorityConfig, pep: Pep, reviewer_id: int, grade: str, feedback: str, number: int
) -> QaReview:
    choices = list(qa.criterion_choices(config))
    best = choices[0] if config.qa.grade_each_criterion else qa.MET
    return QaReview(
        pep_id=pep.id,
        reviewer_id=reviewer_id,
        grade=grade,
        # A grade per criterion in keeping with the overall grade (met / not met otherwise).
        criteria={c.key: grade if config.qa.grade_each_criterion else best for c in config.qa.criteria},
        feedback=feedback,
        created_at=(pep.finalised_at or dt.datetime.now(dt.UTC)) - dt.timedelta(days=1 + number % 3),
    )


def _targets_sections(config: AuthorityConfig, pep: Pep) -> list[str]:
    """The template's sections about targets (what the demo return asks to improve), else its first."""
    sections = config.sections_for(pep.phase)
    return [key for key in sections if "target" in key][:1] or sections[:1]
