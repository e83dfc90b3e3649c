"""The words every authority's configuration is written in: roles, terms, phases, PEP kinds."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

KEY_PATTERN = r"^[a-z][a-z0-9_]*$"
Key = Annotated[str, Field(pattern=KEY_PATTERN, max_length=60)]
Label = Annotated[str, Field(min_length=1, max_length=120)]
Text = Annotated[str, Field(max_length=1000)]


class Strict(BaseModel):
    """Unknown keys are mistakes: refuse them rather than ignore them."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Role(StrEnum):
    """The roles the portal knows. Authorities choose which they use and what they call them."""

    DESIGNATED_TEACHER = "designated_teacher"
    SETTING_STAFF = "setting_staff"
    SOCIAL_WORKER = "social_worker"
    BUSINESS_SUPPORT = "business_support"
    VIRTUAL_SCHOOL = "virtual_school"
    AUTHORITY_ADMIN = "authority_admin"
    #: Gives the education input for a child with no setting (source 000: the Health Visitor for
    #: pre-school children, the Leaving Care Worker at 16, the Personal Adviser at 18).
    EDUCATION_CONTACT = "education_contact"

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
    Role.EDUCATION_CONTACT: "Education contact",
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
    """Education phases a PEP template can be written for (the five templates of source 002)."""

    EARLY_YEARS = "early_years"
    PRIMARY = "primary"
    SECONDARY = "secondary"
    POST_16 = "post_16"
    SPECIALIST = "specialist"


class PepKind(StrEnum):
    INITIAL = "initial"
    TERMLY_REVIEW = "termly_review"
    TRANSITION = "transition"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    PepKind.INITIAL: "Initial PEP",
    PepKind.TERMLY_REVIEW: "Termly review",
    PepKind.TRANSITION: "Transition PEP",
}
