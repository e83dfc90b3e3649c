"""What a printed PEP says, independent of the file format it is printed in.

The PDF and the Word document are two renderings of one content model, so they cannot disagree
about what a PEP holds: each section in the template's order, each question with its answer as a
person reads it, Pupil Premium Plus with its decisions, the sign-offs and the latest quality
assurance grade. A blank form is the same model built from the authority's configuration alone.

A PEP's document is built in a fixed number of queries whatever its size: the page's loader reads
the sections in one query, and the history, requests and grades each in one more.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from portal.authorities.forms import FieldConfig, FieldType
from portal.authorities.schema import AuthorityConfig
from portal.authorities.vocabulary import Phase
from portal.models import Pep, PepStateChange, PpPlusDecision, PpPlusRequest, QaReview, User
from portal.section_forms import display_answer
from portal.services import pep_facts, pep_page, pp_plus
from portal.templating import govuk_date, govuk_datetime

#: Every printed PEP carries the government protective marking for personal data of this kind.
MARKING = "OFFICIAL-SENSITIVE"
NOT_ANSWERED = "Not answered"
#: Empty rows a blank form gives each repeating group, for writing in by hand.
BLANK_ROWS = 3
DECISION_LABELS = {
    PpPlusDecision.APPROVED: "Approved",
    PpPlusDecision.REDUCED: "Reduced",
    PpPlusDecision.DECLINED: "Declined",
}


@dataclass(frozen=True)
class Table:
    """A repeating group (targets, attendees, actions) as a table: one row per entry.

    ``rows`` of empty strings are blank lines to write in on a blank form.
    """

    caption: str
    headers: list[str]
    rows: list[list[str]]
    #: What one row is called ("SMART target"), for renderers that print one row per block.
    row_noun: str

    @property
    def wide(self) -> bool:
        """Too many columns to read across an A4 page: print each row as its own block."""
        return len(self.headers) > 4


@dataclass(frozen=True)
class Question:
    label: str
    hint: str
    type: FieldType
    #: The answer as a person reads it; None on a blank form (a space to write in instead).
    value: str | None
    #: For a rows field: its rows as a table (on a blank form, empty rows).
    table: Table | None = None

    @property
    def long(self) -> bool:
        """Free text that needs room: a larger writing box on a blank form."""
        return self.type is FieldType.LONG_TEXT


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    description: str
    completed_by: str
    questions: list[Question]
    #: "Completed", "In progress", "Not started"; empty on a blank form.
    status: str = ""


@dataclass(frozen=True)
class PpPlusLine:
    description: str
    section: str
    requested: str
    decision: str
    approved: str
    decided: str
    note: str


@dataclass(frozen=True)
class PpPlusPart:
    lines: list[PpPlusLine]
    requested: str
    approved: str
    per_term: str
    payment: str


@dataclass(frozen=True)
class HistoryLine:
    when: str
    what: str
    step: str
    who: str
    comment: str


@dataclass(frozen=True)
class QaPart:
    grade: str
    date: str
    reviewer: str
    feedback: str


@dataclass(frozen=True)
class Document:
    """One printable PEP, or a blank form when ``blank`` is true."""

    #: The document's title (PDF metadata, Word core properties): no child's name, so a file
    #: list or a screen reader's window title does not disclose it.
    title: str
    heading: str
    authority: str
    virtual_school: str
    #: Label -> value pairs printed under the heading (child, date of birth, term, template...).
    facts: list[tuple[str, str]]
    sections: list[Section]
    blank: bool = False
    pp_plus: PpPlusPart | None = None
    history: list[HistoryLine] = field(default_factory=list)
    qa: QaPart | None = None
    marking: str = MARKING


# --- Answers as read ---------------------------------------------------------------------------


def _rows_table(config: FieldConfig, value: Any) -> Table:
    rows = value if isinstance(value, list) else []
    return Table(
        caption=f"{config.label} ({len(rows)} {'row' if len(rows) == 1 else 'rows'})",
        headers=[c.label for c in config.columns],
        rows=[
            [
                display_answer(c, row.get(c.key)) if isinstance(row, dict) else NOT_ANSWERED
                for c in config.columns
            ]
            for row in rows
        ],
        row_noun=_row_noun(config.label),
    )


def _row_noun(label: str) -> str:
    """ "SMART targets" -> "SMART target": what one row is called."""
    return label[:-1] if label.endswith("s") and not label.endswith("ss") else label


def _question(config: FieldConfig, answers: dict[str, Any] | None) -> Question:
    value = (answers or {}).get(config.key)
    if config.type is FieldType.ROWS:
        table = _rows_table(config, value)
        shown = "" if table.rows else "None recorded"
        return Question(config.label, config.hint, config.type, shown, table)
    return Question(config.label, config.hint, config.type, display_answer(config, value))


def _blank_question(config: FieldConfig) -> Question:
    if config.type is FieldType.ROWS:
        table = Table(
            caption=f"{config.label} (one row each, {BLANK_ROWS} rows given)",
            headers=[c.label for c in config.columns],
            rows=[["" for _ in config.columns] for _ in range(BLANK_ROWS)],
            row_noun=_row_noun(config.label),
        )
        return Question(config.label, _blank_hint(config), config.type, None, table)
    return Question(config.label, _blank_hint(config), config.type, None)


def _blank_hint(config: FieldConfig) -> str:
    """The question's hint, plus how to answer it on paper where the type needs saying."""
    how = {
        FieldType.YES_NO: "Yes or no.",
        FieldType.DATE: "Write the date, for example 3 December 2026.",
        FieldType.PERCENTAGE: "A percentage from 0 to 100.",
        FieldType.MONEY: "An amount in pounds and pence.",
        FieldType.CHOICE: "One of: " + "; ".join(c.label for c in config.choices) + ".",
    }.get(config.type, "")
    return " ".join(part for part in (config.hint, how) if part)


