"""An authority's audit trail as its administrator reads it: newest first, filtered, paged, exported.

Every query is narrowed to one authority first, so nothing another authority did can show, and the
person who acted is joined into the same query (no query per row). Filters come from the query
string of a GET form: dates are checked as a person typed them (GOV.UK date inputs), the rest is
dropped when it means nothing rather than refused.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, or_, select

from portal.clock import LONDON
from portal.extensions import db
from portal.models import AuditEvent, Authority, User
from portal.services.audit_labels import action_label, details_summary, subject_text, subject_type_label
from portal.services.paging import Page, paginate

#: The most events one export holds (newest first); the page says so.
EXPORT_LIMIT = 50_000
_ACTION = re.compile(r"^[a-z][a-z0-9_.]{0,59}$")
_SUBJECT_TYPE = re.compile(r"^[A-Za-z]{1,40}$")
_ID = re.compile(r"^[0-9]{1,10}$")
#: Ids are 32-bit in PostgreSQL: a larger number in a query would be an error, not "no rows".
_LARGEST_ID = 2**31 - 1
DATE_NAMES = {"from": "Date from", "to": "Date to"}
#: The query-string names of the filters, which links to other pages and to exports carry along.
FILTER_NAMES = (
    *(f"{prefix}-{part}" for prefix in DATE_NAMES for part in ("day", "month", "year")),
    "person",
    "action",
    "subject_type",
    "subject_id",
)


def filter_query(args: Mapping[str, str]) -> dict[str, str]:
    """The filters given in ``args``, and nothing else (no page number, nothing unknown)."""
    return {name: args[name][:100] for name in FILTER_NAMES if args.get(name)}


@dataclass(frozen=True)
class TypedDate:
    """The three boxes as typed, shown back as they were."""

    day: str = ""
    month: str = ""
    year: str = ""

    @property
    def blank(self) -> bool:
        return not (self.day or self.month or self.year)


@dataclass(frozen=True)
class TrailFilters:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    person: str = ""
    action: str = ""
    subject_type: str = ""
    subject_id: int | None = None
    typed: dict[str, TypedDate] = field(default_factory=dict)
    subject_id_typed: str = ""
    #: input id -> GOV.UK error message; the trail is not listed while there are any.
    problems: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> TrailFilters:
        problems: dict[str, str] = {}
        typed = {
            prefix: TypedDate(
                *(args.get(f"{prefix}-{part}", "").strip()[:4] for part in ("day", "month", "year"))
            )
            for prefix in DATE_NAMES
        }
        dates = {prefix: _date(prefix, typed[prefix], problems) for prefix in DATE_NAMES}
        if dates["from"] and dates["to"] and dates["from"] > dates["to"]:
            problems["from-day"] = "Date from must be the same as or before date to"
        subject_id_typed = args.get("subject_id", "").strip()[:12]
        subject_id = None
        if subject_id_typed:
            if _ID.match(subject_id_typed) and int(subject_id_typed) <= _LARGEST_ID:
                subject_id = int(subject_id_typed)
            else:
                problems["subject_id"] = "Subject number must be a whole number, like 123"
        action = args.get("action", "").strip()
        subject_type = args.get("subject_type", "").strip()
        return cls(
            date_from=dates["from"],
            date_to=dates["to"],
            person=" ".join(args.get("person", "").split())[:100],
            action=action if _ACTION.match(action) else "",
            subject_type=subject_type if _SUBJECT_TYPE.match(subject_type) else "",
            subject_id=subject_id,
            typed=typed,
            subject_id_typed=subject_id_typed,
            problems=problems,
        )

    @property
    def active(self) -> bool:
        return bool(
            self.date_from
            or self.date_to
            or self.person
            or self.action
            or self.subject_type
            or self.subject_id is not None
        )

    def conditions(self) -> list[Any]:
        found: list[Any] = []
        if self.date_from:
            found.append(AuditEvent.occurred_at >= _london_midnight(self.date_from))
        if self.date_to:
            found.append(AuditEvent.occurred_at < _london_midnight(self.date_to + dt.timedelta(days=1)))
        if self.person:
            found.append(
                or_(
                    User.full_name.icontains(self.person, autoescape=True),
                    User.email.icontains(self.person, autoescape=True),
                )
            )
        if self.action:
            found.append(AuditEvent.action == self.action)
        if self.subject_type:
            found.append(AuditEvent.subject_type == self.subject_type)
        if self.subject_id is not None:
            found.append(AuditEvent.subject_id == self.subject_id)
        return found

    def for_audit(self) -> dict[str, Any]:
        """The filters an export was narrowed to, for its own audit event: identifiers only
        (whether a person was searched for, not the name typed)."""
        given = {
            "filter_from": self.date_from.isoformat() if self.date_from else None,
            "filter_to": self.date_to.isoformat() if self.date_to else None,
            "filter_person": True if self.person else None,
            "filter_action": self.action or None,
            "filter_subject_type": self.subject_type or None,
            "filter_subject_id": self.subject_id,
        }
        return {key: value for key, value in given.items() if value is not None}


def _date(prefix: str, typed: TypedDate, problems: dict[str, str]) -> dt.date | None:
    name = DATE_NAMES[prefix]
    if typed.blank:
        return None
    missing = [part for part in ("day", "month", "year") if not getattr(typed, part)]
    if missing:
        problems[f"{prefix}-{missing[0]}"] = f"{name} must include a {' and '.join(missing)}"
        return None
    try:
        if len(typed.year) != 4:
            raise ValueError
        return dt.date(int(typed.year), int(typed.month), int(typed.day))
    except ValueError:
        problems[f"{prefix}-day"] = f"{name} must be a real date"
        return None


def _london_midnight(day: dt.date) -> dt.datetime:
    """The start of a day in England, in UTC (dates are England's; events are stored in UTC)."""
    return dt.datetime.combine(day, dt.time(0), LONDON).astimezone(dt.UTC)


@dataclass(frozen=True)
class TrailRow:
    event: AuditEvent
    actor_name: str | None
    actor_email: str | None

    @property
    def who(self) -> str:
        return self.actor_name or "System"

    @property
    def what(self) -> str:
        return action_label(self.event.action)

    @property
    def about(self) -> str:
        event = self.event
        number = (event.details or {}).get("version")
        if event.subject_type == "AuthorityConfigVersion" and isinstance(number, int):
            # Administrators know a version by its number in the authority, not its row id.
            return subject_text(event.subject_type, number)
        return subject_text(event.subject_type, event.subject_id)

    @property
    def details(self) -> str:
        return details_summary(self.event.details)


def _trail(authority: Authority, filters: TrailFilters) -> Select[Any]:
    return (
        select(AuditEvent, User.full_name, User.email)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.authority_id == authority.id, *filters.conditions())
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    )


