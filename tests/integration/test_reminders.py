"""Reminders, overdue notices and weekly digests: ``remind`` run every day (several times a day)
across weekends, England's Christmas and New Year bank holidays and the Christmas school holiday,
counting the e-mails in the outbox. Each due item reaches each responsible person exactly once."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.authorities.schema import Role
from portal.extensions import db
from portal.models import (
    Authority,
    DeadlineNotice,
    NoticeDigest,
    NoticeFrequency,
    OutboxMessage,
    Pep,
    PepDeadline,
    User,
)
from portal.models.types import utcnow
from portal.services import workflow
from portal.services.authorities import add_version, canonical_document, config_for
from portal.services.reminders import remind
from tests.factories import csrf_token, make_child, make_pep, make_setting, make_user, sign_in
from tests.integration.process_editor_helpers import draft_document, post_form
from tests.queries import count_queries

D = dt.date
SETTING_COMPLETES = "PEP completed by the setting"


@dataclass(frozen=True)
class Sent:
    """One e-mail as the recipient sees it."""

    to: str
    message: str
    subject: str
    body: str


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def run_every_day(
    first: dt.date,
    last: dt.date,
    *,
    runs_a_day: int = 3,
    events: dict[dt.date, Callable[[], None]] | None = None,
) -> dict[dt.date, list[Sent]]:
    """Run ``remind`` ``runs_a_day`` times on every day from first to last; the e-mails each day
    queued (days with none are left out). ``events`` happen on their day before its runs."""
    queued: dict[dt.date, list[Sent]] = {}
    for day in days(first, last):
        if events and day in events:
            events[day]()
        before = db.session.scalar(select(func.max(OutboxMessage.id))) or 0
        for _ in range(runs_a_day):
            remind(day)
        new = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.id > before).order_by(OutboxMessage.id)
        ).all()
        if new:
            queued[day] = [Sent(m.recipient_email, m.message, m.subject, m.body) for m in new]
    return queued


def summary(queued: dict[dt.date, list[Sent]], about: str = "") -> dict[dt.date, list[tuple[str, str, str]]]:
    """Each day's notices (not digests) as (recipient, kind, the due date named in it), sorted;
    only those about the deadline labelled ``about`` if given."""

    def due_named(body: str) -> str:
        marker = " due on "
        start = body.index(marker) + len(marker)
        return body[start:].split(" and ")[0].split(".")[0]

    chosen = {
        day: sorted(
            (s.to, s.message, due_named(s.body))
            for s in sent
            if s.message != "weekly_digest" and about in s.body
        )
        for day, sent in queued.items()
    }
    return {day: items for day, items in chosen.items() if items}


def deadline(pep: Pep, rule_key: str, due_on: dt.date, *, met_on: dt.date | None = None) -> PepDeadline:
    """The deadline row refresh_deadlines would store, with the due date the test needs."""
    rule = next(r for r in config_for(pep.authority).deadlines if r.key == rule_key)
    row = PepDeadline(
        pep_id=pep.id,
        rule_key=rule_key,
        label=rule.label,
        responsible=rule.responsible,
        due_on=due_on,
        explanation="set by the test",
        met_on=met_on,
    )
    db.session.add(row)
    db.session.commit()
    return row


def publish_variant(authority: Authority, change: Callable[[dict], None]) -> None:
    """A new process version of ``authority`` (as if its administrator had published it)."""
    document = canonical_document(config_for(authority))
    change(document)
    add_version(authority, document, source="published")
    db.session.commit()


def rule_of(document: dict, key: str) -> dict:
    return next(r for r in document["deadlines"] if r["key"] == key)


@pytest.fixture
def lancashire_school(authorities: dict[str, Authority]) -> dict:
    lancashire = authorities["lancashire"]
    school = make_setting("Riverside Academy")
    people = {
        "teacher": make_user(
            "Dee Teacher", email="dee@riverside.example", roles=[(Role.DESIGNATED_TEACHER, school)]
        ),
        "deputy": make_user(
            "Dan Deputy", email="dan@riverside.example", roles=[(Role.DESIGNATED_TEACHER, school)]
        ),
        "social_worker": make_user(
            "Sam Social", email="sam@lancs.example", roles=[(Role.SOCIAL_WORKER, lancashire)]
        ),
        "virtual_school": make_user(
            "Vic Virtual", email="vic@lancs.example", roles=[(Role.VIRTUAL_SCHOOL, lancashire)]
        ),
    }
    names = iter(["Amy", "Ben", "Cat", "Dev", "Eve", "Fin", "Gus", "Hal"])

    def new_pep(authority: Authority = lancashire) -> Pep:
        child = make_child(
            authority, next(names), "Brown", social_worker=people["social_worker"], setting=school
        )
        return make_pep(child, setting=school)

    return {"authority": lancashire, "school": school, "people": people, "new_pep": new_pep}


TEACHERS = ["dan@riverside.example", "dee@riverside.example"]


def to_teachers(kind: str, due: str) -> list[tuple[str, str, str]]:
    return [(email, kind, due) for email in TEACHERS]


def test_working_day_reminders_around_christmas_and_new_year(lancashire_school: dict) -> None:
    """Lancashire: the setting completes the PEP within 10 working days of the meeting, with a
    reminder 2 working days before. Christmas Day (Fri 25 Dec 2026), the Boxing Day substitute
    (Mon 28 Dec) and New Year's Day (Fri 1 Jan 2027) are not working days."""
    new_pep = lancashire_school["new_pep"]
    before_christmas = new_pep()
    deadline(before_christmas, "setting_completes", D(2026, 12, 29))
    new_year = new_pep()
    deadline(new_year, "setting_completes", D(2027, 1, 4))
    already_done = new_pep()
    deadline(already_done, "setting_completes", D(2026, 12, 29), met_on=D(2026, 12, 22))
    finalised = new_pep()
    deadline(finalised, "setting_completes", D(2026, 12, 29))
    finalised.finalised_at = utcnow()
    db.session.commit()

    queued = run_every_day(D(2026, 12, 14), D(2027, 1, 8))

    assert summary(queued) == {
        # Due Tuesday 29 December: 2 working days before, skipping Christmas Day, the weekend and
        # Monday 28 December's bank holiday, is Wednesday 23 December.
        D(2026, 12, 23): to_teachers("reminder", "Tuesday 29 December 2026"),
        # Due Monday 4 January: counting back past New Year's Day gives Wednesday 30 December; the
        # first working day after 29 December is also the day of its overdue notice.
        D(2026, 12, 30): sorted(
            to_teachers("overdue", "Tuesday 29 December 2026")
            + to_teachers("reminder", "Monday 4 January 2027")
        ),
        D(2027, 1, 5): to_teachers("overdue", "Monday 4 January 2027"),
    }
    reminder = queued[D(2026, 12, 23)][0]
    assert (
        f"For Amy B. (Lancashire County Council, Autumn 2026-27): {SETTING_COMPLETES} is due on "
        in reminder.body
    )
    assert "Tuesday 29 December 2026." in reminder.body
    assert f"/a/lancashire/peps/{before_christmas.id}" in reminder.body
    assert "Brown" not in reminder.body + reminder.subject  # first name and initial only
    overdue = queued[D(2026, 12, 30)][0]
    assert overdue.subject == "PEP for Amy B.: a PEP deadline has passed and it has not been met"
    assert "was due on Tuesday 29 December 2026 and has not been done" in overdue.body


