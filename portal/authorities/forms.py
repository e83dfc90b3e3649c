"""The PEP form as configuration: sections, their fields, and rules such as minimum targets.

Rules that sources state in words ("at least 3 SMART targets: 2 academic and 1 emotional
wellbeing", "attendance below 95% must be explained") are data here, so each authority sets its
own numbers and a new rule needs no code.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from portal.authorities.vocabulary import Key, Label, Role, Strict, Text


class FieldType(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    DATE = "date"
    YES_NO = "yes_no"
    CHOICE = "choice"
    PERCENTAGE = "percentage"
    NUMBER = "number"
    MONEY = "money"
    #: Repeating rows, each with the fields in ``columns`` (targets, attendees, actions).
    ROWS = "rows"


class Choice(Strict):
    value: Key
    label: Label


class CarryOver(Strict):
    """Rows that start as a copy of rows of the child's previous PEP (e.g. last term's targets,
    to be reviewed): ``columns`` maps this field's columns to the previous field's."""

    field: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")]
    columns: dict[Key, Key] = Field(min_length=1)


class FieldConfig(Strict):
    key: Key
    label: Label
    type: FieldType
    required: bool = False
    hint: Text = ""
    choices: list[Choice] = Field(default_factory=list)
    max_length: Annotated[int, Field(ge=1, le=20000)] | None = None
    #: For ``rows``: the fields of each row (themselves never ``rows``).
    columns: list[FieldConfig] = Field(default_factory=list)
    #: For ``date``: refuse dates before today when saving (e.g. the next PEP meeting's date).
    future_only: bool = False
    #: For ``rows``: start from rows of the child's previous PEP.
    carried_over_from: CarryOver | None = None

    @model_validator(mode="after")
    def _shape_fits_type(self) -> Self:
        if self.type is FieldType.CHOICE and len(self.choices) < 2:
            raise ValueError("a choice field needs at least two choices")
        if self.type is not FieldType.CHOICE and self.choices:
            raise ValueError("only a choice field has choices")
        if self.type is FieldType.ROWS:
            if not self.columns:
                raise ValueError("a rows field needs columns")
            if any(c.type is FieldType.ROWS for c in self.columns):
                raise ValueError("rows cannot contain rows")
            if len({c.key for c in self.columns}) != len(self.columns):
                raise ValueError("each column key may appear only once")
        elif self.columns or self.carried_over_from:
            raise ValueError("only a rows field has columns or carried_over_from")
        if self.carried_over_from:
            keys = {c.key for c in self.columns}
            unknown = sorted(set(self.carried_over_from.columns) - keys)
            if unknown:
                raise ValueError(f"carried_over_from.columns: no column called {unknown[0]!r}")
        return self


class RequiredWhen(Strict):
    """``field`` becomes mandatory when ``when`` is below a number or equals a value."""

    kind: Literal["required_when"]
    field: Key
    when: Key
    below: float | None = None
    equals: str | bool | None = None
    message: Label

    @model_validator(mode="after")
    def _one_condition(self) -> Self:
        if (self.below is None) == (self.equals is None):
            raise ValueError("give exactly one of below or equals")
        return self


class MinRows(Strict):
    """At least ``min`` rows in a rows field, optionally counting only rows matching ``where``."""

    kind: Literal["min_rows"]
    field: Key
    min: Annotated[int, Field(ge=1, le=100)]
    where: dict[Key, str] = Field(default_factory=dict)
    message: Label


class WithinPupilPremium(Strict):
    """Money requested (a money field, or the total of a money column of rows) must not exceed
    the authority's PP+ amount per term (funding.pp_plus_per_term). ``{amount}`` in the message
    is replaced by that amount."""

    kind: Literal["within_pp_plus"]
    field: Key
    column: Key | None = None
    message: Label


SectionRule = Annotated[RequiredWhen | MinRows | WithinPupilPremium, Field(discriminator="kind")]


class SectionConfig(Strict):
    """A section of the PEP form, who completes it, and what it asks."""

    title: Label
    #: Who completes the section, unless ``owners`` says otherwise for a step.
    owner: Role
    #: Step key -> role, where ownership passes to someone else in that step (e.g. after the meeting).
    owners: dict[Key, Role] = Field(default_factory=dict)
    description: Text = ""
    #: Who may read the section besides whoever may edit it; unset means everyone who may see
    #: the PEP. A setting sees a section it may not read as absent, not as read-only.
    readers: list[Role] | None = None
    #: Page number on the authority's paper or online form, where the source numbers pages.
    page: int | None = None
    fields: list[FieldConfig] = Field(default_factory=list)
    rules: list[SectionRule] = Field(default_factory=list)

    def field(self, key: str) -> FieldConfig | None:
        return next((f for f in self.fields if f.key == key), None)

    def readable_by(self, roles: set[Role]) -> bool:
        return self.readers is None or bool(roles & set(self.readers)) or self.owner in roles

    def owner_in(self, step: str) -> Role:
        return self.owners.get(step, self.owner)

    @property
    def mandatory_fields(self) -> list[FieldConfig]:
        return [f for f in self.fields if f.required]

    @model_validator(mode="after")
    def _fields_and_rules_agree(self) -> Self:
        keys = [f.key for f in self.fields]
        if len(keys) != len(set(keys)):
            raise ValueError("each field key may appear only once in a section")
        for index, rule in enumerate(self.rules):
            target = self.field(rule.field)
            if target is None:
                raise ValueError(f"rules[{index}]: no field called {rule.field!r}")
            if isinstance(rule, WithinPupilPremium):
                money = (
                    target
                    if rule.column is None
                    else next((c for c in target.columns if c.key == rule.column), None)
                )
                if money is None or money.type is not FieldType.MONEY:
                    raise ValueError(f"rules[{index}]: within_pp_plus needs a money field or money column")
            elif isinstance(rule, MinRows):
                if target.type is not FieldType.ROWS:
                    raise ValueError(f"rules[{index}]: {rule.field!r} is not a rows field")
                columns = {c.key: c for c in target.columns}
                for column, value in rule.where.items():
                    if column not in columns:
                        raise ValueError(f"rules[{index}].where: no column called {column!r}")
                    allowed = {c.value for c in columns[column].choices}
                    if allowed and value not in allowed:
                        raise ValueError(f"rules[{index}].where: {value!r} is not a choice of {column!r}")
            elif self.field(rule.when) is None:
                raise ValueError(f"rules[{index}]: no field called {rule.when!r}")
        return self
