"""The authority's calendar: which term a date falls in (working days come with the engine)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal.authorities.schema import AuthorityConfig, Term


@dataclass(frozen=True)
class TermRef:
    academic_year: int
    term: Term
    starts: dt.date
    ends: dt.date


def terms(config: AuthorityConfig) -> list[TermRef]:
    return [
        TermRef(year.start_year, dates.term, dates.starts, dates.ends)
        for year in sorted(config.calendar.academic_years, key=lambda y: y.start_year)
        for dates in year.terms
    ]


def current_term(config: AuthorityConfig, today: dt.date) -> TermRef | None:
    """The term ``today`` falls in; in a holiday, the term that comes next (PEPs are for it).

    ``None`` only when the configured calendar has run out, which the admin pages point out.
    """
    for term in terms(config):
        if today <= term.ends:
            return term
    return None
