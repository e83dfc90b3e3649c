"""Academic years, terms and National Curriculum year groups in England.

Kept free of Flask and the database so the rules can be unit-tested directly.
"""

from __future__ import annotations

import datetime as dt

#: An academic year runs from 1 September to 31 August and is named by its first calendar year.
ACADEMIC_YEAR_START_MONTH = 9


def academic_year_of(day: dt.date) -> int:
    """The start year of the academic year containing ``day`` (2026-11-22 -> 2026, i.e. 2026-27)."""
    return day.year if day.month >= ACADEMIC_YEAR_START_MONTH else day.year - 1


def academic_year_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def year_group_on(date_of_birth: dt.date, on: dt.date) -> int:
    """National Curriculum year group on a date: Reception is 0, nursery -1, Year 13 is 13.

    A child starts Reception in the September after their fourth birthday, so everyone born
    between 1 September and 31 August of the next year is in the same year group.
    """
    birth_cohort = academic_year_of(date_of_birth)
    return academic_year_of(on) - birth_cohort - 5


def year_group_label(year_group: int) -> str:
    if year_group <= -2:
        return "Pre-school"
    if year_group == -1:
        return "Nursery"
    if year_group == 0:
        return "Reception"
    return f"Year {year_group}"
