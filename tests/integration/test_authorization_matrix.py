"""Every route x every role x object position -> the status a person should get (security.md 2).

The expectations are written out by hand, not derived from the routes' declared rules, so a rule
that is too generous fails here. A new route fails the coverage test until it is added.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import partial

import pytest
from flask import Flask

from portal.authorities.schema import Role, Term
from portal.extensions import db
from portal.models.types import utcnow
from tests.factories import make_child, make_pep, make_setting, make_user, sign_in
from tests.integration.admin_routes import ADMIN_PAGES, ADMIN_POSTS

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


def authority_page(role: str) -> dict[str, Callable[[str], object]]:
    """A page of one role in its own authority; another authority's version is refused."""
    return {"own authority": only(role), "other authority": lambda w: SIGN_IN if w == "anonymous" else DENIED}


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


def pep_page(who: str, position: str) -> object:
    """Who sees a PEP: its setting's designated teacher once delegated, the allocated social
    worker, and the authority's staff; everyone else gets 404, as if it did not exist."""
    if who == "anonymous":
        return SIGN_IN
    if position == "other authority's PEP":
        return HIDDEN
    if who == "designated_teacher":
        return OK if position == "PEP delegated to my setting" else HIDDEN
    if who == "social_worker":
        return OK if position == "PEP delegated to my setting" else HIDDEN
    return OK


def previous_pep(who: str, position: str) -> object:
    """The previous finalised PEP, through this one: Olive has one (from another school), Otto none."""
    seen = pep_page(who, position)
    if seen != OK:
        return seen
    return OK if position == "PEP delegated to my setting" else HIDDEN


def quality_assurance(who: str, position: str) -> object:
    """The QA page is the Virtual School's: others who see the PEP are refused (403)."""
    seen = pep_page(who, position)
    if seen != OK:
        return seen
    return OK if who == "virtual_school" else DENIED


def edit_attendance(who: str, position: str) -> object:
    """Attendance belongs to the setting: its designated teacher edits; others who see it may not."""
    seen = pep_page(who, position)
    if seen != OK:
        return seen
    return OK if who == "designated_teacher" else DENIED


PEP_POSITIONS = ("PEP delegated to my setting", "PEP of another caseload", "other authority's PEP")

