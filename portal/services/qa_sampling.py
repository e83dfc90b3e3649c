"""Which PEPs the Virtual School must grade, where it quality-assures a sample.

The rule (qa.sampling): at least ``per_setting_per_term`` PEPs of each setting each term are
graded. A PEP is in the sample if it has been graded before (a returned PEP is graded again when
it comes back), or if its setting has not yet had that many PEPs graded this term. So until a
setting's sample is taken every one of its PEPs awaiting QA needs a grade, and afterwards the rest
may be approved without one. A PEP with no setting is always in the sample: there is no setting
sample it could be part of.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, func, or_, select, true

from portal.authorities.oversight import SamplingMode
from portal.authorities.schema import AuthorityConfig
from portal.extensions import db
from portal.models import Pep, QaReview


def _graded_in_setting_term() -> ColumnElement[int]:
    """How many PEPs of the same setting, authority and term as ``Pep`` have been graded."""
    graded = db.aliased(Pep)
    return (
        select(func.count(func.distinct(QaReview.pep_id)))
        .join(graded, graded.id == QaReview.pep_id)
        .where(
            graded.authority_id == Pep.authority_id,
            graded.setting_id == Pep.setting_id,
            graded.academic_year == Pep.academic_year,
            graded.term == Pep.term,
        )
        .scalar_subquery()
    )


def in_sample_condition(config: AuthorityConfig) -> ColumnElement[bool]:
    """SQL: the PEP (``Pep``) is in the authority's QA sample."""
    sampling = config.qa.sampling
    if sampling.mode is SamplingMode.ALL or sampling.per_setting_per_term is None:
        return true()
    return or_(
        Pep.setting_id.is_(None),
        exists().where(QaReview.pep_id == Pep.id),
        _graded_in_setting_term() < sampling.per_setting_per_term,
    )


def is_in_sample(config: AuthorityConfig, pep: Pep) -> bool:
    """Whether ``pep`` is in its authority's QA sample (one query, none when every PEP is QA'd)."""
    if config.qa.sampling.mode is SamplingMode.ALL:
        return True
    return bool(db.session.scalar(select(in_sample_condition(config)).where(and_(Pep.id == pep.id))))
