""" "My targets": the short, plainly worded copy of the PEP that the child keeps.

On finalisation the social worker makes sure the child gets a copy of their plan. Most of a PEP is
written for adults; what a child needs is what they will work on this term, how they did on last
term's targets, and who to talk to. Nothing else about them is printed: no surname, date of birth,
attendance, health or care details.

Which rows are "the targets" is not a key in code (each authority names its sections itself): it is
the rows field that another field carries over into the next PEP's review (``carried_over_from``,
as in ``carried_over_from = { field = "smart_targets.targets", ... }``). The columns it carries are
the target's text; the others are recognised by type and wording (a date is "by when", "by whom"
is who will help) and anything not recognised, such as a cost, is left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from portal.authorities.answers import is_blank
from portal.authorities.forms import FieldConfig, FieldType
from portal.authorities.schema import AuthorityConfig
from portal.authorities.vocabulary import Role, Term
from portal.extensions import db
from portal.models import Membership, Pep, User
from portal.section_forms import display_answer
from portal.services import pdf_output, pep_page

#: A child's own words for what each kind of column says about a target.
WHAT, HOW_CHECKED, WHAT_HELPS, WHO, WHEN, KIND = (
    "What you will work on",
    "How we will know how it is going",
    "What will help you",
    "Who will help you",
    "By when",
    "Kind of target",
)


@dataclass(frozen=True)
class ChildTarget:
    what: str
    #: (plain-words label, text) in a fixed order: how checked, what helps, who, when.
    details: list[tuple[str, str]]
    kind: str = ""


@dataclass(frozen=True)
class ReviewedTarget:
    what: str
    outcome: str


@dataclass(frozen=True)
class ChildSummary:
    title: str
    heading: str
    first_name: str
    authority: str
    targets: list[ChildTarget]
    reviewed: list[ReviewedTarget]
    #: Sentences naming who to talk to ("Your designated teacher at Ribble High is Ms Ash.").
    contacts: list[str] = field(default_factory=list)


# --- Which fields are the targets -------------------------------------------------------------


@dataclass(frozen=True)
class TargetField:
    section: str
    field: FieldConfig
    #: Columns holding the target's own words (the ones carried over to the next review).
    text_columns: list[str]


@dataclass(frozen=True)
class ReviewField:
    section: str
    field: FieldConfig
    text_columns: list[str]


def target_fields(config: AuthorityConfig, phase: str) -> tuple[list[TargetField], list[ReviewField]]:
    """The targets (sources of a carry-over) and last term's review (its destinations), in the
    phase template's order."""
    in_phase = config.sections_for(phase)
    sources: dict[tuple[str, str], list[str]] = {}
    reviews: list[ReviewField] = []
    for key in in_phase:
        for candidate in config.sections[key].fields:
            carry = candidate.carried_over_from
            if carry is None:
                continue
            section, field_key = carry.field.split(".", 1)
            sources.setdefault((section, field_key), [])
            sources[(section, field_key)] += [
                c for c in carry.columns.values() if c not in sources[(section, field_key)]
            ]
            reviews.append(ReviewField(key, candidate, list(carry.columns)))
    targets = [
        TargetField(key, found, sources[(key, found.key)])
        for key in in_phase
        for found in config.sections[key].fields
        if (key, found.key) in sources and found.type is FieldType.ROWS
    ]
    return targets, reviews


def _words(column: FieldConfig) -> str:
    return f"{column.key} {column.label}".lower().replace("_", " ")


def column_role(column: FieldConfig) -> str | None:
    """What a non-text column tells the child, or None to leave it out (costs, unknown columns)."""
    words = _words(column)
    if column.type is FieldType.MONEY:
        return None
    if column.type is FieldType.DATE:
        return WHEN
    if column.type is FieldType.CHOICE:
        return KIND
    if "whom" in words or words.split(" ")[0] == "who" or " who " in f" {words} ":
        return WHO
    if any(w in words for w in ("measur", "monitor", "track", "progress")):
        return HOW_CHECKED
    if any(w in words for w in ("resource", "action", "support", "help", "strateg")):
        return WHAT_HELPS
    return None


