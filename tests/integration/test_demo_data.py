"""Demo data: every role in every authority, a shared school, PEPs in several states."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.authorities.schema import Role
from portal.extensions import db
from portal.models import Authority, Child, Membership, Pep, PpPlusRequest, QaReview, User
from portal.services.demo import DEMO_PASSWORD, load_demo_data
from tests.factories import sign_in

TODAY = dt.date(2026, 11, 22)


def row_counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(m))
        for m in (User, Membership, Child, Pep, QaReview, PpPlusRequest)
    )


def test_demo_data_covers_every_authority_and_loads_idempotently(app: Flask, authorities: dict) -> None:
    assert load_demo_data(TODAY) == 4
    first = row_counts()
    load_demo_data(TODAY)
    assert row_counts() == first

    for authority in db.session.scalars(select(Authority)):
        roles = Counter(
            db.session.scalars(select(Membership.role).where(Membership.authority_id == authority.id))
        )
        assert roles[Role.VIRTUAL_SCHOOL] == 1 and roles[Role.AUTHORITY_ADMIN] == 1
        assert roles[Role.SOCIAL_WORKER] == 2
        has_support = authority.slug in ("cheshire-west-and-chester", "lancashire")
        assert roles[Role.BUSINESS_SUPPORT] == (1 if has_support else 0)
        children = db.session.scalar(select(func.count(Child.id)).where(Child.authority_id == authority.id))
        assert 10 <= children <= 14
        phases = set(db.session.scalars(select(Pep.phase).where(Pep.authority_id == authority.id)))
        assert {"early_years", "primary", "post_16"} <= phases
        assert phases & {"secondary", "specialist"}
        states = set(db.session.scalars(select(Pep.state).where(Pep.authority_id == authority.id)))
        assert len(states) >= 3
        # The Virtual School's pages have grades to count and a return the setting is working on.
        reviews = db.session.scalars(
            select(QaReview).join(Pep, Pep.id == QaReview.pep_id).where(Pep.authority_id == authority.id)
        ).all()
        assert len({r.grade for r in reviews if not r.returned}) >= 2
        assert [r.resolved_at for r in reviews if r.returned] == [None]


def test_a_demo_school_has_children_from_two_authorities(client: FlaskClient, authorities: dict) -> None:
    load_demo_data(TODAY)
    sign_in(client, "designated.teacher@riverside.example", DEMO_PASSWORD)
    page = client.get("/school/")
    named = [a.name for a in authorities.values() if a.name in page.text]
    assert len(named) >= 2, named
