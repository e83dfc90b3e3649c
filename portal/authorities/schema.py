"""The one schema every authority's process configuration is validated against.

An authority's process is data, not code: each file in ``config/authorities/`` (and, later, each
version an administrator publishes) must validate against :class:`AuthorityConfig`. Every model
forbids unknown keys, so a misspelt key is reported instead of silently ignored. References
between parts (a transition naming a step, a section owned by a role, a deadline counted from a
step) are checked here, so the workflow engine can trust what it reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property
from typing import Annotated, Self

from pydantic import Field, model_validator

from portal.authorities.calendar import WorkCalendar
from portal.authorities.calendar_config import AcademicYear, CalendarConfig
from portal.authorities.deadline_rules import DeadlineRule, Event
from portal.authorities.forms import CarryOver, FieldType, SectionConfig
from portal.authorities.oversight import Funding, QualityAssurance
from portal.authorities.process import EffectKind, GuardKind, StepConfig, Workflow
from portal.authorities.termly_cycle import TermlyCycle, WindowEnd
from portal.authorities.vocabulary import (
    REQUIRED_ROLES,
    SETTING_ROLES,
    Key,
    Label,
    PepKind,
    Phase,
    Role,
    Strict,
    Term,
    Text,
)

__all__ = ["SETTING_ROLES", "AuthorityConfig", "PepKind", "Phase", "Role", "Term"]

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class AuthorityIdentity(Strict):
    name: Label
    short_name: Label
    virtual_school_name: Label
    contact_email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    #: Which source documents (../shared/seeds) the process was taken from, for traceability.
    sources: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)
    #: True for an authority that exists to demonstrate a process, not a real council.
    example: bool = False


class RoleConfig(Strict):
    """What this authority calls a role, and what that person does in its process."""

    label: Label
    description: Text = ""


class PhaseConfig(Strict):
    """A phase template: which children it is for and which sections its form has, in order."""

    label: Label
    #: National Curriculum year groups this template covers (Reception is 0, nursery -1).
    year_groups: tuple[int, int] | None = None
    #: Setting types whose children use this template whatever their age (e.g. special schools).
    setting_types: list[Key] = Field(default_factory=list)
    sections: list[Key] = Field(min_length=1)

    @model_validator(mode="after")
    def _has_selector(self) -> Self:
        if self.year_groups is None and not self.setting_types:
            raise ValueError("a phase needs year_groups or setting_types to say who it is for")
        if self.year_groups and self.year_groups[0] > self.year_groups[1]:
            raise ValueError("year_groups must be [lowest, highest]")
        if len(self.sections) != len(set(self.sections)):
            raise ValueError("a section may appear only once in a phase")
        return self


class AuthorityConfig(Strict):
    """An authority's whole process, as one validated document."""

    schema_version: Annotated[int, Field(ge=1, le=1)] = 1
    authority: AuthorityIdentity
    roles: dict[Role, RoleConfig]
    calendar: CalendarConfig
    sections: dict[Key, SectionConfig] = Field(min_length=1)
    phases: dict[Phase, PhaseConfig] = Field(min_length=1)
    workflow: Workflow
    deadlines: list[DeadlineRule] = Field(default_factory=list)
    funding: Funding
    qa: QualityAssurance
    termly_cycle: TermlyCycle = Field(default_factory=TermlyCycle)

    # --- Look-ups used by the engine, services and templates -----------------------------------

    def role_label(self, role: Role | str) -> str:
        config = self.roles.get(Role(role))
        return config.label if config else Role(role).label

    def role_labels(self, roles: Iterable[Role | str]) -> str:
        return ", ".join(self.role_label(role) for role in roles)

    def step(self, key: str) -> StepConfig | None:
        return self.workflow.step(key)

    def step_label(self, key: str) -> str:
        step = self.step(key)
        return step.label if step else key

    @property
    def initial_step(self) -> StepConfig:
        return self.workflow.steps[0]

    def academic_year(self, start_year: int) -> AcademicYear | None:
        return next((y for y in self.calendar.academic_years if y.start_year == start_year), None)

    @cached_property
    def work_calendar(self) -> WorkCalendar:
        """Working days, school days and terms of this authority (built once per version)."""
        return WorkCalendar(self.calendar)

    def sections_for(self, phase: Phase | str) -> list[str]:
        template = self.phases.get(Phase(phase))
        return list(template.sections) if template else []

    # --- Cross-references ------------------------------------------------------------------------

    @model_validator(mode="after")
    def _cross_references(self) -> Self:
        problems = [
            *self._role_problems(),
            *self._section_problems(),
            *self._transition_problems(),
            *self._deadline_problems(),
            *self._cycle_problems(),
        ]
        if self.funding.minimum_grade and not self.qa.grade(self.funding.minimum_grade):
            problems.append(
                f"funding.minimum_grade: {self.funding.minimum_grade!r} is not a grade in qa.scale"
            )
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def _unknown_role(self, role: Role) -> bool:
        return role not in self.roles

    def _role_problems(self) -> list[str]:
        problems = []
        missing = sorted(REQUIRED_ROLES - set(self.roles))
        if missing:
            problems.append(f"roles: must include {', '.join(missing)}")
        for index, step in enumerate(self.workflow.steps):
            for role in [*step.actors, *(step.editors or [])]:
                if self._unknown_role(role):
                    problems.append(f"workflow.steps[{index}] ({step.key}): role '{role}' is not in roles")
        return problems

    def _section_problems(self) -> list[str]:
        problems = []
        step_keys = {s.key for s in self.workflow.steps}
        used = set()
        for phase, template in self.phases.items():
            for index, section in enumerate(template.sections):
                used.add(section)
                if section not in self.sections:
                    problems.append(f"phases.{phase}.sections[{index}]: no section called {section!r}")
        for key, section in self.sections.items():
            where = f"sections.{key}"
            if key not in used:
                problems.append(f"{where}: is in no phase's sections")
            for role in [section.owner, *section.owners.values()]:
                if self._unknown_role(role):
                    problems.append(f"{where}: owner '{role}' is not in roles")
            for step in section.owners:
                if step not in step_keys:
                    problems.append(f"{where}.owners: no step called {step!r}")
            if not any(section.owner_in(s.key) in s.editing_roles for s in self.workflow.steps):
                problems.append(f"{where}: nobody can complete it: its owner edits in no step")
            for field in section.fields:
                if field.carried_over_from:
                    problems += self._carry_over_problems(f"{where}.{field.key}", field.carried_over_from)
        return problems

    def _carry_over_problems(self, where: str, carry: CarryOver) -> list[str]:
        section_key, field_key = carry.field.split(".")
        source = self.sections.get(section_key)
        rows = source.field(field_key) if source else None
        if rows is None or rows.type is not FieldType.ROWS:
            return [f"{where}.carried_over_from: {carry.field!r} is not a rows field"]
        columns = {c.key for c in rows.columns}
        return [
            f"{where}.carried_over_from.columns: {carry.field!r} has no column {source_column!r}"
            for source_column in carry.columns.values()
            if source_column not in columns
        ]

    def _transition_problems(self) -> list[str]:
        problems = []
        for index, transition in enumerate(self.workflow.transitions):
            where = f"workflow.transitions[{index}] ({transition.key})"
            for role in transition.roles:
                if self._unknown_role(role):
                    problems.append(f"{where}.roles: role '{role}' is not in roles")
            for guard in transition.guards:
                if guard.kind is GuardKind.SECTIONS_COMPLETE:
                    if guard.owner and self._unknown_role(guard.owner):
                        problems.append(f"{where}.guards: role '{guard.owner}' is not in roles")
                    problems += [
                        f"{where}.guards: no section called {s!r}"
                        for s in guard.sections
                        if s not in self.sections
                    ]
            for effect in transition.effects:
                problems += [
                    f"{where}.effects: role '{r}' is not in roles"
                    for r in effect.roles
                    if self._unknown_role(r)
                ]
                if effect.kind is EffectKind.START_NEXT_PEP and effect.next_meeting_field:
                    section_key, field_key = effect.next_meeting_field.split(".")
                    section = self.sections.get(section_key)
                    field = section.field(field_key) if section else None
                    if field is None or field.type is not FieldType.DATE:
                        problems.append(
                            f"{where}.effects: next_meeting_field "
                            f"{effect.next_meeting_field!r} is not a date field"
                        )
        return problems

    def _cycle_problems(self) -> list[str]:
        cycle = self.termly_cycle
        problems = [
            f"termly_cycle.notify: role '{role}' is not in roles"
            for role in cycle.notify
            if self._unknown_role(role)
        ]
        if cycle.window_ends is WindowEnd.SUBMISSION_DATE and not self.calendar.submission_dates:
            problems.append("termly_cycle.window_ends: calendar.submission_dates is not set")
        return problems

    def _deadline_problems(self) -> list[str]:
        problems = []
        reachable = self.workflow.reachable_steps()
        keys = [d.key for d in self.deadlines]
        if len(keys) != len(set(keys)):
            problems.append("deadlines: each deadline key may appear only once")
        for index, rule in enumerate(self.deadlines):
            where = f"deadlines[{index}] ({rule.key})"
            if rule.met_at_step not in reachable:
                problems.append(f"{where}.met_at_step: no reachable step called {rule.met_at_step!r}")
            if rule.event is Event.STEP_ENTERED and rule.step not in reachable:
                problems.append(
                    f"{where}.step: the event never happens: no reachable step called {rule.step!r}"
                )
            if rule.event is Event.SUBMISSION_DATE and not self.calendar.submission_dates:
                problems.append(
                    f"{where}.event: the event never happens: calendar.submission_dates is not set"
                )
            if self._unknown_role(rule.responsible):
                problems.append(f"{where}.responsible: role '{rule.responsible}' is not in roles")
            problems += [
                f"{where}.overdue_copy_to: role '{role}' is not in roles"
                for role in rule.overdue_copy_to
                if self._unknown_role(role)
            ]
        return problems
