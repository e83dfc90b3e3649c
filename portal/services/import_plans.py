"""What an uploaded file would do, row by row: create, update, leave unchanged, or a problem in
plain words ("Row 7: date of birth '31/02/2015' is not a real date", with curly quotes).

A plan is made from the file's stored text against the database as it is now, with one query per
kind of look-up (children by case reference, settings by URN, the authority's social workers)
whatever the number of rows. The preview shows a plan; confirming makes it again and applies it
only if nothing changed in between (see :attr:`Plan.fingerprint`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from portal.authorities.vocabulary import Role
from portal.extensions import db
from portal.models import Authority, Child, EducationSetting
from portal.services import people, settings_admin
from portal.services.authorities import config_for
from portal.services.import_format import (
    CellProblemError,
    ParsedFile,
    parse_date,
    parse_setting_type,
    parse_yes_no,
)

CREATE, UPDATE, UNCHANGED, PROBLEM = "create", "update", "unchanged", "problem"

#: Child fields an import writes, with their names in messages.
CHILD_FIELDS = {
    "first_name": "first name",
    "last_name": "last name",
    "date_of_birth": "date of birth",
    "became_looked_after_on": "date became looked after",
    "emergency_placement": "emergency placement",
    "current_setting_id": "school",
    "social_worker_id": "allocated worker",
}
SETTING_FIELDS = {"name": "name", "setting_type": "type", "local_authority_area": "local authority"}


@dataclass(frozen=True)
class Problem:
    row: int
    #: The column's header as written in the file.
    column: str
    message: str


@dataclass
class RowPlan:
    number: int
    #: The case reference or URN, as in the file.
    reference: str
    name: str
    action: str = CREATE
    target_id: int | None = None
    #: Column -> value written: every field an import sets, so updates can be sent in one batch.
    values: dict[str, Any] = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: A child's setting changes: their open PEPs leave the old setting (casework.move_setting).
    moves_to: str | None = None


@dataclass
class Plan:
    kind: str
    rows: list[RowPlan] = field(default_factory=list)
    #: Problems with the file as a whole (missing columns, no rows), each said once.
    file_problems: list[str] = field(default_factory=list)
    #: Headers in the file that PEP Portal does not read.
    ignored: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counted = dict.fromkeys((CREATE, UPDATE, UNCHANGED, PROBLEM), 0)
        for row in self.rows:
            counted[row.action] += 1
        return counted

    @property
    def has_problems(self) -> bool:
        return bool(self.file_problems) or any(row.problems for row in self.rows)

    @property
    def can_apply(self) -> bool:
        counts = self.counts
        return not self.has_problems and counts[CREATE] + counts[UPDATE] > 0

    @property
    def fingerprint(self) -> str:
        """A digest of everything the plan would write: confirming a plan whose fingerprint
        differs from the one previewed is refused, so what is applied is what was shown."""
        described = [
            [
                row.number,
                row.action,
                row.target_id,
                row.changes,
                sorted((k, str(v)) for k, v in row.values.items()),
            ]
            for row in self.rows
        ]
        return hashlib.sha256(json.dumps([self.kind, described]).encode()).hexdigest()[:40]


class _Row:
    """Collects one row's problems, each naming the row and the column."""

    def __init__(self, number: int, cells: dict[str, str], headers: dict[str, str]) -> None:
        self.number, self.cells, self.headers = number, cells, headers
        self.problems: list[Problem] = []

    def problem(self, key: str, text: str) -> None:
        self.problems.append(Problem(self.number, self.headers.get(key, ""), f"Row {self.number}: {text}"))

    def text(self, key: str, label: str, *, required: bool, longest: int) -> str:
        value = " ".join(self.cells.get(key, "").split())
        if required and not value:
            self.problem(key, f"{label} is missing")
        elif len(value) > longest:
            self.problem(key, f"{label} is longer than {longest} characters")
        return value

    def parsed(self, key: str, label: str, parser: Callable[[str], Any], *, required: bool) -> Any:
        value = self.cells.get(key, "")
        if not value:
            if required:
                self.problem(key, f"{label} is missing")
            return None
        try:
            return parser(value)
        except CellProblemError as problem:
            self.problem(key, f"{label} ‘{value}’ {problem}")
            return None


