"""Drive a PEP through its authority's process the way its people would: fill in what each may
edit, hold the meeting, grade it, and take the transition that leads towards a final step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from portal.authorities import engine
from portal.authorities.forms import FieldConfig, FieldType, MinRows, SectionConfig
from portal.authorities.schema import AuthorityConfig
from portal.authorities.vocabulary import Role
from portal.extensions import db
from portal.models import Pep, User
from portal.services import qa, sections, workflow
from portal.services.pep_facts import config_of, facts_for, roles_for_pep


def valid_value(
    field: FieldConfig, min_rows: list[MinRows] | None = None, today: dt.date | None = None
) -> Any:
    match field.type:
        case FieldType.TEXT | FieldType.LONG_TEXT:
            return f"Sample answer for {field.label.lower()}"[: field.max_length or 200]
        case FieldType.DATE:
            if field.future_only and today is not None:
                return (today + dt.timedelta(days=21)).isoformat()
            return "2027-02-10"
        case FieldType.YES_NO:
            return True
        case FieldType.CHOICE:
            return field.choices[0].value
        case FieldType.PERCENTAGE:
            return 97
        case FieldType.NUMBER:
            return 3
        case FieldType.MONEY:
            return "120.00"
        case FieldType.ROWS:
            return [valid_row(field, overrides) for overrides in rows_needed(min_rows or [])]
    raise AssertionError(field.type)


def valid_row(field: FieldConfig, overrides: dict[str, str]) -> dict[str, Any]:
    return {c.key: overrides.get(c.key, valid_value(c)) for c in field.columns}


def rows_needed(rules: list[MinRows]) -> list[dict[str, str]]:
    """Enough rows to meet every min_rows rule on a field, e.g. 2 academic and 1 wellbeing."""
    needed: list[dict[str, str]] = []
    for rule in sorted(rules, key=lambda r: -len(r.where)):
        have = [r for r in needed if all(r.get(k) == v for k, v in rule.where.items())]
        needed += [dict(rule.where)] * (rule.min - len(have))
    return needed or [{}]


def valid_answers(section: SectionConfig, today: dt.date | None = None) -> dict[str, Any]:
    """Answers to every question of the section that meet all its rules."""
    return {
        field.key: valid_value(
            field, [r for r in section.rules if isinstance(r, MinRows) and r.field == field.key], today
        )
        for field in section.fields
    }


def distances_to_final(config: AuthorityConfig) -> dict[str, int]:
    distance = {s.key: 0 for s in config.workflow.steps if s.final}
    changed = True
    while changed:
        changed = False
        for transition in config.workflow.transitions:
            if transition.needs_comment or transition.to not in distance:
                continue
            for step in transition.from_steps:
                if distance.get(step, 10**6) > distance[transition.to] + 1:
                    distance[step] = distance[transition.to] + 1
                    changed = True
    return distance


def good_assessment(config: AuthorityConfig, outcome: str = "", grade: str = "") -> qa.Assessment:
    """Every criterion assessed at its best, with feedback; the best overall grade unless another
    is given."""
    best = next(iter(qa.criterion_choices(config)))
    return qa.Assessment(
        grade=grade or config.qa.scale[0].key,
        criteria={c.key: best for c in config.qa.criteria},
        feedback="Good plan",
        outcome=outcome,
    )


def walk_to_qa(pep: Pep, people: dict[Role, User], today: dt.date) -> list[str]:
    """Take the PEP as far as the Virtual School's quality assurance, ungraded."""
    config = config_of(pep)
    return walk_to_final(pep, people, today, until=lambda state: engine.needs_grade(config, state))


def walk_to_final(
    pep: Pep, people: dict[Role, User], today: dt.date, until: Callable[[str], bool] | None = None
) -> list[str]:
    """Take the PEP to a final step (or the first step ``until`` accepts); returns the transitions
    taken, in order."""
    config = config_of(pep)
    distance = distances_to_final(config)
    taken: list[str] = []
    for _ in range(3 * len(config.workflow.steps)):
        if config.step(pep.state).final or (until and until(pep.state)):  # type: ignore[union-attr]
            return taken
        fill_editable_sections(pep, people, today)
        if pep.meeting_date is None:
            pep.meeting_date = today - dt.timedelta(days=3)
            db.session.commit()
        # Time passes until the arranged meeting has happened.
        today = max(today, pep.meeting_date + dt.timedelta(days=3))
        needs_grade = engine.needs_grade(config, pep.state)
        if needs_grade and facts_for(pep, today).grade_in_current_step is None:
            qa.assess(people[Role.VIRTUAL_SCHOOL], pep, good_assessment(config), today)
        choices = [
            (distance.get(option.transition.to, 10**6), option.transition.key, user)
            for user in people.values()
            for option in workflow.options(user, pep, today)
            if option.allowed and not option.transition.needs_comment
        ]
        assert choices, f"stuck at {pep.state}: {blockers(pep, people, today)}"
        _, key, user = min(choices, key=lambda c: c[0])
        workflow.perform(user, pep, key, today=today)
        taken.append(key)
    raise AssertionError(f"no final step reached after {taken}")


def fill_editable_sections(pep: Pep, people: dict[Role, User], today: dt.date) -> None:
    config = config_of(pep)
    facts = facts_for(pep, today)
    for role, user in people.items():
        for key in engine.editable_sections(config, facts, roles_for_pep(user, pep) & {role}):
            if key not in facts.complete_sections:
                sections.save_section(
                    user,
                    pep,
                    key,
                    valid_answers(config.sections[key], today),
                    base_version=sections.current_version(pep, key),
                    completed=True,
                    today=today,
                )


def blockers(pep: Pep, people: dict[Role, User], today: dt.date) -> dict[str, list[str]]:
    return {
        f"{role}:{option.transition.key}": option.missing
        for role, user in people.items()
        for option in workflow.options(user, pep, today)
    }