def test_a_calendar_day_reminder_falling_on_a_weekend_or_bank_holiday_waits_for_the_next_working_day(
    lancashire_school: dict,
) -> None:
    """Lancashire's administrator publishes a reminder 3 calendar days before, and no notice when
    the term's submission date is missed. PEPs already open keep the version they started under."""
    lancashire, new_pep = lancashire_school["authority"], lancashire_school["new_pep"]
    under_shipped_version = new_pep()
    deadline(under_shipped_version, "setting_completes", D(2026, 12, 8))

    def variant(document: dict) -> None:
        rule_of(document, "setting_completes")["remind"] = {
            "amount": 3,
            "unit": "calendar_days",
            "direction": "before",
        }
        rule_of(document, "term_window")["overdue_notice"] = False

    publish_variant(lancashire, variant)
    weekend = new_pep()
    deadline(weekend, "setting_completes", D(2026, 12, 8))
    bank_holiday = new_pep()
    deadline(bank_holiday, "setting_completes", D(2027, 1, 4))
    no_notice = new_pep()
    deadline(no_notice, "term_window", D(2026, 12, 7))

    queued = run_every_day(D(2026, 12, 1), D(2027, 1, 8), runs_a_day=2)

    assert summary(queued) == {
        # The shipped version: 2 working days before Tuesday 8 December.
        D(2026, 12, 4): to_teachers("reminder", "Tuesday 8 December 2026"),
        # 3 calendar days before Tuesday 8 December is Saturday 5 December: sent on Monday.
        D(2026, 12, 7): to_teachers("reminder", "Tuesday 8 December 2026"),
        D(2026, 12, 9): sorted(to_teachers("overdue", "Tuesday 8 December 2026") * 2),
        # 3 calendar days before Monday 4 January is New Year's Day: sent on the due date itself,
        # the first working day after it.
        D(2027, 1, 4): to_teachers("reminder", "Monday 4 January 2027"),
        D(2027, 1, 5): to_teachers("overdue", "Monday 4 January 2027"),
    }
    # The term window passed on Monday 7 December unmet, and the social worker heard nothing.
    assert all(s.to != "sam@lancs.example" for sent in queued.values() for s in sent)


