"""The one generic workflow engine: what an authority's configuration says about a PEP now.

Pure functions over :class:`PepFacts` (a snapshot the services layer reads from the database),
so every rule can be tested without a database and no authority needs code of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from portal.authorities.calendar import CalendarOutOfRangeError
from portal.authorities.deadline_rules import DeadlineRule, Event
from portal.authorities.process import GuardKind, TransitionConfig
from portal.authorities.schema import AuthorityConfig
from portal.authorities.vocabulary import PepKind, Phase, Role, Term


@dataclass(frozen=True)
class PepFacts:
    """What the engine needs to know about one PEP and its child."""

    kind: PepKind
    state: str
    phase: Phase
    academic_year: int
    term: Term
    meeting_date: dt.date | None
    became_looked_after_on: dt.date
    emergency_placement: bool
    has_setting: bool
    #: Sections whose mandatory questions are all answered and whose rules are met.
    complete_sections: frozenset[str] = frozenset()
    #: The latest QA grade given since the PEP entered its current step (a key of qa.scale).
    grade_in_current_step: str | None = None
    #: The PEP is in the Virtual School's QA sample (always, where it grades every PEP).
    in_qa_sample: bool = True
    #: The date each step was first entered.
    steps_entered: Mapping[str, dt.date] = field(default_factory=dict)
    today: dt.date = field(default_factory=dt.date.today)


#: Guards that make a step one of quality assurance.
QA_GUARDS = frozenset({GuardKind.QA_GRADE_GIVEN, GuardKind.QA_SAMPLE_GRADED})


# --- Sections -----------------------------------------------------------------------------------


def section_owner(config: AuthorityConfig, section: str, state: str) -> str:
    return config.sections[section].owner_in(state)


def editable_sections(config: AuthorityConfig, facts: PepFacts, roles: Collection[Role]) -> list[str]:
    """The sections of the PEP's template that people holding ``roles`` may edit in its step."""
    step = config.step(facts.state)
    if step is None:
        return []
    editing = step.editing_roles & set(roles)
    return [s for s in config.sections_for(facts.phase) if section_owner(config, s, facts.state) in editing]


def can_edit_section(config: AuthorityConfig, facts: PepFacts, section: str, roles: Collection[Role]) -> bool:
    return section in editable_sections(config, facts, roles)


# --- Transitions --------------------------------------------------------------------------------


def unmet_guards(config: AuthorityConfig, transition: TransitionConfig, facts: PepFacts) -> list[str]:
    """What is still missing before ``transition`` may be taken, in words a user can act on."""
    missing: list[str] = []
    for guard in transition.guards:
        match guard.kind:
            case GuardKind.SECTIONS_COMPLETE:
                sections = guard.sections or [
                    s
                    for s in config.sections_for(facts.phase)
                    if section_owner(config, s, facts.state) == guard.owner
                ]
                missing += [
                    f"Complete ‘{config.sections[s].title}’"
                    for s in sections
                    if s in config.sections_for(facts.phase) and s not in facts.complete_sections
                ]
            case GuardKind.MEETING_DATE_RECORDED:
                if facts.meeting_date is None:
                    missing.append("Record the date of the PEP meeting")
            case GuardKind.MEETING_HELD:
                if facts.meeting_date is None:
                    missing.append("Record the date of the PEP meeting")
                elif facts.meeting_date > facts.today:
                    missing.append("The PEP meeting has not taken place yet")
            case GuardKind.QA_GRADE_GIVEN:
                if facts.grade_in_current_step is None:
                    missing.append("Give the PEP a quality assurance grade")
            case GuardKind.QA_SAMPLE_GRADED:
                if facts.in_qa_sample and facts.grade_in_current_step is None:
                    missing.append(
                        "Give the PEP a quality assurance grade: it is in this term's QA sample "
                        "for its setting"
                    )
            case GuardKind.SETTING_RECORDED:
                if not facts.has_setting:
                    contact = Role.EDUCATION_CONTACT in config.roles
                    missing.append(
                        "Record the child's education setting"
                        + (
                            f", or their {config.role_label(Role.EDUCATION_CONTACT)} if they have none"
                            if contact
                            else ""
                        )
                    )
    missing += _grade_returns(config, transition, facts)
    return missing


