"""The start-of-term cycle: next term's PEPs started for the children due one, once, with last term's
targets to review; and each term's PEP window on the dashboards."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import func, select

from portal import clock
from portal.authorities.schema import Role, Term
from portal.authorities.vocabulary import PepKind
from portal.extensions import db
from portal.models import Authority, OutboxMessage, Pep, PepSectionEntry
from portal.services import carry_over, termly_cycle
from portal.services.authorities import config_for
from portal.services.pep_windows import WindowState, window_for
from tests.factories import make_child, make_pep, make_setting, make_user, sign_in

AUTUMN_STARTS = dt.date(2026, 9, 3)  # Lancashire's autumn term 2026


def _peps(child, term: Term = Term.AUTUMN, year: int = 2026) -> list[Pep]:
    return list(
        db.session.scalars(
            select(Pep).where(Pep.child_id == child.id, Pep.academic_year == year, Pep.term == term)
        )
    )


def _lancashire_children(lancashire: Authority):
    social_worker = make_user(
        "Sam Social", email="sam@lancs.example", roles=[(Role.SOCIAL_WORKER, lancashire)]
    )
    school = make_setting("Hillside Primary")
    reviewed = make_child(lancashire, "Ruby", social_worker=social_worker, setting=school)
    summer = make_pep(reviewed, academic_year=2025, term=Term.SUMMER, state="approved", setting=school)
    db.session.add(
        PepSectionEntry(
            pep_id=summer.id,
            section_key="smart_targets",
            version=1,
            answers={"targets": [{"target": "Read two chapter books"}, {"target": "Join a lunchtime club"}]},
            completed=True,
            saved_by_id=social_worker.id,
        )
    )
    already = make_child(lancashire, "Arlo", social_worker=social_worker, setting=school)
    make_pep(already, academic_year=2025, term=Term.SUMMER, setting=school)
    make_pep(already, academic_year=2026, term=Term.AUTUMN, kind=PepKind.TRANSITION, setting=school)
    never = make_child(lancashire, "Nova", social_worker=social_worker, setting=school)
    db.session.commit()
    return social_worker, reviewed, already, never


def test_the_cycle_starts_one_termly_review_for_each_child_due_one(lancashire: Authority) -> None:
    social_worker, reviewed, already, never = _lancashire_children(lancashire)

    result = termly_cycle.run(AUTUMN_STARTS)

    assert result.started["Lancashire County Council"] == ("Autumn term 2026-27", 1)
    [started] = _peps(reviewed)
    assert started.kind is PepKind.TERMLY_REVIEW
    assert started.state == config_for(lancashire).initial_step.key
    # A child who already has a PEP this term (a transition PEP) gets no second one; a child who
    # never had a PEP needs an initial PEP from their social worker, not a termly review.
    assert [p.kind for p in _peps(already)] == [PepKind.TRANSITION]
    assert _peps(never) == []
    # The social worker and business support hear of it; this social worker once.
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.pep_id == started.id)).all()
    assert [m.recipient_email for m in mail] == [social_worker.email]
    assert "this term's PEP has been started" in mail[0].body


def test_running_the_cycle_again_starts_nothing_and_sends_nothing(lancashire: Authority) -> None:
    _lancashire_children(lancashire)
    termly_cycle.run(AUTUMN_STARTS)
    peps, mail = (
        db.session.scalar(select(func.count(Pep.id))),
        db.session.scalar(select(func.count(OutboxMessage.id))),
    )

    for day in range(5):
        again = termly_cycle.run(AUTUMN_STARTS + dt.timedelta(days=day))
        assert again.total == 0

    assert db.session.scalar(select(func.count(Pep.id))) == peps
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == mail


def test_nothing_starts_in_the_summer_holiday(lancashire: Authority) -> None:
    _, reviewed, _, _ = _lancashire_children(lancashire)

    result = termly_cycle.run(dt.date(2026, 8, 20))

    assert "Lancashire County Council" not in result.started
    assert _peps(reviewed) == []


def test_the_new_pep_brings_last_terms_targets_to_review(lancashire: Authority) -> None:
    _, reviewed, _, _ = _lancashire_children(lancashire)
    termly_cycle.run(AUTUMN_STARTS)
    [started] = _peps(reviewed)

    review = config_for(lancashire).sections["review_of_previous_targets"]
    answers, source = carry_over.carried_over(started, review)

    assert answers == {
        "previous_targets": [{"target": "Read two chapter books"}, {"target": "Join a lunchtime club"}]
    }
    assert source is not None and source.term_label == "Summer 2025-26"


def test_a_provisional_meeting_is_set_where_the_process_says(authorities: dict[str, Authority]) -> None:
    example = authorities["example-borough"]
    child = make_child(example, "Pia")
    make_pep(child, academic_year=2025, term=Term.SUMMER)
    autumn = config_for(example).work_calendar.term_of(2026, Term.AUTUMN)

    termly_cycle.run(autumn.starts)

    [started] = _peps(child)
    # 3 school weeks (15 school days) after the first day of term.
    assert started.meeting_date == config_for(example).work_calendar.shift(
        autumn.starts, config_for(example).termly_cycle.provisional_meeting
    )
    assert (started.meeting_date - autumn.starts).days >= 21


def test_the_command_reports_what_it_started(app: Flask, lancashire: Authority) -> None:
    _lancashire_children(lancashire)
    runner = app.test_cli_runner()

    first = runner.invoke(args=["peps", "termly-cycle", "--today", "2026-09-03"])
    second = runner.invoke(args=["peps", "termly-cycle", "--today", "2026-09-03"])

    assert first.exit_code == 0, first.output
    assert "Lancashire County Council: 1 PEP started for Autumn term 2026-27" in first.output
    assert "Lancashire County Council: 0 PEPs started for Autumn term 2026-27" in second.output


# --- Children no longer due PEPs: left care, or 18 ---------------------------------------------

SPRING_STARTS = dt.date(2027, 1, 5)  # Lancashire's spring term 2027


def _with_autumn_pep(lancashire: Authority, name: str, **child_args: object):
    child = make_child(lancashire, name, **child_args)
    make_pep(child)  # autumn 2026
    return child


def test_no_pep_starts_for_a_child_who_left_care_before_the_term(lancashire: Authority) -> None:
    before = _with_autumn_pep(lancashire, "Bea")
    before.left_care_on, before.left_care_reason = dt.date(2026, 12, 18), "returned_home"
    on_first_day = _with_autumn_pep(lancashire, "Dara")
    on_first_day.left_care_on, on_first_day.left_care_reason = SPRING_STARTS, "adopted"
    during = _with_autumn_pep(lancashire, "Eli")
    during.left_care_on, during.left_care_reason = dt.date(2027, 1, 6), "special_guardianship"
    still_looked_after = _with_autumn_pep(lancashire, "Fay")
    db.session.commit()

    # A week into term (the scheduler missed the first days): Eli left on 6 January, during the
    # term, so still had the spring term and gets its PEP.
    result = termly_cycle.run(dt.date(2027, 1, 12))

    assert result.started["Lancashire County Council"] == ("Spring term 2026-27", 2)
    assert _peps(before, Term.SPRING) == [] and _peps(on_first_day, Term.SPRING) == []
    assert [p.kind for p in _peps(during, Term.SPRING)] == [PepKind.TERMLY_REVIEW]
    assert [p.kind for p in _peps(still_looked_after, Term.SPRING)] == [PepKind.TERMLY_REVIEW]


def test_no_pep_starts_for_a_child_who_is_18_on_the_first_day_of_term(lancashire: Authority) -> None:
    turned_18_before = _with_autumn_pep(lancashire, "Gus", date_of_birth=dt.date(2009, 1, 4))
    turns_18_that_day = _with_autumn_pep(lancashire, "Hal", date_of_birth=dt.date(2009, 1, 5))
    still_17 = _with_autumn_pep(lancashire, "Ivy", date_of_birth=dt.date(2009, 1, 6))

    result = termly_cycle.run(SPRING_STARTS)

    assert result.started["Lancashire County Council"] == ("Spring term 2026-27", 1)
    assert _peps(turned_18_before, Term.SPRING) == [] and _peps(turns_18_that_day, Term.SPRING) == []
    assert [p.kind for p in _peps(still_17, Term.SPRING)] == [PepKind.TERMLY_REVIEW]


def test_the_18th_birthday_of_someone_born_on_29_february() -> None:
    # Born 29 February 2008: 18 on 1 March 2026, not on 28 February.
    assert termly_cycle.eighteenth_birthday_cutoff(dt.date(2026, 2, 28)) < dt.date(2008, 2, 29)
    assert termly_cycle.eighteenth_birthday_cutoff(dt.date(2026, 3, 1)) >= dt.date(2008, 2, 29)
    # On 29 February 2028 whoever was born on or before 28 February 2010 is 18.
    assert termly_cycle.eighteenth_birthday_cutoff(dt.date(2028, 2, 29)) == dt.date(2010, 2, 28)


# --- PEP windows --------------------------------------------------------------------------------


def test_lancashires_window_closes_on_its_submission_date(lancashire: Authority) -> None:
    config = config_for(lancashire)

    open_window = window_for("Lancashire", config, dt.date(2026, 11, 22))  # a Sunday
    closed = window_for("Lancashire", config, dt.date(2026, 12, 8))
    holiday = window_for("Lancashire", config, dt.date(2026, 12, 28))

    assert (open_window.state, open_window.closes) == (WindowState.OPEN, dt.date(2026, 12, 7))
    # Monday 23 November to Monday 7 December: 11 working days.
    assert open_window.working_days_left == 11
    assert (closed.state, closed.working_days_left) == (WindowState.CLOSED, 0)
    assert (holiday.state, holiday.term, holiday.opens, holiday.closes) == (
        WindowState.UPCOMING,
        "spring",
        dt.date(2027, 1, 5),
        dt.date(2027, 3, 7),
    )


def test_cheshire_wests_window_is_the_first_half_of_term(authorities: dict[str, Authority]) -> None:
    config = config_for(authorities["cheshire-west-and-chester"])

    window = window_for("Cheshire West", config, dt.date(2026, 10, 1))

    # Half term starts Monday 26 October 2026: the window closes on the Friday before.
    assert (window.state, window.closes) == (WindowState.OPEN, dt.date(2026, 10, 23))


def test_dashboards_show_the_window(app: Flask, authorities: dict[str, Authority]) -> None:
    lancashire, bradford = authorities["lancashire"], authorities["bradford"]
    school = make_setting("Two Counties Academy")
    teacher = make_user("Dee Teacher", email="dee@school.example", roles=[(Role.DESIGNATED_TEACHER, school)])
    make_pep(make_child(lancashire, "Lola", setting=school), setting=school)
    make_pep(make_child(bradford, "Bram", setting=school), setting=school)
    virtual_school = make_user("Vic", email="vic@lancs.example", roles=[(Role.VIRTUAL_SCHOOL, lancashire)])
    school_client, vs_client = app.test_client(), app.test_client()
    sign_in(school_client, teacher.email)
    sign_in(vs_client, virtual_school.email)

    school_page = school_client.get("/school/").text
    vs_page = vs_client.get("/a/lancashire/virtual-school/").text

    lancashire_window = window_for("Lancashire", config_for(lancashire), clock.today())
    assert lancashire_window is not None, "Lancashire's calendar needs term dates for today"
    assert "PEP windows" in school_page
    assert (
        "City of Bradford Metropolitan District Council" in school_page
        and "Lancashire County Council" in school_page
    )
    assert lancashire_window.term_label in vs_page
    assert lancashire_window.closes.strftime("%-d %B %Y") in vs_page