def _duplicate(row: _Row, key: str, label: str, value: str, seen: dict[str, int]) -> None:
    if value in seen:
        row.problem(key, f"{label} ‘{value}’ is also on row {seen[value]}")
    else:
        seen[value] = row.number


def _finish(plan_row: RowPlan, row: _Row, current: dict[str, Any] | None, wanted: dict[str, Any]) -> None:
    plan_row.problems = row.problems
    if row.problems:
        plan_row.action = PROBLEM
    elif current is not None:
        plan_row.changes = [k for k, v in wanted.items() if current[k] != v]
        plan_row.values = current | wanted
        plan_row.action = UPDATE if plan_row.changes else UNCHANGED


def plan_children(authority: Authority, parsed: ParsedFile, today: dt.date) -> Plan:
    """Children are matched on the authority's case reference. Cells left empty in an optional
    column leave that detail as it is (for a new child: none), so an import never unallocates a
    child or takes them out of their setting."""
    cells = [c for _, c in parsed.rows]
    references = {c["case_reference"] for c in cells if c.get("case_reference")}
    existing: dict[str, list[Child]] = defaultdict(list)
    if references:
        for child in db.session.scalars(
            select(Child).where(Child.authority_id == authority.id, Child.case_reference.in_(references))
        ):
            existing[child.case_reference or ""].append(child)
    urns = {c["setting_urn"] for c in cells if c.get("setting_urn")}
    settings = (
        {s.urn: s for s in db.session.scalars(select(EducationSetting).where(EducationSetting.urn.in_(urns)))}
        if urns
        else {}
    )
    workers = (
        {u.email.lower(): u for u in people.users_with_role(Role.SOCIAL_WORKER, authority_id=authority.id)}
        if "social_worker_email" in parsed.headers
        else {}
    )
    has_term = config_for(authority).work_calendar.current_term(today) is not None
    plan = Plan("children", ignored=parsed.ignored)
    seen: dict[str, int] = {}
    for number, row_cells in parsed.rows:
        row = _Row(number, row_cells, parsed.headers)
        reference = row.text("case_reference", "case reference", required=True, longest=40)
        if reference:
            _duplicate(row, "case_reference", "case reference", reference, seen)
        wanted: dict[str, Any] = {
            "first_name": row.text("first_name", "first name", required=True, longest=100),
            "last_name": row.text("last_name", "last name", required=True, longest=100),
            "date_of_birth": row.parsed("date_of_birth", "date of birth", parse_date, required=True),
            "became_looked_after_on": row.parsed(
                "became_looked_after_on", "date became looked after", parse_date, required=True
            ),
        }
        _check_dates(row, wanted["date_of_birth"], wanted["became_looked_after_on"], today)
        emergency = row.parsed("emergency_placement", "emergency placement", parse_yes_no, required=False)
        if emergency is not None:
            wanted["emergency_placement"] = emergency
        urn = row_cells.get("setting_urn", "")
        setting = settings.get(urn)
        if urn and setting is None:
            row.problem(
                "setting_urn",
                f"school URN ‘{urn}’ is not a setting in PEP Portal: add it on the Settings page, "
                "or import a file of settings first",
            )
        elif setting is not None:
            wanted["current_setting_id"] = setting.id
        email = row_cells.get("social_worker_email", "")
        worker = workers.get(email.lower())
        if email and worker is None:
            row.problem(
                "social_worker_email",
                f"allocated worker email ‘{email}’ is not a social worker of {authority.name} in PEP Portal",
            )
        elif worker is not None:
            wanted["social_worker_id"] = worker.id
        matches = existing.get(reference, [])
        if len(matches) > 1:
            row.problem(
                "case_reference",
                f"case reference ‘{reference}’ belongs to {len(matches)} children in PEP Portal: "
                "correct it on their records first",
            )
        plan_row = RowPlan(number, reference, f"{wanted['first_name']} {wanted['last_name']}".strip())
        current = None
        if len(matches) == 1:
            child = matches[0]
            plan_row.target_id = child.id
            current = {key: getattr(child, key) for key in CHILD_FIELDS}
            if setting is not None and setting.id != child.current_setting_id:
                plan_row.moves_to = setting.name
                if not has_term:
                    row.problem(
                        "setting_urn",
                        f"the child would move to {setting.name}, but {authority.name} has no term dates "
                        "for today to start their transition PEP: add the term dates first",
                    )
        else:
            plan_row.values = {
                "case_reference": reference,
                "emergency_placement": False,
                "current_setting_id": None,
                "social_worker_id": None,
            } | wanted
        _finish(plan_row, row, current, wanted)
        plan_row.changes = [CHILD_FIELDS[k] for k in plan_row.changes]
        plan.rows.append(plan_row)
    return plan


