import datetime as dt

import pytest

from portal.school_years import (
    academic_year_label,
    academic_year_of,
    year_group_label,
    year_group_on,
)


@pytest.mark.parametrize(
    ("born", "expected"),
    [
        (dt.date(2015, 9, 1), 6),  # oldest in Year 6 in 2026-27
        (dt.date(2016, 8, 31), 6),  # youngest in the same year group
        (dt.date(2016, 9, 1), 5),
        (dt.date(2021, 10, 1), 0),  # Reception
        (dt.date(2022, 9, 1), -1),  # nursery
        (dt.date(2009, 1, 15), 13),
    ],
)
def test_year_group_follows_the_september_cut_off(born: dt.date, expected: int) -> None:
    assert year_group_on(born, dt.date(2026, 11, 22)) == expected


def test_academic_year_turns_over_in_september() -> None:
    assert academic_year_of(dt.date(2026, 8, 31)) == 2025
    assert academic_year_of(dt.date(2026, 9, 1)) == 2026
    assert academic_year_label(2026) == "2026-27"
    assert academic_year_label(2099) == "2099-00"


def test_year_group_labels() -> None:
    assert [year_group_label(n) for n in (-2, -1, 0, 7)] == [
        "Pre-school",
        "Nursery",
        "Reception",
        "Year 7",
    ]
