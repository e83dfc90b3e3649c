"""Term dates, submission windows and closures, as an authority publishes them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Self

from pydantic import Field, model_validator

from portal.authorities.vocabulary import Strict, Term


class DateRange(Strict):
    starts: dt.date
    ends: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.ends < self.starts:
            raise ValueError("ends must be on or after starts")
        return self

    def __contains__(self, day: dt.date) -> bool:
        return self.starts <= day <= self.ends


class TermDates(DateRange):
    term: Term
    half_term: DateRange | None = None

    @model_validator(mode="after")
    def _half_term_inside(self) -> Self:
        ht = self.half_term
        if ht and not (self.starts < ht.starts and ht.ends < self.ends):
            raise ValueError("half_term must fall inside the term")
        return self


class AcademicYear(Strict):
    """One academic year's term dates."""

    year: Annotated[str, Field(pattern=r"^\d{4}-\d{2}$", description="e.g. 2026-27")]
    terms: list[TermDates]

    @property
    def start_year(self) -> int:
        return int(self.year[:4])

    @model_validator(mode="after")
    def _three_terms_in_order(self) -> Self:
        start = int(self.year[:4])
        if int(self.year[5:]) != (start + 1) % 100:
            raise ValueError(f"year {self.year!r} must name two consecutive years, e.g. 2026-27")
        if [t.term for t in self.terms] != list(Term):
            raise ValueError("terms must be autumn, spring and summer, in that order")
        for earlier, later in zip(self.terms, self.terms[1:], strict=False):
            if later.starts <= earlier.ends:
                raise ValueError(f"the {later.term} term must start after the {earlier.term} term")
        if not (dt.date(start, 8, 1) <= self.terms[0].starts <= dt.date(start, 9, 30)):
            raise ValueError(f"the autumn term of {self.year} must start in August or September")
        return self


MonthDay = Annotated[str, Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")]


class CalendarConfig(Strict):
    """Bank holidays come from the ``holidays`` package (England), not from here."""

    bank_holidays: Annotated[str, Field(pattern=r"^england-and-wales$")] = "england-and-wales"
    academic_years: list[AcademicYear] = Field(min_length=1)
    #: Days the authority's schools and offices are closed besides bank holidays.
    extra_closures: list[dt.date] = Field(default_factory=list)
    #: The date each term by which all PEPs must be submitted, as "MM-DD" (source 001: 12-07).
    submission_dates: dict[Term, MonthDay] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        years = [y.start_year for y in self.academic_years]
        if len(years) != len(set(years)):
            raise ValueError("each academic year may appear only once")
        if years != sorted(years):
            raise ValueError("academic years must be in order")
        if self.submission_dates and set(self.submission_dates) != set(Term):
            raise ValueError("submission_dates needs a date for every term, or none")
        return self
