"""A platform administrator creates an authority from another's process; nobody else can."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.authorities.schema import Role
from portal.extensions import db
from portal.models import AuditEvent, Authority, OutboxMessage
from portal.services.authorities import config_for
from tests.factories import csrf_token, make_user, sign_in


@pytest.fixture
def platform_client(app: Flask, authorities: dict[str, Authority]) -> FlaskClient:
    user = make_user("Pat Okafor", email="pat@platform.example")
    user.is_platform_admin = True
    db.session.commit()
    client = app.test_client()
    sign_in(client, user.email)
    return client


def create(client: FlaskClient, template: Authority, **overrides: str):
    page = client.get("/platform/authorities/new").text
    data = {
        "csrf_token": csrf_token(page),
        "template": str(template.id),
        "name": "Anyshire County Council",
        "short_name": "Anyshire",
        "slug": "anyshire",
        "virtual_school_name": "Anyshire Virtual School",
        "contact_email": "virtual.school@anyshire.example",
        **overrides,
    }
    return client.post("/platform/authorities/new", data=data, follow_redirects=True)


def test_an_authority_starts_with_a_copy_of_anothers_process(
    platform_client: FlaskClient, authorities: dict[str, Authority]
) -> None:
    lancashire = authorities["lancashire"]
    response = create(platform_client, lancashire)
    assert "Anyshire County Council is created with Lancashire" in response.text
    assert "anyshire" in response.text  # listed
    created = db.session.scalar(select(Authority).where(Authority.slug == "anyshire"))
    config, template = config_for(created), config_for(lancashire)
    assert config.authority.name == "Anyshire County Council"
    assert config.authority.contact_email == "virtual.school@anyshire.example"
    assert config.workflow == template.workflow and config.deadlines == template.deadlines
    assert config.sections == template.sections and config.calendar == template.calendar
    version = created.current_config_version
    assert (version.version, version.source) == (1, "template")
    assert "Created from Lancashire" in version.note
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "authority.created")) is not None

    # Its first administrator (invited later) runs it like any other authority.
    admin = make_user(email="admin@anyshire.example", roles=[(Role.AUTHORITY_ADMIN, created)])
    client = platform_client.application.test_client()
    sign_in(client, admin.email)
    assert client.get("/a/anyshire/admin/process").status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("slug", "lancashire", "An authority called ‘lancashire’ already exists"),
        ("slug", "Any Shire", "Enter a web address name of lower-case letters"),
        ("name", "Bradford Metropolitan District Council", "already exists"),
        ("contact_email", "not-an-address", "Enter an e-mail address in the correct format"),
        ("name", "", "Enter the name of the authority"),
    ],
)
def test_bad_details_are_refused_and_kept(
    platform_client: FlaskClient, authorities: dict[str, Authority], field: str, value: str, message: str
) -> None:
    if field == "name" and value.startswith("Bradford"):
        value = authorities["bradford"].name
    count = len(authorities)
    response = create(platform_client, authorities["lancashire"], **{field: value})
    assert "<title>Error: Create an authority" in response.text
    assert message in response.text
    assert 'value="Anyshire"' in response.text or field == "short_name"  # typed input kept
    assert len(db.session.scalars(select(Authority)).all()) == count


def test_nobody_else_creates_authorities_and_the_platform_sees_no_children(
    app: Flask, platform_client: FlaskClient, authorities: dict[str, Authority]
) -> None:
    admin = make_user(email="admin@lancs.example", roles=[(Role.AUTHORITY_ADMIN, authorities["lancashire"])])
    client = app.test_client()
    sign_in(client, admin.email)
    assert client.get("/platform/authorities").status_code == 403
    token = csrf_token(client.get("/a/lancashire/admin/").text)
    refused = client.post("/platform/authorities/new", data={"csrf_token": token, "slug": "x", "name": "X"})
    assert refused.status_code == 403
    assert db.session.scalar(select(Authority).where(Authority.slug == "x")) is None
    # A platform administrator holds no role in any authority.
    assert platform_client.get("/a/lancashire/admin/").status_code == 403
    assert platform_client.get("/a/lancashire/virtual-school/").status_code == 403
    assert platform_client.get("/", follow_redirects=True).request.path == "/platform/authorities"


def test_the_new_authoritys_first_administrator_is_invited_and_can_sign_up(
    app: Flask, platform_client: FlaskClient, authorities: dict[str, Authority]
) -> None:
    create(platform_client, authorities["bradford"])
    created = db.session.scalar(select(Authority).where(Authority.slug == "anyshire"))
    url = f"/platform/authorities/{created.id}/administrators"
    page = platform_client.get(url).text
    refused = platform_client.post(
        url, data={"csrf_token": csrf_token(page), "full_name": "Ann", "email": "nope"}
    )
    assert "<title>Error: Invite an administrator" in refused.text
    sent = platform_client.post(
        url,
        data={"csrf_token": csrf_token(page), "full_name": "Ann Adeyemi", "email": "Ann@Anyshire.example"},
        follow_redirects=True,
    )
    assert "Invitation sent to ann@anyshire.example" in sent.text
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.recipient_email == "ann@anyshire.example")
    )
    link = re.search(r"http\S+/invitations/\S+", message.body).group(0)
    invitee = app.test_client()
    path = link.split("127.0.0.1:5000", 1)[-1]
    accept = invitee.get(path)
    assert accept.status_code == 200
    done = invitee.post(
        path,
        data={
            "csrf_token": csrf_token(accept.text),
            "password": "a long anyshire pass phrase",
            "confirm_password": "a long anyshire pass phrase",
        },
        follow_redirects=True,
    )
    assert done.status_code == 200
    assert invitee.get("/a/anyshire/admin/process").status_code == 200
