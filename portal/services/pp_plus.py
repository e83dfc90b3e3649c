"""Pupil Premium Plus requests: kept in step with the PEP's answers, read with their totals and
whether they can be paid, and listed for the Virtual School while they wait for a decision.

Which answers are requests is configuration: a ``within_pp_plus`` rule names a money column of a
rows field (one request per row with an amount) or, where the authority does not cost requests
per target, a single money field (one request). Requests are copied into
:class:`PpPlusRequest` rows whenever their section is saved, so that decisions are stored against
them and totals are summed in the database. (Deciding is in :mod:`portal.services.pp_plus_decisions`.)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.authorities.answers import is_blank, value_problem
from portal.authorities.forms import FieldConfig, FieldType, SectionConfig, WithinPupilPremium
from portal.authorities.oversight import Grade
from portal.authorities.schema import AuthorityConfig
from portal.extensions import db
from portal.models import Authority, Pep, PpPlusRequest, QaReview, User
from portal.services import audit
from portal.services.paging import Page, paginate
from portal.services.pep_facts import config_of

#: The largest amount a request row holds (Numeric(10, 2)). No real request comes near it, and the
#: section's own within_pp_plus rule tells the setting that such an amount is too much.
LARGEST_AMOUNT = Decimal("99999999.99")
DESCRIPTION_LIMIT = 500
PENNY = Decimal("0.01")


def money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def label(request: PpPlusRequest) -> str:
    """How messages name a request: its description, shortened."""
    text = request.description or "the request with no description"
    return f"‘{text[:60]}…’" if len(text) > 60 else f"‘{text}’"


def stamp(request: PpPlusRequest) -> str:
    """What the request asked for when a page showed it. A decision form carries it back, so a
    decision made on a request the setting has changed since is refused, not applied."""
    asked = f"{request.requested:.2f}\n{request.description}".encode()
    return hashlib.sha256(asked).hexdigest()[:16]


# --- Keeping requests in step with the answers ----------------------------------------------


@dataclass(frozen=True)
class CostedRow:
    field_key: str
    row_index: int
    description: str
    requested: Decimal


def _amount(field: FieldConfig, value: Any) -> Decimal | None:
    """A positive amount in pounds and pence, or None. Rows are not checked when a section is
    saved unfinished, so anything else typed there is simply not (yet) a request."""
    if is_blank(value) or value_problem(field, value):
        return None
    amount = Decimal(str(value))
    return amount.quantize(PENNY) if Decimal(0) < amount <= LARGEST_AMOUNT else None


def _description(row: dict[str, Any], columns: list[FieldConfig]) -> str:
    texts = (row.get(c.key) for c in columns if c.type in (FieldType.TEXT, FieldType.LONG_TEXT))
    first = next((t.strip() for t in texts if isinstance(t, str) and t.strip()), "")
    return first[:DESCRIPTION_LIMIT]


def costed_rows(config: AuthorityConfig, section: SectionConfig, answers: dict[str, Any]) -> list[CostedRow]:
    """The PP+ requests in a section's answers, in the form's order."""
    found: dict[tuple[str, int], CostedRow] = {}
    for rule in section.rules:
        if not isinstance(rule, WithinPupilPremium) or (field := section.field(rule.field)) is None:
            continue
        value = answers.get(field.key)
        if rule.column is None:
            # Where requests are costed per target, a single amount is their total, not a request.
            if not config.funding.per_target_costing and (amount := _amount(field, value)):
                found[(field.key, 0)] = CostedRow(field.key, 0, field.label[:DESCRIPTION_LIMIT], amount)
            continue
        column = next(c for c in field.columns if c.key == rule.column)
        for index, row in enumerate(value if isinstance(value, list) else []):
            if isinstance(row, dict) and (amount := _amount(column, row.get(column.key))):
                found[(field.key, index)] = CostedRow(
                    field.key, index, _description(row, field.columns), amount
                )
    return list(found.values())


def sync_requests(user: User, pep: Pep, section_key: str, answers: dict[str, Any]) -> None:
    """Bring the section's request rows in line with answers just saved, in the caller's
    transaction.

    A row is matched by its place in the row group. A decision stands while its request is
    unchanged; a new amount or description clears it (the audit trail keeps what was decided),
    and a request taken out of the answers goes, with its decision.
    """
    config = config_of(pep)
    section = config.sections[section_key]
    if not any(isinstance(rule, WithinPupilPremium) for rule in section.rules):
        return  # a PEP keeps its process version, so such a section never held requests
    wanted = {(r.field_key, r.row_index): r for r in costed_rows(config, section, answers)}
    existing = db.session.scalars(
        select(PpPlusRequest)
        .where(PpPlusRequest.pep_id == pep.id, PpPlusRequest.section_key == section_key)
        # A decision being saved at the same moment either lands first and is cleared here, or
        # waits and finds the request changed.
        .with_for_update()
    ).all()
    for request in existing:
        row = wanted.pop((request.field_key, request.row_index), None)
        if row is None:
            _clear(user, pep, request, "withdrawn")
            db.session.delete(request)
        elif (row.requested, row.description) != (request.requested, request.description):
            _clear(user, pep, request, "changed")
            request.requested, request.description = row.requested, row.description
    for row in wanted.values():
        db.session.add(
            PpPlusRequest(
                pep_id=pep.id,
                section_key=section_key,
                field_key=row.field_key,
                row_index=row.row_index,
                description=row.description,
                requested=row.requested,
                tuition_by_virtual_school=False,
                decision_note="",
            )
        )


def _clear(user: User, pep: Pep, request: PpPlusRequest, why: str) -> None:
    if request.decision is None:
        return
    audit.record(
        "pp_plus.decision_cleared",
        actor=user,
        authority_id=pep.authority_id,
        subject=pep,
        request=request.id,
        decision=request.decision.value,
        approved=str(request.approved),
        why=why,
    )
    request.decision = request.approved = request.decided_by_id = request.decided_at = None
    request.tuition_by_virtual_school = False
    request.decision_note = ""


# --- Reading ---------------------------------------------------------------------------------


def requests_for(pep: Pep) -> list[PpPlusRequest]:
    """The PEP's requests in the order its form asks them, with who decided each."""
    order = {key: index for index, key in enumerate(config_of(pep).sections_for(pep.phase))}
    requests = db.session.scalars(
        select(PpPlusRequest)
        .where(PpPlusRequest.pep_id == pep.id)
        .options(joinedload(PpPlusRequest.decided_by))
    ).all()
    return sorted(requests, key=lambda r: (order.get(r.section_key, len(order)), r.field_key, r.row_index))


