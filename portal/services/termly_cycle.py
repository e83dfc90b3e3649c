"""The start-of-term run: a termly review PEP for every looked-after child due one.

Each authority's ``termly_cycle`` says whether it runs. A child is due a termly review when they
have had a PEP before and have none (of any kind) for the term now in session: a child who has never
had a PEP needs an initial PEP, which their social worker starts. Targets to review come from the
previous PEP when the new PEP's review section is first opened (services/carry_over.py). A child
who left care on or before the term's first day, or who is 18 by then, is no longer due PEPs.

Safe to run as often as a scheduler likes: a child with a PEP for the term is never given another,
and two runs at once cannot both start one (the unique child/year/term/kind constraint; the loser's
savepoint is rolled back and the run carries on).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import exists, or_, select
from sqlalchemy.exc import IntegrityError

from portal.authorities.calendar import TermRef
from portal.authorities.schema import AuthorityConfig
from portal.authorities.vocabulary import PepKind, Role
from portal.extensions import db
from portal.models import Authority, Child, Pep
from portal.school_years import academic_year_label
from portal.services import notifications
from portal.services.authorities import config_for
from portal.services.workflow import start_pep

#: Children started per transaction: a long run commits as it goes and holds no lock for long.
BATCH = 100


@dataclass
class CycleResult:
    #: Authority name -> (term label, PEPs started).
    started: dict[str, tuple[str, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(count for _, count in self.started.values())


def term_in_session(config: AuthorityConfig, today: dt.date) -> TermRef | None:
    """The term ``today`` is a day of (holidays between terms are not: the cycle waits)."""
    term = config.work_calendar.current_term(today)
    return term if term is not None and term.starts <= today else None


def eighteenth_birthday_cutoff(day: dt.date) -> dt.date:
    """The latest date of birth of someone who is 18 on ``day`` (born 29 February: 18 on 1 March)."""
    try:
        return day.replace(year=day.year - 18)
    except ValueError:  # ``day`` is 29 February and 18 years before was not a leap year
        return day.replace(year=day.year - 18, day=28)


def children_due(authority: Authority, term: TermRef) -> list[int]:
    """Ids of the authority's children who had a PEP before and have none for ``term``, leaving out
    those who left care on or before its first day (one who leaves during the term still had it) and
    those who are 18 by then (PEPs end at 18)."""
    had_pep = exists().where(Pep.child_id == Child.id)
    has_this_term = exists().where(
        Pep.child_id == Child.id, Pep.academic_year == term.academic_year, Pep.term == term.term
    )
    return list(
        db.session.scalars(
            select(Child.id)
            .where(Child.authority_id == authority.id, had_pep, ~has_this_term)
            .where(or_(Child.left_care_on.is_(None), Child.left_care_on > term.starts))
            .where(Child.date_of_birth > eighteenth_birthday_cutoff(term.starts))
            .order_by(Child.id)
        )
    )


def run(today: dt.date) -> CycleResult:
    """Start the term's PEPs for every authority whose cycle starts them."""
    result = CycleResult()
    for authority in db.session.scalars(select(Authority).order_by(Authority.name)).all():
        config = config_for(authority)
        term = term_in_session(config, today)
        if not config.termly_cycle.start_peps or term is None:
            continue
        label = f"{term.term.capitalize()} term {academic_year_label(term.academic_year)}"
        result.started[authority.name] = (label, start_term(authority, config, term, today))
    return result


def start_term(authority: Authority, config: AuthorityConfig, term: TermRef, today: dt.date) -> int:
    cycle = config.termly_cycle
    provisional = cycle.provisional_meeting
    meeting = config.work_calendar.shift(term.starts, provisional) if provisional else None
    started = 0
    due = children_due(authority, term)
    for offset in range(0, len(due), BATCH):
        children = db.session.scalars(select(Child).where(Child.id.in_(due[offset : offset + BATCH])))
        for child in children.all():
            if _start_one(child, term, meeting, today, cycle.notify):
                started += 1
        db.session.commit()
    return started


def _start_one(
    child: Child, term: TermRef, meeting: dt.date | None, today: dt.date, notify: list[Role]
) -> bool:
    savepoint = db.session.begin_nested()
    try:
        pep: Pep | None = start_pep(
            child,
            kind=PepKind.TERMLY_REVIEW,
            academic_year=term.academic_year,
            term=term.term,
            actor=None,
            meeting_date=meeting,
            today=today,
            commit=False,
        )
        if pep is not None and notify:
            notifications.queue_about_pep(pep, notify, "term_started")
        savepoint.commit()
    except IntegrityError:
        # Another run started this child's PEP a moment ago: theirs stands.
        savepoint.rollback()
        return False
    return pep is not None
