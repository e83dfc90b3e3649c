"""Each role lands on real pages over real data, with sensible empty states."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from portal.authorities.schema import Role
from tests.factories import make_child, make_pep, make_setting, make_user, sign_in


def test_business_support_queue_holds_the_peps_at_their_steps(client: FlaskClient, authorities: dict) -> None:
    cwac = authorities["cheshire-west-and-chester"]
    make_user("Lucy", email="bso@cwac.example", roles=[(Role.BUSINESS_SUPPORT, cwac)])
    make_pep(make_child(cwac, "Sending"), state="with_business_support_to_send")
    make_pep(make_child(cwac, "Typing"), state="with_business_support_to_record")
    make_pep(make_child(cwac, "Schooling"), state="with_setting")
    sign_in(client, "bso@cwac.example")
    page = client.get("/", follow_redirects=True)
    assert page.request.path == "/a/cheshire-west-and-chester/business-support/"
    assert "Locality PEP Business Support Officer" in page.text
    assert "Sending" in page.text and "Typing" in page.text and "Schooling" not in page.text


def test_empty_states_say_what_will_appear(client: FlaskClient, authorities: dict) -> None:
    cwac = authorities["cheshire-west-and-chester"]
    make_user(email="new@cwac.example", roles=[(Role.BUSINESS_SUPPORT, cwac), (Role.SOCIAL_WORKER, cwac)])
    make_user(email="dt@new.example", roles=[(Role.DESIGNATED_TEACHER, make_setting("New School"))])
    sign_in(client, "new@cwac.example")
    assert "Nothing is waiting for you" in client.get("/a/cheshire-west-and-chester/business-support/").text
    assert (
        "No children are allocated to you"
        in client.get("/a/cheshire-west-and-chester/social-work/caseload").text
    )
    school = client.application.test_client()
    sign_in(school, "dt@new.example")
    assert "No PEPs have been delegated to your setting yet" in school.get("/school/").text


def test_someone_with_two_roles_chooses_where_to_work(client: FlaskClient, authorities: dict) -> None:
    lancashire = authorities["lancashire"]
    make_user(
        email="both@lancs.example",
        roles=[(Role.SOCIAL_WORKER, lancashire), (Role.AUTHORITY_ADMIN, lancashire)],
    )
    sign_in(client, "both@lancs.example")
    home = client.get("/")
    assert home.status_code == 200
    assert "/a/lancashire/social-work/caseload" in home.text and "/a/lancashire/admin/" in home.text
    assert "Social worker, Lancashire County Council" in home.text
    # The authority's own name for the role, from its configuration.
    assert "Virtual School portal administrator, Lancashire County Council" in home.text


def test_virtual_school_sees_this_terms_peps_by_status(client: FlaskClient, authorities: dict) -> None:
    bradford = authorities["bradford"]
    make_user(email="vs@b.example", roles=[(Role.VIRTUAL_SCHOOL, bradford)])
    for name in ("Ann", "Ben"):
        make_pep(make_child(bradford, name), state="awaiting_qa")
    sign_in(client, "vs@b.example")
    page = client.get("/a/bradford/virtual-school/")
    assert page.status_code == 200
    # The status table counts both PEPs awaiting QA in the current term (autumn 2026-27).
    assert "PEPs for the autumn term 2026-27" in page.text
    assert status_count(page.text, "With Virtual School for quality assurance") == 2
    assert status_count(page.text, "Quality assured") == 0


def status_count(html: str, label: str) -> int:
    """The number in the status table's row for ``label``."""
    match = re.search(rf">{re.escape(label)}</th>\s*<td[^>]*>(\d+)</td>", html)
    assert match, f"no status row for {label!r}"
    return int(match.group(1))


def test_admin_sees_the_process_terms_and_people(client: FlaskClient, authorities: dict) -> None:
    lancashire = authorities["lancashire"]
    make_user("Kevin Doyle", email="admin@lancs.example", roles=[(Role.AUTHORITY_ADMIN, lancashire)])
    make_user("Chloe Barker", email="sw@lancs.example", roles=[(Role.SOCIAL_WORKER, lancashire)])
    make_user("Not Here", email="other@b.example", roles=[(Role.SOCIAL_WORKER, authorities["bradford"])])
    sign_in(client, "admin@lancs.example")
    page = client.get("/a/lancashire/admin/")
    assert page.status_code == 200
    assert "My Personal Information" in page.text and "My Health" in page.text
    assert "2026-27" in page.text and "2 people have a role" in page.text
    people = client.get("/a/lancashire/admin/people")
    assert "Chloe Barker" in people.text and "Not Here" not in people.text


def test_pages_are_paginated(client: FlaskClient, authorities: dict) -> None:
    lancashire = authorities["lancashire"]
    worker = make_user(email="busy@lancs.example", roles=[(Role.SOCIAL_WORKER, lancashire)])
    for number in range(30):
        make_child(lancashire, f"Child{number:02d}", social_worker=worker)
    sign_in(client, "busy@lancs.example")
    first = client.get("/a/lancashire/social-work/caseload")
    assert "Showing 1 to 25 of 30 children" in first.text
    assert "Child24" in first.text and "Child25" not in first.text
    second = client.get("/a/lancashire/social-work/caseload?page=2")
    assert "Showing 26 to 30 of 30 children" in second.text and "Child25" in second.text
    searched = client.get("/a/lancashire/social-work/caseload?q=child07")
    assert "Showing 1 to 1 of 1 children" in searched.text
    assert client.get("/a/lancashire/social-work/caseload?page=banana").status_code == 200
