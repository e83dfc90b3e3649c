"""A section's answers against its fields and rules: what 'mandatory questions answered' means."""

from __future__ import annotations

from pathlib import Path

from portal.authorities.answers import is_complete, section_problems
from portal.authorities.loader import load_file

SAMPLE = load_file(Path(__file__).parent.parent / "fixtures" / "sample-council.toml").config
ATTENDANCE = SAMPLE.sections["attendance"]
TARGETS = SAMPLE.sections["targets"]


def target(kind: str, cost: object = "100") -> dict[str, object]:
    return {"kind": kind, "target": "Read a chapter book", "by_when": "2027-02-01", "cost": cost}


def test_attendance_below_95_percent_must_be_explained() -> None:
    assert section_problems(ATTENDANCE, {}) == {
        "attendance_percentage": "Enter attendance this academic year (%)"
    }
    assert is_complete(ATTENDANCE, {"attendance_percentage": 97})
    assert section_problems(ATTENDANCE, {"attendance_percentage": 94.5}) == {
        "explanation": "Explain attendance below 95% and the strategies to improve it"
    }
    assert is_complete(
        ATTENDANCE, {"attendance_percentage": 94.5, "explanation": "Illness; a plan with the carer"}
    )


def test_percentages_must_be_between_0_and_100() -> None:
    for bad in (101, -1, "ninety", True):
        assert (
            "between 0 and 100"
            in section_problems(ATTENDANCE, {"attendance_percentage": bad})["attendance_percentage"]
        )


def test_targets_need_three_with_two_academic() -> None:
    two = {"targets": [target("academic"), target("wellbeing")]}
    assert section_problems(TARGETS, two) == {"targets": "Add at least 3 SMART targets"}
    one_academic = {"targets": [target("academic"), target("wellbeing"), target("wellbeing")]}
    assert section_problems(TARGETS, one_academic) == {"targets": "Add at least 2 academic targets"}
    assert is_complete(TARGETS, {"targets": [target("academic"), target("academic"), target("wellbeing")]})


def test_each_row_is_checked_column_by_column() -> None:
    rows = {"targets": [target("academic"), target("academic", cost="-5"), {"kind": "sport"}]}
    problems = section_problems(TARGETS, rows)
    assert problems["targets.1.cost"].endswith("like 150 or 150.50")
    assert problems["targets.2.kind"] == "Select an option for kind of target"
    assert problems["targets.2.target"] == "Enter target"
    assert problems["targets.2.by_when"] == "Enter by when"


def test_dates_and_yes_no() -> None:
    meeting = SAMPLE.sections["meeting_record"]
    assert section_problems(meeting, {"next_pep_date": "2027-02-30"}) == {
        "next_pep_date": "Date of the next PEP meeting must be a real date"
    }
    assert section_problems(meeting, {"child_attended": "yes"}) == {
        "child_attended": "Select yes or no for did the child attend?"
    }
    assert is_complete(meeting, {"next_pep_date": "2027-02-03", "child_attended": False})
