"""The PEP's steps and the transitions between them, with guards and follow-on effects."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, model_validator

from portal.authorities.vocabulary import Key, Label, Role, Strict, Text


class StepConfig(Strict):
    """A state a PEP can be in."""

    key: Key
    label: Label
    #: The roles whose turn it is in this step (drives "what is mine to do" on dashboards).
    actors: list[Role] = Field(min_length=1)
    #: Roles that may edit the sections they own in this step; defaults to ``actors``.
    editors: list[Role] | None = None
    #: A final step ends the PEP's active life; it stays readable as part of the living record.
    final: bool = False

    @property
    def editing_roles(self) -> frozenset[Role]:
        if self.final:
            return frozenset()
        return frozenset(self.actors if self.editors is None else self.editors)


class GuardKind(StrEnum):
    #: Every mandatory question is answered in the named sections, or in every section of the
    #: PEP's template owned (in the current step) by ``owner``.
    SECTIONS_COMPLETE = "sections_complete"
    MEETING_DATE_RECORDED = "meeting_date_recorded"
    #: The meeting date has been reached: a meeting cannot be recorded before it happens.
    MEETING_HELD = "meeting_held"
    #: The Virtual School has graded the PEP since it entered the current step.
    QA_GRADE_GIVEN = "qa_grade_given"
    #: The PEP is graded if it is in the Virtual School's QA sample (qa.sampling): with sampling,
    #: the PEPs outside the sample may move on without a grade.
    QA_SAMPLE_GRADED = "qa_sample_graded"
    #: The child has an education setting to delegate to.
    SETTING_RECORDED = "setting_recorded"


class Guard(Strict):
    kind: GuardKind
    owner: Role | None = None
    sections: list[Key] = Field(default_factory=list)

    @model_validator(mode="after")
    def _params_fit(self) -> Self:
        if self.kind is GuardKind.SECTIONS_COMPLETE:
            if (self.owner is None) == (not self.sections):
                raise ValueError("sections_complete needs exactly one of owner or sections")
        elif self.owner is not None or self.sections:
            raise ValueError(f"{self.kind} takes no owner or sections")
        return self


class Unit(StrEnum):
    WORKING_DAYS = "working_days"
    SCHOOL_DAYS = "school_days"
    SCHOOL_WEEKS = "school_weeks"
    CALENDAR_DAYS = "calendar_days"


class Direction(StrEnum):
    BEFORE = "before"
    AFTER = "after"


class Offset(Strict):
    amount: Annotated[int, Field(ge=0, le=400)]
    unit: Unit
    direction: Direction = Direction.AFTER

    def describe(self) -> str:
        if self.amount == 0:
            return "on"
        unit = self.unit.replace("_", " ")
        if self.amount == 1:
            unit = unit.removesuffix("s")
        return f"{self.amount} {unit} {self.direction}"


class EffectKind(StrEnum):
    #: E-mail the people holding ``roles`` for this PEP (written to the outbox in the same
    #: transaction as the change).
    NOTIFY = "notify"
    #: Give the child's setting access to the PEP: its designated teacher now sees it.
    DELEGATE_TO_SETTING = "delegate_to_setting"
    #: Create the next term's termly review PEP, at its first step.
    START_NEXT_PEP = "start_next_pep"
    #: Send the people holding ``roles`` (the attendees the process names) the finalised PEP: an
    #: e-mail with a link to sign in and download it, never the document itself.
    SEND_COPY = "send_copy"
    #: Remind the people holding ``roles`` (the social worker) that the child gets a copy, with a
    #: link to the summary of the child's targets written for them.
    REMIND_CHILD_COPY = "remind_child_copy"


#: Effects sent to people holding roles: each needs ``roles``.
EFFECTS_WITH_ROLES = frozenset({EffectKind.NOTIFY, EffectKind.SEND_COPY, EffectKind.REMIND_CHILD_COPY})


class Effect(Strict):
    kind: EffectKind
    roles: list[Role] = Field(default_factory=list)
    #: For ``notify``: what happened, named in the e-mail (e.g. "delegated", "returned").
    message: Key | None = None
    #: For ``start_next_pep``: a "section.field" date field holding the agreed next meeting date.
    next_meeting_field: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")] | None = None
    #: For ``start_next_pep``: a provisional meeting date, counted from the next term's start,
    #: used when no date was agreed (source 004: "generated automatically").
    provisional_meeting: Offset | None = None

    @model_validator(mode="after")
    def _params_fit(self) -> Self:
        if self.kind is EffectKind.NOTIFY and not (self.roles and self.message):
            raise ValueError("notify needs roles and a message")
        if self.kind in EFFECTS_WITH_ROLES and not self.roles:
            raise ValueError(f"{self.kind} needs roles")
        if self.kind not in EFFECTS_WITH_ROLES and self.roles:
            raise ValueError(f"{self.kind} takes no roles")
        if self.kind is not EffectKind.NOTIFY and self.message:
            raise ValueError(f"{self.kind} takes no message")
        if self.kind is not EffectKind.START_NEXT_PEP and (
            self.next_meeting_field or self.provisional_meeting
        ):
            raise ValueError("only start_next_pep takes next_meeting_field or provisional_meeting")
        return self


class TransitionConfig(Strict):
    """A move from one or more steps to another, taken by a person holding one of ``roles``."""

    key: Key
    #: The button's words, e.g. "SW: click when complete".
    label: Label
    from_steps: list[Key] = Field(alias="from", min_length=1)
    to: Key
    roles: list[Role] = Field(min_length=1)
    guards: list[Guard] = Field(default_factory=list)
    effects: list[Effect] = Field(default_factory=list)
    #: A written reason is required (returns for improvement).
    needs_comment: bool = False
    #: A return for improvement by quality assurance: the Virtual School names the outstanding
    #: sections, and the returned party sees its feedback until the PEP comes back. The only
    #: way out of QA for a PEP given a grade that returns (qa.scale).
    returns_for_improvement: bool = False
    description: Text = ""

    @model_validator(mode="after")
    def _return_explained(self) -> Self:
        if self.returns_for_improvement and not self.needs_comment:
            raise ValueError("a return for improvement needs a comment (needs_comment = true)")
        return self


class Workflow(Strict):
    steps: list[StepConfig] = Field(min_length=2)
    transitions: list[TransitionConfig] = Field(min_length=1)

    def step(self, key: str) -> StepConfig | None:
        return next((s for s in self.steps if s.key == key), None)

    def transition(self, key: str) -> TransitionConfig | None:
        return next((t for t in self.transitions if t.key == key), None)

    def transitions_from(self, step: str) -> list[TransitionConfig]:
        return [t for t in self.transitions if step in t.from_steps]

    def reachable_steps(self) -> set[str]:
        reached, frontier = {self.steps[0].key}, [self.steps[0].key]
        while frontier:
            for transition in self.transitions_from(frontier.pop()):
                if transition.to not in reached:
                    reached.add(transition.to)
                    frontier.append(transition.to)
        return reached

    @model_validator(mode="after")
    def _graph_is_sound(self) -> Self:
        keys = [s.key for s in self.steps]
        if len(keys) != len(set(keys)):
            raise ValueError("steps: each step key may appear only once")
        if self.steps[0].final:
            raise ValueError("steps[0]: the first step is where a PEP starts and cannot be final")
        if not any(s.final for s in self.steps):
            raise ValueError("steps: at least one step must be final")
        transition_keys = [t.key for t in self.transitions]
        if len(transition_keys) != len(set(transition_keys)):
            raise ValueError("transitions: each transition key may appear only once")
        known = set(keys)
        for index, transition in enumerate(self.transitions):
            for step in [*transition.from_steps, transition.to]:
                if step not in known:
                    raise ValueError(f"transitions[{index}] ({transition.key}): no step called {step!r}")
            for step in transition.from_steps:
                if self.step(step).final:  # type: ignore[union-attr]
                    raise ValueError(
                        f"transitions[{index}] ({transition.key}): cannot leave final step {step!r}"
                    )
        reachable = self.reachable_steps()
        for index, step in enumerate(self.steps):
            if step.key not in reachable:
                raise ValueError(f"steps[{index}]: step {step.key!r} cannot be reached from {keys[0]!r}")
            if not step.final and not self.transitions_from(step.key):
                raise ValueError(f"steps[{index}]: step {step.key!r} has no way out and is not final")
        return self
