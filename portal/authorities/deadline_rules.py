"""Deadlines as rules: an amount of working days, school days, school weeks or calendar days,
before or after an event in the PEP's life."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import Field, model_validator

from portal.authorities.process import Offset
from portal.authorities.vocabulary import Key, Label, PepKind, Role, Strict, Text


class Event(StrEnum):
    BECAME_LOOKED_AFTER = "became_looked_after"
    MEETING = "meeting"
    TERM_START = "term_start"
    TERM_END = "term_end"
    #: The authority's submission date for the PEP's term (calendar.submission_dates).
    SUBMISSION_DATE = "submission_date"
    #: The PEP first entered ``step``.
    STEP_ENTERED = "step_entered"

    @property
    def phrase(self) -> str:
        return _EVENT_PHRASES[self]


_EVENT_PHRASES = {
    Event.BECAME_LOOKED_AFTER: "the child became looked after",
    Event.MEETING: "the PEP meeting",
    Event.TERM_START: "the start of term",
    Event.TERM_END: "the end of term",
    Event.SUBMISSION_DATE: "the term's submission date",
    Event.STEP_ENTERED: "the PEP reached",
}


class DeadlineRule(Strict):
    key: Key
    label: Label
    event: Event
    #: For ``step_entered``: which step.
    step: Key | None = None
    offset: Offset
    #: Which kinds of PEP the deadline applies to.
    kinds: list[PepKind] = Field(default_factory=lambda: list(PepKind), min_length=1)
    #: True: only emergency placements; False: only planned ones; unset: both.
    emergency: bool | None = None
    #: The deadline is met when the PEP first reaches this step (or a final step).
    met_at_step: Key
    #: Who must act by then.
    responsible: Role
    #: Send a reminder this long before the due date (the reminder service reads it).
    remind: Offset | None = None
    #: When the deadline passes unmet, tell the responsible people once (the reminder service).
    overdue_notice: bool = True
    #: Others told at the same time as the overdue notice, e.g. the Virtual School.
    overdue_copy_to: list[Role] = Field(default_factory=list)
    note: Text = ""

    def describe(self, step_label: str = "") -> str:
        event = self.event.phrase
        if self.event is Event.STEP_ENTERED:
            event = f"{event} ‘{step_label or self.step}’"
        return f"{self.offset.describe()} {event}"

    @model_validator(mode="after")
    def _params_fit(self) -> Self:
        if (self.event is Event.STEP_ENTERED) != (self.step is not None):
            raise ValueError("step is given exactly when the event is step_entered")
        if self.event is Event.BECAME_LOOKED_AFTER and set(self.kinds) != {PepKind.INITIAL}:
            raise ValueError('becoming looked after only starts initial PEPs: set kinds = ["initial"]')
        if self.remind is not None and self.remind.direction != "before":
            raise ValueError("remind is a time before the due date: direction must be before")
        if len(self.overdue_copy_to) != len(set(self.overdue_copy_to)):
            raise ValueError("overdue_copy_to: each role may appear only once")
        return self