# endpoint -> {position: expected(role)}; positions are where the URL points.
MATRIX: dict[str, dict[str, Callable[[str], object]]] = {
    "auth.home": {"none": lambda who: SIGN_IN if who == "anonymous" else OK},
    # Everyone signed in chooses how their own reminders arrive.
    "account.notifications": {"none": lambda w: SIGN_IN if w == "anonymous" else OK},
    "school.dashboard": {"none": only("designated_teacher")},
    # A designated teacher manages colleagues at their own setting only; another setting is not found.
    **{
        endpoint: {
            "own setting": only("designated_teacher"),
            "other setting": lambda w: {"anonymous": SIGN_IN, "designated_teacher": HIDDEN}.get(w, DENIED),
        }
        for endpoint in ("school.colleagues_page", "school.invite_colleague")
    },
    "social_work.caseload": authority_page("social_worker"),
    "business_support.queue": authority_page("business_support"),
    "virtual_school.overview": authority_page("virtual_school"),
    "virtual_school.compliance_dashboard": authority_page("virtual_school"),
    "virtual_school.compliance_peps": authority_page("virtual_school"),
    "virtual_school.compliance_export": authority_page("virtual_school"),
    # None of the matrix's roles is an education contact: everyone else is refused.
    "education_contact.dashboard": {
        "own authority": lambda w: SIGN_IN if w == "anonymous" else DENIED,
        "other authority": lambda w: SIGN_IN if w == "anonymous" else DENIED,
    },
    "social_work.new_child": authority_page("social_worker"),
    # None of the matrix's roles runs the platform (tests/integration/test_platform.py does).
    "platform.authorities": {"none": lambda w: SIGN_IN if w == "anonymous" else DENIED},
    "platform.new_authority": {"none": lambda w: SIGN_IN if w == "anonymous" else DENIED},
    "platform.invite_administrator": {"none": lambda w: SIGN_IN if w == "anonymous" else DENIED},
    **{endpoint: authority_page("authority_admin") for endpoint in ADMIN_PAGES},
    "children.show": {
        position: partial(child_record, position=position)
        for position in (
            "own caseload",
            "other caseload",
            "other authority",
            "foreign child under own authority",
        )
    },
    "peps.show": {p: partial(pep_page, position=p) for p in PEP_POSITIONS},
    "peps.section": {p: partial(pep_page, position=p) for p in PEP_POSITIONS},
    "peps.download": {p: partial(pep_page, position=p) for p in PEP_POSITIONS},
    # Whoever sees the PEP sees its history (tests/integration/test_section_history.py: by section).
    "peps.history": {p: partial(pep_page, position=p) for p in PEP_POSITIONS},
    "peps.compare": {p: partial(pep_page, position=p) for p in PEP_POSITIONS},
    # A PEP's printable copies go to exactly the people who see its page (test_pep_documents.py).
    "documents.pep_pdf": {p: partial(pep_page, position=p) for p in PEP_POSITIONS},
    "documents.pep_docx": {p: partial(pep_page, position=p) for p in PEP_POSITIONS},
    "documents.child_summary": {p: partial(pep_page, position=p) for p in PEP_POSITIONS},
    "documents.previous_pep_pdf": {p: partial(previous_pep, position=p) for p in PEP_POSITIONS},
    # A blank form holds no child's data: anyone signed in.
    "documents.blank_form": {"none": lambda w: SIGN_IN if w == "anonymous" else OK},
    "peps.edit_section": {p: partial(edit_attendance, position=p) for p in PEP_POSITIONS},
    # Everyone who sees the PEP reads its PP+ requests; only the Virtual School may post decisions.
    "peps.pp_plus_requests": {p: partial(pep_page, position=p) for p in PEP_POSITIONS},
    "virtual_school.pp_plus_requests": authority_page("virtual_school"),
    "peps.quality_assurance": {p: partial(quality_assurance, position=p) for p in PEP_POSITIONS},
    "virtual_school.qa_queue": authority_page("virtual_school"),
}
#: Routes that change something: test_no_one_changes_a_pep_they_may_not_change covers the PEP
#: ones, tests/integration/test_casework.py the case actions on a child.
STATE_CHANGING = {
    "peps.save_section",
    "peps.take_transition",
    "peps.upload",
    "peps.delegate",
    "peps.end_delegation",
    "peps.arrange_meeting",
    "children.start_pep",
    "children.transfer",
    "children.move_setting",
    "peps.chase",
    "children.education_contact",
    "children.left_care",
    # tests/integration/test_colleagues.py: another setting's designated teacher changes nothing.
    "school.remove_colleague",
    # tests/integration/test_reminders.py: each person changes only their own choice.
    "account.notifications",
    *ADMIN_POSTS,
}
PUBLIC_OR_POST_ONLY = {
    "assets.asset",
    "assets.health",
    "assets.accessibility",
    "auth.sign_in",
    "auth.sign_out",
    # Public: the e-mailed link; tests/integration/test_people_admin.py covers who may accept.
    "auth.invitation",
}


