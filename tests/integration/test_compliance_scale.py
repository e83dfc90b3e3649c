"""The compliance dashboard over 5,000 generated PEPs: every figure equals a plain recount of the
generated rows in Python, and the page runs as many queries for 5,000 PEPs as for 50."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy import insert, select

from portal import clock
from portal.authorities.vocabulary import PepKind, Role, Term
from portal.extensions import db
from portal.models import Child, Pep, PepDeadline, PpPlusRequest, QaReview
from portal.services.authorities import config_for
from portal.services.compliance import dashboard
from portal.services.compliance_scope import Scope, TermChoice
from tests.factories import make_setting, make_user, sign_in
from tests.integration.conftest import load_sample_council
from tests.queries import count_queries

TODAY = dt.date(2026, 11, 20)
STEPS = ["initiated", "with_setting", "after_meeting", "awaiting_qa", "signed_off"]
RULES = ["initial_meeting", "setting_completes", "qa_within_a_week", "term_window"]
GRADES = ["good", "adequate", "inadequate"]


@dataclass
class Generated:
    """What was inserted for one PEP, kept to recount the figures without SQL."""

    setting: str
    social_worker: str
    phase: str
    state: str
    finalised_on: dt.date | None
    deadlines: dict[str, tuple[dt.date | None, dt.date | None]] = field(default_factory=dict)
    grades: list[str] = field(default_factory=list)
    #: (requested, decision, approved)
    requests: list[tuple[Decimal, str | None, Decimal | None]] = field(default_factory=list)


def some_day(rng: random.Random) -> dt.date | None:
    return None if rng.random() < 0.1 else dt.date(2026, 10, 1) + dt.timedelta(days=rng.randrange(90))


def generate_term(count: int, seed: int = 7) -> list[Generated]:
    """``count`` PEPs of the sample council's autumn term 2026 in every state, inserted in bulk."""
    rng = random.Random(seed)
    council = load_sample_council()
    vs = make_user("Vera Scale", email="vs@scale.example", roles=[(Role.VIRTUAL_SCHOOL, council)])
    settings = [make_setting(f"Scale School {n:02d}") for n in range(12)]
    workers = [make_user(f"Worker {n:02d}", roles=[(Role.SOCIAL_WORKER, council)]) for n in range(8)]
    plans = []
    for _ in range(count):
        setting = rng.choice([*settings, None])
        worker = rng.choice([*workers, None])
        state = rng.choice(STEPS)
        finalised = state == "signed_off" and rng.random() < 0.9
        plans.append((setting, worker, state, finalised))
    db.session.execute(
        insert(Child),
        [
            {
                "authority_id": council.id,
                "first_name": f"Child{n}",
                "last_name": "Scale",
                "date_of_birth": dt.date(2013, 1, 1),
                "became_looked_after_on": dt.date(2026, 9, 1),
                "emergency_placement": False,
                "social_worker_id": worker.id if worker else None,
            }
            for n, (_, worker, _, _) in enumerate(plans)
        ],
    )
    child_ids = db.session.scalars(
        select(Child.id).where(Child.authority_id == council.id).order_by(Child.id)
    ).all()
    generated = []
    pep_rows = []
    for child_id, (setting, worker, state, finalised) in zip(child_ids, plans, strict=True):
        finalised_on = dt.date(2026, 10, 1) + dt.timedelta(days=rng.randrange(50)) if finalised else None
        phase = rng.choice(["secondary", "secondary", "specialist"])
        generated.append(
            Generated(
                setting.name if setting else "No setting",
                worker.full_name if worker else "Not allocated",
                phase,
                state,
                finalised_on,
            )
        )
        pep_rows.append(
            {
                "authority_id": council.id,
                "child_id": child_id,
                "setting_id": setting.id if setting else None,
                "academic_year": 2026,
                "term": Term.AUTUMN,
                "kind": PepKind.TERMLY_REVIEW,
                "phase": phase,
                "state": state,
                # Noon UTC: the day is the same in England and in UTC.
                "finalised_at": dt.datetime.combine(finalised_on, dt.time(12), dt.UTC)
                if finalised_on
                else None,
                "config_version_id": council.current_config_version_id,
                "lock_version": 1,
            }
        )
    db.session.execute(insert(Pep), pep_rows)
    pep_ids = db.session.scalars(
        select(Pep.id).where(Pep.authority_id == council.id).order_by(Pep.child_id)
    ).all()
    deadlines, reviews, requests = [], [], []
    for pep_id, plan in zip(pep_ids, generated, strict=True):
        for rule in rng.sample(RULES, rng.randrange(len(RULES) + 1)):
            due = some_day(rng)
            met = None if rng.random() < 0.4 else some_day(rng)
            plan.deadlines[rule] = (due, met)
            deadlines.append(
                {
                    "pep_id": pep_id,
                    "rule_key": rule,
                    "label": rule,
                    "responsible": Role.SOCIAL_WORKER,
                    "due_on": due,
                    "met_on": met,
                    "explanation": "generated",
                }
            )
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            plan.grades.append(rng.choice(GRADES))
            reviews.append({"pep_id": pep_id, "reviewer_id": vs.id, "grade": plan.grades[-1], "criteria": {}})
        for index in range(rng.choice([0, 0, 1, 2])):
            requested = Decimal(rng.randrange(1, 55000)) / 100
            decision = rng.choice([None, "approved", "reduced", "declined"])
            approved = {None: None, "approved": requested, "declined": Decimal("0.00")}.get(
                decision, (requested / 2).quantize(Decimal("0.01"))
            )
            plan.requests.append((requested, decision, approved))
            requests.append(
                {
                    "pep_id": pep_id,
                    "section_key": "targets",
                    "field_key": "targets",
                    "row_index": index,
                    "requested": requested,
                    "decision": decision,
                    "approved": approved,
                }
            )
    for table, rows in ((PepDeadline, deadlines), (QaReview, reviews), (PpPlusRequest, requests)):
        if rows:
            db.session.execute(insert(table), rows)
    db.session.commit()
    return generated