# --- A PEP ---------------------------------------------------------------------------------------


def term_label(pep: Pep) -> str:
    """ "Autumn 2026-27 termly review": the term and the kind of PEP."""
    return f"{pep.term_label} {pep.kind.label[:1].lower()}{pep.kind.label[1:]}"


def filename(pep: Pep, extension: str, stem: str = "pep") -> str:
    """ "pep-1234-autumn-2026-27.pdf": the PEP's number and term, never the child's name."""
    term = re.sub(r"[^a-z0-9]+", "-", pep.term_label.lower()).strip("-")
    return f"{stem}-{pep.id}-{term}.{extension}"


def history_lines(config: AuthorityConfig, changes: list[PepStateChange]) -> list[HistoryLine]:
    lines = []
    for change in changes:
        transition = config.workflow.transition(change.transition_key) if change.transition_key else None
        what = transition.label if transition else ("PEP started" if change.from_state is None else "Moved")
        lines.append(
            HistoryLine(
                when=govuk_datetime(change.occurred_at),
                what=what,
                step=config.step_label(change.to_state),
                who=change.actor.full_name if change.actor else "The portal",
                comment=change.comment or "",
            )
        )
    return lines


def _money(amount: Decimal | None) -> str:
    return "" if amount is None else pp_plus.money(amount)


def _decided(request: PpPlusRequest) -> str:
    if request.decision is None:
        return ""
    who = request.decided_by.full_name if request.decided_by else "Virtual School"
    return f"{who}, {govuk_datetime(request.decided_at)}"