def approved_elsewhere(pep: Pep) -> Decimal:
    """PP+ approved on the child's other PEPs of the same term (a transition PEP, say): the
    per-term amount is per child, not per PEP."""
    return db.session.scalar(
        select(func.coalesce(func.sum(PpPlusRequest.approved), 0))
        .join(Pep, Pep.id == PpPlusRequest.pep_id)
        .where(
            Pep.child_id == pep.child_id,
            Pep.academic_year == pep.academic_year,
            Pep.term == pep.term,
            Pep.id != pep.id,
        )
    ) or Decimal(0)


class Payment(StrEnum):
    """Whether the PP+ approved on a PEP may be paid under the authority's funding rules."""

    PAYABLE = "payable"
    #: The authority pays only for PEPs graded well enough, and this one has no grade yet.
    NOT_GRADED = "not_graded"
    #: Graded below the authority's minimum grade for payment.
    WITHHELD = "withheld"


@dataclass(frozen=True)
class Summary:
    requested: Decimal
    approved: Decimal
    #: Approved on the child's other PEPs this term, which count against the same amount.
    approved_elsewhere: Decimal
    per_term: Decimal
    undecided: int
    payment: Payment
    grade: Grade | None
    minimum_grade: Grade | None
    note: str

    @property
    def remaining(self) -> Decimal:
        return max(Decimal(0), self.per_term - self.approved - self.approved_elsewhere)


def summary(pep: Pep, requests: list[PpPlusRequest]) -> Summary:
    config = config_of(pep)
    funding = config.funding
    minimum = config.qa.grade(funding.minimum_grade) if funding.minimum_grade else None
    latest = db.session.scalar(
        select(QaReview.grade).where(QaReview.pep_id == pep.id).order_by(QaReview.id.desc()).limit(1)
    )
    grade = config.qa.grade(latest) if latest else None
    if minimum is None:
        payment = Payment.PAYABLE
    elif grade is None:
        payment = Payment.NOT_GRADED
    else:
        payment = Payment.PAYABLE if config.qa.at_least(grade.key, minimum.key) else Payment.WITHHELD
    return Summary(
        requested=sum((r.requested for r in requests), Decimal(0)),
        approved=sum((r.approved or Decimal(0) for r in requests), Decimal(0)),
        approved_elsewhere=approved_elsewhere(pep),
        per_term=funding.pp_plus_per_term,
        undecided=sum(1 for r in requests if r.decision is None),
        payment=payment,
        grade=grade,
        minimum_grade=minimum,
        note=funding.note,
    )


@dataclass(frozen=True)
class AwaitingDecision:
    pep: Pep
    undecided: int
    requested: Decimal


def awaiting_decision(authority: Authority, *, page: int) -> Page[AwaitingDecision]:
    """The authority's PEPs with PP+ requests the Virtual School has not decided, oldest PEP
    first: two queries a page, however many there are."""
    undecided = (
        select(
            PpPlusRequest.pep_id,
            func.count().label("undecided"),
            func.sum(PpPlusRequest.requested).label("requested"),
        )
        .join(Pep, Pep.id == PpPlusRequest.pep_id)
        .where(Pep.authority_id == authority.id, PpPlusRequest.decision.is_(None))
        .group_by(PpPlusRequest.pep_id)
        .subquery()
    )
    statement = (
        select(Pep, undecided.c.undecided, undecided.c.requested)
        .join(undecided, undecided.c.pep_id == Pep.id)
        .options(joinedload(Pep.child), joinedload(Pep.setting), joinedload(Pep.config_version))
        .order_by(Pep.id)
    )
    result = paginate(statement, page, scalars=False)
    return Page(
        items=[AwaitingDecision(pep, count, Decimal(requested)) for pep, count, requested in result.items],
        total=result.total,
        number=result.number,
        per_page=result.per_page,
    )
