"""Virtual School quality assurance: grading a PEP on its authority's scale and criteria, with
feedback, and returning it for improvement or signing it off in the same transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal import clock
from portal.authorities import engine
from portal.authorities.process import GuardKind, TransitionConfig
from portal.authorities.schema import AuthorityConfig
from portal.authorities.vocabulary import Role
from portal.extensions import db
from portal.models import Pep, QaReview, User
from portal.services import audit, qa_sampling, workflow
from portal.services.pep_facts import config_of, roles_for_pep

#: How a criterion is assessed where the authority does not grade each one on its scale.
MET, NOT_MET = "met", "not_met"
CRITERION_CHECKS = {MET: "Met", NOT_MET: "Not met"}
FEEDBACK_LIMIT = 4000


@dataclass(frozen=True)
class Assessment:
    """What the Virtual School decided about a PEP, as submitted from the QA form."""

    grade: str = ""
    criteria: dict[str, str] = field(default_factory=dict)
    feedback: str = ""
    #: The transition to take with the grade; empty to record the grade and decide later.
    outcome: str = ""
    outstanding_sections: list[str] = field(default_factory=list)


class AssessmentRefusedError(Exception):
    """Nothing was saved; ``problems`` maps a form field (or "" for the whole form) to why."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems.values()))


def outcomes(config: AuthorityConfig, pep: Pep) -> list[TransitionConfig]:
    """The Virtual School's ways out of the PEP's QA step, returns first."""
    return sorted(
        (t for t in config.workflow.transitions_from(pep.state) if Role.VIRTUAL_SCHOOL in t.roles),
        key=lambda t: not t.returns_for_improvement,
    )


def criterion_choices(config: AuthorityConfig) -> dict[str, str]:
    """Value -> label for assessing one criterion: the scale, or met / not met."""
    if config.qa.grade_each_criterion:
        return {g.key: g.label for g in config.qa.scale}
    return CRITERION_CHECKS


def assess(user: User, pep: Pep, assessment: Assessment, today: dt.date | None = None) -> QaReview | None:
    """Record the assessment and take its outcome, all or nothing.

    Returns the review, or None where the outcome needed no grade and none was given (a PEP
    outside a QA sample approved as it stands).
    """
    today = today or clock.today()
    config = config_of(pep)
    if Role.VIRTUAL_SCHOOL not in roles_for_pep(user, pep):
        raise AssessmentRefusedError({"": "Only the Virtual School quality-assures PEPs"})
    if not engine.needs_grade(config, pep.state):
        raise AssessmentRefusedError({"": "This PEP is not waiting for quality assurance"})
    transition = _outcome(config, pep, assessment.outcome)
    problems = _problems(config, pep, assessment, transition)
    if problems:
        raise AssessmentRefusedError(problems)
    review = None
    if assessment.grade:
        review = QaReview(
            pep_id=pep.id,
            reviewer_id=user.id,
            grade=assessment.grade,
            criteria=dict(assessment.criteria),
            feedback=assessment.feedback.strip(),
            transition_key=transition.key if transition else None,
            returned=bool(transition and transition.returns_for_improvement),
            outstanding_sections=list(assessment.outstanding_sections),
        )
        db.session.add(review)
        audit.record(
            "pep.graded", actor=user, authority_id=pep.authority_id, subject=pep, grade=assessment.grade
        )
        db.session.flush()
    if transition is None:
        db.session.commit()
        return review
    try:
        workflow.perform(user, pep, transition.key, comment=assessment.feedback, today=today)
    except workflow.TransitionRefusedError as refused:
        db.session.rollback()
        raise AssessmentRefusedError({"outcome": "; ".join(refused.reasons)}) from None
    return review


def _outcome(config: AuthorityConfig, pep: Pep, key: str) -> TransitionConfig | None:
    if not key:
        return None
    transition = next((t for t in outcomes(config, pep) if t.key == key), None)
    if transition is None:
        raise AssessmentRefusedError({"outcome": "Choose what happens to the PEP next"})
    return transition


def _problems(
    config: AuthorityConfig, pep: Pep, assessment: Assessment, transition: TransitionConfig | None
) -> dict[str, str]:
    problems: dict[str, str] = {}
    grade = config.qa.grade(assessment.grade) if assessment.grade else None
    if assessment.grade and grade is None:
        problems["grade"] = "Select a grade from the list"
    elif not assessment.grade and _grade_required(config, pep, transition):
        problems["grade"] = "Select an overall grade"
    if assessment.grade:
        choices = criterion_choices(config)
        for criterion in config.qa.criteria:
            if assessment.criteria.get(criterion.key) not in choices:
                problems[f"criteria-{criterion.key}"] = f"Assess ‘{criterion.label}’"
    elif assessment.criteria and any(assessment.criteria.values()):
        problems.setdefault("grade", "Select an overall grade for the criteria you assessed")
    feedback = assessment.feedback.strip()
    if len(feedback) > FEEDBACK_LIMIT:
        problems["feedback"] = f"Feedback must be {FEEDBACK_LIMIT} characters or fewer"
    returning = bool(transition and transition.returns_for_improvement)
    if returning and not feedback:
        problems["feedback"] = "Write feedback saying what must be improved before the PEP is returned"
    template = config.sections_for(pep.phase)
    if returning and not assessment.outstanding_sections:
        problems["outstanding"] = "Select the sections that must be improved"
    if any(s not in template for s in assessment.outstanding_sections):
        problems["outstanding"] = "Select sections of this PEP"
    if grade is not None and grade.returns and transition is not None and not returning:
        problems["outcome"] = f"A PEP graded ‘{grade.label}’ must be returned for improvement"
    return problems


def _grade_required(config: AuthorityConfig, pep: Pep, transition: TransitionConfig | None) -> bool:
    """A grade is needed to record one, for an outcome guarded by a grade, and for a PEP in the
    sample where the outcome asks for one only then."""
    if transition is None or transition.returns_for_improvement:
        return True
    kinds = {g.kind for g in transition.guards}
    if GuardKind.QA_GRADE_GIVEN in kinds:
        return True
    return GuardKind.QA_SAMPLE_GRADED in kinds and qa_sampling.is_in_sample(config, pep)


def reviews(pep: Pep) -> list[QaReview]:
    """Every grade the PEP was given, newest first, with the reviewer (for its history)."""
    return list(
        db.session.scalars(
            select(QaReview)
            .options(joinedload(QaReview.reviewer))
            .where(QaReview.pep_id == pep.id)
            .order_by(QaReview.id.desc())
        )
    )
