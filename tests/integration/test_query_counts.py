"""Each landing page runs the same number of queries for 3 rows as for 20 (no query per row)."""

from __future__ import annotations

import pytest
from flask import Flask

from portal.authorities.schema import Role
from portal.extensions import db
from tests.factories import make_child, make_pep, make_setting, make_user, sign_in
from tests.queries import count_queries


def build(authorities: dict, rows: int) -> None:
    """``rows`` children, each with a PEP delegated to one school, and ``rows`` more staff."""
    cwac = authorities["cheshire-west-and-chester"]
    school = make_setting("Counting School")
    worker = make_user(email=f"sw{rows}@c.example", roles=[(Role.SOCIAL_WORKER, cwac)])
    make_user(
        email=f"staff{rows}@c.example",
        roles=[
            (Role.VIRTUAL_SCHOOL, cwac),
            (Role.BUSINESS_SUPPORT, cwac),
            (Role.AUTHORITY_ADMIN, cwac),
        ],
    )
    make_user(email=f"dt{rows}@c.example", roles=[(Role.DESIGNATED_TEACHER, school)])
    for number in range(rows):
        child = make_child(cwac, f"Child{number}", social_worker=worker, setting=school)
        state = "with_business_support_to_send" if number % 2 else "with_setting"
        make_pep(child, setting=school, state=state)
        make_user(email=f"colleague{rows}-{number}@c.example", roles=[(Role.SOCIAL_WORKER, cwac)])


PAGES = [
    ("sw", "/a/cheshire-west-and-chester/social-work/caseload"),
    ("staff", "/a/cheshire-west-and-chester/virtual-school/"),
    ("staff", "/a/cheshire-west-and-chester/business-support/"),
    ("staff", "/a/cheshire-west-and-chester/admin/"),
    ("dt", "/school/"),
]


@pytest.mark.parametrize(("who", "path"), PAGES, ids=[p[1] for p in PAGES])
def test_page_queries_do_not_grow_with_rows(app: Flask, authorities: dict, who: str, path: str) -> None:
    counts = []
    for rows in (3, 20):
        build(authorities, rows)
        client = app.test_client()
        sign_in(client, f"{who}{rows}@c.example")
        with count_queries(db.engine) as statements:
            response = client.get(path)
        assert response.status_code == 200
        # Child1 waits for business support, so is on every list (the admin page lists people).
        assert "Child1" in response.text or path.endswith("/admin/")
        counts.append(len(statements))
    assert counts[0] == counts[1], f"{path}: {counts[0]} queries for 3 rows, {counts[1]} for 20"