def _check_dates(row: _Row, born: dt.date | None, looked_after: dt.date | None, today: dt.date) -> None:
    if looked_after is not None and looked_after > today:
        row.problem(
            "became_looked_after_on",
            f"date became looked after ‘{row.cells['became_looked_after_on']}’ is in the future",
        )
    if born is None or looked_after is None:
        return
    if born >= looked_after:
        row.problem(
            "date_of_birth",
            f"date of birth ‘{row.cells['date_of_birth']}’ is not before the date they became looked after",
        )
    elif (looked_after - born).days / 365.25 >= 18:
        row.problem(
            "date_of_birth",
            f"date of birth ‘{row.cells['date_of_birth']}’ makes the child 18 or over when they became "
            "looked after: a PEP is for children under 18",
        )


def plan_settings(authority: Authority, parsed: ParsedFile) -> Plan:
    """Settings are matched on URN. A setting used only by other authorities may appear in the
    file, but only unchanged: its record is theirs to correct."""
    urns = {c["urn"] for _, c in parsed.rows if c.get("urn")}
    existing = (
        {s.urn: s for s in db.session.scalars(select(EducationSetting).where(EducationSetting.urn.in_(urns)))}
        if urns
        else {}
    )
    used = settings_admin.authorities_using(s.id for s in existing.values())
    plan = Plan("settings", ignored=parsed.ignored)
    seen: dict[str, int] = {}
    for number, cells in parsed.rows:
        row = _Row(number, cells, parsed.headers)
        urn = row.text("urn", "URN", required=True, longest=8)
        if urn and not settings_admin.URN_PATTERN.match(urn):
            row.problem("urn", f"URN ‘{urn}’ is not 6 digits")
        elif urn:
            _duplicate(row, "urn", "URN", urn, seen)
        wanted: dict[str, Any] = {
            "name": row.text("name", "name", required=True, longest=200),
            "setting_type": row.parsed("setting_type", "type", parse_setting_type, required=True),
        }
        area = row.text("local_authority_area", "local authority", required=False, longest=120)
        if area:
            wanted["local_authority_area"] = area
        plan_row = RowPlan(number, urn, wanted["name"])
        setting = existing.get(urn)
        current = None
        if setting is not None:
            plan_row.target_id = setting.id
            current = {key: getattr(setting, key) for key in SETTING_FIELDS}
            changed = any(current[k] != v for k, v in wanted.items())
            if changed and not settings_admin.may_edit(authority, used[setting.id]):
                row.problem(
                    "name",
                    f"{setting.name} (URN {urn}) is used only by other authorities, so its details cannot "
                    "be changed here: make the row match PEP Portal or remove it",
                )
        else:
            plan_row.values = {"urn": urn, "local_authority_area": None} | wanted
        _finish(plan_row, row, current, wanted)
        plan_row.changes = [SETTING_FIELDS[k] for k in plan_row.changes]
        plan.rows.append(plan_row)
    return plan
