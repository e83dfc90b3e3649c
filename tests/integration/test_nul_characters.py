"""A NUL character in submitted text is dropped before any form sees it: PostgreSQL cannot store
it, so without this one pasted NUL would fail the request there (and only there)."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import Invitation
from tests.factories import csrf_token


def test_text_with_a_nul_is_kept_without_it(admin_client: FlaskClient) -> None:
    page = admin_client.get("/a/lancashire/admin/people/invite").text
    response = admin_client.post(
        "/a/lancashire/admin/people/invite",
        data={
            "csrf_token": csrf_token(page),
            "full_name": "Ann\x00 Lee",
            "email": "ann.lee@lancs.example",
            "role": "social_worker",
            "setting": "",
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    invitation = db.session.scalar(select(Invitation).where(Invitation.email == "ann.lee@lancs.example"))
    assert invitation is not None and invitation.full_name == "Ann Lee"


def test_a_query_string_with_a_nul_is_searched_without_it(admin_client: FlaskClient) -> None:
    response = admin_client.get("/a/lancashire/admin/people?q=Ada%00")
    assert response.status_code == 200
    assert "Ada Admin" in response.text