def _grade_returns(config: AuthorityConfig, transition: TransitionConfig, facts: PepFacts) -> list[str]:
    """A PEP given a grade that returns (e.g. Red) leaves QA only by a return for improvement."""
    if transition.returns_for_improvement or facts.grade_in_current_step is None:
        return []
    if not any(g.kind in QA_GUARDS for g in transition.guards):
        return []
    grade = config.qa.grade(facts.grade_in_current_step)
    if grade is None or not grade.returns:
        return []
    return [f"A PEP graded ‘{grade.label}’ must be returned for improvement"]


def needs_grade(config: AuthorityConfig, state: str) -> bool:
    """Whether a way out of ``state`` needs a QA grade: the PEP is waiting for quality assurance."""
    return any(
        guard.kind in QA_GUARDS
        for transition in config.workflow.transitions_from(state)
        for guard in transition.guards
    )


@dataclass(frozen=True)
class TransitionOption:
    transition: TransitionConfig
    missing: list[str]

    @property
    def allowed(self) -> bool:
        return not self.missing


def transition_options(
    config: AuthorityConfig, facts: PepFacts, roles: Collection[Role]
) -> list[TransitionOption]:
    """The transitions people holding ``roles`` could take from the PEP's step, and what each lacks."""
    held = set(roles)
    return [
        TransitionOption(t, unmet_guards(config, t, facts))
        for t in config.workflow.transitions_from(facts.state)
        if held & set(t.roles)
    ]


# --- Deadlines ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    rule: DeadlineRule
    #: None while the event it counts from has not happened or has no date yet.
    due_on: dt.date | None
    #: How the date was found, e.g. "20 working days after the child became looked after (1 Sept 2026)".
    explanation: str
    met_on: dt.date | None

    @property
    def is_met(self) -> bool:
        return self.met_on is not None


def applies(rule: DeadlineRule, facts: PepFacts) -> bool:
    if facts.kind not in rule.kinds:
        return False
    return rule.emergency is None or rule.emergency == facts.emergency_placement


def event_date(config: AuthorityConfig, rule: DeadlineRule, facts: PepFacts) -> dt.date | None:
    calendar = config.work_calendar
    match rule.event:
        case Event.BECAME_LOOKED_AFTER:
            return facts.became_looked_after_on
        case Event.MEETING:
            return facts.meeting_date
        case Event.TERM_START | Event.TERM_END:
            term = calendar.term_of(facts.academic_year, facts.term)
            if term is None:
                return None
            return term.starts if rule.event is Event.TERM_START else term.ends
        case Event.SUBMISSION_DATE:
            return calendar.submission_date(facts.academic_year, facts.term)
        case Event.STEP_ENTERED:
            return facts.steps_entered.get(rule.step or "")
    return None


def _met_on(config: AuthorityConfig, rule: DeadlineRule, facts: PepFacts) -> dt.date | None:
    finals = [s.key for s in config.workflow.steps if s.final]
    reached = [facts.steps_entered[s] for s in [rule.met_at_step, *finals] if s in facts.steps_entered]
    return min(reached) if reached else None


def deadlines(config: AuthorityConfig, facts: PepFacts) -> list[Due]:
    """Every deadline that applies to the PEP, with its date and the rule that produced it."""
    result = []
    for rule in config.deadlines:
        if not applies(rule, facts):
            continue
        start = event_date(config, rule, facts)
        rule_text = rule.describe(config.step_label(rule.step or ""))
        if start is None:
            due_on, explanation = None, f"{rule_text} (not known yet)"
        else:
            try:
                due_on = config.work_calendar.shift(start, rule.offset)
                explanation = f"{rule_text} ({start.day} {start:%B %Y})"
            except CalendarOutOfRangeError as error:
                due_on, explanation = None, f"{rule_text}: {error}"
        result.append(Due(rule, due_on, explanation, _met_on(config, rule, facts)))
    return result
