"""The Virtual School's compliance figures for one term, counted by the database.

Every PEP of the term falls in exactly one :class:`Status`, decided by one SQL CASE expression over
the PEP and its deadlines. The tables group by it and the drill-down list filters on it, both
through :func:`classified`, so a figure and the list of PEPs behind it cannot disagree. Each table
is one GROUP BY query, so the dashboard costs as many queries for 50 PEPs as for 5,000.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import EducationSetting, Pep, PepDeadline, PpPlusRequest, User
from portal.services.charts import BarChart, bar_chart
from portal.services.compliance_scope import (
    NONE,
    Funding,
    Outcome,
    Scope,
    Status,
    classified,
    funding_amount,
    outcome_of,
)
from portal.services.report_tables import Figure, Row, Table, column_sums

# --- The tables ------------------------------------------------------------------------------


def _status_table(
    scope: Scope,
    *,
    key: str,
    caption: str,
    row_heading: str,
    param: str,
    counts: Iterable[tuple[Any, str | None, str, int]],
    order: Callable[[tuple[Any, str]], Any] | None = None,
) -> Table:
    """Rows of (group, label, status, count) from a GROUP BY, pivoted: one row per group with a
    column per status and the total (the PEPs due)."""
    by_group: dict[Any, dict[str, int]] = defaultdict(dict)
    labels: dict[Any, str] = {}
    for group, label, status, count in counts:
        by_group[group][status] = count
        labels[group] = label or ""
    groups = sorted(labels.items(), key=order or (lambda item: (item[0] is None, item[1].lower())))
    rows = []
    for group, label in groups:
        value = NONE if group is None else str(group)
        figures = [
            Figure(by_group[group].get(s, 0), scope.drill(**{param: value, "status": s})) for s in Status
        ]
        figures.append(Figure(sum(by_group[group].values()), scope.drill(**{param: value})))
        rows.append(Row(label, figures))
    drills = [scope.drill(status=s) for s in Status] + [scope.drill()]
    return Table(
        key=key,
        caption=caption,
        row_heading=row_heading,
        columns=[s.label for s in Status] + ["PEPs due"],
        rows=rows,
        total=column_sums(rows, "All PEPs", drills),
    )


def status_by_setting(scope: Scope) -> Table:
    c = classified(scope)
    counts = db.session.execute(
        select(c.c.setting_id, func.coalesce(EducationSetting.name, "No setting"), c.c.status, func.count())
        .select_from(c)
        .outerjoin(EducationSetting, EducationSetting.id == c.c.setting_id)
        .group_by(c.c.setting_id, EducationSetting.name, c.c.status)
    ).all()
    return _status_table(
        scope,
        key="status_by_setting",
        caption="PEPs by education setting",
        row_heading="Education setting",
        param="setting",
        counts=counts,
    )


def status_by_social_worker(scope: Scope) -> Table:
    c = classified(scope)
    counts = db.session.execute(
        select(c.c.social_worker_id, func.coalesce(User.full_name, "Not allocated"), c.c.status, func.count())
        .select_from(c)
        .outerjoin(User, User.id == c.c.social_worker_id)
        .group_by(c.c.social_worker_id, User.full_name, c.c.status)
    ).all()
    return _status_table(
        scope,
        key="status_by_social_worker",
        caption="PEPs by the child’s social worker",
        row_heading="Social worker",
        param="social_worker",
        counts=counts,
    )


def status_by_phase(scope: Scope) -> Table:
    c = classified(scope)
    phases = scope.config.phases
    counts = [
        (phase, phases[phase].label if phase in phases else str(phase).replace("_", " ").capitalize(), s, n)
        for phase, s, n in db.session.execute(
            select(c.c.phase, c.c.status, func.count()).group_by(c.c.phase, c.c.status)
        )
    ]
    order = list(phases)
    return _status_table(
        scope,
        key="status_by_phase",
        caption="PEPs by phase",
        row_heading="Phase",
        param="phase",
        counts=counts,
        order=lambda item: (order.index(item[0]) if item[0] in order else len(order), item[1]),
    )


def deadline_windows(scope: Scope) -> Table:
    """Each of the authority's deadlines (its windows): how many PEPs met it on time, late, and so on."""
    rows_in_term = (
        select(PepDeadline.rule_key, PepDeadline.label, outcome_of(scope.today).label("outcome"))
        .join(Pep, Pep.id == PepDeadline.pep_id)
        .where(*scope.conditions())
        .subquery("deadlines_in_term")
    )
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    stored_labels: dict[str, str] = {}
    for rule, label, outcome, count in db.session.execute(
        select(
            rows_in_term.c.rule_key, func.max(rows_in_term.c.label), rows_in_term.c.outcome, func.count()
        ).group_by(rows_in_term.c.rule_key, rows_in_term.c.outcome)
    ):
        counts[rule][outcome] = count
        stored_labels[rule] = label
    configured = {rule.key: rule.label for rule in scope.config.deadlines}
    # Deadlines of an earlier version of the process still count, after the current ones.
    rules = [*configured, *sorted(set(stored_labels) - set(configured))]
    rows = []
    for rule in rules:
        figures = [Figure(counts[rule].get(o, 0), scope.drill(rule=rule, outcome=o)) for o in Outcome]
        figures.append(Figure(sum(counts[rule].values()), scope.drill(rule=rule)))
        rows.append(Row(configured.get(rule) or stored_labels[rule], figures))
    return Table(
        key="deadline_windows",
        caption="The authority’s deadlines",
        row_heading="Deadline",
        columns=[o.label for o in Outcome] + ["PEPs with this deadline"],
        rows=rows,
        note="Each PEP of the term counts once under each deadline that applies to it.",
    )


