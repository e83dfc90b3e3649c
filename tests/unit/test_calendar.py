"""Counting working days, school days and school weeks; examples checked by hand on a calendar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.authorities.calendar import CalendarOutOfRangeError, WorkCalendar
from portal.authorities.calendar_config import CalendarConfig
from portal.authorities.loader import load_file
from portal.authorities.process import Offset

SAMPLE = load_file(Path(__file__).parent.parent / "fixtures" / "sample-council.toml").config
CALENDAR = SAMPLE.work_calendar
D = dt.date


def offset(amount: int, unit: str, direction: str = "after") -> Offset:
    return Offset(amount=amount, unit=unit, direction=direction)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("start", "amount", "unit", "direction", "expected", "why"),
    [
        (
            D(2026, 12, 21),
            20,
            "working_days",
            "after",
            D(2027, 1, 21),
            "Christmas Day (Fri), Boxing Day's substitute Mon 28 Dec and New Year's Day skipped",
        ),
        (
            D(2026, 12, 10),
            20,
            "working_days",
            "after",
            D(2027, 1, 12),
            "11 Dec to 12 Jan: 13 days in December after the 11th less Christmas and 28 Dec, 1 Jan skipped",
        ),
        (
            D(2027, 3, 22),
            10,
            "working_days",
            "after",
            D(2027, 4, 7),
            "Good Friday 26 Mar and Easter Monday 29 Mar 2027 skipped",
        ),
        (
            D(2027, 12, 23),
            5,
            "working_days",
            "after",
            D(2028, 1, 4),
            "substitute days Mon 27 and Tue 28 Dec 2027, and Mon 3 Jan 2028 for New Year's Day on a Saturday",
        ),
        (
            D(2027, 1, 5),
            3,
            "working_days",
            "before",
            D(2026, 12, 30),
            "counting back over New Year's Day and a weekend",
        ),
        (
            D(2026, 10, 22),
            5,
            "school_days",
            "after",
            D(2026, 11, 5),
            "the October half-term (26-30 Oct) is not school days",
        ),
        (
            D(2027, 1, 12),
            3,
            "school_weeks",
            "before",
            D(2026, 12, 7),
            "15 school days back across the Christmas holiday: 11 Jan to 5 Jan, 18 Dec to 7 Dec",
        ),
        (
            D(2027, 5, 28),
            1,
            "school_days",
            "after",
            D(2027, 6, 7),
            "Spring Bank Holiday 31 May falls in the half-term week (31 May - 4 Jun)",
        ),
        (D(2026, 12, 18), 14, "calendar_days", "after", D(2027, 1, 1), "calendar days count every day"),
        (D(2026, 9, 14), 0, "working_days", "after", D(2026, 9, 14), "nothing to count"),
    ],
)
def test_worked_examples(
    start: dt.date, amount: int, unit: str, direction: str, expected: dt.date, why: str
) -> None:
    assert CALENDAR.shift(start, offset(amount, unit, direction)) == expected, why


def test_extra_closures_are_not_working_days() -> None:
    closed = CalendarConfig.model_validate(
        {**SAMPLE.calendar.model_dump(), "extra_closures": [D(2026, 9, 15)]}
    )
    calendar = WorkCalendar(closed)
    assert calendar.shift(D(2026, 9, 14), offset(1, "working_days")) == D(2026, 9, 16)
    assert CALENDAR.shift(D(2026, 9, 14), offset(1, "working_days")) == D(2026, 9, 15)


def test_school_days_beyond_the_configured_terms_are_refused_with_a_reason() -> None:
    with pytest.raises(CalendarOutOfRangeError, match="add that academic year"):
        CALENDAR.shift(D(2027, 7, 1), offset(30, "school_days"))


def test_terms_and_submission_dates() -> None:
    assert CALENDAR.current_term(D(2026, 11, 22)).term == "autumn"
    assert CALENDAR.current_term(D(2026, 12, 25)).term == "spring"  # the holiday belongs to the next term
    assert CALENDAR.current_term(D(2027, 8, 1)) is None
    assert CALENDAR.next_term(2026, "autumn").starts == D(2027, 1, 5)
    assert CALENDAR.next_term(2026, "summer") is None
    assert CALENDAR.submission_date(2026, "autumn") == D(2026, 12, 7)
    assert CALENDAR.submission_date(2026, "spring") == D(2027, 3, 7)


any_day = st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 12, 31))
amounts = st.integers(min_value=1, max_value=80)


@settings(max_examples=300, deadline=None)
@given(start=any_day, amount=amounts, direction=st.sampled_from(["before", "after"]))
def test_adding_working_days_never_lands_on_a_weekend_or_holiday(
    start: dt.date, amount: int, direction: str
) -> None:
    result = CALENDAR.shift(start, offset(amount, "working_days", direction))
    assert result.weekday() < 5
    assert not CALENDAR.is_bank_holiday_or_closure(result)
    assert (result > start) if direction == "after" else (result < start)


@settings(max_examples=300, deadline=None)
@given(start=any_day, amount=amounts)
def test_working_days_are_monotonic(start: dt.date, amount: int) -> None:
    earlier = CALENDAR.shift(start, offset(amount, "working_days"))
    later = CALENDAR.shift(start, offset(amount + 1, "working_days"))
    assert later > earlier
    assert CALENDAR.shift(start + dt.timedelta(days=1), offset(amount, "working_days")) >= earlier


@settings(max_examples=200, deadline=None)
@given(start=st.dates(min_value=D(2026, 9, 1), max_value=D(2027, 6, 1)), amount=st.integers(1, 30))
def test_school_days_land_in_term_time(start: dt.date, amount: int) -> None:
    result = CALENDAR.shift(start, offset(amount, "school_days"))
    assert CALENDAR.is_school_day(result)
    assert CALENDAR.is_working_day(result)


@settings(max_examples=200, deadline=None)
@given(start=any_day, amount=amounts)
def test_counting_there_and_back_returns_to_a_working_day_at_or_before_the_start(
    start: dt.date, amount: int
) -> None:
    there = CALENDAR.shift(start, offset(amount, "working_days"))
    back = CALENDAR.shift(there, offset(amount, "working_days", "before"))
    assert back <= start
    assert CALENDAR.shift(back, offset(amount, "working_days")) == there
