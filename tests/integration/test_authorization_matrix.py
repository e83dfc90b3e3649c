"""Every route x every role x object position -> the status a person should get (security.md 2).

The expectations are written out by hand, not derived from the routes' declared rules, so a rule
that is too generous fails here. A new route fails the coverage test until it is added.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from portal.authorities.schema import Role
from tests.factories import make_child, make_pep, make_setting, make_user, sign_in

ROLES = [
    "anonymous",
    "designated_teacher",
    "social_worker",
    "business_support",
    "virtual_school",
    "authority_admin",
]
OK, DENIED, HIDDEN, SIGN_IN = "ok", 403, 404, "sign in"
FOREIGN_NAME = "Zebedee"


def only(role: str) -> Callable[[str], object]:
    return lambda who: OK if who == role else (SIGN_IN if who == "anonymous" else DENIED)


def child_record(who: str, position: str) -> object:
    if who == "anonymous":
        return SIGN_IN
    if who == "designated_teacher":
        return DENIED  # schools have no authority role; they see PEPs, not care records
    if position == "other authority":
        return DENIED
    if position == "foreign child under own authority":
        return HIDDEN
    if who == "social_worker" and position == "other caseload":
        return HIDDEN
    return OK


# endpoint -> {position: expected(role)}; positions are where the URL points.
MATRIX: dict[str, dict[str, Callable[[str], object]]] = {
    "auth.home": {"none": lambda who: SIGN_IN if who == "anonymous" else OK},
    "school.dashboard": {"none": only("designated_teacher")},
    "social_work.caseload": {
        "own authority": only("social_worker"),
        "other authority": lambda w: SIGN_IN if w == "anonymous" else DENIED,
    },
    "business_support.queue": {
        "own authority": only("business_support"),
        "other authority": lambda w: SIGN_IN if w == "anonymous" else DENIED,
    },
    "virtual_school.overview": {
        "own authority": only("virtual_school"),
        "other authority": lambda w: SIGN_IN if w == "anonymous" else DENIED,
    },
    "admin.overview": {
        "own authority": only("authority_admin"),
        "other authority": lambda w: SIGN_IN if w == "anonymous" else DENIED,
    },
    "children.show": {
        position: (lambda p: lambda who: child_record(who, p))(position)
        for position in (
            "own caseload",
            "other caseload",
            "other authority",
            "foreign child under own authority",
        )
    },
}
PUBLIC_OR_POST_ONLY = {"assets.asset", "assets.health", "auth.sign_in", "auth.sign_out"}


def test_the_matrix_covers_every_page(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - PUBLIC_OR_POST_ONLY == set(MATRIX), "add the new route to the matrix"


@pytest.fixture
def world(authorities: dict) -> dict:
    lancashire, bradford = authorities["lancashire"], authorities["bradford"]
    school = make_setting("Matrix School")
    users = {
        "designated_teacher": make_user(email="dt@m.example", roles=[(Role.DESIGNATED_TEACHER, school)]),
        "social_worker": make_user(email="sw@m.example", roles=[(Role.SOCIAL_WORKER, lancashire)]),
        "business_support": make_user(email="bso@m.example", roles=[(Role.BUSINESS_SUPPORT, lancashire)]),
        "virtual_school": make_user(email="vs@m.example", roles=[(Role.VIRTUAL_SCHOOL, lancashire)]),
        "authority_admin": make_user(email="admin@m.example", roles=[(Role.AUTHORITY_ADMIN, lancashire)]),
    }
    colleague = make_user(email="sw2@m.example", roles=[(Role.SOCIAL_WORKER, lancashire)])
    own = make_child(lancashire, "Olive", social_worker=users["social_worker"], setting=school)
    other = make_child(lancashire, "Otto", social_worker=colleague, setting=school)
    foreign = make_child(bradford, FOREIGN_NAME, setting=school)
    make_pep(own, setting=school, state="delegated_to_setting")
    # Bradford has placed a child at the same school but not delegated this PEP to it.
    make_pep(foreign, state="initiated")
    return {"users": users, "own": own, "other": other, "foreign": foreign}


def url_for_position(endpoint: str, position: str, world: dict) -> str:
    slug = "bradford" if position == "other authority" else "lancashire"
    simple = {
        "auth.home": "/",
        "school.dashboard": "/school/",
        "social_work.caseload": f"/a/{slug}/social-work/caseload",
        "business_support.queue": f"/a/{slug}/business-support/",
        "virtual_school.overview": f"/a/{slug}/virtual-school/",
        "admin.overview": f"/a/{slug}/admin/",
    }
    if endpoint in simple:
        return simple[endpoint]
    child = {"own caseload": "own", "other caseload": "other"}.get(position, "foreign")
    return f"/a/{slug}/children/{world[child].id}"


@pytest.mark.parametrize("who", ROLES)
def test_every_route_for_every_role_and_position(app: Flask, world: dict, who: str) -> None:
    client = app.test_client()
    if who != "anonymous":
        sign_in(client, world["users"][who].email)
    failures = []
    for endpoint, positions in MATRIX.items():
        for position, expected_for in positions.items():
            url = url_for_position(endpoint, position, world)
            response = client.get(url)
            expected = expected_for(who)
            if expected == OK:
                actual_ok = response.status_code in (200, 302) and not response.headers.get(
                    "Location", ""
                ).startswith("/sign-in")
                got = OK if actual_ok else response.status_code
            elif expected == SIGN_IN:
                got = (
                    SIGN_IN
                    if response.headers.get("Location", "").startswith("/sign-in")
                    else response.status_code
                )
            else:
                got = response.status_code
            if got != expected:
                failures.append(f"{who} {url} ({position}): expected {expected}, got {got}")
            if FOREIGN_NAME in response.text:
                failures.append(f"{who} {url}: a Bradford child's name appeared")
    assert failures == []
