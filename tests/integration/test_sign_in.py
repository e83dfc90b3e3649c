"""Signing in and out (security.md items 5, 6, 8, 10)."""

from __future__ import annotations

import datetime as dt

from argon2 import PasswordHasher
from flask.testing import FlaskClient

from portal.authorities.schema import Role
from portal.extensions import db
from portal.models import AuditEvent, User
from portal.passwords import needs_rehash
from portal.security import SESSION_SEEN_AT, SESSION_SIGNED_IN_AT
from tests.factories import PASSWORD, csrf_token, make_user, sign_in


def test_a_social_worker_signs_in_and_lands_on_their_caseload(client: FlaskClient, authorities: dict) -> None:
    make_user(
        "Chloe Barker",
        email="chloe@lancashire.example",
        roles=[(Role.SOCIAL_WORKER, authorities["lancashire"])],
    )
    response = sign_in(client, "Chloe@Lancashire.example ")  # case and spaces do not matter
    assert response.status_code == 302
    page = client.get("/", follow_redirects=True)
    assert page.request.path == "/a/lancashire/social-work/caseload"
    assert "Signed in as" in page.text and "Chloe Barker" in page.text
    assert "Social worker, Lancashire County Council" in page.text
    assert db.session.scalar(db.select(AuditEvent.action)) == "signed_in"


def test_wrong_password_and_unknown_account_look_the_same(client: FlaskClient, authorities: dict) -> None:
    make_user(email="real@test.example", roles=[(Role.SOCIAL_WORKER, authorities["lancashire"])])
    wrong_password = sign_in(client, "real@test.example", "not the password at all")
    no_account = sign_in(client, "nobody@test.example", "not the password at all")
    assert wrong_password.status_code == no_account.status_code == 200
    for response in (wrong_password, no_account):
        assert "Enter a correct email address and password" in response.text
        assert "<title>Error: Sign in" in response.text
        assert "not the password at all" not in response.text  # the password is never echoed back


def test_empty_form_says_what_to_enter(client: FlaskClient) -> None:
    token = csrf_token(client.get("/sign-in").text)
    response = client.post("/sign-in", data={"csrf_token": token, "email": "", "password": ""})
    assert "Enter your email address" in response.text and "Enter your password" in response.text
    assert 'href="#email"' in response.text  # the error summary links to the field


def test_sign_in_is_throttled_after_ten_failures(client: FlaskClient, authorities: dict) -> None:
    make_user(email="target@test.example", roles=[(Role.SOCIAL_WORKER, authorities["lancashire"])])
    for _ in range(10):
        sign_in(client, "target@test.example", "wrong guess number x")
    blocked = sign_in(client, "target@test.example")  # even the right password is refused now
    assert blocked.status_code == 200
    assert "too many attempts" in blocked.text.lower()
    assert client.get("/", follow_redirects=False).status_code == 302


def test_a_form_without_its_csrf_token_is_refused(client: FlaskClient, authorities: dict) -> None:
    make_user(email="csrf@test.example", roles=[(Role.SOCIAL_WORKER, authorities["lancashire"])])
    response = client.post("/sign-in", data={"email": "csrf@test.example", "password": "x" * 20})
    assert response.status_code == 400
    assert "Your form could not be sent" in response.text


def test_signing_out_revokes_the_session_everywhere(app, authorities: dict) -> None:
    make_user(email="two@test.example", roles=[(Role.VIRTUAL_SCHOOL, authorities["bradford"])])
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, "two@test.example")
    sign_in(phone, "two@test.example")
    stolen_cookie = laptop.get_cookie("pep_session").value
    page = laptop.get("/", follow_redirects=True)
    token = csrf_token(page.text)
    signed_out = laptop.post("/sign-out", data={"csrf_token": token}, follow_redirects=True)
    assert "You have signed out" in signed_out.text
    # The other device, and a copy of the old cookie, are both signed out too.
    assert phone.get("/").status_code == 302
    replay = app.test_client()
    replay.set_cookie("pep_session", stolen_cookie)
    assert replay.get("/").headers["Location"].startswith("/sign-in")


def test_sessions_end_after_thirty_idle_minutes(client: FlaskClient, authorities: dict) -> None:
    make_user(email="idle@test.example", roles=[(Role.VIRTUAL_SCHOOL, authorities["bradford"])])
    sign_in(client, "idle@test.example")
    assert client.get("/a/bradford/virtual-school/").status_code == 200
    with client.session_transaction() as session:
        session[SESSION_SEEN_AT] = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31)).isoformat()
    response = client.get("/a/bradford/virtual-school/", follow_redirects=True)
    assert response.request.path == "/sign-in"
    assert "You were signed out to protect children" in response.text


def test_a_disabled_account_stops_on_the_next_request(client: FlaskClient, authorities: dict) -> None:
    user = make_user(email="leaver@test.example", roles=[(Role.VIRTUAL_SCHOOL, authorities["bradford"])])
    sign_in(client, "leaver@test.example")
    assert client.get("/a/bradford/virtual-school/").status_code == 200
    db.session.get(User, user.id).is_enabled = False
    db.session.commit()
    assert client.get("/a/bradford/virtual-school/").status_code == 302


def test_next_only_goes_to_pages_of_this_site(client: FlaskClient, authorities: dict) -> None:
    make_user(email="next@test.example", roles=[(Role.VIRTUAL_SCHOOL, authorities["bradford"])])
    token = csrf_token(client.get("/sign-in").text)
    response = client.post(
        "/sign-in?next=//evil.example/steal",
        data={
            "email": "next@test.example",
            "password": "correct horse battery staple",
            "csrf_token": token,
        },
    )
    assert response.headers["Location"] == "/"


def test_a_user_with_no_role_is_told_who_to_ask(client: FlaskClient) -> None:
    make_user(email="norole@test.example")
    sign_in(client, "norole@test.example")
    page = client.get("/")
    assert page.status_code == 200
    assert "You do not have a role in any authority or education setting yet" in page.text


def test_sessions_end_after_twelve_hours_even_when_active(client: FlaskClient, authorities: dict) -> None:
    make_user(email="long@test.example", roles=[(Role.VIRTUAL_SCHOOL, authorities["bradford"])])
    sign_in(client, "long@test.example")
    with client.session_transaction() as session:
        session[SESSION_SIGNED_IN_AT] = (
            dt.datetime.now(dt.UTC) - dt.timedelta(hours=12, minutes=1)
        ).isoformat()
    assert client.get("/a/bradford/virtual-school/").headers["Location"].startswith("/sign-in")


def test_an_old_password_hash_is_upgraded_at_sign_in(client: FlaskClient, authorities: dict) -> None:
    user = make_user(email="old@test.example", roles=[(Role.VIRTUAL_SCHOOL, authorities["bradford"])])
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    user.password_hash = weak
    db.session.commit()
    sign_in(client, "old@test.example")
    db.session.expire_all()
    upgraded = db.session.get(User, user.id).password_hash
    assert upgraded != weak and upgraded.startswith("$argon2id$")
    assert not needs_rehash(upgraded)