def trail_page(authority: Authority, filters: TrailFilters, *, page: int) -> Page[TrailRow]:
    """One page of events: a count and one query for the rows with who acted."""
    result = paginate(_trail(authority, filters), page, scalars=False)
    rows = [TrailRow(*row) for row in result.items]
    return Page(rows, result.total, result.number, result.per_page)


def trail_rows(authority: Authority, filters: TrailFilters, limit: int = EXPORT_LIMIT) -> list[TrailRow]:
    return [TrailRow(*row) for row in db.session.execute(_trail(authority, filters).limit(limit))]


def action_choices(authority: Authority) -> list[tuple[str, str]]:
    """(code, label) of every action the authority's trail holds, by label."""
    codes = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.authority_id == authority.id).distinct()
    ).all()
    return sorted(((code, action_label(code)) for code in codes), key=lambda choice: choice[1])


def subject_type_choices(authority: Authority) -> list[tuple[str, str]]:
    types = db.session.scalars(
        select(AuditEvent.subject_type)
        .where(AuditEvent.authority_id == authority.id, AuditEvent.subject_type.is_not(None))
        .distinct()
    ).all()
    return sorted(((kind, subject_type_label(kind)) for kind in types), key=lambda choice: choice[1])


def london_timestamp(value: dt.datetime) -> str:
    """2026-11-20 14:05:09: England's time, sortable in a spreadsheet."""
    return value.astimezone(LONDON).strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class TrailTable:
    """The rows as :mod:`portal.services.table_export` writes them (text only, no money)."""

    rows: list[TrailRow]
    key: str = "audit_trail"
    money: bool = False

    HEADINGS = ("When (UK time)", "Who", "Email", "What", "About", "Details")

    def records(self) -> list[list[str]]:
        return [
            list(self.HEADINGS),
            *(
                [
                    london_timestamp(row.event.occurred_at),
                    row.who,
                    row.actor_email or "",
                    row.what,
                    row.about,
                    row.details,
                ]
                for row in self.rows
            ),
        ]
