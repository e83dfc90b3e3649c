"""Manage people: an authority administrator invites by e-mail, the invitee accepts through a
single-use link that expires, roles are given and removed, accounts disabled; every change takes
effect on the person's next request and only ever within the administrator's own authority."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal.authorities.schema import Role
from portal.extensions import db
from portal.models import AuditEvent, Invitation, Membership, OutboxMessage, User
from portal.models.types import utcnow
from tests.factories import csrf_token, make_child, make_setting, make_user, sign_in
from tests.queries import count_queries

NEW_PASSWORD = "a long walk by the river ribble"


@pytest.fixture
def lancs(authorities: dict) -> dict:
    authority = authorities["lancashire"]
    school = make_setting("Ribble Valley High")
    elsewhere = make_setting("No Lancashire Children School")
    admin = make_user("Ada Admin", email="admin@lancs.example", roles=[(Role.AUTHORITY_ADMIN, authority)])
    worker = make_user("Sam Worker", email="sw@lancs.example", roles=[(Role.SOCIAL_WORKER, authority)])
    make_child(authority, "Olive", social_worker=worker, setting=school)
    return {
        "authority": authority,
        "bradford": authorities["bradford"],
        "school": school,
        "elsewhere": elsewhere,
        "admin": admin,
        "worker": worker,
    }


def signed_in(app: Flask, email: str, password: str | None = None) -> FlaskClient:
    client = app.test_client()
    response = sign_in(client, email, password) if password else sign_in(client, email)
    assert response.status_code == 302, "sign-in failed"
    return client


def post_form(client: FlaskClient, url: str, data: dict, **kwargs):
    """Post with the signed-in session's CSRF token, as the page's own form does."""
    token = csrf_token(client.get("/", follow_redirects=True).text)
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)


def invite(
    client: FlaskClient,
    email: str,
    role: str,
    name: str = "Nia New",
    setting: str = "",
    slug: str = "lancashire",
):
    return post_form(
        client,
        f"/a/{slug}/admin/people/invite",
        {"full_name": name, "email": email, "role": role, "setting_id": setting},
    )


def link_in_outbox(email: str) -> str:
    db.session.expire_all()
    message = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient_email == email).order_by(OutboxMessage.id.desc())
    ).first()
    assert message is not None, f"no e-mail to {email}"
    match = re.search(r"https?://[^/\s]+(/invitations/[A-Za-z0-9_-]+)", message.body)
    assert match, message.body
    return match.group(1)


def banner(html: str) -> str:
    match = re.search(
        r'govuk-notification-banner--success.*?<p class="govuk-notification-banner__heading">\s*(.*?)\s*</p>',
        html,
        re.S,
    )
    return match.group(1) if match else ""


# --- Inviting and accepting -----------------------------------------------------------------


def test_a_new_person_is_invited_sets_a_password_and_works_at_once(app: Flask, lancs: dict) -> None:
    admin = signed_in(app, "admin@lancs.example")
    response = invite(admin, "Nia.New@Lancs.example", "social_worker")
    assert response.status_code == 302
    page = admin.get(response.headers["Location"]).text
    assert "Invitation sent to nia.new@lancs.example. The link works for 7 days" in banner(page)
    assert "Invitations waiting to be accepted" in page and "Nia New" in page

    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.recipient_email == "nia.new@lancs.example")
    )
    assert message.message == "invitation" and message.pep_id is None
    assert "Olive" not in message.body and "Olive" not in message.subject  # no child data
    link = link_in_outbox("nia.new@lancs.example")

    newcomer = app.test_client()
    form = newcomer.get(link)
    assert form.status_code == 200 and "Create your account" in form.text
    weak = newcomer.post(
        link, data={"csrf_token": csrf_token(form.text), "password": "short", "confirm_password": "short"}
    )
    assert weak.status_code == 200
    assert "<title>Error: Create your account" in weak.text
    assert "Password must be 12 characters or more" in weak.text and "There is a problem" in weak.text
    token = csrf_token(weak.text)
    mismatch = newcomer.post(
        link, data={"csrf_token": token, "password": NEW_PASSWORD, "confirm_password": "x"}
    )
    assert "The passwords do not match" in mismatch.text

    done = newcomer.post(
        link, data={"csrf_token": token, "password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
    )
    assert done.status_code == 302 and done.headers["Location"] == "/"
    # Signed in, with the role, on the very next request.
    caseload = newcomer.get("/a/lancashire/social-work/caseload")
    assert caseload.status_code == 200 and "Nia New" in caseload.text
    # The link worked once.
    again = app.test_client().get(link)
    assert again.status_code == 410 and "This invitation has already been used" in again.text
    # And the password they chose signs them in.
    signed_in(app, "nia.new@lancs.example", NEW_PASSWORD)
    assert "Invitations waiting to be accepted" not in admin.get("/a/lancashire/admin/people").text


def test_an_existing_account_signs_in_as_the_address_and_gets_the_role_added(app: Flask, lancs: dict) -> None:
    teacher = make_user(
        "Dee Teacher", email="dt@school.example", roles=[(Role.DESIGNATED_TEACHER, lancs["school"])]
    )
    admin = signed_in(app, "admin@lancs.example")
    invite(admin, "dt@school.example", "virtual_school", name="Dee Teacher")
    link = link_in_outbox("dt@school.example")

    anonymous = app.test_client().get(link)
    assert anonymous.status_code == 200 and "Sign in to accept" in anonymous.text
    assert "Create your account" not in anonymous.text

    someone_else = signed_in(app, "sw@lancs.example")
    wrong = someone_else.get(link)
    assert "but you are signed in as sw@lancs.example" in wrong.text
    assert "Accept the role" not in wrong.text

    client = signed_in(app, teacher.email)
    assert client.get("/a/lancashire/virtual-school/").status_code == 403
    page = client.get(link)
    assert "Accept the role" in page.text
    accepted = client.post(link, data={"csrf_token": csrf_token(page.text)})
    assert accepted.status_code == 302
    assert "You now have the role" in banner(client.get("/", follow_redirects=True).text)
    assert client.get("/a/lancashire/virtual-school/").status_code == 200
    assert client.get("/school/").status_code == 200  # the old role is kept
    assert client.get(link).status_code == 410


def test_an_expired_link_gives_a_plain_page_and_changes_nothing(app: Flask, lancs: dict) -> None:
    admin = signed_in(app, "admin@lancs.example")
    invite(admin, "late@lancs.example", "social_worker")
    link = link_in_outbox("late@lancs.example")
    invitation = db.session.scalar(select(Invitation).where(Invitation.email == "late@lancs.example"))
    assert invitation.expires_at - invitation.created_at == dt.timedelta(days=7)
    invitation.expires_at = utcnow() - dt.timedelta(minutes=1)
    db.session.commit()

    client = app.test_client()
    page = client.get(link)
    assert page.status_code == 410 and "This invitation has expired" in page.text
    assert "Ask the person who invited you to send a new invitation" in page.text
    token = csrf_token(client.get("/sign-in").text)
    posted = client.post(
        link, data={"csrf_token": token, "password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
    )
    assert posted.status_code == 410
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == "late@lancs.example"))
    assert user.password_hash is None and user.memberships == []
    assert "Invitations waiting" not in admin.get("/a/lancashire/admin/people").text


def test_an_unknown_link_is_not_found(client: FlaskClient, lancs: dict) -> None:
    response = client.get("/invitations/not-a-real-token")
    assert response.status_code == 404 and "This invitation link is not valid" in response.text


def test_reinviting_replaces_the_earlier_link_and_a_held_role_is_refused(app: Flask, lancs: dict) -> None:
    admin = signed_in(app, "admin@lancs.example")
    invite(admin, "twice@lancs.example", "social_worker")
    first = link_in_outbox("twice@lancs.example")
    invite(admin, "twice@lancs.example", "social_worker")
    second = link_in_outbox("twice@lancs.example")
    assert first != second
    old = app.test_client().get(first)
    assert old.status_code == 410 and "This invitation has been withdrawn" in old.text
    assert app.test_client().get(second).status_code == 200
    listed = admin.get("/a/lancashire/admin/people").text
    assert listed.count('<td class="govuk-table__cell">twice@lancs.example</td>') == 1

    refused = invite(admin, "sw@lancs.example", "social_worker", name="Sam Worker")
    assert refused.status_code == 200
    assert "sw@lancs.example already has the role" in refused.text and "<title>Error:" in refused.text
    assert 'value="Sam Worker"' in refused.text  # what was typed is kept
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 2


def test_the_administrator_withdraws_a_pending_invitation(app: Flask, lancs: dict) -> None:
    admin = signed_in(app, "admin@lancs.example")
    invite(admin, "gone@lancs.example", "social_worker")
    link = link_in_outbox("gone@lancs.example")
    invitation = db.session.scalar(select(Invitation).where(Invitation.email == "gone@lancs.example"))
    response = post_form(admin, f"/a/lancashire/admin/people/invitations/{invitation.id}/revoke", {})
    assert "Invitation to gone@lancs.example withdrawn" in banner(
        admin.get(response.headers["Location"]).text
    )
    assert app.test_client().get(link).status_code == 410


def test_invalid_invitations_show_errors_and_keep_what_was_typed(app: Flask, lancs: dict) -> None:
    admin = signed_in(app, "admin@lancs.example")
    empty = invite(admin, "", "", name="")
    assert "<title>Error: Invite someone" in empty.text
    for message in ("Enter their full name", "Enter their email address", "Select a role"):
        assert message in empty.text
    bad = invite(admin, "not-an-address", "designated_teacher", name="Pat Typed")
    assert "Enter an email address in the correct format" in bad.text
    assert "Select the setting for this role" in bad.text
    assert 'value="Pat Typed"' in bad.text and 'value="not-an-address"' in bad.text
    # Only settings where Lancashire has children are offered, and no other is accepted.
    form = admin.get("/a/lancashire/admin/people/invite").text
    assert "Ribble Valley High" in form and "No Lancashire Children School" not in form
    other = invite(admin, "x@y.example", "designated_teacher", setting=str(lancs["elsewhere"].id))
    assert other.status_code == 200 and db.session.scalar(select(func.count()).select_from(Invitation)) == 0
    # Only the roles Lancashire uses are offered, by Lancashire's names.
    assert "education_contact" not in form
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_inviting_to_a_setting_gives_the_role_at_that_setting(app: Flask, lancs: dict) -> None:
    admin = signed_in(app, "admin@lancs.example")
    invite(admin, "newdt@school.example", "designated_teacher", setting=str(lancs["school"].id))
    link = link_in_outbox("newdt@school.example")
    client = app.test_client()
    page = client.get(link)
    assert "Ribble Valley High" in page.text
    client.post(
        link,
        data={
            "csrf_token": csrf_token(page.text),
            "password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert client.get("/school/").status_code == 200
    assert client.get(f"/school/settings/{lancs['school'].id}/colleagues").status_code == 200


# --- The people list ------------------------------------------------------------------------


def test_the_list_searches_filters_and_costs_the_same_whatever_its_length(app: Flask, lancs: dict) -> None:
    authority = lancs["authority"]
    make_user("Vera Virtual", email="vera@lancs.example", roles=[(Role.VIRTUAL_SCHOOL, authority)])
    make_user(
        "Teddy Teacher", email="teddy@school.example", roles=[(Role.DESIGNATED_TEACHER, lancs["school"])]
    )
    make_user("Brad Ford", email="brad@bradford.example", roles=[(Role.SOCIAL_WORKER, lancs["bradford"])])
    make_user(
        "Far Away", email="far@elsewhere.example", roles=[(Role.DESIGNATED_TEACHER, lancs["elsewhere"])]
    )
    admin = signed_in(app, "admin@lancs.example")
    page = admin.get("/a/lancashire/admin/people").text
    for name in ("Ada Admin", "Sam Worker", "Vera Virtual", "Teddy Teacher"):
        assert name in page
    assert "Brad Ford" not in page and "Far Away" not in page
    assert "Ribble Valley High" in page  # the setting of a setting role is shown

    found = admin.get("/a/lancashire/admin/people?q=VERA").text
    assert "Vera Virtual" in found and "Sam Worker" not in found
    by_email = admin.get("/a/lancashire/admin/people?q=teddy%40school").text
    assert "Teddy Teacher" in by_email and "Vera Virtual" not in by_email
    teachers = admin.get("/a/lancashire/admin/people?role=designated_teacher").text
    assert "Teddy Teacher" in teachers and f'/admin/people/{lancs["admin"].id}"' not in teachers
    nobody = admin.get("/a/lancashire/admin/people?q=zzz").text
    assert "No one with a role matches your search" in nobody

    counts = []
    for extra in (0, 30):
        for number in range(extra):
            make_user(f"Extra {number:02}", roles=[(Role.SOCIAL_WORKER, authority)])
        with count_queries(db.engine) as statements:
            response = admin.get("/a/lancashire/admin/people")
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert "Showing 1 to 25 of 34 people" in response.text
    assert "Extra 29" in admin.get("/a/lancashire/admin/people?page=2").text


def test_the_overview_points_to_the_people_pages(app: Flask, lancs: dict) -> None:
    page = signed_in(app, "admin@lancs.example").get("/a/lancashire/admin/").text
    assert "2 people have a role" in page and "/a/lancashire/admin/people" in page


# --- Roles and accounts ---------------------------------------------------------------------


def test_giving_and_removing_a_role_takes_effect_on_the_next_request(app: Flask, lancs: dict) -> None:
    worker = lancs["worker"]
    worker_client = signed_in(app, worker.email)
    assert worker_client.get("/a/lancashire/business-support/").status_code == 403

    admin = signed_in(app, "admin@lancs.example")
    person = f"/a/lancashire/admin/people/{worker.id}"
    assert "Sam Worker" in admin.get(person).text
    given = post_form(admin, f"{person}/roles", {"role": "business_support", "setting_id": ""})
    assert "Sam Worker now has the role" in banner(admin.get(given.headers["Location"]).text)
    assert worker_client.get("/a/lancashire/business-support/").status_code == 200

    again = post_form(admin, f"{person}/roles", {"role": "business_support", "setting_id": ""})
    assert again.status_code == 200 and "already has the role" in again.text and "<title>Error:" in again.text

    membership = db.session.scalar(
        select(Membership).where(Membership.user_id == worker.id, Membership.role == Role.SOCIAL_WORKER)
    )
    removed = post_form(admin, f"{person}/roles/remove", {"membership": str(membership.id)})
    assert "removed from Sam Worker" in banner(admin.get(removed.headers["Location"]).text)
    assert worker_client.get("/a/lancashire/social-work/caseload").status_code == 403
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == worker.id)).all()
    assert {"people.role_given", "people.role_removed"} <= set(actions)
    details = db.session.scalars(
        select(AuditEvent.details).where(AuditEvent.action == "people.role_removed")
    ).all()
    assert details == [{"role": "social_worker", "setting": None}]  # identifiers, not names


def test_a_person_whose_roles_were_all_removed_stays_visible_to_their_administrator(
    app: Flask, lancs: dict
) -> None:
    worker = lancs["worker"]
    admin = signed_in(app, "admin@lancs.example")
    membership = worker.memberships[0]
    post_form(
        admin, f"/a/lancashire/admin/people/{worker.id}/roles/remove", {"membership": str(membership.id)}
    )
    page = admin.get(f"/a/lancashire/admin/people/{worker.id}")
    assert page.status_code == 200 and "Sam Worker has no role in Lancashire County Council" in page.text


def test_disabling_signs_the_person_out_on_their_next_request(app: Flask, lancs: dict) -> None:
    worker = lancs["worker"]
    worker_client = signed_in(app, worker.email)
    admin = signed_in(app, "admin@lancs.example")
    version = worker.session_version
    response = post_form(admin, f"/a/lancashire/admin/people/{worker.id}/disable", {})
    assert "account is disabled" in banner(admin.get(response.headers["Location"]).text)
    next_request = worker_client.get("/a/lancashire/social-work/caseload")
    assert next_request.status_code == 302 and next_request.headers["Location"].startswith("/sign-in")
    assert sign_in(app.test_client(), worker.email).status_code == 200  # refused
    db.session.expire_all()
    assert db.session.get(User, worker.id).session_version == version + 1
    assert "Disabled" in admin.get("/a/lancashire/admin/people").text

    post_form(admin, f"/a/lancashire/admin/people/{worker.id}/enable", {})
    assert signed_in(app, worker.email).get("/a/lancashire/social-work/caseload").status_code == 200


def test_the_last_enabled_administrator_cannot_be_removed_or_disabled(app: Flask, lancs: dict) -> None:
    authority, admin_user = lancs["authority"], lancs["admin"]
    admin = signed_in(app, admin_user.email)
    own_role = admin_user.memberships[0]
    refused = post_form(
        admin, f"/a/lancashire/admin/people/{admin_user.id}/roles/remove", {"membership": str(own_role.id)}
    )
    assert (
        "Lancashire County Council must keep at least one administrator"
        in admin.get(refused.headers["Location"]).text
    )
    assert admin.get("/a/lancashire/admin/people").status_code == 200

    second = make_user("Bea Backup", email="bea@lancs.example", roles=[(Role.AUTHORITY_ADMIN, authority)])
    # A disabled administrator does not count: with Bea disabled, Ada is the last one again.
    post_form(admin, f"/a/lancashire/admin/people/{second.id}/disable", {})
    refused = post_form(
        admin, f"/a/lancashire/admin/people/{admin_user.id}/roles/remove", {"membership": str(own_role.id)}
    )
    assert "must keep at least one administrator" in admin.get(refused.headers["Location"]).text
    post_form(admin, f"/a/lancashire/admin/people/{second.id}/enable", {})
    # With two enabled administrators, one may disable the other.
    bea = signed_in(app, second.email)
    done = post_form(bea, f"/a/lancashire/admin/people/{admin_user.id}/disable", {})
    assert "account is disabled" in banner(bea.get(done.headers["Location"]).text)
    # Now Bea is the last one: removing her own role is refused, disabling herself too.
    bea_role = db.session.scalar(select(Membership).where(Membership.user_id == second.id))
    refused = post_form(
        bea, f"/a/lancashire/admin/people/{second.id}/roles/remove", {"membership": str(bea_role.id)}
    )
    assert "must keep at least one administrator" in bea.get(refused.headers["Location"]).text
    refused = post_form(bea, f"/a/lancashire/admin/people/{second.id}/disable", {})
    assert "You cannot disable your own account" in bea.get(refused.headers["Location"]).text
    db.session.expire_all()
    assert db.session.get(User, second.id).is_enabled


def test_an_account_with_roles_in_another_authority_is_not_disabled(app: Flask, lancs: dict) -> None:
    both = make_user(
        "Bo Both",
        email="both@example.example",
        roles=[(Role.SOCIAL_WORKER, lancs["authority"]), (Role.SOCIAL_WORKER, lancs["bradford"])],
    )
    admin = signed_in(app, "admin@lancs.example")
    page = admin.get(f"/a/lancashire/admin/people/{both.id}").text
    assert "They also have 1 role that other administrators manage" in page
    refused = post_form(admin, f"/a/lancashire/admin/people/{both.id}/disable", {})
    message = admin.get(refused.headers["Location"]).text
    assert "also has roles that Lancashire County Council does not manage" in message
    assert "Remove their roles here instead" in message
    db.session.expire_all()
    assert db.session.get(User, both.id).is_enabled
    # The Bradford role is not offered for removal here.
    assert page.count('name="membership"') == 1


# --- Tenancy --------------------------------------------------------------------------------


def test_another_authoritys_administrator_neither_sees_nor_changes_these_people(
    app: Flask, lancs: dict
) -> None:
    make_user(
        "Bill Bradford", email="admin@bradford.example", roles=[(Role.AUTHORITY_ADMIN, lancs["bradford"])]
    )
    bradford = signed_in(app, "admin@bradford.example")
    worker = lancs["worker"]
    assert bradford.get(f"/a/bradford/admin/people/{worker.id}").status_code == 404
    assert "Sam Worker" not in bradford.get("/a/bradford/admin/people").text
    assert bradford.get("/a/lancashire/admin/people").status_code == 403
    assert bradford.get(f"/a/lancashire/admin/people/{worker.id}").status_code == 403
    for path in ("disable", "roles/remove", "roles"):
        response = post_form(
            bradford,
            f"/a/bradford/admin/people/{worker.id}/{path}",
            {"membership": "1", "role": "virtual_school"},
        )
        assert response.status_code == 404, path
    # Nor can Bradford's administrator give a role at a setting where Bradford has no children.
    response = invite(
        bradford, "x@x.example", "designated_teacher", setting=str(lancs["school"].id), slug="bradford"
    )
    assert response.status_code == 200
    db.session.expire_all()
    assert (
        db.session.get(User, worker.id).is_enabled and len(db.session.get(User, worker.id).memberships) == 1
    )
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


# --- Whatever the form holds ----------------------------------------------------------------

typed_text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=300)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=typed_text,
    email=st.one_of(typed_text, st.emails().map(str)),
    role=st.sampled_from(["social_worker", "designated_teacher", "education_contact", "", "bogus"]),
    setting=st.one_of(st.just(""), typed_text, st.integers(-5, 10**12).map(str)),
)
def test_any_invitation_form_is_sent_within_the_rules_or_refused(
    app: Flask, lancs: dict, name: str, email: str, role: str, setting: str
) -> None:
    """No server error, and no invitation outside the authority's roles and settings."""
    admin = signed_in(app, "admin@lancs.example")
    response = invite(admin, email, role, name=name, setting=setting)
    assert response.status_code in (200, 302)
    db.session.expire_all()
    for invitation in db.session.scalars(select(Invitation)):
        assert invitation.role in (Role.SOCIAL_WORKER, Role.DESIGNATED_TEACHER)
        assert invitation.authority_id == lancs["authority"].id or invitation.setting_id == lancs["school"].id
        assert invitation.full_name.strip() and "@" in invitation.email


