"""Reminders, overdue notices and weekly digests: ``remind`` run every day (several times a day)
across weekends, England's Christmas and New Year bank holidays and the Christmas school holiday,
counting the e-mails in the outbox. Each due item reaches each responsible person exactly once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from portal.authorities.schema import Role
from portal.extensions import db
from portal.models import (
    Authority,
    NoticeFrequency,
    OutboxMessage,
    Pep,
    PepDeadline,
)
from portal.models.types import utcnow
from portal.services import workflow
from portal.services.authorities import add_version, canonical_document, config_for
from portal.services.reminders import remind
from tests.factories import make_child, make_pep, make_setting, make_user

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
