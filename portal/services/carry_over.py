"""Starting a PEP's rows from the child's previous PEP, e.g. last term's targets to review."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from portal.authorities.forms import FieldConfig, FieldType, SectionConfig
from portal.extensions import db
from portal.models import Pep
from portal.services.pep_facts import latest_entries

#: Terms in the order they happen within an academic year.
TERM_ORDER = {"autumn": 0, "spring": 1, "summer": 2}


def previous_pep(pep: Pep) -> Pep | None:
    """The child's most recent PEP before this one (by term, then by when it was started)."""
    earlier = [
        other
        for other in db.session.scalars(select(Pep).where(Pep.child_id == pep.child_id, Pep.id != pep.id))
        if (other.academic_year, TERM_ORDER[other.term], other.id)
        < (pep.academic_year, TERM_ORDER[pep.term], pep.id)
    ]
    return max(earlier, key=lambda p: (p.academic_year, TERM_ORDER[p.term], p.id), default=None)


def carried_over(pep: Pep, section: SectionConfig) -> tuple[dict[str, Any], Pep | None]:
    """Answers for a section not yet started, with rows copied from the previous PEP where the
    configuration asks for it; and the PEP they came from."""
    fields: list[FieldConfig] = [
        f for f in section.fields if f.type is FieldType.ROWS and f.carried_over_from
    ]
    if not fields:
        return {}, None
    source_pep = previous_pep(pep)
    if source_pep is None:
        return {}, None
    entries = latest_entries(source_pep)
    answers: dict[str, Any] = {}
    for field in fields:
        carry = field.carried_over_from
        assert carry is not None
        source_section, source_field = carry.field.split(".")
        entry = entries.get(source_section)
        rows = (entry.answers.get(source_field) or []) if entry else []
        copied = [
            {
                mine: row.get(theirs)
                for mine, theirs in carry.columns.items()
                if row.get(theirs) not in (None, "")
            }
            for row in rows
            if isinstance(row, dict)
        ]
        if copied := [row for row in copied if row]:
            answers[field.key] = copied
    return answers, source_pep if answers else None