ORDER = [HOW_CHECKED, WHAT_HELPS, WHO, WHEN]


def _target(found: TargetField, row: dict[str, Any]) -> ChildTarget | None:
    columns = {c.key: c for c in found.field.columns}
    what = "\n".join(
        str(row[key]).strip() for key in found.text_columns if key in columns and not is_blank(row.get(key))
    )
    if not what:
        return None
    details: dict[str, str] = {}
    kind = ""
    for column in found.field.columns:
        value = row.get(column.key)
        if column.key in found.text_columns or is_blank(value):
            continue
        role = column_role(column)
        if role == KIND:
            kind = kind or display_answer(column, value)
        elif role is not None and role not in details:
            details[role] = display_answer(column, value)
    return ChildTarget(what=what, details=[(r, details[r]) for r in ORDER if r in details], kind=kind)


def _reviewed(found: ReviewField, row: dict[str, Any]) -> ReviewedTarget | None:
    what = " ".join(str(row[k]).strip() for k in found.text_columns if not is_blank(row.get(k)))
    outcome_column = next((c for c in found.field.columns if c.type is FieldType.CHOICE), None)
    if not what or outcome_column is None or is_blank(row.get(outcome_column.key)):
        return None
    return ReviewedTarget(what=what, outcome=display_answer(outcome_column, row[outcome_column.key]))


# --- Building and printing ---------------------------------------------------------------------


def term_words(pep: Pep) -> str:
    """ "Autumn 2026": the calendar year the term falls in, as a child says it."""
    year = pep.academic_year if pep.term is Term.AUTUMN else pep.academic_year + 1
    return f"{pep.term.value.capitalize()} {year}"


def designated_teachers(pep: Pep) -> list[str]:
    if pep.setting_id is None:
        return []
    return list(
        db.session.scalars(
            select(User.full_name)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.setting_id == pep.setting_id,
                Membership.role == Role.DESIGNATED_TEACHER,
                User.is_enabled.is_(True),
            )
            .order_by(User.full_name)
        )
    )


def _contacts(pep: Pep) -> list[str]:
    contacts = []
    teachers = designated_teachers(pep)
    if pep.setting is not None:
        if teachers:
            contacts.append(f"Your designated teacher at {pep.setting.name}: {' or '.join(teachers)}.")
        else:
            contacts.append(f"The designated teacher at {pep.setting.name}.")
    if pep.child.social_worker is not None:
        contacts.append(f"Your social worker: {pep.child.social_worker.full_name}.")
    contacts.append("Your carer, or any adult you trust.")
    return contacts


def build(user: User, pep: Pep, today: dt.date) -> ChildSummary:
    """The child's summary, from the sections ``user`` may read (as the PEP page shows them)."""
    page = pep_page.load(user, pep, today)
    answers = {view.key: view.entry.answers for view in page.sections if view.entry is not None}
    found_targets, found_reviews = target_fields(page.config, pep.phase)
    targets = [
        target
        for found in found_targets
        for row in answers.get(found.section, {}).get(found.field.key) or []
        if isinstance(row, dict) and (target := _target(found, row)) is not None
    ]
    reviewed = [
        done
        for found in found_reviews
        for row in answers.get(found.section, {}).get(found.field.key) or []
        if isinstance(row, dict) and (done := _reviewed(found, row)) is not None
    ]
    term = term_words(pep)
    return ChildSummary(
        title=f"My targets: {term}",
        heading=f"Your PEP for {term}",
        first_name=pep.child.first_name,
        authority=page.config.authority.name,
        targets=targets,
        reviewed=reviewed,
        contacts=_contacts(pep),
    )


def render(summary: ChildSummary) -> bytes:
    return pdf_output.render("my_targets.html", summary=summary)
