"""The engine's rules on a small sample authority: who may do what, guards, ownership, deadlines."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from portal.authorities import engine
from portal.authorities.engine import PepFacts
from portal.authorities.loader import load_file
from portal.authorities.vocabulary import PepKind, Role

SAMPLE = load_file(Path(__file__).parent.parent / "fixtures" / "sample-council.toml").config
D = dt.date

FACTS = PepFacts(
    kind=PepKind.INITIAL,
    state="initiated",
    phase="secondary",
    academic_year=2026,
    term="autumn",
    meeting_date=None,
    became_looked_after_on=D(2026, 10, 1),
    emergency_placement=False,
    has_setting=True,
    steps_entered={"initiated": D(2026, 10, 2)},
    today=D(2026, 10, 5),
)


def facts(**changes: object) -> PepFacts:
    return dataclasses.replace(FACTS, **changes)


def option_keys(options: list[engine.TransitionOption]) -> list[str]:
    return [o.transition.key for o in options]


def test_only_the_roles_a_transition_names_are_offered_it() -> None:
    assert option_keys(engine.transition_options(SAMPLE, FACTS, {Role.SOCIAL_WORKER})) == ["delegate"]
    assert engine.transition_options(SAMPLE, FACTS, {Role.DESIGNATED_TEACHER}) == []


def test_guards_say_what_is_missing() -> None:
    [delegate] = engine.transition_options(SAMPLE, facts(has_setting=False), {Role.SOCIAL_WORKER})
    assert delegate.missing == ["Record the date of the PEP meeting", "Record the child's education setting"]
    [ready] = engine.transition_options(SAMPLE, facts(meeting_date=D(2026, 11, 2)), {Role.SOCIAL_WORKER})
    assert ready.allowed


def test_recording_the_meeting_needs_it_held_and_the_setting_sections_complete() -> None:
    waiting = facts(state="with_setting", meeting_date=D(2026, 11, 2), today=D(2026, 11, 1))
    [record] = engine.transition_options(SAMPLE, waiting, {Role.SOCIAL_WORKER})
    assert record.missing == [
        "The PEP meeting has not taken place yet",
        "Complete ‘Attendance’",
        "Complete ‘SMART targets’",
    ]
    done = dataclasses.replace(
        waiting, today=D(2026, 11, 2), complete_sections=frozenset({"attendance", "targets"})
    )
    [record] = engine.transition_options(SAMPLE, done, {Role.SOCIAL_WORKER})
    assert record.allowed


def test_a_return_needs_a_grade_first() -> None:
    at_qa = facts(state="awaiting_qa")
    missing = {
        o.transition.key: o.missing for o in engine.transition_options(SAMPLE, at_qa, {Role.VIRTUAL_SCHOOL})
    }
    assert missing == {
        "return_for_improvement": ["Give the PEP a quality assurance grade"],
        "sign_off": ["Give the PEP a quality assurance grade"],
    }
    graded = facts(state="awaiting_qa", grade_in_current_step=SAMPLE.qa.scale[0].key)
    assert all(o.allowed for o in engine.transition_options(SAMPLE, graded, {Role.VIRTUAL_SCHOOL}))


def test_section_ownership_follows_the_step() -> None:
    with_setting = facts(state="with_setting")
    assert engine.editable_sections(SAMPLE, with_setting, {Role.DESIGNATED_TEACHER}) == [
        "attendance",
        "targets",
    ]
    # The step lets social workers edit too: their own section only.
    assert engine.editable_sections(SAMPLE, with_setting, {Role.SOCIAL_WORKER}) == ["meeting_record"]
    # After the meeting the targets pass to the social worker; the school can edit nothing.
    after = facts(state="after_meeting")
    assert engine.editable_sections(SAMPLE, after, {Role.SOCIAL_WORKER}) == ["targets", "meeting_record"]
    assert engine.editable_sections(SAMPLE, after, {Role.DESIGNATED_TEACHER}) == []
    assert engine.editable_sections(SAMPLE, facts(state="signed_off"), set(Role)) == []


def dues(**changes: object) -> dict[str, engine.Due]:
    return {d.rule.key: d for d in engine.deadlines(SAMPLE, facts(**changes))}


def test_deadlines_come_with_their_rule_and_date() -> None:
    initial = dues()
    assert initial["initial_meeting"].due_on == D(2026, 10, 29)
    assert initial["initial_meeting"].explanation == (
        "20 working days after the child became looked after (1 October 2026)"
    )
    assert initial["setting_completes"].due_on is None
    assert initial["setting_completes"].explanation.endswith("(not known yet)")
    # Termly-only rules do not apply to an initial PEP.
    assert "term_window" not in initial


def test_deadlines_follow_events_and_are_met_by_steps() -> None:
    later = dues(
        kind=PepKind.TERMLY_REVIEW,
        meeting_date=D(2026, 11, 20),
        steps_entered={"initiated": D(2026, 10, 2), "awaiting_qa": D(2026, 12, 1)},
    )
    assert "initial_meeting" not in later
    assert later["setting_completes"].due_on == D(2026, 12, 4)
    assert later["setting_completes"].met_on == D(2026, 12, 1)
    assert later["qa_within_a_week"].due_on == D(2026, 12, 8)
    assert not later["qa_within_a_week"].is_met
    assert later["term_window"].due_on == D(2026, 12, 7)
    assert later["term_window"].explanation == "on the term's submission date (7 December 2026)"


def test_a_grade_that_returns_leaves_qa_only_by_a_return() -> None:
    red = facts(state="awaiting_qa", grade_in_current_step="inadequate")
    options = {
        o.transition.key: o.missing for o in engine.transition_options(SAMPLE, red, {Role.VIRTUAL_SCHOOL})
    }
    assert options == {
        "return_for_improvement": [],
        "sign_off": ["A PEP graded ‘Inadequate’ must be returned for improvement"],
    }


LANCASHIRE = load_file(
    Path(__file__).parent.parent.parent / "config" / "authorities" / "lancashire.toml"
).config


def test_lancashire_approves_a_pep_outside_its_qa_sample_without_a_grade() -> None:
    at_qa = facts(state="quality_assurance", phase="secondary")
    approve = LANCASHIRE.workflow.transition("approve")
    assert engine.unmet_guards(LANCASHIRE, approve, at_qa) == [
        "Give the PEP a quality assurance grade: it is in this term's QA sample for its setting"
    ]
    assert engine.unmet_guards(LANCASHIRE, approve, dataclasses.replace(at_qa, in_qa_sample=False)) == []
    graded = dataclasses.replace(at_qa, grade_in_current_step="adequate")
    assert engine.unmet_guards(LANCASHIRE, approve, graded) == []
    assert engine.needs_grade(LANCASHIRE, "quality_assurance")
