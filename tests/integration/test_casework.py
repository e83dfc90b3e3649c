"""The social worker's case actions through the test client, on Lancashire's process."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal import clock
from portal.authorities.vocabulary import PepKind, Role, Term
from portal.extensions import db
from portal.models import Child, OutboxMessage, Pep
from portal.services import sections, workflow
from tests.factories import csrf_token, make_child, make_setting, make_user, sign_in

TODAY = clock.today()


@pytest.fixture
def team(app: Flask, authorities: dict) -> dict:
    lancashire = authorities["lancashire"]
    school = make_setting("Case School")
    people = {
        "sw": make_user("Chloe Barker", email="sw@lancs.example", roles=[(Role.SOCIAL_WORKER, lancashire)]),
        "sw2": make_user("Marcus Reid", email="sw2@lancs.example", roles=[(Role.SOCIAL_WORKER, lancashire)]),
        "other": make_user(
            "Bradford SW", email="sw@brad.example", roles=[(Role.SOCIAL_WORKER, authorities["bradford"])]
        ),
        "dt": make_user("Dee Teacher", email="dt@case.example", roles=[(Role.DESIGNATED_TEACHER, school)]),
    }
    client = app.test_client()
    sign_in(client, "sw@lancs.example")
    return {"client": client, "school": school, **people}


def date_fields(name: str, day: dt.date) -> dict[str, str]:
    # GOV.UK date inputs post three values under one name: day, month, year.
    return {name: [str(day.day), str(day.month), str(day.year)]}


def new_child(client: FlaskClient, **changes: object):
    token = csrf_token(client.get("/a/lancashire/social-work/children/new").text)
    form = {
        "csrf_token": token,
        "first_name": "Amira",
        "last_name": "Khan",
        "emergency_placement": "yes",
        "setting_id": "",
        "case_reference": "LL-1234",
        **date_fields("date_of_birth", dt.date(2015, 6, 1)),
        **date_fields("became_looked_after_on", TODAY - dt.timedelta(days=3)),
    }
    form.update(changes)
    return client.post("/a/lancashire/social-work/children/new", data=form)


def test_recording_a_child_starts_their_initial_pep_with_its_deadlines(team: dict) -> None:
    response = new_child(team["client"], setting_id=str(team["school"].id))
    assert response.status_code == 302
    page = team["client"].get(response.headers["Location"])
    assert "Amira Khan recorded, and their initial PEP started" in page.text
    assert "Initial PEP" in page.text or "initial pep" in page.text
    assert "Emergency placement: PEP initiated" in page.text  # Lancashire's emergency deadline applies
    assert "Amira" in team["client"].get("/a/lancashire/social-work/caseload").text
    child = db.session.scalar(select(Child).where(Child.first_name == "Amira"))
    assert child.social_worker_id == team["sw"].id and child.emergency_placement


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"first_name": ""}, "Enter the child&#39;s first name"),
        (
            date_fields("became_looked_after_on", TODAY + dt.timedelta(days=2)),
            "Date they became looked after must be today or in the past",
        ),
        (
            date_fields("date_of_birth", TODAY),
            "Date of birth must be before the date they became looked after",
        ),
        ({"date_of_birth": ["31", "2", "2015"]}, "Date of birth must be a real date"),
        ({"emergency_placement": ""}, "Select yes if this was an emergency placement"),
    ],
)
def test_bad_details_are_refused_clearly_and_nothing_is_recorded(
    team: dict, changes: dict, message: str
) -> None:
    response = new_child(team["client"], **changes)
    assert response.status_code == 200
    assert message in response.text and "<title>Error:" in response.text
    assert db.session.scalar(select(func.count()).select_from(Child)) == 0


def started_pep(team: dict, authorities: dict, **child_args: object) -> Pep:
    child = make_child(authorities["lancashire"], "Noah", social_worker=team["sw"], **child_args)
    child.became_looked_after_on = dt.date(2026, 9, 10)
    db.session.commit()
    return workflow.start_pep(
        child, kind=PepKind.TERMLY_REVIEW, academic_year=2026, term=Term.AUTUMN, actor=team["sw"]
    )


def test_a_meeting_before_the_child_became_looked_after_is_refused(team: dict, authorities: dict) -> None:
    pep = started_pep(team, authorities)
    url = f"/a/lancashire/peps/{pep.id}"
    token = csrf_token(team["client"].get(url).text)
    refused = team["client"].post(
        f"{url}/meeting", data={"csrf_token": token, **date_fields("meeting_date", dt.date(2026, 9, 1))}
    )
    assert "The PEP meeting must be on or after the date the child became looked after" in refused.text
    db.session.expire_all()
    assert db.session.get(Pep, pep.id).meeting_date is None
    saved = team["client"].post(
        f"{url}/meeting", data={"csrf_token": token, **date_fields("meeting_date", dt.date(2026, 12, 1))}
    )
    assert saved.status_code == 302
    page = team["client"].get(url).text
    assert "PEP meeting set for 1 December 2026" in page
    # Lancashire: the setting completes within 10 working days of the meeting.
    assert "15 December 2026" in page


def test_delegating_to_a_setting_with_no_designated_teacher_says_who_can_fix_it(
    team: dict, authorities: dict
) -> None:
    empty_school = make_setting("Empty School")
    pep = started_pep(team, authorities, setting=empty_school)
    pep.meeting_date = dt.date(2026, 12, 1)
    db.session.commit()
    for key in ("personal_information", "health"):
        from tests.walker import valid_answers

        sections.save_section(
            team["sw"],
            pep,
            key,
            valid_answers(workflow.config_of(pep).sections[key]),
            base_version=0,
            completed=True,
        )
    with pytest.raises(workflow.TransitionRefusedError) as refused:
        workflow.perform(team["sw"], pep, "delegate_to_setting")
    assert refused.value.reasons == [
        "Empty School has no designated teacher in PEP Portal. Ask your authority's PEP Portal administrator "
        "to add one, then try again"
    ]


def test_a_next_pep_date_in_the_past_is_refused(team: dict, authorities: dict) -> None:
    pep = started_pep(team, authorities, setting=team["school"])
    pep.state, pep.setting_id = (
        "with_setting_after_meeting",
        team["school"].id,
    )  # the setting records the meeting
    db.session.commit()
    field = next(
        f
        for f in workflow.config_of(pep).sections["meeting_summary_and_actions"].fields
        if f.key == "next_pep_date"
    )
    assert field.future_only
    with pytest.raises(sections.SectionRefusedError) as refused:
        sections.save_section(
            team["dt"], pep, "meeting_summary_and_actions", {"next_pep_date": "2020-01-01"}, base_version=0
        )
    assert refused.value.problems == {"next_pep_date": f"{field.label} must be today or in the future"}


def test_a_case_moves_only_to_a_social_worker_of_the_same_authority(team: dict, authorities: dict) -> None:
    pep = started_pep(team, authorities)
    child_url = f"/a/lancashire/children/{pep.child_id}"
    token = csrf_token(team["client"].get(child_url).text)
    refused = team["client"].post(
        f"{child_url}/transfer", data={"csrf_token": token, "social_worker": str(team["other"].id)}
    )
    assert (
        "Select a social worker of Lancashire County Council: cases cannot move to another authority"
        in refused.text
    )
    moved = team["client"].post(
        f"{child_url}/transfer", data={"csrf_token": token, "social_worker": str(team["sw2"].id)}
    )
    assert moved.status_code == 302
    assert "Noah" not in team["client"].get("/a/lancashire/social-work/caseload").text
    assert team["client"].get(child_url).status_code == 404  # no longer their case
    told = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient_id == team["sw2"].id))
    assert told is not None and told.message == "transferred"


def test_moving_setting_takes_open_work_from_the_old_setting_and_starts_a_transition_pep(
    team: dict, authorities: dict, app: Flask
) -> None:
    pep = started_pep(team, authorities, setting=team["school"])
    pep.setting_id = team["school"].id
    db.session.commit()
    old_school = app.test_client()
    sign_in(old_school, "dt@case.example")
    assert old_school.get(f"/a/lancashire/peps/{pep.id}").status_code == 200
    new_school = make_setting("New School")
    child_url = f"/a/lancashire/children/{pep.child_id}"
    token = csrf_token(team["client"].get(child_url).text)
    moved = team["client"].post(
        f"{child_url}/setting", data={"csrf_token": token, "setting_id": str(new_school.id)}
    )
    assert moved.status_code == 302
    assert old_school.get(f"/a/lancashire/peps/{pep.id}").status_code == 404
    transition = db.session.scalar(
        select(Pep).where(Pep.child_id == pep.child_id, Pep.kind == PepKind.TRANSITION)
    )
    assert transition is not None and transition.setting_id is None


def test_other_social_workers_cannot_act_on_the_case(team: dict, authorities: dict, app: Flask) -> None:
    pep = started_pep(team, authorities)
    child_url = f"/a/lancashire/children/{pep.child_id}"
    actions = {
        "transfer": {"social_worker": str(team["sw2"].id)},
        "peps": {"kind": "transition", "term": "2026-spring"},
        "setting": {"setting_id": str(team["school"].id)},
        "left-care": {"left_care_on": ["2", "10", "2026"], "reason": "returned_home"},
    }
    # Another caseload's social worker, another authority's, and a school's designated teacher.
    for email, status in (("sw2@lancs.example", 404), ("sw@brad.example", 403), ("dt@case.example", 403)):
        other = app.test_client()
        sign_in(other, email)
        token = csrf_token(other.get("/", follow_redirects=True).text)
        for action, data in actions.items():
            response = other.post(f"{child_url}/{action}", data={"csrf_token": token, **data})
            assert response.status_code == status, (email, action)
    db.session.expire_all()
    child = db.session.get(Child, pep.child_id)
    assert child.social_worker_id == team["sw"].id and child.current_setting_id is None
    assert child.left_care_on is None and child.left_care_reason is None
    assert db.session.scalar(select(func.count()).select_from(Pep)) == 1
    # The allocated social worker's record shows no leaving-care notice.
    assert "left care on" not in team["client"].get(child_url).text


def test_business_support_or_the_social_worker_chases_the_setting(
    team: dict, authorities: dict, app: Flask
) -> None:
    pep = started_pep(team, authorities, setting=team["school"])
    pep.setting_id = team["school"].id
    db.session.commit()
    url = f"/a/lancashire/peps/{pep.id}"
    token = csrf_token(team["client"].get(url).text)
    chased = team["client"].post(f"{url}/chase", data={"csrf_token": token}, follow_redirects=True)
    assert "Reminder sent to the setting (1 person)" in chased.text
    email = db.session.scalar(select(OutboxMessage).where(OutboxMessage.message == "chased"))
    assert email.recipient_id == team["dt"].id
    assert email.body.count(f"/a/lancashire/peps/{pep.id}") == 1  # a link to the PEP, no name in it
    school = app.test_client()
    sign_in(school, "dt@case.example")
    token = csrf_token(school.get(url).text)
    assert school.post(f"{url}/chase", data={"csrf_token": token}).status_code == 403


def test_the_childs_record_has_a_plain_title_and_the_case_actions(team: dict, authorities: dict) -> None:
    pep = started_pep(team, authorities)
    page = team["client"].get(f"/a/lancashire/children/{pep.child_id}").text
    assert "<title>Child's record – PEP Portal</title>" in page
    assert page.count("Manage this case") == 1


def test_a_child_with_no_setting_has_their_pep_delegated_to_their_education_contact(
    app: Flask, authorities: dict
) -> None:
    """Cheshire West (source 000): with no setting, the Health Visitor, Leaving Care Worker or
    Personal Adviser gives the education input, and the PEP goes to them instead."""
    cwac = authorities["cheshire-west-and-chester"]
    sw = make_user("Sam Social", email="sw@cwac.example", roles=[(Role.SOCIAL_WORKER, cwac)])
    bso = make_user("Lucy Support", email="bso@cwac.example", roles=[(Role.BUSINESS_SUPPORT, cwac)])
    visitor = make_user("Aisha Begum", email="hv@cwac.example", roles=[(Role.EDUCATION_CONTACT, cwac)])
    make_user("Other Visitor", email="hv2@cwac.example", roles=[(Role.EDUCATION_CONTACT, cwac)])
    child = make_child(cwac, "Ivy", social_worker=sw, date_of_birth=dt.date(2023, 4, 1))
    pep = workflow.start_pep(
        child, kind=PepKind.TERMLY_REVIEW, academic_year=2026, term=Term.AUTUMN, actor=sw
    )
    pep.state, pep.meeting_date = "with_business_support_to_send", dt.date(2026, 12, 2)
    db.session.commit()
    send = next(t.key for t in workflow.config_of(pep).workflow.transitions_from(pep.state))
    with pytest.raises(workflow.TransitionRefusedError) as refused:
        workflow.perform(bso, pep, send)
    assert refused.value.reasons == [
        "Record the child's education setting, or their Health Visitor, Leaving Care Worker or "
        "Personal Adviser if they have none"
    ]

    social = app.test_client()
    sign_in(social, "sw@cwac.example")
    child_url = f"/a/cheshire-west-and-chester/children/{child.id}"
    token = csrf_token(social.get(child_url).text)
    saved = social.post(
        f"{child_url}/education-contact",
        data={"csrf_token": token, "education_contact": str(visitor.id)},
        follow_redirects=True,
    )
    assert "Aisha Begum now gives Ivy&#39;s education input" in saved.text

    db.session.expire_all()  # the contact was recorded through another request
    workflow.perform(bso, db.session.get(Pep, pep.id), send)
    pep = db.session.get(Pep, pep.id)
    assert pep.setting_id is None and pep.education_contact_id == visitor.id
    assert (
        db.session.scalar(select(OutboxMessage.recipient_id).where(OutboxMessage.message == "delegated"))
        == visitor.id
    )

    contact = app.test_client()
    sign_in(contact, "hv@cwac.example")
    landing = contact.get("/", follow_redirects=True)
    assert landing.request.path == "/a/cheshire-west-and-chester/education-contact/" and "Ivy" in landing.text
    page = contact.get(f"/a/cheshire-west-and-chester/peps/{pep.id}")
    assert page.status_code == 200 and "/sections/attendance/edit" in page.text
    stranger = app.test_client()
    sign_in(stranger, "hv2@cwac.example")
    assert stranger.get(f"/a/cheshire-west-and-chester/peps/{pep.id}").status_code == 404
