"""The school dashboard and the PEP page cost the same number of queries at 10 and at 200 PEPs,
and two people saving one section at the same moment never lose either text."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from flask import Flask
from sqlalchemy import func, insert, select

from portal.authorities.vocabulary import PepKind, Role, Term
from portal.extensions import db
from portal.models import Authority, Child, Pep, PepDeadline, PepSectionEntry, PepStateChange
from portal.services import sections, workflow
from tests.factories import make_child, make_setting, make_user, sign_in
from tests.integration.conftest import load_sample_council
from tests.queries import count_queries


def school_with_peps(count: int) -> tuple[Authority, list[int]]:
    """``count`` children at one school, each with a delegated PEP, deadlines and saved sections,
    inserted in bulk so the test stays quick."""
    council = load_sample_council()
    school = make_setting("Big School")
    teacher = make_user("Dee Teacher", email="dt@big.example", roles=[(Role.DESIGNATED_TEACHER, school)])
    sw = make_user("Sam Social", email="sw@big.example", roles=[(Role.SOCIAL_WORKER, council)])
    children = [
        {
            "authority_id": council.id,
            "first_name": f"Child{n}",
            "last_name": "Scale",
            "date_of_birth": dt.date(2013, 1, 1),
            "became_looked_after_on": dt.date(2026, 9, 1),
            "emergency_placement": False,
            "current_setting_id": school.id,
            "social_worker_id": sw.id,
        }
        for n in range(count)
    ]
    db.session.execute(insert(Child), children)
    child_ids = db.session.scalars(
        select(Child.id).where(Child.authority_id == council.id).order_by(Child.id)
    ).all()
    db.session.execute(
        insert(Pep),
        [
            {
                "authority_id": council.id,
                "child_id": cid,
                "setting_id": school.id,
                "academic_year": 2026,
                "term": Term.AUTUMN,
                "kind": PepKind.TERMLY_REVIEW,
                "phase": "secondary",
                "state": "with_setting",
                "meeting_date": dt.date(2026, 11, 25),
                "config_version_id": council.current_config_version_id,
                "lock_version": 1,
            }
            for cid in child_ids
        ],
    )
    pep_ids = db.session.scalars(select(Pep.id).where(Pep.authority_id == council.id).order_by(Pep.id)).all()
    db.session.execute(
        insert(PepStateChange),
        [{"pep_id": pid, "to_state": "with_setting", "occurred_on": dt.date(2026, 10, 1)} for pid in pep_ids],
    )
    db.session.execute(
        insert(PepDeadline),
        [
            {
                "pep_id": pid,
                "rule_key": "setting_completes",
                "label": "Setting completes",
                "responsible": Role.DESIGNATED_TEACHER,
                "due_on": dt.date(2026, 12, 9),
                "explanation": "10 working days after the PEP meeting",
            }
            for pid in pep_ids
        ],
    )
    db.session.execute(
        insert(PepSectionEntry),
        [
            {
                "pep_id": pid,
                "section_key": key,
                "version": 1,
                "answers": {"attendance_percentage": 97},
                "completed": True,
                "saved_by_id": teacher.id,
            }
            for pid in pep_ids
            for key in ("attendance", "targets")
        ],
    )
    db.session.commit()
    return council, pep_ids


@pytest.mark.parametrize("path", ["dashboard", "pep page"])
def test_queries_do_not_grow_with_the_number_of_peps(app: Flask, path: str) -> None:
    from tests.conftest import empty_database

    counts = {}
    for size in (10, 200):
        empty_database()
        _, pep_ids = school_with_peps(size)
        client = app.test_client()
        sign_in(client, "dt@big.example")
        url = "/school/" if path == "dashboard" else f"/a/sample-council/peps/{pep_ids[-1]}"
        with count_queries(db.engine) as statements:
            response = client.get(url)
        assert response.status_code == 200
        counts[size] = len(statements)
    assert counts[10] == counts[200], f"{path}: {counts}"


def test_two_people_saving_one_section_at_once_never_lose_either_text(app: Flask) -> None:
    council = load_sample_council()
    school = make_setting("Race School")
    teacher = make_user("Dee Teacher", roles=[(Role.DESIGNATED_TEACHER, school)])
    sw = make_user("Sam Social", roles=[(Role.SOCIAL_WORKER, council)])
    child = make_child(council, "Ada", social_worker=sw, setting=school)
    pep = workflow.start_pep(
        child,
        kind=PepKind.TERMLY_REVIEW,
        academic_year=2026,
        term=Term.AUTUMN,
        actor=sw,
        meeting_date=dt.date(2026, 11, 25),
    )
    workflow.perform(sw, pep, "delegate")
    pep_id, teacher_id = pep.id, teacher.id
    texts = {
        "first": "Reasons written by the first teacher",
        "second": "Reasons written by the second teacher",
    }
    start = threading.Barrier(2)
    outcome: dict[str, str] = {}

    def save(name: str) -> None:
        with app.app_context():
            from portal.models import User

            user = db.session.get(User, teacher_id)
            target = db.session.get(Pep, pep_id)
            start.wait()
            try:
                sections.save_section(
                    user,
                    target,
                    "attendance",
                    {"attendance_percentage": 90, "explanation": texts[name]},
                    base_version=0,
                )
                outcome[name] = "saved"
            except sections.SectionConflictError as conflict:
                # The loser is told, and shown the winner's text; theirs stays in their form.
                outcome[name] = "conflict:" + conflict.newer.answers["explanation"]
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save, args=(name,)) for name in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(v.split(":")[0] for v in outcome.values()) == ["conflict", "saved"], outcome
    winner = next(name for name, v in outcome.items() if v == "saved")
    loser = next(name for name, v in outcome.items() if v != "saved")
    assert outcome[loser] == f"conflict:{texts[winner]}"
    db.session.expire_all()
    saved = db.session.scalars(select(PepSectionEntry.answers).where(PepSectionEntry.pep_id == pep_id)).all()
    assert [a["explanation"] for a in saved] == [texts[winner]]
    assert db.session.scalar(select(func.count()).select_from(PepSectionEntry)) == 1
