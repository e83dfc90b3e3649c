"""Demo PP+ requests: the settings' costed requests on PEPs that have reached them, and the
Virtual School's decisions on the finalised ones, so that its pages show realistic work."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_, select

from portal.authorities.forms import FieldType, SectionConfig, WithinPupilPremium
from portal.authorities.oversight import TuitionArranger
from portal.authorities.schema import AuthorityConfig, Role
from portal.extensions import db
from portal.models import Authority, Membership, Pep, PepSectionEntry, PpPlusDecision, User
from portal.services import pp_plus
from portal.services.demo_catalogue import PP_PLUS_REQUESTS
from portal.services.pep_facts import config_of
from portal.services.pp_plus_decisions import DecisionInput, decide


def load_requests(authority: Authority) -> None:
    """Add requests to every PEP of the authority delegated to a setting (or an education contact)
    that has none yet, as if imported from the previous system, and decide the finalised ones."""
    virtual_school = _member(Membership.authority_id == authority.id, Role.VIRTUAL_SCHOOL)
    peps = db.session.scalars(
        select(Pep)
        .where(
            Pep.authority_id == authority.id,
            or_(Pep.setting_id.is_not(None), Pep.education_contact_id.is_not(None)),
        )
        .order_by(Pep.id)
    ).all()
    for number, pep in enumerate(peps):
        config = config_of(pep)
        costed = _costed_rows_field(config, pep.phase)
        author = (
            _member(Membership.setting_id == pep.setting_id, Role.DESIGNATED_TEACHER)
            if pep.setting_id
            else db.session.get(User, pep.education_contact_id)
        )
        if costed is None or author is None or _has_entry(pep, costed[0]):
            continue
        section_key, rule = costed
        answers = _answers(config.sections[section_key], rule, number)
        db.session.add(
            PepSectionEntry(
                pep_id=pep.id, section_key=section_key, version=1, answers=answers, saved_by_id=author.id
            )
        )
        pp_plus.sync_requests(author, pep, section_key, answers)
        step = config.step(pep.state)
        if virtual_school is not None and step is not None and step.final:
            db.session.flush()
            _decide(virtual_school, pep, config, number)


def _member(place: ColumnElement[bool], role: Role) -> User | None:
    return db.session.scalar(
        select(User).join(Membership).where(place, Membership.role == role).order_by(User.id).limit(1)
    )


def _has_entry(pep: Pep, section_key: str) -> bool:
    return (
        db.session.scalar(
            select(PepSectionEntry.id).where(
                PepSectionEntry.pep_id == pep.id, PepSectionEntry.section_key == section_key
            )
        )
        is not None
    )


def _costed_rows_field(config: AuthorityConfig, phase: str) -> tuple[str, WithinPupilPremium] | None:
    """The last row group of the form that costs PP+ requests: where a form has two (targets with
    a cost, then a PP+ section), settings write their requests in the dedicated section."""
    found = [
        (key, rule)
        for key in config.sections_for(phase)
        for rule in config.sections[key].rules
        if isinstance(rule, WithinPupilPremium) and rule.column is not None
    ]
    return found[-1] if found else None


def _answers(section: SectionConfig, rule: WithinPupilPremium, number: int) -> dict[str, Any]:
    """One or two requests, and yes to the section's mandatory yes/no questions ("requesting
    PP+ this term?"); the rest is left for the setting, as an unfinished section."""
    field = section.field(rule.field)
    assert field is not None
    rows = []
    for offset in range(1 + number % 2):
        target, pays_for, amount = PP_PLUS_REQUESTS[(number + offset) % len(PP_PLUS_REQUESTS)]
        texts = [c for c in field.columns if c.type in (FieldType.TEXT, FieldType.LONG_TEXT)]
        row: dict[str, Any] = {rule.column: amount}
        # The first text column names the target; any other says what the money pays for.
        for position, column in enumerate(texts):
            row[column.key] = (pays_for if position else target)[: column.max_length]
        for column in field.columns:
            if column.type is FieldType.CHOICE:
                row[column.key] = column.choices[0].value
        rows.append(row)
    answers: dict[str, Any] = {
        f.key: True for f in section.fields if f.type is FieldType.YES_NO and f.required
    }
    answers[field.key] = rows
    return answers


def _decide(virtual_school: User, pep: Pep, config: AuthorityConfig, number: int) -> None:
    """Approve the first request (with tuition by the Virtual School where it arranges tuition,
    on every other PEP); reduce or decline the second."""
    tuition = TuitionArranger.VIRTUAL_SCHOOL in config.funding.tuition_arranged_by and number % 4 < 2
    decisions = []
    for index, request in enumerate(pp_plus.requests_for(pep)):
        if index == 0:
            decisions.append(
                DecisionInput(request.id, pp_plus.stamp(request), PpPlusDecision.APPROVED, "", "", tuition)
            )
        elif number % 3:
            half = f"{request.requested / 2:.2f}"
            reason = "Part-funded: the school's own pupil premium pays for the rest"
            decisions.append(
                DecisionInput(request.id, pp_plus.stamp(request), PpPlusDecision.REDUCED, half, reason)
            )
        else:
            reason = "Already funded by the school's SEN support"
            decisions.append(
                DecisionInput(request.id, pp_plus.stamp(request), PpPlusDecision.DECLINED, "", reason)
            )
    decide(virtual_school, pep, decisions)
