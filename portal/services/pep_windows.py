"""The term's PEP window, as each dashboard shows it: when it opened, when it closes, how long is left.

A window runs from the first day of term to the date the authority's termly cycle names
(``termly_cycle.window_ends``): its submission date, half term, or the end of term. It is computed
from the authority's configuration and today's date only, so it costs no query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from portal import clock
from portal.authorities.calendar import TermRef
from portal.authorities.schema import AuthorityConfig
from portal.authorities.termly_cycle import WindowEnd
from portal.models import Authority
from portal.school_years import academic_year_label
from portal.services.authorities import config_for


class WindowState(StrEnum):
    UPCOMING = "upcoming"
    OPEN = "open"
    #: The window has closed but the term goes on: PEPs still open are late.
    CLOSED = "closed"


@dataclass(frozen=True)
class PepWindow:
    authority_name: str
    academic_year: int
    term: str
    opens: dt.date
    closes: dt.date
    closes_at: WindowEnd
    state: WindowState
    #: Working days from today until the window closes, counting the closing day; 0 once closed.
    working_days_left: int

    @property
    def term_label(self) -> str:
        return f"{self.term.capitalize()} term {academic_year_label(self.academic_year)}"

    @property
    def closes_phrase(self) -> str:
        return self.closes_at.phrase


def _closing_date(config: AuthorityConfig, term: TermRef) -> dt.date:
    cycle = config.termly_cycle
    if cycle.window_ends is WindowEnd.SUBMISSION_DATE:
        submission = config.work_calendar.submission_date(term.academic_year, term.term)
        if submission is not None:
            return submission
    if cycle.window_ends is WindowEnd.HALF_TERM:
        year = config.academic_year(term.academic_year)
        dates = next((t for t in year.terms if t.term == term.term), None) if year else None
        if dates is not None and dates.half_term is not None:
            # The last working day before the holiday: the window is the first half of term.
            day = dates.half_term.starts - dt.timedelta(days=1)
            while not config.work_calendar.is_working_day(day):
                day -= dt.timedelta(days=1)
            return day
    return term.ends


def window_for(authority_name: str, config: AuthorityConfig, today: dt.date) -> PepWindow | None:
    """The window of the term ``today`` falls in (in a holiday, the coming term's); None beyond
    the configured term dates."""
    calendar = config.work_calendar
    term = calendar.current_term(today)
    if term is None:
        return None
    closes = _closing_date(config, term)
    if today < term.starts:
        state = WindowState.UPCOMING
    elif today <= closes:
        state = WindowState.OPEN
    else:
        state = WindowState.CLOSED
    start = max(today, term.starts)
    left = 0
    if state is not WindowState.CLOSED:
        left = sum(
            1 for n in range((closes - start).days + 1) if calendar.is_working_day(start + dt.timedelta(n))
        )
    return PepWindow(
        authority_name=authority_name,
        academic_year=term.academic_year,
        term=str(term.term),
        opens=term.starts,
        closes=closes,
        closes_at=config.termly_cycle.window_ends,
        state=state,
        working_days_left=left,
    )


def windows_for(authorities: Iterable[Authority], today: dt.date | None = None) -> list[PepWindow]:
    """Each authority's current window, by authority name (a school works with several)."""
    today = today or clock.today()
    windows = (window_for(a.name, config_for(a), today) for a in authorities)
    return sorted((w for w in windows if w is not None), key=lambda w: w.authority_name)
