"""The authority's calendar: terms, working days and school days, and counting deadlines in them.

Counting follows the usual reading of "within 20 working days of X": start from the day after X
(or before it, counting back) and count qualifying days until the amount is reached. Working days
exclude weekends, England and Wales bank holidays (with substitute days, from the ``holidays``
package) and the authority's extra closures. School days are working days inside a term and
outside its half-term; a school week is five school days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import holidays

from portal.authorities.calendar_config import CalendarConfig
from portal.authorities.process import Direction, Offset, Unit
from portal.authorities.vocabulary import Term

ONE_DAY = dt.timedelta(days=1)
SCHOOL_DAYS_PER_WEEK = 5


class CalendarOutOfRangeError(LookupError):
    """A date needs term dates the authority has not configured (add the academic year)."""


@dataclass(frozen=True)
class TermRef:
    academic_year: int
    term: Term
    starts: dt.date
    ends: dt.date


class WorkCalendar:
    def __init__(self, config: CalendarConfig) -> None:
        self.config = config

    @cached_property
    def terms(self) -> list[TermRef]:
        return [
            TermRef(year.start_year, dates.term, dates.starts, dates.ends)
            for year in self.config.academic_years
            for dates in year.terms
        ]

    @cached_property
    def _term_dates(self) -> list[tuple[dt.date, dt.date, dt.date | None, dt.date | None]]:
        return [
            (
                t.starts,
                t.ends,
                t.half_term.starts if t.half_term else None,
                t.half_term.ends if t.half_term else None,
            )
            for year in self.config.academic_years
            for t in year.terms
        ]

    @cached_property
    def _closed(self) -> frozenset[dt.date]:
        first = self.config.academic_years[0].start_year - 1
        last = self.config.academic_years[-1].start_year + 2
        bank_holidays = holidays.UK(subdiv="ENG", years=range(first, last + 1))
        return frozenset(bank_holidays) | frozenset(self.config.extra_closures)

    def is_bank_holiday_or_closure(self, day: dt.date) -> bool:
        return day in self._closed

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self._closed

    def is_school_day(self, day: dt.date) -> bool:
        if not self.is_working_day(day):
            return False
        for starts, ends, half_starts, half_ends in self._term_dates:
            if starts <= day <= ends:
                return not (half_starts and half_starts <= day <= half_ends)  # type: ignore[operator]
        return False

    def _covers_school_day(self, day: dt.date) -> bool:
        return (
            self._term_dates[0][0] - dt.timedelta(days=7)
            <= day
            <= self._term_dates[-1][1] + dt.timedelta(days=70)
        )

    def term_of(self, academic_year: int, term: Term) -> TermRef | None:
        return next((t for t in self.terms if t.academic_year == academic_year and t.term == term), None)

    def current_term(self, today: dt.date) -> TermRef | None:
        """The term ``today`` falls in; in a holiday, the term that comes next (PEPs are for it)."""
        return next((t for t in self.terms if today <= t.ends), None)

    def next_term(self, academic_year: int, term: Term) -> TermRef | None:
        terms = self.terms
        for index, candidate in enumerate(terms[:-1]):
            if candidate.academic_year == academic_year and candidate.term == term:
                return terms[index + 1]
        return None

    def submission_date(self, academic_year: int, term: Term) -> dt.date | None:
        month_day = self.config.submission_dates.get(term)
        if month_day is None:
            return None
        month, day = (int(part) for part in month_day.split("-"))
        year = academic_year if Term(term) is Term.AUTUMN else academic_year + 1
        return dt.date(year, month, day)

    def shift(self, start: dt.date, offset: Offset) -> dt.date:
        """The date ``offset`` away from ``start``, counted in the offset's unit."""
        step = ONE_DAY if offset.direction is Direction.AFTER else -ONE_DAY
        if offset.unit is Unit.CALENDAR_DAYS:
            return start + step * offset.amount
        if offset.unit is Unit.WORKING_DAYS:
            return self._count(start, offset.amount, step, self.is_working_day)
        amount = offset.amount * (SCHOOL_DAYS_PER_WEEK if offset.unit is Unit.SCHOOL_WEEKS else 1)
        return self._count(start, amount, step, self._checked_school_day)

    def _checked_school_day(self, day: dt.date) -> bool:
        if not self._covers_school_day(day):
            raise CalendarOutOfRangeError(
                f"no term dates around {day.isoformat()}: add that academic year to the calendar"
            )
        return self.is_school_day(day)

    @staticmethod
    def _count(start: dt.date, amount: int, step: dt.timedelta, counts: Callable[[dt.date], bool]) -> dt.date:
        day, counted = start, 0
        while counted < amount:
            day += step
            if counts(day):
                counted += 1
        return day