def status(plan: Generated) -> str:
    """The rules as a person would apply them to one PEP."""
    if plan.finalised_on:
        late = any(
            due is not None and (met > due if met else due < plan.finalised_on)
            for due, met in plan.deadlines.values()
        )
        return "completed_late" if late else "completed_on_time"
    if any(met is None and due is not None and due < TODAY for due, met in plan.deadlines.values()):
        return "overdue"
    return "not_started" if plan.state == "initiated" else "in_progress"


def outcome(due: dt.date | None, met: dt.date | None) -> str:
    if met:
        return "met_late" if due and met > due else "met_on_time"
    if due is None:
        return "no_date"
    return "overdue" if due < TODAY else "not_yet_due"


STATUSES = ["completed_on_time", "completed_late", "overdue", "in_progress", "not_started"]
OUTCOMES = ["met_on_time", "met_late", "overdue", "not_yet_due", "no_date"]


def recount(generated: list[Generated]) -> dict[str, dict[str, list]]:
    """Every table as {row label: [figures]}, counted one PEP at a time."""
    tables: dict[str, dict[str, list]] = {}
    for key, attribute in (
        ("status_by_setting", "setting"),
        ("status_by_social_worker", "social_worker"),
        ("status_by_phase", "phase"),
    ):
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for plan in generated:
            counts[getattr(plan, attribute)][status(plan)] += 1
        tables[key] = {label: [c[s] for s in STATUSES] + [c.total()] for label, c in counts.items()}
    windows: dict[str, Counter[str]] = defaultdict(Counter)
    for plan in generated:
        for rule, (due, met) in plan.deadlines.items():
            windows[rule][outcome(due, met)] += 1
    tables["deadline_windows"] = {rule: [c[o] for o in OUTCOMES] + [c.total()] for rule, c in windows.items()}
    grades = Counter(plan.grades[-1] if plan.grades else None for plan in generated)
    tables["qa_grades"] = {grade or "Not graded": [n] for grade, n in grades.items()}
    money: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal("0.00")] * 3)
    for plan in generated:
        for requested, decision, approved in plan.requests:
            sums = money[plan.setting]
            sums[0] += requested
            if decision:
                sums[1] += approved
                if plan.grades and plan.grades[-1] in ("good", "adequate"):
                    sums[2] += approved
    tables["pp_plus"] = dict(money)
    return tables


def figures(table) -> dict[str, list]:
    return {row.label: [f.value for f in row.figures] for row in table.rows}


def test_every_figure_equals_a_recount_of_5000_peps(app: Flask) -> None:
    generated = generate_term(5000)
    council = load_sample_council()
    config = config_for(council)
    tables = dashboard(Scope(council, config, TermChoice(2026, Term.AUTUMN), TODAY))
    expected = recount(generated)
    phase_labels = {key: phase.label for key, phase in config.phases.items()}
    rule_labels = {rule.key: rule.label for rule in config.deadlines}
    grade_labels = {grade.key: grade.label for grade in config.qa.scale}

    assert figures(tables["status_by_setting"]) == expected["status_by_setting"]
    assert figures(tables["status_by_social_worker"]) == expected["status_by_social_worker"]
    assert figures(tables["status_by_phase"]) == {
        phase_labels[k]: v for k, v in expected["status_by_phase"].items()
    }
    windows = {rule_labels[k]: v for k, v in expected["deadline_windows"].items()}
    assert {k: v for k, v in figures(tables["deadline_windows"]).items() if v[-1]} == windows
    assert {k: v for k, v in figures(tables["qa_grades"]).items()} == {
        grade_labels.get(k, k): v for k, v in expected["qa_grades"].items()
    }
    assert figures(tables["pp_plus"]) == expected["pp_plus"]
    assert all(isinstance(f.value, Decimal) for row in tables["pp_plus"].rows for f in row.figures)
    # The totals agree with the rows, and every PEP is counted exactly once.
    assert tables["status_totals"].total.figures[0].value == 5000
    assert sum(v[0] for v in expected["qa_grades"].values()) == 5000
    assert set(expected["status_by_setting"]) >= {"No setting"} and len(expected["deadline_windows"]) == 4


def test_the_dashboard_costs_the_same_queries_for_50_and_5000_peps(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import empty_database

    monkeypatch.setattr(clock, "today", lambda: TODAY)
    counts = {}
    for size in (50, 5000):
        empty_database()
        generate_term(size)
        client = app.test_client()
        sign_in(client, "vs@scale.example")
        with count_queries(db.engine) as statements:
            response = client.get("/a/sample-council/virtual-school/compliance?term=2026-autumn")
        assert response.status_code == 200
        assert f"{size:,} PEPs" in response.text
        counts[size] = len(statements)
    assert counts[50] == counts[5000], counts