def test_the_matrix_covers_every_page(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    # A route may be both a page (in MATRIX) and a change (in STATE_CHANGING), e.g. a form's GET and POST.
    assert endpoints - PUBLIC_OR_POST_ONLY == set(MATRIX) | STATE_CHANGING, "add the new route to the matrix"


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
    own_pep = make_pep(own, setting=school, state="delegated_to_setting")
    other_pep = make_pep(other, state="initiated")
    # Bradford has placed a child at the same school but not delegated this PEP to it.
    foreign_pep = make_pep(foreign, state="initiated")
    # Last term's finalised PEPs, both from another school: shared only through this term's PEP.
    for child, final_step in ((own, "approved"), (foreign, "quality_assured")):
        earlier = make_pep(child, academic_year=2025, term=Term.SUMMER, state=final_step)
        earlier.finalised_at = utcnow()
    db.session.commit()
    attachments = {
        pep.id: attach(pep, users["social_worker"] if pep is own_pep else colleague)
        for pep in (own_pep, other_pep)
    }
    attachments[foreign_pep.id] = attach(foreign_pep, colleague)
    return {
        "users": users,
        "school": school,
        "own": own,
        "other": other,
        "foreign": foreign,
        "peps": {
            "PEP delegated to my setting": own_pep,
            "PEP of another caseload": other_pep,
            "other authority's PEP": foreign_pep,
        },
        "attachments": attachments,
        "csv_import": uploaded_import(lancashire, users["authority_admin"]),
    }


def uploaded_import(authority, admin):
    """A CSV file Lancashire's administrator uploaded and has not confirmed."""
    from portal.models import CsvImport

    record = CsvImport(
        authority_id=authority.id,
        kind="settings",
        filename="settings.csv",
        content="URN,Name,Type\n100001,Matrix Nursery,Nursery\n",
        uploaded_by_id=admin.id,
    )
    db.session.add(record)
    db.session.commit()
    return record


def attach(pep, user):
    from portal.models import PepAttachment
    from portal.services.attachments import storage_dir

    (storage_dir() / f"matrix{pep.id}").write_bytes(b"%PDF-1.4 matrix")
    attachment = PepAttachment(
        pep_id=pep.id,
        uploaded_by_id=user.id,
        original_name="plan.pdf",
        stored_name=f"matrix{pep.id}",
        content_type="application/pdf",
        size=10,
    )
    db.session.add(attachment)
    db.session.commit()
    return attachment


def admin_ids(world: dict) -> dict[str, int]:
    return {
        "user": world["users"]["social_worker"].id,
        "setting": world["school"].id,
        "csv_import": world["csv_import"].id,
    }


def url_for_position(endpoint: str, position: str, world: dict) -> str:
    slug = "bradford" if position == "other authority" else "lancashire"
    simple = {
        "auth.home": "/",
        "account.notifications": "/account/notifications",
        "school.dashboard": "/school/",
        "social_work.caseload": f"/a/{slug}/social-work/caseload",
        "business_support.queue": f"/a/{slug}/business-support/",
        "virtual_school.overview": f"/a/{slug}/virtual-school/",
        "virtual_school.pp_plus_requests": f"/a/{slug}/virtual-school/pp-plus",
        "virtual_school.compliance_dashboard": f"/a/{slug}/virtual-school/compliance",
        "virtual_school.compliance_peps": f"/a/{slug}/virtual-school/compliance/peps?status=not_started",
        "virtual_school.compliance_export": f"/a/{slug}/virtual-school/compliance/export/qa_grades.csv",
        "virtual_school.qa_queue": f"/a/{slug}/virtual-school/quality-assurance",
        "social_work.new_child": f"/a/{slug}/social-work/children/new",
        "platform.authorities": "/platform/authorities",
        "platform.new_authority": "/platform/authorities/new",
        "platform.invite_administrator": f"/platform/authorities/{world['own'].authority_id}/administrators",
        "education_contact.dashboard": f"/a/{slug}/education-contact/",
        "documents.blank_form": "/a/lancashire/forms/secondary.pdf",
    }
    if endpoint in simple:
        return simple[endpoint]
    if endpoint.startswith("school."):
        setting_id = world["school"].id + (1000 if position == "other setting" else 0)
        suffix = {"school.colleagues_page": "colleagues", "school.invite_colleague": "colleagues/invite"}
        return f"/school/settings/{setting_id}/{suffix[endpoint]}"
    if endpoint in ADMIN_PAGES:
        return f"/a/{slug}/admin" + ADMIN_PAGES[endpoint].format(**admin_ids(world))
    if endpoint.startswith(("peps.", "documents.")):
        pep = world["peps"][position]
        base = f"/a/{pep.authority.slug}/peps/{pep.id}"
        return {
            "peps.show": base,
            "peps.section": f"{base}/sections/attendance",
            "peps.edit_section": f"{base}/sections/attendance/edit",
            "peps.pp_plus_requests": f"{base}/pp-plus",
            "peps.quality_assurance": f"{base}/quality-assurance",
            "peps.download": f"{base}/attachments/{world['attachments'][pep.id].id}",
            "peps.history": f"{base}/history",
            "peps.compare": f"{base}/history/attendance/compare",
            "documents.pep_pdf": f"{base}/pep.pdf",
            "documents.pep_docx": f"{base}/pep.docx",
            "documents.child_summary": f"{base}/my-targets.pdf",
            "documents.previous_pep_pdf": f"{base}/previous.pdf",
        }[endpoint]
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
            if FOREIGN_NAME in response.get_data().decode(errors="replace"):  # PDF and Word are bytes
                failures.append(f"{who} {url}: a Bradford child's name appeared")
    assert failures == []


@pytest.mark.parametrize("who", ROLES)
def test_no_one_changes_a_pep_they_may_not_change(app: Flask, world: dict, who: str) -> None:
    """Every state-changing PEP route, posted with a valid CSRF token by each role: anyone without
    the right gets 403 or 404 (or is sent to sign in), and nothing is written."""
    from sqlalchemy import func, select

    from portal.models import (
        AuditEvent,
        PepAttachment,
        PepDelegation,
        PepSectionEntry,
        PepStateChange,
        QaReview,
    )
    from tests.factories import csrf_token

    client = app.test_client()
    if who != "anonymous":
        sign_in(client, world["users"][who].email)
    token = csrf_token(client.get("/sign-in" if who == "anonymous" else "/", follow_redirects=True).text)
    tables = (PepSectionEntry, PepAttachment, PepDelegation, PepStateChange, QaReview)
    before = [db.session.scalar(select(func.count()).select_from(t)) for t in tables]
    for position, pep in world["peps"].items():
        base = f"/a/{pep.authority.slug}/peps/{pep.id}"
        allowed_to_edit = who == "designated_teacher" and position == "PEP delegated to my setting"
        posts = {
            f"{base}/sections/attendance": {
                "attendance_percentage": "99",
                "action": "save",
                "base_version": "0",
            },
            f"{base}/transitions/delegate_to_setting": {},
            f"{base}/delegations": {"colleague": "1", "section": "*"},
            f"{base}/delegations/1/end": {},
            f"{base}/meeting": {"meeting_date": ["1", "12", "2026"]},
            f"{base}/pp-plus": {"request": "1", "stamp-1": "0", "decision-1": "approved"},
            f"{base}/quality-assurance": {
                "grade": "good",
                "feedback": "Fine",
                "outcome": "approve",
                **{f"criteria-{key}": "met" for key in ("child_voice", "on_time")},
            },
        }
        for url, data in posts.items():
            if allowed_to_edit and url.endswith("/sections/attendance"):
                continue
            if (
                who == "social_worker"
                and position == "PEP delegated to my setting"
                and url.endswith("/meeting")
            ):
                continue  # their own case: arranging the meeting is theirs to do
            if who == "virtual_school" and url.endswith("/pp-plus") and pep_page(who, position) == OK:
                continue  # theirs to decide: tests/integration/test_pp_plus.py covers its refusals
            response = client.post(url, data={"csrf_token": token, **data})
            location = response.headers.get("Location", "")
            if who == "anonymous":
                assert location.startswith("/sign-in"), url
            elif pep_page(who, position) == HIDDEN:
                assert response.status_code == 404, (who, url, response.status_code)
            else:
                # Seen but not theirs to change: refused outright, or sent back with the reason.
                assert response.status_code in (302, 403), (who, url, response.status_code)
        upload = client.post(
            f"{base}/attachments",
            data={"csrf_token": token, "document": (io.BytesIO(b"%PDF-1.4 x"), "x.pdf")},
            content_type="multipart/form-data",
        )
        if pep_page(who, position) == HIDDEN:
            assert upload.status_code == 404
    after = [db.session.scalar(select(func.count()).select_from(t)) for t in tables]
    db.session.expire_all()
    uploads = db.session.scalar(select(func.count()).select_from(PepAttachment)) - before[1]
    # Only people working on the PEP may add documents to it; nobody else changed anything.
    if who in ("anonymous",):
        assert after == before
    else:
        assert [after[0], after[2], after[3], after[4]] == [before[0], before[2], before[3], before[4]], who
        assert uploads <= 2
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "pep.transition")) == 0


