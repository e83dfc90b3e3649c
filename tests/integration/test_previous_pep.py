"""The setting working on this term's PEP reads the child's previous finalised PEP (source 003 step 1),
even when it was delegated to another school, and only through the PEP it works on."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from portal.authorities.schema import Role, Term
from portal.extensions import db
from portal.models import AuditEvent, Authority, PepSectionEntry
from portal.models.types import utcnow
from tests.factories import make_child, make_pep, make_setting, make_user, sign_in


@pytest.fixture
def moved_child(app: Flask, lancashire: Authority) -> dict:
    """Ruby's summer PEP was finalised at her old school; her autumn PEP is with her new one."""
    old_school, new_school = make_setting("Old Primary"), make_setting("New Academy")
    teacher = make_user("Nia Teacher", email="nia@new.example", roles=[(Role.DESIGNATED_TEACHER, new_school)])
    social_worker = make_user(
        "Sol Worker", email="sol@lancs.example", roles=[(Role.SOCIAL_WORKER, lancashire)]
    )
    child = make_child(lancashire, "Ruby", "Rowe", social_worker=social_worker, setting=new_school)
    summer = make_pep(child, academic_year=2025, term=Term.SUMMER, state="approved", setting=old_school)
    summer.finalised_at = utcnow()
    db.session.add(
        PepSectionEntry(
            pep_id=summer.id,
            section_key="smart_targets",
            version=1,
            answers={"targets": [{"kind": "academic", "target": "Read two chapter books by Easter"}]},
            completed=True,
            saved_by_id=social_worker.id,
        )
    )
    autumn = make_pep(
        child, academic_year=2026, term=Term.AUTUMN, state="delegated_to_setting", setting=new_school
    )
    db.session.commit()
    client = app.test_client()
    sign_in(client, teacher.email)
    return {"client": client, "summer": summer, "autumn": autumn, "teacher": teacher}


def test_the_new_setting_downloads_the_previous_finalised_pep(moved_child: dict) -> None:
    client: FlaskClient = moved_child["client"]
    autumn, summer = moved_child["autumn"], moved_child["summer"]

    page = client.get(f"/a/lancashire/peps/{autumn.id}").text
    response = client.get(f"/a/lancashire/peps/{autumn.id}/previous.pdf")

    assert "Previous PEP" in page and "Download the Summer 2025-26 PEP (PDF)" in page
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Read two chapter books by Easter" in text
    assert "Summer 2025" in text
    # Still not by its own address: the summer PEP was never delegated to this school.
    assert client.get(f"/a/lancashire/peps/{summer.id}").status_code == 404
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "pep.downloaded").order_by(AuditEvent.id.desc())
    ).first()
    assert event.actor_id == moved_child["teacher"].id and event.subject_id == summer.id


def test_an_unfinished_previous_pep_is_not_shared(moved_child: dict) -> None:
    client: FlaskClient = moved_child["client"]
    summer, autumn = moved_child["summer"], moved_child["autumn"]
    summer.finalised_at = None
    db.session.commit()

    page = client.get(f"/a/lancashire/peps/{autumn.id}").text

    assert "Previous PEP" not in page
    assert client.get(f"/a/lancashire/peps/{autumn.id}/previous.pdf").status_code == 404


def test_a_later_pep_is_not_the_previous_one(moved_child: dict) -> None:
    """Reading the autumn PEP's 'previous' from the summer PEP would hand over a later plan."""
    summer, autumn = moved_child["summer"], moved_child["autumn"]
    autumn.finalised_at = utcnow()
    db.session.commit()
    from portal.services.previous_pep import shared_previous_pep

    assert shared_previous_pep(summer) is None
    assert shared_previous_pep(autumn).id == summer.id
