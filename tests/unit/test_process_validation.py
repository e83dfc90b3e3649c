"""Bad process configuration is refused with the field path and the reason (issue 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.authorities.loader import AuthorityConfigError, load_file

SAMPLE_TEXT = (Path(__file__).parent.parent / "fixtures" / "sample-council.toml").read_text()


def problems_after(tmp_path: Path, old: str, new: str) -> list[str]:
    assert old in SAMPLE_TEXT, f"fixture out of date: {old!r}"
    path = tmp_path / "sample-council.toml"
    path.write_text(SAMPLE_TEXT.replace(old, new, 1))
    with pytest.raises(AuthorityConfigError) as raised:
        load_file(path)
    return [p.removeprefix(f"{path}: ") for p in raised.value.problems]


CASES = {
    "unknown step in a transition": (
        'to = "signed_off"',
        'to = "signed_of"',
        "workflow.transitions[4] (sign_off): no step called 'signed_of'",
    ),
    "unreachable step": (
        'from = ["after_meeting"]\nto = "awaiting_qa"',
        'from = ["after_meeting"]\nto = "after_meeting"',
        "workflow.steps[3]: step 'awaiting_qa' cannot be reached from 'initiated'",
    ),
    "a step with no way out": (
        'key = "return_for_improvement"\nlabel = "Return for improvement"\nfrom = ["awaiting_qa"]',
        'key = "return_for_improvement"\nlabel = "Return for improvement"\nfrom = ["signed_off"]',
        "workflow.transitions[3] (return_for_improvement): cannot leave final step 'signed_off'",
    ),
    "a section nobody owns": (
        'title = "PEP meeting"\nowner = "social_worker"',
        'title = "PEP meeting"\nowner = "authority_admin"',
        "sections.meeting_record: nobody can complete it: its owner edits in no step",
    ),
    "a deadline from an event that never happens": (
        'submission_dates = { autumn = "12-07", spring = "03-07", summer = "07-07" }',
        "",
        "deadlines[3] (term_window).event: the event never happens: calendar.submission_dates is not set",
    ),
    "a deadline met at a step that does not exist": (
        'met_at_step = "after_meeting"',
        'met_at_step = "after_the_meeting"',
        "deadlines[0] (initial_meeting).met_at_step: no reachable step called 'after_the_meeting'",
    ),
    "an initial-PEP event on termly PEPs": (
        'kinds = ["initial"]',
        'kinds = ["termly_review"]',
        'deadlines[0]: becoming looked after only starts initial PEPs: set kinds = ["initial"]',
    ),
    "a guard naming an unknown section": (
        'sections = ["meeting_record"]',
        'sections = ["meeting_notes"]',
        "workflow.transitions[2] (complete).guards: no section called 'meeting_notes'",
    ),
    "a role the authority does not use": (
        'roles = ["virtual_school"]\nneeds_comment',
        'roles = ["business_support"]\nneeds_comment',
        "workflow.transitions[3] (return_for_improvement).roles: role 'business_support' is not in roles",
    ),
    "a rule on a field that does not exist": (
        'when = "attendance_percentage"',
        'when = "attendance"',
        "sections.attendance.rules[0]: no field called 'attendance'",
    ),
    "a min_rows rule on a choice that does not exist": (
        'where = { kind = "academic" }',
        'where = { kind = "maths" }',
        "sections.targets.rules[1].where: 'maths' is not a choice of 'kind'",
    ),
    "a funding grade not on the QA scale": (
        'minimum_grade = "adequate"',
        'minimum_grade = "satisfactory"',
        "funding.minimum_grade: 'satisfactory' is not a grade in qa.scale",
    ),
    "a return for improvement with no comment asked for": (
        "needs_comment = true\nreturns_for_improvement = true",
        "returns_for_improvement = true",
        "workflow.transitions[3]: a return for improvement needs a comment (needs_comment = true)",
    ),
    "a misspelt guard": (
        '{ kind = "meeting_date_recorded" }',
        '{ kind = "meeting_date_recoded" }',
        "workflow.transitions[0].guards[0].kind: Input should be",
    ),
    "a next-meeting field that is not a date": (
        'next_meeting_field = "meeting_record.next_pep_date"',
        'next_meeting_field = "meeting_record.child_attended"',
        "workflow.transitions[4] (sign_off).effects: next_meeting_field 'meeting_record.child_attended' "
        "is not a date field",
    ),
}


@pytest.mark.parametrize(("old", "new", "expected"), CASES.values(), ids=CASES.keys())
def test_bad_configuration_is_refused_precisely(tmp_path: Path, old: str, new: str, expected: str) -> None:
    problems = problems_after(tmp_path, old, new)
    assert any(p.startswith(expected) for p in problems), problems


LANCASHIRE_TEXT = (
    Path(__file__).parent.parent.parent / "config" / "authorities" / "lancashire.toml"
).read_text()


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'carried_over_from = { field = "smart_targets.targets"',
            'carried_over_from = { field = "smart_targets.aims"',
            "sections.review_of_previous_targets.previous_targets.carried_over_from: "
            "'smart_targets.aims' is not a rows field",
        ),
        (
            'kind = "within_pp_plus"\nfield = "targets"\ncolumn = "cost"',
            'kind = "within_pp_plus"\nfield = "targets"\ncolumn = "by_whom"',
            "sections.smart_targets.rules[",
        ),
    ],
    ids=["carry-over from a field that is not rows", "a PP+ limit on a column that is not money"],
)
def test_carry_over_and_funding_rules_are_checked(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in LANCASHIRE_TEXT
    path = tmp_path / "lancashire.toml"
    path.write_text(LANCASHIRE_TEXT.replace(old, new, 1))
    with pytest.raises(AuthorityConfigError) as raised:
        load_file(path)
    problems = [p.removeprefix(f"{path}: ") for p in raised.value.problems]
    assert any(p.startswith(expected) for p in problems), problems