def pp_plus_part(config: AuthorityConfig, pep: Pep, requests: list[PpPlusRequest]) -> PpPlusPart:
    summary = pp_plus.summary(pep, requests)
    minimum = summary.minimum_grade
    if minimum is None:
        payment = "Paid once approved."
    elif summary.payment is pp_plus.Payment.PAYABLE:
        payment = f"Payable: graded ‘{summary.grade.label}’ (paid for ‘{minimum.label}’ or better)."  # type: ignore[union-attr]
    elif summary.payment is pp_plus.Payment.WITHHELD:
        payment = f"Withheld: graded ‘{summary.grade.label}’ (paid only for ‘{minimum.label}’ or better)."  # type: ignore[union-attr]
    else:
        payment = f"Not payable yet: paid only for a PEP graded ‘{minimum.label}’ or better."
    lines = [
        PpPlusLine(
            description=r.description or "No description",
            section=config.sections[r.section_key].title
            if r.section_key in config.sections
            else r.section_key,
            requested=_money(r.requested),
            decision=DECISION_LABELS[r.decision] if r.decision else "Awaiting decision",
            approved=_money(r.approved),
            decided=_decided(r),
            note=r.decision_note or "",
        )
        for r in requests
    ]
    return PpPlusPart(
        lines=lines,
        requested=_money(summary.requested),
        approved=_money(summary.approved),
        per_term=_money(summary.per_term),
        payment=payment,
    )


def qa_part(config: AuthorityConfig, reviews: list[QaReview]) -> QaPart | None:
    """The latest grade (reviews come newest first)."""
    if not reviews:
        return None
    latest = reviews[0]
    grade = config.qa.grade(latest.grade)
    return QaPart(
        grade=grade.label if grade else latest.grade,
        date=govuk_date(latest.created_at.date()),
        reviewer=latest.reviewer.full_name,
        feedback=latest.feedback or "",
    )


STATUS_LABELS = {"completed": "Completed", "in_progress": "In progress", "not_started": "Not started"}


def for_pep(user: User, pep: Pep, today: dt.date) -> Document:
    """The PEP as ``user`` may read it: the sections the PEP page shows them, in template order."""
    page = pep_page.load(user, pep, today)
    config = page.config
    child = pep.child
    phase = config.phases.get(Phase(pep.phase))
    sections = [
        Section(
            key=view.key,
            title=view.config.title,
            description=view.config.description,
            completed_by=view.owner_label,
            questions=[_question(f, view.entry.answers if view.entry else None) for f in view.config.fields],
            status=STATUS_LABELS[view.status],
        )
        for view in page.sections
    ]
    facts = [
        ("Child", child.full_name),
        ("Date of birth", govuk_date(child.date_of_birth)),
        ("Term", pep.term_label),
        ("Kind of PEP", pep.kind.label),
        ("Template", phase.label if phase else str(pep.phase)),
        ("Education setting", pep.setting.name if pep.setting else "Not delegated to a setting"),
        ("Social worker", child.social_worker.full_name if child.social_worker else "Not allocated"),
        ("PEP meeting", govuk_date(pep.meeting_date) if pep.meeting_date else "Not arranged"),
        ("Step", config.step_label(pep.state)),
        ("PEP number", str(pep.id)),
    ]
    return Document(
        title=f"Personal Education Plan {pep.id}: {term_label(pep)} – {config.authority.name}",
        heading=f"Personal Education Plan: {child.full_name}",
        authority=config.authority.name,
        virtual_school=config.authority.virtual_school_name,
        facts=facts,
        sections=sections,
        pp_plus=pp_plus_part(config, pep, pp_plus.requests_for(pep)),
        history=history_lines(config, pep_facts.history(pep)),
        qa=qa_part(config, page.reviews),
    )


def blank_form(config: AuthorityConfig, phase: Phase) -> Document:
    """The phase template's form to fill in by hand: every question, no child's data."""
    template = config.phases[phase]
    sections = [
        Section(
            key=key,
            title=config.sections[key].title,
            description=config.sections[key].description,
            completed_by=config.role_label(config.sections[key].owner),
            questions=[_blank_question(f) for f in config.sections[key].fields],
        )
        for key in template.sections
    ]
    facts = [
        ("Child's name", ""),
        ("Date of birth", ""),
        ("Term", ""),
        ("Kind of PEP", "Initial PEP, termly review or transition PEP"),
        ("Template", template.label),
        ("Education setting", ""),
        ("Social worker", ""),
        ("PEP meeting date", ""),
    ]
    return Document(
        title=f"{template.label}: blank form – {config.authority.name}",
        heading=f"{template.label}: blank form",
        authority=config.authority.name,
        virtual_school=config.authority.virtual_school_name,
        facts=facts,
        sections=sections,
        blank=True,
    )
