"""Saving a PEP section: access checked by the engine, values checked by the configuration,
and concurrent saves never lose either text (each save is a new version).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal import clock
from portal.authorities.answers import section_problems, value_problem
from portal.extensions import db
from portal.models import Pep, PepSectionEntry, User
from portal.services import audit, pp_plus
from portal.services.pep_facts import config_of
from portal.services.workflow import may_edit_section


class SectionRefusedError(Exception):
    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems.values()))


class SectionConflictError(Exception):
    """Someone saved the section since ``base_version``; ``newer`` is what they saved."""

    def __init__(self, newer: PepSectionEntry) -> None:
        self.newer = newer
        super().__init__(f"section saved meanwhile (version {newer.version})")


def current_version(pep: Pep, section: str) -> int:
    return db.session.scalar(
        select(func.coalesce(func.max(PepSectionEntry.version), 0)).where(
            PepSectionEntry.pep_id == pep.id, PepSectionEntry.section_key == section
        )
    )


def save_section(
    user: User,
    pep: Pep,
    section: str,
    answers: dict[str, Any],
    *,
    base_version: int,
    completed: bool = False,
    today: dt.date | None = None,
) -> PepSectionEntry:
    """Save ``answers`` as the next version of the section, or refuse with the reasons.

    ``base_version`` is the version the user started editing from; if someone saved after it, a
    :class:`SectionConflictError` carries their text and nothing is written. Marking the section
    ``completed`` is refused, and nothing written, while a mandatory question is unanswered.
    """
    today = today or clock.today()
    config = config_of(pep)
    section_config = config.sections.get(section)
    if section_config is None or section not in config.sections_for(pep.phase):
        raise SectionRefusedError({"section": "This PEP has no such section"})
    if not may_edit_section(user, pep, section, today):
        raise SectionRefusedError({"section": "You cannot change this section at the PEP's current step"})
    known = {f.key: f for f in section_config.fields}
    problems = {key: "Unknown question" for key in answers if key not in known}
    problems |= {
        key: problem
        for key, value in answers.items()
        if key in known and value not in (None, "", []) and (problem := value_problem(known[key], value))
    }
    problems |= {
        key: f"{known[key].label} must be today or in the future"
        for key, value in answers.items()
        if key in known and known[key].future_only and isinstance(value, str) and value < today.isoformat()
    }
    if not problems and completed:
        problems = section_problems(section_config, answers, config.funding.pp_plus_per_term)
    if problems:
        raise SectionRefusedError(problems)
    latest = current_version(pep, section)
    if latest != base_version:
        raise SectionConflictError(_entry(pep, section, latest))
    entry = PepSectionEntry(
        pep_id=pep.id,
        section_key=section,
        version=latest + 1,
        answers=answers,
        completed=completed,
        saved_by_id=user.id,
    )
    db.session.add(entry)
    audit.record(
        "pep.section_saved",
        actor=user,
        authority_id=pep.authority_id,
        subject=pep,
        section=section,
        version=latest + 1,
        completed=completed,
    )
    try:
        db.session.flush()
    except IntegrityError:
        # Another save of the same version committed between our check and our insert.
        db.session.rollback()
        raise SectionConflictError(_entry(pep, section, current_version(pep, section))) from None
    pp_plus.sync_requests(user, pep, section, answers)
    # Answers never move a deadline (deadlines count from dates and steps), so none are recomputed.
    db.session.commit()
    return entry


def _entry(pep: Pep, section: str, version: int) -> PepSectionEntry:
    return db.session.scalar(
        select(PepSectionEntry).where(
            PepSectionEntry.pep_id == pep.id,
            PepSectionEntry.section_key == section,
            PepSectionEntry.version == version,
        )
    )
