"""The deadlines a sample child would get under the current process and under the draft.

Administrators change counting rules, term dates and closures; this shows the effect on dates
before anything is published, computed by the same engine the live PEPs use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal.authorities import engine
from portal.authorities.schema import AuthorityConfig
from portal.authorities.vocabulary import PepKind, Phase


@dataclass(frozen=True)
class SampleChild:
    kind: PepKind
    emergency_placement: bool
    became_looked_after_on: dt.date
    meeting_date: dt.date | None
    academic_year: int
    term: str


@dataclass(frozen=True)
class DeadlineComparison:
    label: str
    current: str
    draft: str

    @property
    def changed(self) -> bool:
        return self.current != self.draft


def sample_child(config: AuthorityConfig, today: dt.date, **choices: object) -> SampleChild | None:
    """A sample child looked after from ``today``, in the term ``today`` belongs to; None when
    the authority has no term dates for today."""
    term = config.work_calendar.current_term(today)
    if term is None:
        return None
    defaults: dict[str, object] = {
        "kind": PepKind.INITIAL,
        "emergency_placement": False,
        "became_looked_after_on": today,
        "meeting_date": None,
    }
    defaults.update({k: v for k, v in choices.items() if v is not None})
    return SampleChild(academic_year=term.academic_year, term=term.term, **defaults)  # type: ignore[arg-type]


def _facts(config: AuthorityConfig, child: SampleChild) -> engine.PepFacts:
    return engine.PepFacts(
        kind=child.kind,
        state=config.initial_step.key,
        phase=next(iter(config.phases), Phase.PRIMARY),
        academic_year=child.academic_year,
        term=child.term,  # type: ignore[arg-type]
        meeting_date=child.meeting_date,
        became_looked_after_on=child.became_looked_after_on,
        emergency_placement=child.emergency_placement,
        has_setting=True,
        today=child.became_looked_after_on,
    )


def _shown(due: engine.Due | None) -> str:
    if due is None:
        return "Does not apply"
    if due.due_on is None:
        return due.explanation
    return f"{due.due_on.day} {due.due_on:%B %Y}: {due.explanation}"


def compare(current: AuthorityConfig, draft: AuthorityConfig, child: SampleChild) -> list[DeadlineComparison]:
    """One row per deadline rule of either version, matched by the rule's key."""
    before = {d.rule.key: d for d in engine.deadlines(current, _facts(current, child))}
    after = {d.rule.key: d for d in engine.deadlines(draft, _facts(draft, child))}
    keys = [*after, *(k for k in before if k not in after)]
    return [
        DeadlineComparison(
            label=(after.get(key) or before[key]).rule.label,
            current=_shown(before.get(key)),
            draft=_shown(after.get(key)),
        )
        for key in keys
    ]
