"""A setting's designated teacher manages colleagues of that setting, and of no other: lists them,
invites one (who accepts through the e-mailed link), removes a setting-staff colleague's role."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.authorities.schema import Role
from portal.extensions import db
from portal.models import AuditEvent, Invitation, Membership, OutboxMessage
from tests.factories import csrf_token, make_setting, make_user, sign_in

NEW_PASSWORD = "a long walk by the river ribble"


@pytest.fixture
def schools(authorities: dict) -> dict:
    riverside, hillside = make_setting("Riverside Academy"), make_setting("Hillside Primary")
    return {
        "riverside": riverside,
        "hillside": hillside,
        "teacher": make_user(
            "Dee Teacher", email="dt@riverside.example", roles=[(Role.DESIGNATED_TEACHER, riverside)]
        ),
        "senco": make_user(
            "Sue Senco", email="senco@riverside.example", roles=[(Role.SETTING_STAFF, riverside)]
        ),
        "other_teacher": make_user(
            "Hal Hill", email="dt@hillside.example", roles=[(Role.DESIGNATED_TEACHER, hillside)]
        ),
        "other_staff": make_user(
            "Hattie Hill", email="staff@hillside.example", roles=[(Role.SETTING_STAFF, hillside)]
        ),
    }


def signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    return client


def token_of(client: FlaskClient) -> str:
    return csrf_token(client.get("/", follow_redirects=True).text)


def test_the_designated_teacher_invites_and_removes_colleagues_of_their_setting(
    app: Flask, schools: dict
) -> None:
    riverside = schools["riverside"]
    teacher = signed_in(app, "dt@riverside.example")
    dashboard = teacher.get("/school/").text
    assert (
        f"/school/settings/{riverside.id}/colleagues" in dashboard
        and "Colleagues at Riverside Academy" in dashboard
    )
    page = teacher.get(f"/school/settings/{riverside.id}/colleagues").text
    assert "Sue Senco" in page and "Dee Teacher" in page and "Hattie Hill" not in page

    form_url = f"/school/settings/{riverside.id}/colleagues/invite"
    invalid = teacher.post(
        form_url, data={"csrf_token": token_of(teacher), "full_name": "Tom Tutor", "email": "nope"}
    )
    assert "<title>Error: Invite a colleague" in invalid.text
    assert "Select the role at the setting" in invalid.text and 'value="Tom Tutor"' in invalid.text

    sent = teacher.post(
        form_url,
        data={
            "csrf_token": token_of(teacher),
            "full_name": "Tom Tutor",
            "email": "tom@riverside.example",
            "role": "setting_staff",
        },
    )
    assert sent.status_code == 302
    listed = teacher.get(sent.headers["Location"]).text
    assert (
        "Invitation sent to tom@riverside.example" in listed
        and "Invitations waiting to be accepted" in listed
    )

    body = db.session.scalar(
        select(OutboxMessage.body).where(OutboxMessage.recipient_email == "tom@riverside.example")
    )
    link = re.search(r"/invitations/[A-Za-z0-9_-]+", body).group(0)
    tom = app.test_client()
    accept = tom.get(link)
    assert "Setting staff" in accept.text and "Riverside Academy" in accept.text
    tom.post(
        link,
        data={
            "csrf_token": csrf_token(accept.text),
            "password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert tom.get("/school/").status_code == 200

    tom_id = db.session.scalar(
        select(Membership.user_id)
        .where(Membership.setting_id == riverside.id, Membership.role == Role.SETTING_STAFF)
        .order_by(Membership.id.desc())
    )
    removed = teacher.post(
        f"/school/settings/{riverside.id}/colleagues/{tom_id}/remove", data={"csrf_token": token_of(teacher)}
    )
    assert (
        "Tom Tutor no longer has the setting staff role at Riverside Academy"
        in teacher.get(removed.headers["Location"]).text
    )
    assert tom.get("/school/").status_code == 403  # on their very next request
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "people.role_removed"))
    assert event.subject_id == tom_id and event.details == {"role": "setting_staff", "setting": riverside.id}


def test_a_designated_teacher_changes_nothing_at_another_setting(app: Flask, schools: dict) -> None:
    hillside, other_staff = schools["hillside"], schools["other_staff"]
    teacher = signed_in(app, "dt@riverside.example")
    token = token_of(teacher)
    memberships = db.session.scalar(select(func.count()).select_from(Membership))
    assert teacher.get(f"/school/settings/{hillside.id}/colleagues").status_code == 404
    assert teacher.get(f"/school/settings/{hillside.id}/colleagues/invite").status_code == 404
    invited = teacher.post(
        f"/school/settings/{hillside.id}/colleagues/invite",
        data={
            "csrf_token": token,
            "full_name": "Sly",
            "email": "sly@x.example",
            "role": "designated_teacher",
        },
    )
    assert invited.status_code == 404
    removed = teacher.post(
        f"/school/settings/{hillside.id}/colleagues/{other_staff.id}/remove", data={"csrf_token": token}
    )
    assert removed.status_code == 404
    # Naming their own setting with another setting's colleague removes nothing either.
    sideways = teacher.post(
        f"/school/settings/{schools['riverside'].id}/colleagues/{other_staff.id}/remove",
        data={"csrf_token": token},
    )
    assert "no longer has a setting staff role here" in teacher.get(sideways.headers["Location"]).text
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Membership)) == memberships
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
    assert signed_in(app, other_staff.email).get("/school/").status_code == 200


def test_setting_staff_do_not_manage_colleagues_and_designated_teachers_are_not_removed(
    app: Flask, schools: dict
) -> None:
    riverside = schools["riverside"]
    senco = signed_in(app, "senco@riverside.example")
    assert senco.get(f"/school/settings/{riverside.id}/colleagues").status_code == 403
    assert (
        senco.post(
            f"/school/settings/{riverside.id}/colleagues/{schools['teacher'].id}/remove",
            data={"csrf_token": token_of(senco)},
        ).status_code
        == 403
    )
    teacher = signed_in(app, "dt@riverside.example")
    page = teacher.get(f"/school/settings/{riverside.id}/colleagues").text
    assert page.count("/remove") == 1  # only the setting staff member has a Remove button
    teacher.post(
        f"/school/settings/{riverside.id}/colleagues/{schools['teacher'].id}/remove",
        data={"csrf_token": token_of(teacher)},
    )
    assert teacher.get("/school/").status_code == 200
