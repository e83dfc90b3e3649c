"""The designated teacher's journey through the test client: plain form posts (no JavaScript)
and htmx requests, on the sample authority whose fields are known."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.authorities.vocabulary import PepKind, Role, Term
from portal.extensions import db
from portal.models import PepAttachment, PepSectionEntry
from portal.services import workflow
from tests.factories import csrf_token, make_child, make_setting, make_user, sign_in
from tests.integration.conftest import load_sample_council

HTMX = {"HX-Request": "true"}


@pytest.fixture
def journey(app: Flask) -> dict:
    council = load_sample_council()
    school = make_setting("Sample Academy")
    sw = make_user("Sam Social", email="sw@sample.example", roles=[(Role.SOCIAL_WORKER, council)])
    teacher = make_user("Dee Teacher", email="dt@sample.example", roles=[(Role.DESIGNATED_TEACHER, school)])
    senco = make_user("Beth Senco", email="senco@sample.example", roles=[(Role.SETTING_STAFF, school)])
    child = make_child(council, "Kayla", "Morrison", social_worker=sw, setting=school)
    pep = workflow.start_pep(
        child,
        kind=PepKind.TERMLY_REVIEW,
        academic_year=2026,
        term=Term.AUTUMN,
        actor=sw,
        meeting_date=dt.date(2026, 11, 25),
    )
    workflow.perform(sw, pep, "delegate")
    client = app.test_client()
    sign_in(client, "dt@sample.example")
    return {
        "pep": pep,
        "client": client,
        "teacher": teacher,
        "senco": senco,
        "sw": sw,
        "school": school,
        "url": f"/a/sample-council/peps/{pep.id}",
    }


def post_section(client: FlaskClient, url: str, section: str, data: dict, headers: dict | None = None):
    page = client.get(f"{url}/sections/{section}/edit", headers=headers or {})
    form = {
        "csrf_token": csrf_token(page.text),
        "base_version": re.search(r'name="base_version" value="(\d+)"', page.text)[1],
    }
    return client.post(f"{url}/sections/{section}", data={**form, **data}, headers=headers or {})


def entries() -> int:
    return db.session.scalar(select(func.count()).select_from(PepSectionEntry))


def test_the_pep_page_lists_sections_with_owners_and_what_remains(journey: dict) -> None:
    page = journey["client"].get(journey["url"])
    assert page.status_code == 200
    assert "Kayla Morrison" in page.text and "Autumn 2026-27" in page.text
    assert re.search(r"You have <strong>\d+</strong> mandatory", page.text)
    assert "Attendance" in page.text and "SMART targets" in page.text
    # The meeting record is the social worker's and not for schools to read: absent, not read-only.
    assert "PEP meeting</h2>" not in page.text
    social = journey["client"].application.test_client()
    sign_in(social, "sw@sample.example")
    sw_page = social.get(journey["url"]).text
    assert "PEP meeting</h2>" in sw_page
    # The social worker may read the school's sections but not change them now.
    assert f"{journey['url']}/sections/attendance/edit" not in sw_page
    assert social.get(f"{journey['url']}/sections/attendance/edit").status_code == 403


def test_a_rejected_save_keeps_what_was_typed_and_writes_nothing(journey: dict) -> None:
    before = entries()
    response = post_section(
        journey["client"],
        journey["url"],
        "attendance",
        {"attendance_percentage": "ninety one", "explanation": "Long illness in October", "action": "save"},
    )
    assert response.status_code == 200
    assert "<title>Error: Attendance" in response.text
    assert "Attendance this academic year (%) must be a number" in response.text
    assert 'value="ninety one"' in response.text and "Long illness in October" in response.text
    assert entries() == before


def test_marking_complete_needs_every_mandatory_answer_then_the_section_is_complete(journey: dict) -> None:
    client, url = journey["client"], journey["url"]
    refused = post_section(client, url, "attendance", {"attendance_percentage": "91", "action": "complete"})
    assert "Explain attendance below 95% and the strategies to improve it" in refused.text
    assert entries() == 0
    draft = post_section(client, url, "attendance", {"attendance_percentage": "91", "action": "save"})
    assert draft.status_code == 302
    assert "‘Attendance’ saved as a draft" in client.get(draft.headers["Location"]).text
    done = post_section(
        client,
        url,
        "attendance",
        {
            "attendance_percentage": "91",
            "explanation": "Illness; a plan agreed with the carer",
            "action": "complete",
        },
    )
    assert done.status_code == 302
    page = client.get(url).text
    assert "Last saved by Dee Teacher" in page
    section = page.split('id="section-attendance"')[1].split("</section>")[0]
    assert "Completed" in section and "91%" in section


def test_htmx_saves_return_the_section_and_update_the_task_list(journey: dict) -> None:
    response = post_section(
        journey["client"],
        journey["url"],
        "attendance",
        {"attendance_percentage": "97", "action": "complete"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section class="portal-section" id="section-attendance"')
    assert 'id="pep-task-list" hx-swap-oob="true"' in response.text
    assert "<html" not in response.text
    assert "HX-Request" in response.headers["Vary"]


def test_targets_rows_are_added_and_removed_without_javascript(journey: dict) -> None:
    client, url = journey["client"], journey["url"]
    page = client.get(f"{url}/sections/targets/edit")
    token = csrf_token(page.text)
    one = client.post(
        f"{url}/sections/targets",
        data={"csrf_token": token, "base_version": "0", "targets-rows": "0", "action": "add-row:targets"},
    )
    assert "Target 1" in one.text and 'name="targets-0-target"' in one.text
    two = client.post(
        f"{url}/sections/targets",
        data={
            "csrf_token": token,
            "base_version": "0",
            "targets-rows": "2",
            "targets-0-target": "First",
            "targets-1-target": "Second",
            "action": "remove-row:targets:0",
        },
    )
    assert "Second" in two.text and "First" not in two.text and 'name="targets-1-target"' not in two.text
    assert entries() == 0


def test_three_targets_two_academic_are_needed_to_complete(journey: dict) -> None:
    def row(index: int, kind: str) -> dict:
        return {
            f"targets-{index}-kind": kind,
            f"targets-{index}-target": f"Target {index}",
            f"targets-{index}-by_when-day": "1",
            f"targets-{index}-by_when-month": "2",
            f"targets-{index}-by_when-year": "2027",
            f"targets-{index}-cost": "120",
        }

    rows = {**row(0, "academic"), **row(1, "wellbeing"), **row(2, "wellbeing"), "targets-rows": "3"}
    refused = post_section(journey["client"], journey["url"], "targets", {**rows, "action": "complete"})
    assert "Add at least 2 academic targets" in refused.text
    rows.update(row(2, "academic"))
    done = post_section(journey["client"], journey["url"], "targets", {**rows, "action": "complete"})
    assert done.status_code == 302


def test_someone_elses_newer_save_is_shown_and_nothing_is_lost(journey: dict, app: Flask) -> None:
    client, url = journey["client"], journey["url"]
    stale = client.get(f"{url}/sections/attendance/edit").text
    colleague = app.test_client()
    sign_in(colleague, "dt@sample.example")
    post_section(colleague, url, "attendance", {"attendance_percentage": "96", "action": "save"})
    response = client.post(
        f"{url}/sections/attendance",
        data={
            "csrf_token": csrf_token(stale),
            "base_version": "0",
            "attendance_percentage": "88",
            "explanation": "My careful explanation",
            "action": "save",
        },
    )
    assert "saved this section on" in response.text and "after you started" in response.text
    assert "96%" in response.text  # their version, shown
    assert 'value="88"' in response.text and "My careful explanation" in response.text  # mine, kept
    assert entries() == 1
    again = client.post(
        f"{url}/sections/attendance",
        data={
            "csrf_token": csrf_token(stale),
            "base_version": "1",
            "attendance_percentage": "88",
            "explanation": "My careful explanation",
            "action": "save",
        },
    )
    assert again.status_code == 302 and entries() == 2


def upload(client: FlaskClient, url: str, name: str, content: bytes):
    token = csrf_token(client.get(url).text)
    return client.post(
        f"{url}/attachments",
        data={"csrf_token": token, "document": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_attachments_are_checked_by_content_and_downloaded_only_as_attachments(
    journey: dict, app: Flask
) -> None:
    client, url = journey["client"], journey["url"]
    assert "‘send-plan.pdf’ added" in upload(client, url, "send-plan.pdf", b"%PDF-1.7\n" + b"x" * 100).text
    assert (
        "must be a PDF, Word (.docx), PNG or JPEG"
        in upload(client, url, "plan.pdf", b"MZ\x90\x00 program").text
    )
    assert (
        "which does not match its name"
        in upload(client, url, "plan.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 50).text
    )
    too_big = upload(client, url, "huge.pdf", b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024))
    assert "The file must be smaller than 10 MB" in too_big.text
    assert db.session.scalar(select(func.count()).select_from(PepAttachment)) == 1
    attachment = db.session.scalar(select(PepAttachment))
    download = client.get(f"{url}/attachments/{attachment.id}")
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["Content-Type"] == "application/pdf" and download.data.startswith(b"%PDF-1.7")
    # Another school's designated teacher cannot fetch it, even knowing the address.
    make_user(email="other@school.example", roles=[(Role.DESIGNATED_TEACHER, make_setting("Other School"))])
    stranger = app.test_client()
    sign_in(stranger, "other@school.example")
    assert stranger.get(f"{url}/attachments/{attachment.id}").status_code == 404
    assert stranger.get(url).status_code == 404


def test_a_colleague_completes_a_delegated_section_and_the_teacher_sees_it(journey: dict, app: Flask) -> None:
    client, url = journey["client"], journey["url"]
    senco = app.test_client()
    sign_in(senco, "senco@sample.example")
    assert senco.get(url).status_code == 404  # nothing delegated yet
    token = csrf_token(client.get(url).text)
    delegated = client.post(
        f"{url}/delegations",
        data={"csrf_token": token, "colleague": journey["senco"].id, "section": "attendance"},
        follow_redirects=True,
    )
    assert "Delegated to Beth Senco. You remain accountable" in delegated.text
    assert senco.get(url).status_code == 200
    assert "Kayla" in senco.get("/school/").text
    assert senco.get(f"{url}/sections/targets/edit").status_code == 403
    post_section(senco, url, "attendance", {"attendance_percentage": "98", "action": "complete"})
    assert "Last saved by Beth Senco" in client.get(url).text
    delegation_id = re.search(r"/delegations/(\d+)/end", client.get(url).text)[1]
    client.post(f"{url}/delegations/{delegation_id}/end", data={"csrf_token": token})
    assert senco.get(url).status_code == 404


def test_last_terms_targets_are_carried_over_for_review(app: Flask, authorities: dict) -> None:
    """Lancashire's review of previous targets starts from the targets of the child's last PEP."""
    lancashire = authorities["lancashire"]
    school = make_setting("Carry School")
    sw = make_user("Sam", roles=[(Role.SOCIAL_WORKER, lancashire)])
    make_user("Dee", email="dt@carry.example", roles=[(Role.DESIGNATED_TEACHER, school)])
    child = make_child(
        lancashire, "Noor", social_worker=sw, setting=school, date_of_birth=dt.date(2013, 5, 1)
    )
    last = workflow.start_pep(
        child, kind=PepKind.TERMLY_REVIEW, academic_year=2025, term=Term.SUMMER, actor=sw
    )
    db.session.add(
        PepSectionEntry(
            pep_id=last.id,
            section_key="smart_targets",
            version=1,
            saved_by_id=sw.id,
            answers={"targets": [{"target": "Read one chapter book a week", "kind": "academic"}]},
        )
    )
    current = workflow.start_pep(
        child, kind=PepKind.TERMLY_REVIEW, academic_year=2026, term=Term.AUTUMN, actor=sw
    )
    current.setting_id = school.id
    current.state = "delegated_to_setting"
    db.session.commit()
    client = app.test_client()
    sign_in(client, "dt@carry.example")
    form = client.get(f"/a/lancashire/peps/{current.id}/sections/review_of_previous_targets/edit")
    assert form.status_code == 200
    assert "Carried over from the Summer 2025-26 PEP" in form.text
    assert "Read one chapter book a week" in form.text


def test_pp_plus_requests_stay_within_the_authoritys_amount(journey: dict, authorities: dict) -> None:
    from decimal import Decimal

    from portal.authorities.answers import section_problems
    from portal.services.authorities import config_for

    config = config_for(authorities["lancashire"])
    section = config.sections["pupil_premium_plus"]
    requests = {"requests": [{"amount": "400.00"}, {"amount": "200.00"}]}
    problems = section_problems(section, requests, config.funding.pp_plus_per_term)
    assert problems.get("requests") == "The PP+ requested must not be more than £550.00 this term"
    assert "requests" not in section_problems(section, {"requests": [{"amount": "550"}]}, Decimal("550"))