def test_a_reminder_counted_in_school_weeks_spans_the_christmas_holiday(
    authorities: dict[str, Authority],
) -> None:
    """Bradford's termly meeting (due at the end of term) has its reminder 4 school weeks before;
    its administrator also publishes a reminder 2 school weeks before the school's part is due."""
    bradford = authorities["bradford"]
    school = make_setting("Moorside School")
    teacher = make_user(
        "Tia Teacher", email="tia@moorside.example", roles=[(Role.DESIGNATED_TEACHER, school)]
    )
    social_worker = make_user(
        "Sol Worker", email="sol@bradford.example", roles=[(Role.SOCIAL_WORKER, bradford)]
    )
    termly = make_pep(
        make_child(bradford, "Ivy", "Green", social_worker=social_worker, setting=school), setting=school
    )
    deadline(termly, "termly_meeting", D(2026, 12, 18))

    def variant(document: dict) -> None:
        rule_of(document, "school_ready")["remind"] = {
            "amount": 2,
            "unit": "school_weeks",
            "direction": "before",
        }

    publish_variant(bradford, variant)
    january = make_pep(
        make_child(bradford, "Jay", "Green", social_worker=social_worker, setting=school), setting=school
    )
    deadline(january, "school_ready", D(2027, 1, 15))

    queued = run_every_day(D(2026, 11, 16), D(2027, 1, 20), runs_a_day=2)

    assert summary(queued) == {
        # 20 school days before the autumn term's last day, Friday 18 December.
        D(2026, 11, 20): [("sol@bradford.example", "reminder", "Friday 18 December 2026")],
        D(2026, 12, 21): [("sol@bradford.example", "overdue", "Friday 18 December 2026")],
        # 10 school days before Friday 15 January 2027: the spring term's first 9 (from Monday 4
        # January), then the autumn term's last day. Counted in calendar days it would have been
        # New Year's Day; the school holiday does not count.
        D(2026, 12, 18): [("tia@moorside.example", "reminder", "Friday 15 January 2027")],
        D(2027, 1, 18): [("tia@moorside.example", "overdue", "Friday 15 January 2027")],
    }
    assert teacher.notice_frequency is NoticeFrequency.IMMEDIATE


def test_runs_missed_until_after_the_due_date_send_the_overdue_notice_and_no_stale_reminder(
    lancashire_school: dict,
) -> None:
    pep = lancashire_school["new_pep"]()
    deadline(pep, "setting_completes", D(2026, 12, 29))
    # Nothing ran from 14 December (the scheduler was down) until Thursday 31 December.
    queued = run_every_day(D(2026, 12, 31), D(2027, 1, 15))
    assert summary(queued) == {D(2026, 12, 31): to_teachers("overdue", "Tuesday 29 December 2026")}


def test_nobody_is_chased_about_a_child_who_has_left_care(lancashire_school: dict) -> None:
    """Amy is adopted on Friday 18 December 2026: her open PEP's deadline of 29 December brings no
    reminder and no overdue notice; Ben, still in care, gets both as usual."""
    new_pep = lancashire_school["new_pep"]
    adopted, still_in_care = new_pep(), new_pep()
    for pep in (adopted, still_in_care):
        deadline(pep, "setting_completes", D(2026, 12, 29))

    def leaves_care() -> None:
        adopted.child.left_care_on, adopted.child.left_care_reason = D(2026, 12, 18), "adopted"
        db.session.commit()

    queued = run_every_day(D(2026, 12, 14), D(2027, 1, 8), events={D(2026, 12, 18): leaves_care})

    assert summary(queued) == {
        D(2026, 12, 23): to_teachers("reminder", "Tuesday 29 December 2026"),
        D(2026, 12, 30): to_teachers("overdue", "Tuesday 29 December 2026"),
    }
    assert all("Ben B." in sent.body for day in queued.values() for sent in day)


