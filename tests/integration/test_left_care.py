"""A child leaving care, recorded by their social worker on the child's record: refused with GOV.UK
errors (what was typed kept, nothing changed) for a future date, a date before they became looked
after or no reason; shown on the record and the caseload; audited, and a correction audited again."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal import clock
from portal.authorities.schema import Role
from portal.extensions import db
from portal.models import AuditEvent, Authority, Child
from tests.factories import csrf_token, make_child, make_pep, make_user, sign_in

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def case(app: Flask, lancashire: Authority, monkeypatch: pytest.MonkeyPatch) -> dict:
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    worker = make_user("Chloe Barker", email="sw@lancs.example", roles=[(Role.SOCIAL_WORKER, lancashire)])
    noah = make_child(
        lancashire, "Noah", "Adeyemi", social_worker=worker
    )  # looked after from 1 September 2026
    make_pep(noah)
    ruby = make_child(lancashire, "Ruby", "Adeyemi", social_worker=worker)
    client = app.test_client()
    sign_in(client, worker.email)
    return {
        "client": client,
        "worker": worker,
        "noah": noah,
        "ruby": ruby,
        "url": f"/a/lancashire/children/{noah.id}",
    }


def post_left_care(case: dict, day: list[str], reason: str | None):
    client: FlaskClient = case["client"]
    token = csrf_token(client.get(case["url"]).text)
    data: dict[str, object] = {"csrf_token": token, "left_care_on": day}
    if reason is not None:
        data["reason"] = reason
    return client.post(f"{case['url']}/left-care", data=data)


def left_care_events() -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "child.left_care").order_by(AuditEvent.id)
        )
    )


def test_the_social_worker_records_that_a_child_left_care(case: dict) -> None:
    client = case["client"]
    before = client.get(case["url"]).text
    assert "The child has left care" in before and "Why they left care" in before
    assert "left care on" not in before

    response = post_left_care(case, ["13", "11", "2026"], "adopted")

    assert response.status_code == 302 and response.headers["Location"] == case["url"]
    page = client.get(case["url"]).text
    assert "Noah’s leaving care has been recorded. No new PEPs will be started for them." in page
    assert "Noah left care on 13 November 2026 (Adopted). No new PEPs will be started for them." in page
    assert "13 November 2026: Adopted" in page  # the summary list row
    db.session.expire_all()
    noah = db.session.get(Child, case["noah"].id)
    assert (noah.left_care_on, noah.left_care_reason) == (dt.date(2026, 11, 13), "adopted")
    [event] = left_care_events()
    assert (event.actor_id, event.subject_type, event.subject_id) == (case["worker"].id, "Child", noah.id)
    assert event.details == {"fields": ["left_care_on", "left_care_reason"], "correction": False}


def test_the_caseload_tags_only_the_child_who_left_care(case: dict) -> None:
    post_left_care(case, ["13", "11", "2026"], "returned_home")

    caseload = case["client"].get("/a/lancashire/social-work/caseload").text

    noah_row, ruby_row = (
        caseload.split(f"{name} Adeyemi</a>")[1].split("</th>")[0] for name in ("Noah", "Ruby")
    )
    assert "Left care" in noah_row
    assert "Left care" not in ruby_row


def test_recording_again_corrects_it_and_the_administrator_sees_both_in_the_audit_trail(
    case: dict, app: Flask, lancashire: Authority
) -> None:
    post_left_care(case, ["13", "11", "2026"], "adopted")
    corrected = post_left_care(case, ["6", "11", "2026"], "special_guardianship")

    assert corrected.status_code == 302
    page = case["client"].get(case["url"]).text
    assert "Noah left care on 6 November 2026 (Special guardianship order)" in page
    assert "Correct when they left care" in page
    assert [e.details["correction"] for e in left_care_events()] == [False, True]
    admin = make_user("Ada Admin", email="ada@lancs.example", roles=[(Role.AUTHORITY_ADMIN, lancashire)])
    admin_client = app.test_client()
    sign_in(admin_client, admin.email)
    trail = admin_client.get("/a/lancashire/admin/audit?action=child.left_care").text
    assert trail.count("Recorded that a child left care") >= 2
    assert "correction: yes" in trail and "correction: no" in trail


@pytest.mark.parametrize(
    ("day", "reason", "message"),
    [
        (["21", "11", "2026"], "adopted", "The date they left care must be today or in the past"),
        (
            ["31", "8", "2026"],
            "adopted",
            "The date they left care must be on or after the date they became looked after, 1 September 2026",
        ),
        (["13", "11", "2026"], None, "Select why they left care"),
        (["13", "11", "2026"], "emigrated", "Select why they left care"),
        (["", "", ""], "adopted", "Enter the date they left care"),
        (["31", "11", "2026"], "adopted", "Date they left care must be a real date"),
    ],
)
def test_a_wrong_date_or_reason_is_refused_with_what_was_typed_kept(
    case: dict, day: list[str], reason: str | None, message: str
) -> None:
    response = post_left_care(case, day, reason)

    assert response.status_code == 200
    assert "<title>Error:" in response.text
    summary = response.text.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    assert message in summary
    for part in filter(None, day):
        assert f'value="{part}"' in response.text
    if reason == "adopted":
        assert 'value="adopted" checked' in response.text
    db.session.expire_all()
    noah = db.session.get(Child, case["noah"].id)
    assert (noah.left_care_on, noah.left_care_reason) == (None, None)
    assert left_care_events() == []
