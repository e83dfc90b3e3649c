"""The PEPs behind a compliance figure: the dashboard's own SQL, filtered instead of counted.

Filters come from the query string of a figure's link. A value that means nothing (an unknown
status, a setting id that is not a number) is dropped rather than refused: the page says which
filters it applied, and the authority and term always apply, so nothing outside them can show.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Subquery, exists, select
from sqlalchemy.orm import contains_eager, joinedload

from portal.authorities.schema import Phase
from portal.extensions import db
from portal.models import Child, EducationSetting, Pep, PepDeadline, PpPlusRequest, User
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
from portal.services.paging import Page, paginate_by_id
from portal.services.peps import PepRow, describe

_ID = re.compile(r"^[1-9][0-9]{0,9}$")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
#: Ids are 32-bit in PostgreSQL: a larger number in a query would be an error, not "no rows".
_LARGEST_ID = 2**31 - 1


def _id_or_none(value: str) -> str | None:
    if value == NONE or (_ID.match(value) and int(value) <= _LARGEST_ID):
        return value
    return None


@dataclass(frozen=True)
class Filters:
    status: Status | None = None
    setting: str | None = None  # a setting id, or NONE
    social_worker: str | None = None  # a user id, or NONE
    phase: Phase | None = None
    rule: str | None = None  # a deadline rule key
    outcome: Outcome | None = None
    grade: str | None = None  # a grade key, or NONE
    funding: Funding | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Filters:
        def choice(name: str, kind: type[Any]) -> Any:
            value = args.get(name, "")
            return kind(value) if value in set(kind) else None

        def matching(name: str, pattern: re.Pattern[str]) -> str | None:
            value = args.get(name, "")
            return value if pattern.match(value) else None

        return cls(
            status=choice("status", Status),
            setting=_id_or_none(args.get("setting", "")),
            social_worker=_id_or_none(args.get("social_worker", "")),
            phase=choice("phase", Phase),
            rule=matching("rule", _KEY),
            outcome=choice("outcome", Outcome),
            grade=matching("grade", _KEY),
            funding=choice("funding", Funding),
        )

    def conditions(self, c: Subquery, scope: Scope) -> list[ColumnElement[bool]]:
        """The same columns and expressions the figures were counted from."""
        found: list[ColumnElement[bool]] = []
        if self.status:
            found.append(c.c.status == self.status.value)
        for value, column in ((self.setting, c.c.setting_id), (self.social_worker, c.c.social_worker_id)):
            if value is not None:
                found.append(column.is_(None) if value == NONE else column == int(value))
        if self.phase:
            found.append(c.c.phase == self.phase)
        if self.grade:
            found.append(c.c.grade.is_(None) if self.grade == NONE else c.c.grade == self.grade)
        if self.rule or self.outcome:
            deadline = [PepDeadline.pep_id == c.c.id]
            if self.rule:
                deadline.append(PepDeadline.rule_key == self.rule)
            if self.outcome:
                deadline.append(outcome_of(scope.today) == self.outcome.value)
            found.append(exists().where(*deadline))
        if self.funding:
            amount = funding_amount(self.funding, scope, c.c.grade)
            found.append(exists().where(PpPlusRequest.pep_id == c.c.id, amount > 0))
        return found


@dataclass(frozen=True)
class FilterLabel:
    name: str
    value: str


def describe_filters(filters: Filters, scope: Scope) -> list[FilterLabel] | None:
    """What the list is narrowed to, in words; None when a named social worker is not one of the
    authority's (their name is not the Virtual School's to see)."""
    config = scope.config
    labels = [FilterLabel("Term", scope.term.label)]
    if filters.status:
        labels.append(FilterLabel("Status", filters.status.label))
    if filters.setting == NONE:
        labels.append(FilterLabel("Education setting", "No setting"))
    elif filters.setting:
        name = db.session.scalar(
            select(EducationSetting.name).where(EducationSetting.id == int(filters.setting))
        )
        labels.append(FilterLabel("Education setting", name or "Unknown setting"))
    if filters.social_worker == NONE:
        labels.append(FilterLabel("Social worker", "Not allocated"))
    elif filters.social_worker:
        name = db.session.scalar(
            select(User.full_name)
            .join(Child, Child.social_worker_id == User.id)
            .where(User.id == int(filters.social_worker), Child.authority_id == scope.authority.id)
            .limit(1)
        )
        if name is None:
            return None
        labels.append(FilterLabel("Social worker", name))
    if filters.phase:
        template = config.phases.get(filters.phase)
        labels.append(FilterLabel("Phase", template.label if template else filters.phase.value))
    if filters.rule:
        rule = next((r for r in config.deadlines if r.key == filters.rule), None)
        labels.append(FilterLabel("Deadline", rule.label if rule else filters.rule))
    if filters.outcome:
        labels.append(FilterLabel("Deadline status", filters.outcome.label))
    if filters.grade:
        grade = config.qa.grade(filters.grade)
        labels.append(
            FilterLabel(
                "QA grade", "Not graded" if filters.grade == NONE else grade.label if grade else filters.grade
            )
        )
    if filters.funding:
        labels.append(FilterLabel("PP+", f"{filters.funding.value.capitalize()} funding"))
    return labels


@dataclass(frozen=True)
class PepBehind:
    row: PepRow
    status: Status


def peps_behind(scope: Scope, filters: Filters, *, page: int) -> Page[PepBehind]:
    """The PEPs a figure counts, by child's name: a page of ids, those PEPs, then their statuses."""
    c = classified(scope)
    ids = (
        select(Pep.id)
        .join(c, c.c.id == Pep.id)
        .join(Child, Child.id == Pep.child_id)
        .where(*filters.conditions(c, scope))
        .order_by(Child.last_name, Child.first_name, Pep.id)
    )

    def rows_for(window: Subquery) -> Any:
        return (
            select(Pep)
            .join(window, Pep.id == window.c.id)
            .join(Child, Child.id == Pep.child_id)
            .options(
                contains_eager(Pep.child).joinedload(Child.social_worker),
                joinedload(Pep.setting),
                joinedload(Pep.config_version),
            )
            .order_by(Child.last_name, Child.first_name, Pep.id)
        )

    result = paginate_by_id(ids, page, rows_for)
    statuses = _statuses(scope, [pep.id for pep in result.items])
    items = [PepBehind(describe(pep, pep.next_due_on), Status(statuses[pep.id])) for pep in result.items]
    return Page(items, result.total, result.number, result.per_page)


def _statuses(scope: Scope, pep_ids: list[int]) -> dict[int, str]:
    if not pep_ids:
        return {}
    c = classified(scope)
    return dict(db.session.execute(select(c.c.id, c.c.status).where(c.c.id.in_(pep_ids))).all())
