"""Every shipped authority's process runs from "became looked after" to finalised, then into the
next term's PEP and through that one too, taken by the roles the configuration names."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from portal.authorities.process import EffectKind
from portal.authorities.vocabulary import PepKind, Role, Term
from portal.extensions import db
from portal.models import AuditEvent, OutboxMessage, Pep, PepDeadline, SettingType
from portal.services import workflow
from portal.services.pep_facts import config_of
from tests.factories import make_child, make_setting, make_user
from tests.walker import walk_to_final

SHIPPED = ["cheshire-west-and-chester", "lancashire", "bradford", "example-borough"]


def starts_next_pep(pep: Pep, transitions: list[str]) -> bool:
    config = config_of(pep)
    return any(
        e.kind is EffectKind.START_NEXT_PEP
        for key in transitions
        for e in config.workflow.transition(key).effects
    )


@pytest.mark.parametrize("slug", SHIPPED)
def test_a_pep_goes_from_looked_after_to_finalised_and_into_next_term(authorities: dict, slug: str) -> None:
    authority = authorities[slug]
    school = make_setting(f"{slug} High", SettingType.SECONDARY)
    people = {
        role: make_user(f"{role} of {slug}", roles=[(role, authority)])
        for role in (Role.SOCIAL_WORKER, Role.BUSINESS_SUPPORT, Role.VIRTUAL_SCHOOL, Role.AUTHORITY_ADMIN)
    }
    people[Role.DESIGNATED_TEACHER] = make_user(f"DT at {slug}", roles=[(Role.DESIGNATED_TEACHER, school)])
    child = make_child(
        authority,
        "Riley",
        social_worker=people[Role.SOCIAL_WORKER],
        setting=school,
        date_of_birth=dt.date(2013, 5, 1),
    )
    child.became_looked_after_on = dt.date(2026, 9, 14)
    db.session.commit()

    pep = workflow.start_pep(
        child,
        kind=PepKind.INITIAL,
        academic_year=2026,
        term=Term.AUTUMN,
        actor=people[Role.SOCIAL_WORKER],
        today=dt.date(2026, 9, 15),
    )
    taken = walk_to_final(pep, people, today=dt.date(2026, 10, 12))
    assert pep.finalised_at is not None and config_of(pep).step(pep.state).final
    assert pep.setting_id == school.id, "the setting was given the PEP on the way"
    transitions = db.session.scalars(
        select(AuditEvent.details).where(AuditEvent.action == "pep.transition").order_by(AuditEvent.id)
    ).all()
    assert [t["transition"] for t in transitions] == taken
    assert db.session.scalar(select(OutboxMessage.id).limit(1)) is not None, "someone was e-mailed"
    initial_deadline = db.session.scalar(
        select(PepDeadline).where(PepDeadline.pep_id == pep.id, PepDeadline.due_on.is_not(None))
    )
    assert initial_deadline is not None

    if starts_next_pep(pep, taken):
        next_pep = db.session.scalar(select(Pep).where(Pep.child_id == child.id, Pep.id != pep.id))
        assert next_pep is not None and next_pep.meeting_date is not None
    else:
        # This authority's social worker starts each term's PEP themselves.
        next_pep = workflow.start_pep(
            child,
            kind=PepKind.TERMLY_REVIEW,
            academic_year=2026,
            term=Term.SPRING,
            actor=people[Role.SOCIAL_WORKER],
            today=dt.date(2027, 1, 6),
        )
    assert (next_pep.academic_year, next_pep.term, next_pep.kind) == (
        2026,
        Term.SPRING,
        PepKind.TERMLY_REVIEW,
    )
    walk_to_final(next_pep, people, today=dt.date(2027, 2, 8))
    assert next_pep.finalised_at is not None