def qa_grades(scope: Scope) -> Table:
    """The latest grade of each PEP of the term, in the authority's scale order, best first."""
    c = classified(scope)
    counts = dict(db.session.execute(select(c.c.grade, func.count()).group_by(c.c.grade)).all())
    ungraded = counts.pop(None, 0)
    scale = [(g.key, g.label) for g in scope.config.qa.scale]
    known = {key for key, _ in scale}
    grades = scale + [(key, key.replace("_", " ").capitalize()) for key in sorted(set(counts) - known)]
    rows = [Row(label, [Figure(counts.get(key, 0), scope.drill(grade=key))]) for key, label in grades]
    rows.append(Row("Not graded", [Figure(ungraded, scope.drill(grade=NONE))]))
    return Table(
        key="qa_grades",
        caption="Quality assurance grades",
        row_heading="Grade",
        columns=["PEPs"],
        rows=rows,
        total=column_sums(rows, "All PEPs", [scope.drill()]),
        note="A PEP graded more than once counts under its latest grade.",
    )


def pp_plus_by_setting(scope: Scope) -> Table:
    c = classified(scope)
    sums = [func.coalesce(func.sum(funding_amount(kind, scope, c.c.grade)), 0) for kind in Funding]
    rows = []
    for setting_id, name, *amounts in db.session.execute(
        select(c.c.setting_id, func.coalesce(EducationSetting.name, "No setting"), *sums)
        .select_from(c)
        .join(PpPlusRequest, PpPlusRequest.pep_id == c.c.id)
        .outerjoin(EducationSetting, EducationSetting.id == c.c.setting_id)
        .group_by(c.c.setting_id, EducationSetting.name)
        .order_by(c.c.setting_id.is_(None), EducationSetting.name)
    ):
        setting = NONE if setting_id is None else str(setting_id)
        figures = [
            Figure(_pounds(amount), scope.drill(setting=setting, funding=kind))
            for kind, amount in zip(Funding, amounts, strict=True)
        ]
        rows.append(Row(name, figures))
    minimum = scope.config.funding.minimum_grade
    grade = scope.config.qa.grade(minimum) if minimum else None
    return Table(
        key="pp_plus",
        caption="PP+ by education setting",
        row_heading="Education setting",
        columns=["Requested (£)", "Approved (£)", "Payable (£)"],
        rows=rows,
        total=column_sums(rows, "All settings", [scope.drill(funding=k) for k in Funding], Decimal("0.00")),
        money=True,
        note=(
            f"Payable: approved, for a PEP whose latest grade is {grade.label} or better."
            if grade
            else "Payable: approved (the authority pays whatever the QA grade)."
        ),
    )


def _pounds(amount: Any) -> Decimal:
    """Sums come back as Decimal from PostgreSQL and may come back as float or int from SQLite."""
    return Decimal(str(amount)).quantize(Decimal("0.01"))


def status_totals(by_setting: Table) -> Table:
    """The term's PEPs by status alone: the total row of any status breakdown, turned on its side."""
    assert by_setting.total is not None
    statuses = [
        Row(label, [figure])
        for label, figure in zip(by_setting.columns, by_setting.total.figures, strict=True)
    ]
    return Table(
        key="status_totals",
        caption="PEPs by status",
        row_heading="Status",
        columns=["PEPs"],
        rows=statuses[:-1],
        total=statuses[-1],
    )


TABLES: dict[str, Callable[[Scope], Table]] = {
    "status_totals": lambda scope: status_totals(status_by_setting(scope)),
    "status_by_setting": status_by_setting,
    "status_by_social_worker": status_by_social_worker,
    "status_by_phase": status_by_phase,
    "deadline_windows": deadline_windows,
    "qa_grades": qa_grades,
    "pp_plus": pp_plus_by_setting,
}
#: The tables drawn as charts too: which of their columns is drawn, under what title.
CHARTED = {
    "status_totals": (0, "PEPs by status"),
    "qa_grades": (0, "PEPs by latest QA grade"),
    "pp_plus": (2, "PP+ payable by education setting"),
}


def dashboard(scope: Scope) -> dict[str, Table]:
    """Every table of the dashboard: one query each (the status totals come with the settings)."""
    tables = {key: build(scope) for key, build in TABLES.items() if key != "status_totals"}
    return {"status_totals": status_totals(tables["status_by_setting"]), **tables}


def charts(tables: dict[str, Table]) -> dict[str, BarChart]:
    return {
        key: bar_chart(title, [(row.label, row.figures[column]) for row in tables[key].rows])
        for key, (column, title) in CHARTED.items()
    }