def test_a_moved_meeting_gives_the_new_due_date_its_own_reminder(lancashire_school: dict) -> None:
    """The due date follows the meeting (refresh_deadlines, as when the meeting is rearranged)."""
    pep = lancashire_school["new_pep"]()
    pep.meeting_date = D(2026, 11, 24)
    workflow.refresh_deadlines(pep, D(2026, 11, 24))
    db.session.commit()
    due = db.session.scalar(
        select(PepDeadline.due_on).where(
            PepDeadline.pep_id == pep.id, PepDeadline.rule_key == "setting_completes"
        )
    )
    assert due == D(2026, 12, 8)  # 10 working days after Tuesday 24 November

    def move_meeting() -> None:
        pep.meeting_date = D(2026, 12, 1)
        workflow.refresh_deadlines(pep, D(2026, 12, 7))
        db.session.commit()

    queued = run_every_day(D(2026, 12, 1), D(2026, 12, 18), events={D(2026, 12, 7): move_meeting})

    assert summary(queued, about=SETTING_COMPLETES) == {
        D(2026, 12, 4): to_teachers("reminder", "Tuesday 8 December 2026"),
        # Moved on Monday 7 December to a meeting on 1 December: due Tuesday 15 December. The old
        # date gets no overdue notice on Wednesday 9 December.
        D(2026, 12, 11): to_teachers("reminder", "Tuesday 15 December 2026"),
        D(2026, 12, 16): to_teachers("overdue", "Tuesday 15 December 2026"),
    }


def test_an_overdue_notice_also_goes_to_the_roles_the_rule_copies(lancashire_school: dict) -> None:
    """Lancashire: when the social worker's sections are late, the setting is told too, to follow
    it up (source 001 step 1). The rule has no reminder."""
    pep = lancashire_school["new_pep"]()
    deadline(pep, "social_worker_sections", D(2026, 11, 30))

    queued = run_every_day(D(2026, 11, 23), D(2026, 12, 11))

    assert summary(queued) == {
        D(2026, 12, 1): sorted(
            [
                ("sam@lancs.example", "overdue", "Monday 30 November 2026"),
                *to_teachers("overdue", "Monday 30 November 2026"),
            ]
        )
    }
    assert "My Personal Information and My Health completed was due on" in queued[D(2026, 12, 1)][0].body