@pytest.mark.parametrize("who", ROLES)
def test_only_the_authoritys_administrators_change_its_administration(
    app: Flask, world: dict, who: str
) -> None:
    """Every admin change, posted with a valid CSRF token by each role to Lancashire (and by
    Lancashire's administrator to Bradford): refused, and nothing written anywhere."""
    from sqlalchemy import func, select

    from portal.models import (
        AuditEvent,
        AuthorityConfigDraft,
        AuthorityConfigVersion,
        Child,
        CsvImport,
        EducationSetting,
        Invitation,
        Membership,
        User,
    )
    from tests.factories import csrf_token

    tables = (
        AuditEvent,
        AuthorityConfigDraft,
        AuthorityConfigVersion,
        Child,
        CsvImport,
        EducationSetting,
        Invitation,
        Membership,
        User,
    )
    client = app.test_client()
    if who != "anonymous":
        sign_in(client, world["users"][who].email)
    token = csrf_token(client.get("/sign-in" if who == "anonymous" else "/", follow_redirects=True).text)
    slug = "bradford" if who == "authority_admin" else "lancashire"
    enabled = [u.is_enabled for u in world["users"].values()]
    before = [db.session.scalar(select(func.count()).select_from(t)) for t in tables]
    for endpoint, (path, data) in ADMIN_POSTS.items():
        url = f"/a/{slug}/admin" + path.format(**admin_ids(world))
        response = client.post(url, data={"csrf_token": token, **data})
        if who == "anonymous":
            assert response.headers.get("Location", "").startswith("/sign-in"), endpoint
        else:
            assert response.status_code == 403, (who, endpoint, response.status_code)
    db.session.expire_all()
    after = [db.session.scalar(select(func.count()).select_from(t)) for t in tables]
    assert after == before
    assert [u.is_enabled for u in world["users"].values()] == enabled
