"""Pupil Premium Plus funding rules and the Virtual School's quality assurance."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, model_validator

from portal.authorities.vocabulary import Key, Label, Strict, Text

Money = Annotated[Decimal, Field(ge=0, le=100000, decimal_places=2)]


class TuitionArranger(StrEnum):
    SETTING = "setting"
    VIRTUAL_SCHOOL = "virtual_school"


class Funding(Strict):
    #: The PP+ a setting may request per child per term, against the PEP's targets.
    pp_plus_per_term: Money
    #: Requests are costed against individual targets.
    per_target_costing: bool = True
    #: Funding is paid only when the QA grade is this good or better (a key of qa.scale).
    minimum_grade: Key | None = None
    #: Who may arrange additional 1:1 tuition (source 004: the school or the Virtual School).
    tuition_arranged_by: list[TuitionArranger] = Field(default_factory=lambda: [TuitionArranger.SETTING])
    note: Text = ""


class Grade(Strict):
    key: Key
    label: Label
    #: A grade that sends the PEP back for improvement.
    returns: bool = False


class Criterion(Strict):
    key: Key
    label: Label
    description: Text = ""


class SamplingMode(StrEnum):
    ALL = "all"
    SAMPLE = "sample"


class Sampling(Strict):
    mode: SamplingMode
    #: For a sample: at least this many PEPs per setting per term.
    per_setting_per_term: Annotated[int, Field(ge=1, le=50)] | None = None

    @model_validator(mode="after")
    def _sample_size(self) -> Self:
        if (self.mode is SamplingMode.SAMPLE) != (self.per_setting_per_term is not None):
            raise ValueError("per_setting_per_term is given exactly when mode is sample")
        return self


class QualityAssurance(Strict):
    #: Grades from best to worst.
    scale: list[Grade] = Field(min_length=2)
    criteria: list[Criterion] = Field(min_length=1)
    #: Each criterion is graded on the scale too (RAG per criterion with an overall grade).
    grade_each_criterion: bool = False
    sampling: Sampling

    def grade(self, key: str) -> Grade | None:
        return next((g for g in self.scale if g.key == key), None)

    def at_least(self, grade: str, minimum: str) -> bool:
        """``grade`` is as good as ``minimum`` or better (the scale runs best first)."""
        order = [g.key for g in self.scale]
        return order.index(grade) <= order.index(minimum)

    @model_validator(mode="after")
    def _unique(self) -> Self:
        for name, keys in (
            ("scale", [g.key for g in self.scale]),
            ("criteria", [c.key for c in self.criteria]),
        ):
            if len(keys) != len(set(keys)):
                raise ValueError(f"{name}: each key may appear only once")
        return self
