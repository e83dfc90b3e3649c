"""One authority never sees another's children; a school sees only what was delegated to it."""

from __future__ import annotations

from flask.testing import FlaskClient

from portal.authorities.schema import Role
from portal.models import SettingType
from tests.factories import make_child, make_pep, make_setting, make_user, sign_in


def test_staff_cannot_open_another_authoritys_pages(client: FlaskClient, authorities: dict) -> None:
    lancashire = authorities["lancashire"]
    make_user(
        email="vs@lancs.example",
        roles=[(Role.VIRTUAL_SCHOOL, lancashire), (Role.AUTHORITY_ADMIN, lancashire)],
    )
    sign_in(client, "vs@lancs.example")
    assert client.get("/a/lancashire/virtual-school/").status_code == 200
    for url in (
        "/a/bradford/virtual-school/",
        "/a/bradford/admin/",
        "/a/bradford/social-work/caseload",
    ):
        assert client.get(url).status_code == 403, url
    assert client.get("/a/nowhere/virtual-school/").status_code == 404


def test_no_foreign_child_appears_in_an_authoritys_lists(client: FlaskClient, authorities: dict) -> None:
    lancashire, bradford = authorities["lancashire"], authorities["bradford"]
    make_child(lancashire, "Lancelot")
    foreign = make_child(bradford, "Bramwell")
    make_user(email="vs@lancs.example", roles=[(Role.VIRTUAL_SCHOOL, lancashire)])
    sign_in(client, "vs@lancs.example")
    page = client.get("/a/lancashire/virtual-school/")
    assert "Lancelot" in page.text and "Bramwell" not in page.text
    # Nor by putting the other authority's child id under this authority's URL.
    response = client.get(f"/a/lancashire/children/{foreign.id}")
    assert response.status_code == 404 and "Bramwell" not in response.text
    assert client.get(f"/a/bradford/children/{foreign.id}").status_code == 403


def test_a_social_worker_sees_their_own_caseload_only(client: FlaskClient, authorities: dict) -> None:
    lancashire = authorities["lancashire"]
    mine = make_user("Mine", email="sw1@lancs.example", roles=[(Role.SOCIAL_WORKER, lancashire)])
    theirs = make_user("Theirs", email="sw2@lancs.example", roles=[(Role.SOCIAL_WORKER, lancashire)])
    my_child = make_child(lancashire, "Mabel", social_worker=mine)
    their_child = make_child(lancashire, "Thaddeus", social_worker=theirs)
    sign_in(client, "sw1@lancs.example")
    caseload = client.get("/a/lancashire/social-work/caseload")
    assert "Mabel" in caseload.text and "Thaddeus" not in caseload.text
    assert client.get(f"/a/lancashire/children/{my_child.id}").status_code == 200
    assert client.get(f"/a/lancashire/children/{their_child.id}").status_code == 404


def test_a_school_sees_only_peps_delegated_to_it(client: FlaskClient, authorities: dict) -> None:
    lancashire, bradford = authorities["lancashire"], authorities["bradford"]
    riverside, other_school = make_setting("Riverside Academy"), make_setting("Other School")
    make_user("Priya", email="dt@riverside.example", roles=[(Role.DESIGNATED_TEACHER, riverside)])
    make_pep(
        make_child(lancashire, "Lola", setting=riverside),
        setting=riverside,
        state="delegated_to_setting",
    )
    make_pep(make_child(bradford, "Bertie", setting=riverside), setting=riverside, state="with_setting")
    # At Riverside but not delegated yet, and delegated to another school.
    make_pep(make_child(lancashire, "Nadia", setting=riverside))
    make_pep(
        make_child(bradford, "Oscar", setting=other_school),
        setting=other_school,
        state="with_setting",
    )

    sign_in(client, "dt@riverside.example")
    page = client.get("/", follow_redirects=True)
    assert page.request.path == "/school/"
    assert "Lola" in page.text and "Bertie" in page.text
    assert "Lancashire County Council" in page.text and "Bradford" in page.text
    assert "Nadia" not in page.text and "Oscar" not in page.text
    # A school has no authority role, so authority pages and child records are closed to it.
    assert client.get("/a/lancashire/virtual-school/").status_code == 403


def test_authority_staff_cannot_use_the_school_dashboard(client: FlaskClient, authorities: dict) -> None:
    make_user(email="vs@b.example", roles=[(Role.VIRTUAL_SCHOOL, authorities["bradford"])])
    sign_in(client, "vs@b.example")
    assert client.get("/school/").status_code == 403


def test_a_child_record_shows_the_derived_template_and_is_audited(
    client: FlaskClient, authorities: dict
) -> None:
    import datetime as dt

    from portal.extensions import db
    from portal.models import AuditEvent

    bradford = authorities["bradford"]
    worker = make_user(email="sw@b.example", roles=[(Role.SOCIAL_WORKER, bradford)])
    special = make_setting("Beck Lane Special School", SettingType.SPECIAL)
    child = make_child(
        bradford, "Sami", social_worker=worker, setting=special, date_of_birth=dt.date(2017, 1, 5)
    )
    sign_in(client, "sw@b.example")
    page = client.get(f"/a/bradford/children/{child.id}")
    assert "Special School and Specialist Provision" in page.text
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "child.viewed"))
    assert event.subject_id == child.id and event.actor_id == worker.id and event.authority_id == bradford.id