def test_extra_fields_change_nothing(app: Flask, lancs: dict) -> None:
    """Posting fields the forms do not declare (another authority, a setting, an enabled flag)."""
    admin = signed_in(app, "admin@lancs.example")
    extra = {"authority_id": str(lancs["bradford"].id), "is_enabled": "0", "accepted_at": "2020-01-01"}
    post_form(
        admin,
        "/a/lancashire/admin/people/invite",
        {"full_name": "Eve Extra", "email": "eve@lancs.example", "role": "social_worker", **extra},
    )
    invitation = db.session.scalar(select(Invitation).where(Invitation.email == "eve@lancs.example"))
    assert invitation.authority_id == lancs["authority"].id and invitation.accepted_at is None
    link = link_in_outbox("eve@lancs.example")
    client = app.test_client()
    form = client.get(link).text
    client.post(
        link,
        data={
            "csrf_token": csrf_token(form),
            "password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
            "role": "authority_admin",
            **extra,
        },
    )
    db.session.expire_all()
    eve = db.session.scalar(select(User).where(User.email == "eve@lancs.example"))
    assert eve.is_enabled
    assert [(m.role, m.authority_id) for m in eve.memberships] == [
        (Role.SOCIAL_WORKER, lancs["authority"].id)
    ]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(password=typed_text, confirm=typed_text)
def test_any_password_form_creates_an_account_within_the_rules_or_refuses(
    app: Flask, lancs: dict, password: str, confirm: str
) -> None:
    """The public acceptance page: no server error; an account only with an acceptable password."""
    if db.session.scalar(select(func.count()).select_from(Invitation)) == 0:
        invite(signed_in(app, "admin@lancs.example"), "fuzz@lancs.example", "social_worker")
    link = link_in_outbox("fuzz@lancs.example")
    client = app.test_client()
    page = client.get(link)
    if page.status_code == 410:
        return  # an earlier example accepted it
    data = {"csrf_token": csrf_token(page.text), "password": password, "confirm_password": confirm}
    response = client.post(link, data=data)
    assert response.status_code in (200, 302)
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == "fuzz@lancs.example"))
    if response.status_code == 302:
        assert password == confirm and len(password) >= 12 and user.memberships
    else:
        assert user.password_hash is None and user.memberships == []