def test_weekly_digest_people_get_one_e_mail_a_week_listing_what_is_still_open(
    lancashire_school: dict,
) -> None:
    """Dee chose a weekly digest, Dan each reminder as it happens. Runs from Tuesday 1 December
    2026 to Sunday 27 December 2026, three a day."""
    people, new_pep = lancashire_school["people"], lancashire_school["new_pep"]
    people["teacher"].notice_frequency = NoticeFrequency.WEEKLY_DIGEST
    db.session.commit()
    first = new_pep()  # Amy
    deadline(first, "setting_completes", D(2026, 12, 8))
    done_in_time = new_pep()  # Ben
    met_late = deadline(done_in_time, "setting_completes", D(2026, 12, 10))
    later = new_pep()  # Cat
    deadline(later, "setting_completes", D(2026, 12, 15))

    def ben_completed() -> None:
        met_late.met_on = D(2026, 12, 9)
        db.session.commit()

    queued = run_every_day(D(2026, 12, 1), D(2026, 12, 27), events={D(2026, 12, 9): ben_completed})

    dan = "dan@riverside.example"
    assert summary(queued) == {
        D(2026, 12, 4): [(dan, "reminder", "Tuesday 8 December 2026")],
        D(2026, 12, 8): [(dan, "reminder", "Thursday 10 December 2026")],
        D(2026, 12, 9): [(dan, "overdue", "Tuesday 8 December 2026")],
        D(2026, 12, 11): [(dan, "reminder", "Tuesday 15 December 2026")],
        D(2026, 12, 16): [(dan, "overdue", "Tuesday 15 December 2026")],
    }
    digests = {
        day: [s for s in sent if s.message == "weekly_digest"]
        for day, sent in queued.items()
        if any(s.message == "weekly_digest" for s in sent)
    }
    # One a week, on its Monday: none for the week of 30 November (nothing was held on Tuesday 1
    # December, that week's first run; Amy's reminder of Friday 4 December waits for the 7th).
    assert list(digests) == [D(2026, 12, 7), D(2026, 12, 14), D(2026, 12, 21)]
    assert all(len(sent) == 1 and sent[0].to == "dee@riverside.example" for sent in digests.values())
    assert all(
        s.to != "dee@riverside.example"
        for sent in queued.values()
        for s in sent
        if s.message != "weekly_digest"
    )

    week_of_7th = digests[D(2026, 12, 7)][0]
    assert week_of_7th.subject == (
        "PEP Portal: your weekly digest of PEP reminders and overdue deadlines, "
        "week of Monday 7 December 2026"
    )
    assert (
        "Reminder: for Amy B. (Lancashire County Council), "
        "PEP completed by the setting is due on Tuesday 8 December 2026." in week_of_7th.body
    )
    assert f"/a/lancashire/peps/{first.id}" in week_of_7th.body
    week_of_14th = digests[D(2026, 12, 14)][0].body
    assert (
        "Overdue: for Amy B. (Lancashire County Council), "
        "PEP completed by the setting was due on Tuesday 8 December 2026" in week_of_14th
    )
    assert (
        "Reminder: for Cat B. (Lancashire County Council), "
        "PEP completed by the setting is due on Tuesday 15 December 2026." in week_of_14th
    )
    # Ben's was done on 9 December, before the digest: left out.
    assert "Ben" not in week_of_14th and week_of_14th.count("\n- ") == 2
    week_of_21st = digests[D(2026, 12, 21)][0].body
    assert "Overdue: for Cat B." in week_of_21st and week_of_21st.count("\n- ") == 1
    assert "Brown" not in "".join(d[0].body for d in digests.values())
    # Nothing Dee was told of is still held.
    held = db.session.scalar(
        select(func.count())
        .select_from(DeadlineNotice)
        .where(DeadlineNotice.recipient_id == people["teacher"].id, DeadlineNotice.digest_sent_at.is_(None))
    )
    assert held == 0
    assert db.session.scalar(select(func.count()).select_from(NoticeDigest)) == 3


def test_the_command_run_twice_queues_each_e_mail_once(app: Flask, lancashire_school: dict) -> None:
    pep = lancashire_school["new_pep"]()
    deadline(pep, "setting_completes", D(2026, 12, 29))
    runner = app.test_cli_runner()

    first = runner.invoke(args=["notifications", "remind", "--today", "2026-12-23"])
    assert first.exit_code == 0, first.output
    assert first.output == "2 reminders, 0 overdue notices, 0 digests queued (0 held for weekly digests)\n"
    outbox = db.session.execute(
        select(OutboxMessage.id, OutboxMessage.recipient_email, OutboxMessage.body)
    ).all()
    assert len(outbox) == 2

    second = runner.invoke(args=["notifications", "remind", "--today", "2026-12-23"])
    assert second.output == "0 reminders, 0 overdue notices, 0 digests queued (0 held for weekly digests)\n"
    assert (
        db.session.execute(select(OutboxMessage.id, OutboxMessage.recipient_email, OutboxMessage.body)).all()
        == outbox
    )

    christmas = runner.invoke(args=["notifications", "remind", "--today", "2026-12-25"])
    assert "Not a working day for lancashire: nothing queued for them today." in christmas.output


