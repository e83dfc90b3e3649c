"""The child's previous finalised PEP, which the people working on this PEP may read.

Source 003 step 1 sends the setting "a finalised PDF copy of the previous term's PEP" with each new
term's form, and source 002 asks schools to review previous PEPs before setting new targets. The
previous PEP may have been delegated to another setting, so a designated teacher could not open it
by its own address: it is reached only through the PEP they work on, and only where the authority's
termly cycle shares it (``termly_cycle.share_previous_pep``).
"""

from __future__ import annotations

from sqlalchemy import case, select

from portal.extensions import db
from portal.models import Pep
from portal.services.pep_facts import config_of

#: Terms in the order they happen within an academic year, for the database to order by.
term_position = case({"autumn": 0, "spring": 1, "summer": 2}, value=Pep.term)


def shared_previous_pep(pep: Pep) -> Pep | None:
    """The child's latest finalised PEP for an earlier term than ``pep``'s, if the process shares it
    (one query)."""
    if not config_of(pep).termly_cycle.share_previous_pep:
        return None
    term_rank = {"autumn": 0, "spring": 1, "summer": 2}[pep.term]
    earlier = (Pep.academic_year < pep.academic_year) | (
        (Pep.academic_year == pep.academic_year) & (term_position < term_rank)
    )
    return db.session.scalar(
        select(Pep)
        .where(Pep.child_id == pep.child_id, Pep.finalised_at.is_not(None), Pep.id != pep.id, earlier)
        .order_by(Pep.academic_year.desc(), term_position.desc(), Pep.id.desc())
        .limit(1)
    )
