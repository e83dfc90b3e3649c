"""The one schema every authority's process configuration is validated against.

An authority's process is data, not code: each file in ``config/authorities/`` (and, later, each
version an administrator publishes) must validate against :class:`AuthorityConfig`. Every model
forbids unknown keys, so a misspelt key is reported instead of silently ignored. Cross-references
(a phase naming a section, a step naming a role) are checked here too, so the workflow engine can
trust what it reads.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

KEY_PATTERN = r"^[a-z][a-z0-9_]*$"
Key = Annotated[str, Field(pattern=KEY_PATTERN, max_length=60)]
Label = Annotated[str, Field(min_length=1, max_length=120)]


class Role(StrEnum):
    """The roles the portal knows. Authorities choose which they use and what they call them."""

    DESIGNATED_TEACHER = "designated_teacher"
    SETTING_STAFF = "setting_staff"
    SOCIAL_WORKER = "social_worker"
    BUSINESS_SUPPORT = "business_support"
    VIRTUAL_SCHOOL = "virtual_school"
    AUTHORITY_ADMIN = "authority_admin"

    @property
    def label(self) -> str:
        """The generic name, used where no authority's own name for the role applies."""
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    Role.DESIGNATED_TEACHER: "Designated teacher",
    Role.SETTING_STAFF: "Setting staff",
    Role.SOCIAL_WORKER: "Social worker",
    Role.BUSINESS_SUPPORT: "Business support officer",
    Role.VIRTUAL_SCHOOL: "Virtual School",
    Role.AUTHORITY_ADMIN: "Authority administrator",
}


#: Roles held at an education setting rather than in an authority.
SETTING_ROLES = frozenset({Role.DESIGNATED_TEACHER, Role.SETTING_STAFF})
#: Roles every authority must have: without them no PEP can be run or overseen.
REQUIRED_ROLES = frozenset(
    {Role.DESIGNATED_TEACHER, Role.SOCIAL_WORKER, Role.VIRTUAL_SCHOOL, Role.AUTHORITY_ADMIN}
)


class Term(StrEnum):
    AUTUMN = "autumn"
    SPRING = "spring"
    SUMMER = "summer"


class Phase(StrEnum):
    """Education phases a PEP template can be written for (Bradford's five templates)."""

    EARLY_YEARS = "early_years"
    PRIMARY = "primary"
    SECONDARY = "secondary"
    POST_16 = "post_16"
    SPECIALIST = "specialist"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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
    description: Annotated[str, Field(max_length=500)] = ""


class DateRange(Strict):
    starts: dt.date
    ends: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.ends < self.starts:
            raise ValueError("ends must be on or after starts")
        return self


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
    """One academic year's term dates, as the authority publishes them."""

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


class Calendar(Strict):
    """Term dates and closures; bank holidays come from the ``holidays`` package, not from here."""

    bank_holidays: Annotated[str, Field(pattern=r"^england-and-wales$")] = "england-and-wales"
    academic_years: list[AcademicYear] = Field(min_length=1)
    extra_closures: list[dt.date] = Field(default_factory=list)

    @model_validator(mode="after")
    def _distinct_years(self) -> Self:
        years = [y.year for y in self.academic_years]
        if len(years) != len(set(years)):
            raise ValueError("each academic year may appear only once")
        return self


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


class SectionConfig(Strict):
    """A section of the PEP form and the role that completes it by default."""

    title: Label
    owner: Role
    description: Annotated[str, Field(max_length=1000)] = ""
    #: Page number on the authority's paper or online form, where the source numbers pages.
    page: int | None = None


class StepConfig(Strict):
    """A state a PEP can be in. Transitions between steps are configured by the workflow engine."""

    key: Key
    label: Label
    #: The roles whose turn it is while a PEP is in this step (drives "what is mine to do").
    actors: list[Role] = Field(min_length=1)
    #: A final step ends the PEP's active life; it stays readable as part of the living record.
    final: bool = False


class Workflow(Strict):
    steps: list[StepConfig] = Field(min_length=2)

    @model_validator(mode="after")
    def _steps_valid(self) -> Self:
        keys = [s.key for s in self.steps]
        if len(keys) != len(set(keys)):
            raise ValueError("each step key may appear only once")
        if not any(s.final for s in self.steps):
            raise ValueError("at least one step must be final")
        if self.steps[0].final:
            raise ValueError("the first step is where a PEP starts and cannot be final")
        return self


class AuthorityConfig(Strict):
    """An authority's whole process, as one validated document."""

    schema_version: Annotated[int, Field(ge=1, le=1)] = 1
    authority: AuthorityIdentity
    roles: dict[Role, RoleConfig]
    calendar: Calendar
    sections: dict[Key, SectionConfig] = Field(min_length=1)
    phases: dict[Phase, PhaseConfig] = Field(min_length=1)
    workflow: Workflow

    @model_validator(mode="after")
    def _cross_references(self) -> Self:
        missing = sorted(REQUIRED_ROLES - set(self.roles))
        if missing:
            raise ValueError(f"roles must include {', '.join(missing)}")
        for phase, phase_config in self.phases.items():
            for index, section in enumerate(phase_config.sections):
                if section not in self.sections:
                    raise ValueError(
                        f"phases.{phase}.sections[{index}]: no section called {section!r}"
                    )
        for key, section in self.sections.items():
            if section.owner not in self.roles:
                raise ValueError(f"sections.{key}.owner: role {section.owner!r} is not in roles")
        for index, step in enumerate(self.workflow.steps):
            for role in step.actors:
                if role not in self.roles:
                    raise ValueError(
                        f"workflow.steps[{index}].actors: role {role!r} is not in roles"
                    )
        return self

    # Convenience look-ups used by views and services.
    def role_label(self, role: Role | str) -> str:
        config = self.roles.get(Role(role))
        return config.label if config else Role(role).label

    def role_labels(self, roles: Iterable[Role | str]) -> str:
        return ", ".join(self.role_label(role) for role in roles)

    def step(self, key: str) -> StepConfig | None:
        return next((s for s in self.workflow.steps if s.key == key), None)

    def step_label(self, key: str) -> str:
        step = self.step(key)
        return step.label if step else key

    @property
    def initial_step(self) -> StepConfig:
        return self.workflow.steps[0]

    def academic_year(self, start_year: int) -> AcademicYear | None:
        return next((y for y in self.calendar.academic_years if y.start_year == start_year), None)


SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