def test_two_runs_at_once_queue_each_e_mail_once(app: Flask, lancashire_school: dict) -> None:
    """A second run starts and finishes while the first is between reading which notices exist and
    writing its own: the first finds the second's notices by their unique constraint, rolls back
    that PEP and carries on; the designated teachers get one reminder each."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    pep = lancashire_school["new_pep"]()
    deadline(pep, "setting_completes", D(2026, 12, 29))
    other = lancashire_school["new_pep"]()
    deadline(other, "setting_completes", D(2026, 12, 29))
    day = D(2026, 12, 23)  # both reminders are due
    second_run = []

    def meanwhile(state):  # type: ignore[no-untyped-def]
        if second_run or not state.is_select or "FROM deadline_notices" not in str(state.statement):
            return None
        second_run.append(None)
        existing = state.invoke_statement().freeze()  # the first run has read what exists...
        with app.app_context():  # ...when another run, with its own session, does the lot
            second_run[0] = remind(day)
        return existing()

    event.listen(Session, "do_orm_execute", meanwhile)
    try:
        first_run = remind(day)
    finally:
        event.remove(Session, "do_orm_execute", meanwhile)

    assert (second_run[0].reminders, second_run[0].conflicts) == (4, 0)
    assert (first_run.reminders, first_run.conflicts) == (0, 2)
    db.session.expire_all()
    sent = db.session.execute(select(OutboxMessage.recipient_email, OutboxMessage.pep_id)).all()
    assert sorted(sent) == sorted((email, p.id) for email in TEACHERS for p in (pep, other))
    assert remind(day).reminders == 0


def test_with_nothing_due_the_run_costs_the_same_queries_for_5_and_50_open_peps(
    app: Flask, lancashire_school: dict
) -> None:
    school, social_worker = lancashire_school["school"], lancashire_school["people"]["social_worker"]
    lancashire = lancashire_school["authority"]

    def add_peps(count: int) -> None:
        for number in range(count):
            child = make_child(
                lancashire, f"Kid{number}", "Many", social_worker=social_worker, setting=school
            )
            pep = make_pep(child, setting=school)
            deadline(pep, "setting_completes", D(2027, 3, 1))  # months away: nothing due

    add_peps(5)
    today = D(2026, 12, 1)
    remind(today)  # the first run of the week marks its digest day
    with count_queries(db.engine) as five:
        result = remind(today)
    add_peps(45)
    with count_queries(db.engine) as fifty:
        result = remind(today)
    assert (result.reminders, result.overdue, result.held) == (0, 0, 0)
    assert len(fifty) == len(five), (five, fifty)
    # The process versions; open deadlines in the window, per version; this week's digest day;
    # people with held notices.
    assert len(five) <= 4, five
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_the_deadline_editor_sets_who_hears_when_a_deadline_is_missed(admin_client: FlaskClient) -> None:
    url = "/a/lancashire/admin/process/draft/deadlines/setting_completes"
    shown, _ = post_form(admin_client, url, {"overdue_notice": [], "overdue_copy_to": ["virtual_school"]})
    assert "Also tell, when the deadline passes" in shown
    rule = rule_of(draft_document(), "setting_completes")
    assert rule["overdue_notice"] is False and rule["overdue_copy_to"] == ["virtual_school"]

    post_form(admin_client, url, {"overdue_notice": "y", "overdue_copy_to": []})
    rule = rule_of(draft_document(), "setting_completes")
    assert rule["overdue_notice"] is True and rule["overdue_copy_to"] == []
    page = admin_client.get("/a/lancashire/admin/process/draft/deadlines").text
    assert "no notice when missed" not in page

    _, refused = post_form(admin_client, url, {"overdue_copy_to": ["head_teacher"]})
    assert "Select who else to tell from the list" in refused


def test_each_person_chooses_how_their_reminders_arrive(app: Flask, lancashire_school: dict) -> None:
    people = lancashire_school["people"]
    client = app.test_client()
    sign_in(client, people["teacher"].email)
    home = client.get("/", follow_redirects=True).text
    assert 'href="/account/notifications"' in home and "E-mail reminders" in home

    page = client.get("/account/notifications").text
    assert "Each reminder as it happens" in page and "One weekly digest (Monday)" in page
    assert 'value="immediate" checked' in page

    saved = client.post(
        "/account/notifications",
        data={"csrf_token": csrf_token(page), "frequency": "weekly_digest"},
        follow_redirects=True,
    )
    text = html.unescape(saved.text)
    assert "govuk-notification-banner--success" in text
    assert "Your e-mail reminders have been changed. You will get one e-mail each Monday" in text
    assert 'value="weekly_digest" checked' in text
    db.session.expire_all()
    assert db.session.get(User, people["teacher"].id).notice_frequency is NoticeFrequency.WEEKLY_DIGEST
    # Only their own choice changed.
    assert db.session.get(User, people["deputy"].id).notice_frequency is NoticeFrequency.IMMEDIATE

    refused = client.post(
        "/account/notifications", data={"csrf_token": csrf_token(page), "frequency": "hourly"}
    )
    assert refused.status_code == 200 and "<title>Error:" in refused.text
    assert "Select how you want to get reminders" in refused.text
    db.session.expire_all()
    assert db.session.get(User, people["teacher"].id).notice_frequency is NoticeFrequency.WEEKLY_DIGEST

    anonymous = app.test_client().get("/account/notifications")
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/sign-in")
