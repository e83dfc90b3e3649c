"""The engine API against the database: transitions are all-or-nothing, audited, and drive
access, e-mail, deadlines and the next PEP (on a small sample authority)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, update

from portal.authorities.vocabulary import PepKind, Role, Term
from portal.extensions import db
from portal.models import AuditEvent, OutboxMessage, Pep, PepDeadline, PepStateChange
from portal.services import qa, sections, workflow
from portal.services.pep_facts import config_of
from portal.services.workflow import TransitionRefusedError
from tests.factories import make_child, make_setting, make_user
from tests.integration.conftest import load_sample_council
from tests.walker import good_assessment, valid_answers

D = dt.date
TODAY = D(2026, 11, 20)


@pytest.fixture
def world(app) -> dict:
    council = load_sample_council()
    school = make_setting("Sample Academy")
    people = {
        Role.SOCIAL_WORKER: make_user("Sam Social", roles=[(Role.SOCIAL_WORKER, council)]),
        Role.DESIGNATED_TEACHER: make_user("Dee Teacher", roles=[(Role.DESIGNATED_TEACHER, school)]),
        Role.VIRTUAL_SCHOOL: make_user("Vera School", roles=[(Role.VIRTUAL_SCHOOL, council)]),
    }
    child = make_child(council, "Kayla", "Morrison", social_worker=people[Role.SOCIAL_WORKER], setting=school)
    pep = workflow.start_pep(
        child,
        kind=PepKind.INITIAL,
        academic_year=2026,
        term=Term.AUTUMN,
        actor=people[Role.SOCIAL_WORKER],
        today=D(2026, 10, 2),
    )
    return {"pep": pep, "people": people, "school": school, "council": council}


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_new_pep_starts_at_the_first_step_with_its_deadlines(world: dict) -> None:
    pep = world["pep"]
    assert pep.state == "initiated" and pep.setting_id is None
    assert [c.to_state for c in db.session.scalars(select(PepStateChange))] == ["initiated"]
    stored = {d.rule_key: d for d in db.session.scalars(select(PepDeadline))}
    assert stored["initial_meeting"].due_on == D(2026, 9, 29)  # 20 working days after 1 September 2026
    assert stored["initial_meeting"].responsible is Role.SOCIAL_WORKER
    assert stored["setting_completes"].due_on is None


def test_a_refused_transition_changes_nothing(world: dict) -> None:
    pep, people = world["pep"], world["people"]
    with pytest.raises(TransitionRefusedError) as refused:
        workflow.perform(people[Role.DESIGNATED_TEACHER], pep, "delegate", today=TODAY)
    assert refused.value.reasons == ["You cannot take this action on this PEP"]
    with pytest.raises(TransitionRefusedError) as refused:
        workflow.perform(people[Role.SOCIAL_WORKER], pep, "delegate", today=TODAY)
    assert refused.value.reasons == ["Record the date of the PEP meeting"]
    db.session.expire_all()
    assert pep.state == "initiated" and count(OutboxMessage) == 0 and count(PepStateChange) == 1
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "pep.transition")) == 0


def test_delegating_gives_the_school_the_pep_and_emails_its_designated_teacher(world: dict) -> None:
    pep, people = world["pep"], world["people"]
    pep.meeting_date = D(2026, 11, 25)
    db.session.commit()
    workflow.perform(people[Role.SOCIAL_WORKER], pep, "delegate", today=TODAY)
    assert pep.state == "with_setting" and pep.setting_id == world["school"].id
    [email] = db.session.scalars(select(OutboxMessage))
    assert email.recipient_email == people[Role.DESIGNATED_TEACHER].email
    assert "Kayla M." in email.subject and "Morrison" not in email.body
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "pep.transition"))
    assert event.details == {"transition": "delegate", "from_state": "initiated", "to_state": "with_setting"}
    # The designated teacher can now edit the school's sections, and only those.
    dt_user = people[Role.DESIGNATED_TEACHER]
    assert workflow.may_edit_section(dt_user, pep, "attendance", TODAY)
    assert not workflow.may_edit_section(dt_user, pep, "meeting_record", TODAY)


def advance_to_qa(world: dict, meeting_record: dict | None = None) -> Pep:
    pep, people = world["pep"], world["people"]
    pep.meeting_date = D(2026, 11, 16)
    db.session.commit()
    workflow.perform(people[Role.SOCIAL_WORKER], pep, "delegate", today=TODAY)
    for key in ("attendance", "targets"):
        sections.save_section(
            people[Role.DESIGNATED_TEACHER],
            pep,
            key,
            valid_answers(pep_config(pep).sections[key]),
            base_version=0,
            completed=True,
            today=TODAY,
        )
    workflow.perform(people[Role.SOCIAL_WORKER], pep, "record_meeting", today=TODAY)
    sections.save_section(
        people[Role.SOCIAL_WORKER],
        pep,
        "meeting_record",
        meeting_record or {"child_attended": True},
        base_version=0,
        completed=True,
        today=TODAY,
    )
    workflow.perform(people[Role.SOCIAL_WORKER], pep, "complete", today=TODAY)
    assert pep.state == "awaiting_qa"
    return pep


def pep_config(pep: Pep):
    from portal.services.pep_facts import config_of

    return config_of(pep)


def test_the_completion_button_waits_for_the_schools_mandatory_questions(world: dict) -> None:
    pep, people = world["pep"], world["people"]
    pep.meeting_date = D(2026, 11, 16)
    db.session.commit()
    workflow.perform(people[Role.SOCIAL_WORKER], pep, "delegate", today=TODAY)
    [option] = workflow.options(people[Role.SOCIAL_WORKER], pep, TODAY)
    assert option.missing == ["Complete ‘Attendance’", "Complete ‘SMART targets’"]
    sections.save_section(
        people[Role.DESIGNATED_TEACHER],
        pep,
        "attendance",
        {"attendance_percentage": 91},
        base_version=0,
        today=TODAY,
    )
    [option] = workflow.options(people[Role.SOCIAL_WORKER], pep, TODAY)
    assert option.missing == ["Complete ‘Attendance’", "Complete ‘SMART targets’"]  # 91% needs an explanation


def test_a_return_needs_a_grade_and_a_reason_and_reaches_both_parties(world: dict) -> None:
    pep = advance_to_qa(world)
    vs = world["people"][Role.VIRTUAL_SCHOOL]
    with pytest.raises(TransitionRefusedError) as refused:
        workflow.perform(vs, pep, "return_for_improvement", today=TODAY)
    assert refused.value.reasons == [
        "Give the PEP a quality assurance grade",
        "Explain why, so the people who receive it know what to do",
    ]
    qa.assess(vs, pep, good_assessment(config_of(pep), grade="inadequate"), TODAY)
    workflow.perform(vs, pep, "return_for_improvement", comment="Make the targets measurable", today=TODAY)
    assert pep.state == "with_setting"
    last = db.session.scalars(select(PepStateChange).order_by(PepStateChange.id.desc())).first()
    assert last.comment == "Make the targets measurable" and last.actor_id == vs.id
    returned = {
        m.recipient_id
        for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.message == "returned"))
    }
    assert returned == {world["people"][Role.SOCIAL_WORKER].id, world["people"][Role.DESIGNATED_TEACHER].id}
    # A grade given before the PEP came back does not count for the next QA.
    workflow.perform(world["people"][Role.SOCIAL_WORKER], pep, "record_meeting", today=TODAY)
    workflow.perform(world["people"][Role.SOCIAL_WORKER], pep, "complete", today=TODAY)
    [sign_off] = [o for o in workflow.options(vs, pep, TODAY) if o.transition.key == "sign_off"]
    assert sign_off.missing == ["Give the PEP a quality assurance grade"]


def test_signing_off_finalises_and_starts_next_terms_pep_on_a_provisional_date(world: dict) -> None:
    pep = advance_to_qa(world)
    vs = world["people"][Role.VIRTUAL_SCHOOL]
    qa.assess(vs, pep, good_assessment(config_of(pep)), TODAY)
    workflow.perform(vs, pep, "sign_off", today=TODAY)
    assert pep.finalised_at is not None
    next_pep = db.session.scalar(select(Pep).where(Pep.id != pep.id))
    assert (next_pep.academic_year, next_pep.term, next_pep.kind) == (
        2026,
        Term.SPRING,
        PepKind.TERMLY_REVIEW,
    )
    assert next_pep.state == "initiated"
    # No date was agreed, so 3 school weeks after the spring term starts on Tuesday 5 January 2027.
    assert next_pep.meeting_date == D(2027, 1, 26)
    met = db.session.scalar(
        select(PepDeadline).where(PepDeadline.pep_id == pep.id, PepDeadline.rule_key == "qa_within_a_week")
    )
    assert met.met_on == TODAY


def test_signing_off_sends_the_attendees_a_link_to_their_copy_and_reminds_the_social_worker(
    world: dict,
) -> None:
    pep = advance_to_qa(world)
    vs, people = world["people"][Role.VIRTUAL_SCHOOL], world["people"]
    qa.assess(vs, pep, good_assessment(config_of(pep)), TODAY)
    workflow.perform(vs, pep, "sign_off", today=TODAY)

    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.pep_id == pep.id)).all()
    copies = {m.recipient_id: m for m in mail if m.message == "copy"}
    [reminder] = [m for m in mail if m.message == "child_copy"]

    assert set(copies) == {people[Role.SOCIAL_WORKER].id, people[Role.DESIGNATED_TEACHER].id}
    for message in copies.values():
        assert f"/a/sample-council/peps/{pep.id}/pep.pdf" in message.body
        assert "your copy is ready to download" in message.body
        # A link to sign in, never the plan: no answer and no surname is in the e-mail.
        assert "Morrison" not in message.body and "Kayla M." in message.body
        assert "nothing is attached" in message.body
    assert reminder.recipient_id == people[Role.SOCIAL_WORKER].id
    assert f"/a/sample-council/peps/{pep.id}/my-targets.pdf" in reminder.body
    assert "make sure the child gets a copy" in reminder.body


def test_an_agreed_next_meeting_date_wins_over_the_provisional_one(world: dict) -> None:
    pep = advance_to_qa(world, meeting_record={"child_attended": True, "next_pep_date": "2027-02-03"})
    vs = world["people"][Role.VIRTUAL_SCHOOL]
    qa.assess(vs, pep, good_assessment(config_of(pep)), TODAY)
    workflow.perform(vs, pep, "sign_off", today=TODAY)
    next_pep = db.session.scalar(select(Pep).where(Pep.id != pep.id))
    assert next_pep.meeting_date == D(2027, 2, 3)


def test_a_change_from_a_stale_page_is_refused(world: dict) -> None:
    pep, people = world["pep"], world["people"]
    pep.meeting_date = D(2026, 11, 25)
    db.session.commit()
    # Someone else, on another connection, changes the PEP after this page loaded it.
    with db.engine.begin() as other:
        other.execute(update(Pep.__table__).where(Pep.id == pep.id).values(lock_version=Pep.lock_version + 1))
    with pytest.raises(TransitionRefusedError, match="Someone else changed this PEP"):
        workflow.perform(people[Role.SOCIAL_WORKER], pep, "delegate", today=TODAY)
    assert count(OutboxMessage) == 0 and count(PepStateChange) == 1


def test_concurrent_section_saves_keep_both_texts(world: dict) -> None:
    pep, people = world["pep"], world["people"]
    sw = people[Role.SOCIAL_WORKER]
    pep.meeting_date = D(2026, 11, 25)
    db.session.commit()
    workflow.perform(sw, pep, "delegate", today=TODAY)
    dt_user = people[Role.DESIGNATED_TEACHER]
    sections.save_section(
        dt_user, pep, "attendance", {"attendance_percentage": 96}, base_version=0, today=TODAY
    )
    with pytest.raises(sections.SectionConflictError) as conflict:
        sections.save_section(
            dt_user, pep, "attendance", {"attendance_percentage": 88}, base_version=0, today=TODAY
        )
    assert conflict.value.newer.answers == {"attendance_percentage": 96}
    with pytest.raises(sections.SectionRefusedError) as refused:
        sections.save_section(
            dt_user, pep, "attendance", {"attendance_percentage": 140}, base_version=1, today=TODAY
        )
    assert refused.value.problems == {
        "attendance_percentage": "Attendance this academic year (%) must be a number between 0 and 100"
    }


def test_the_childs_record_shows_the_deadlines_with_their_rules(world: dict, app) -> None:
    from tests.factories import sign_in

    client = app.test_client()
    sign_in(client, world["people"][Role.SOCIAL_WORKER].email)
    child_id = world["pep"].child_id
    page = client.get(f"/a/sample-council/children/{child_id}")
    assert page.status_code == 200
    assert "Deadlines for the Autumn 2026-27 PEP" in page.text
    assert "Initial PEP meeting held" in page.text
    assert "20 working days after the child became looked after (1 September 2026)" in page.text
    assert "29 September 2026" in page.text
