"""Virtual School quality assurance: recording a grade against the authority's scale."""

from __future__ import annotations

from portal.authorities import engine
from portal.authorities.vocabulary import Role
from portal.extensions import db
from portal.models import Pep, QaReview, User
from portal.services import audit
from portal.services.pep_facts import config_of, roles_for_pep


class GradeRefusedError(Exception):
    pass


def record_grade(
    user: User, pep: Pep, grade: str, *, criteria: dict[str, str] | None = None, feedback: str = ""
) -> QaReview:
    """Grade the PEP on its authority's scale; the history keeps every grade given."""
    if Role.VIRTUAL_SCHOOL not in roles_for_pep(user, pep):
        raise GradeRefusedError("Only the Virtual School grades PEPs")
    config = config_of(pep)
    if not engine.needs_grade(config, pep.state):
        raise GradeRefusedError("This PEP is not waiting for quality assurance")
    qa = config.qa
    if qa.grade(grade) is None:
        raise GradeRefusedError("Select a grade from the authority's scale")
    criteria = criteria or {}
    unknown = set(criteria) - {c.key for c in qa.criteria}
    if unknown:
        raise GradeRefusedError(f"Unknown criteria: {', '.join(sorted(unknown))}")
    review = QaReview(pep_id=pep.id, reviewer_id=user.id, grade=grade, criteria=criteria, feedback=feedback)
    db.session.add(review)
    audit.record("pep.graded", actor=user, authority_id=pep.authority_id, subject=pep, grade=grade)
    db.session.commit()
    return review
