"""Reminders before due dates, notices when a deadline passes unmet, and weekly digests of them.

``remind(today)`` is what ``flask notifications remind`` runs; a scheduler may run it as often as
it likes. Each notice (PEP, rule, due date, kind, recipient) is a row of ``deadline_notices``,
unique over those five, written in the same transaction as its e-mail in the outbox: a notice that
exists has been queued, so no run sends it again, and of two concurrent runs one gets an
IntegrityError for that PEP, which is rolled back to its savepoint while the run carries on.

The rules, per PEP, in the authority calendar of the process version the PEP runs under:

* On a day that is not a working day for that calendar (weekend, bank holiday, closure) nothing
  is queued for its PEPs; the next working day's run catches up.
* A reminder of an open deadline (the PEP is not finalised, the deadline is unmet and its rule has
  ``remind``) is due from the reminder date (the due date counted back by ``remind``) up to and
  including the due date, to the people holding the rule's ``responsible`` role for the PEP.
* After the due date there is no reminder: an overdue notice instead (if the rule's
  ``overdue_notice``), to the responsible people and the rule's ``overdue_copy_to``, once. A deadline
  that passed more than OVERDUE_CATCH_UP ago gets none (old news, e.g. when reminders are first
  switched on; the compliance pages show it).
* A changed due date is a new due item with notices of its own.
* Nothing is sent about the PEPs of a child who has left care (``children.left_care_on``).
* People who chose a weekly digest get no e-mail per notice: the notice is held for their weekly
  digest (services/reminder_digests.py).

The cost does not grow with the number of PEPs: open deadlines are read in bounded batches with
their PEP and child, only in the due-date window that can possibly need a notice today, and the
notices already made for a batch in one query; recipients cost a query per PEP actually notified.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal.authorities.calendar import CalendarOutOfRangeError, WorkCalendar
from portal.authorities.deadline_rules import DeadlineRule
from portal.authorities.process import Direction, Offset
from portal.authorities.schema import AuthorityConfig
from portal.extensions import db
from portal.models import (
    Authority,
    AuthorityConfigVersion,
    Child,
    DeadlineNotice,
    NoticeFrequency,
    NoticeKind,
    Pep,
    PepDeadline,
    User,
)
from portal.services.authorities import config_of_version
from portal.services.notifications import deadline_phrase, pep_email, recipients
from portal.services.reminder_digests import send_digests

#: Open deadlines read per query.
BATCH_SIZE = 500
#: Added to the reminder window's end, in case a calendar counts in ways the bound misses.
WINDOW_MARGIN = dt.timedelta(days=7)
#: A deadline that passed longer ago than this gets no overdue notice.
OVERDUE_CATCH_UP = dt.timedelta(days=28)

NoticeKey = tuple[int, str, dt.date, str, int]


@dataclass
class RemindResult:
    reminders: int = 0
    overdue: int = 0
    digests: int = 0
    held: int = 0
    #: PEPs skipped because another run was notifying them at the same moment.
    conflicts: int = 0
    #: Authorities (slugs) for which today is not a working day: nothing queued for them.
    closed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        def counted(number: int, singular: str, plural: str) -> str:
            return f"{number} {singular if number == 1 else plural}"

        return (
            f"{counted(self.reminders, 'reminder', 'reminders')}, "
            f"{counted(self.overdue, 'overdue notice', 'overdue notices')}, "
            f"{counted(self.digests, 'digest', 'digests')} queued "
            f"({self.held} held for weekly digests)"
        )


@dataclass(frozen=True)
class _Due:
    """A notice that is due for one deadline of one PEP, to holders of ``roles``."""

    deadline: PepDeadline
    rule: DeadlineRule
    kind: NoticeKind
    roles: tuple


def remind(today: dt.date, *, batch_size: int = BATCH_SIZE) -> RemindResult:
    """Queue every reminder, overdue notice and weekly digest that is due on ``today``; commit."""
    result = RemindResult()
    for version, slug in _versions_with_open_peps():
        config = config_of_version(version)
        calendar = config.work_calendar
        if not calendar.is_working_day(today):
            if slug not in result.closed:
                result.closed.append(slug)
            continue
        window = _due_window(config, calendar, today)
        if window is not None:
            _notify_version(version, config, today, window, batch_size, result)
    if today.weekday() < 5:
        result.digests += send_digests(today, batch_size)
    return result


def _versions_with_open_peps() -> list[tuple[AuthorityConfigVersion, str]]:
    """The process versions open PEPs run under (each parsed once per process, by content)."""
    open_versions = select(Pep.config_version_id).where(Pep.finalised_at.is_(None)).distinct()
    return [
        (version, slug)
        for version, slug in db.session.execute(
            select(AuthorityConfigVersion, Authority.slug)
            .join(Authority, Authority.id == AuthorityConfigVersion.authority_id)
            .where(AuthorityConfigVersion.id.in_(open_versions))
            .order_by(AuthorityConfigVersion.id)
        )
    ]


def _forward(offset: Offset) -> Offset:
    return offset.model_copy(update={"direction": Direction.AFTER})


def _due_window(
    config: AuthorityConfig, calendar: WorkCalendar, today: dt.date
) -> tuple[dt.date, dt.date] | None:
    """Due dates that can possibly need a notice today. Offsets count monotonically, so a due date
    whose reminder date is on or before today is at most ``remind`` counted forward from today."""
    ends = [today - dt.timedelta(days=1)] if any(r.overdue_notice for r in config.deadlines) else []
    for rule in config.deadlines:
        if rule.remind is None:
            continue
        try:
            ends.append(calendar.shift(today, _forward(rule.remind)) + WINDOW_MARGIN)
        except CalendarOutOfRangeError:
            # No term dates that far ahead: the exact check below decides each deadline.
            ends.append(today + dt.timedelta(days=400))
    if not ends:
        return None
    return today - OVERDUE_CATCH_UP, max(ends)


def _notify_version(
    version: AuthorityConfigVersion,
    config: AuthorityConfig,
    today: dt.date,
    window: tuple[dt.date, dt.date],
    batch_size: int,
    result: RemindResult,
) -> None:
    rules = {rule.key: rule for rule in config.deadlines}
    after_id = 0
    while True:
        rows = db.session.execute(
            select(PepDeadline, Pep)
            .join(Pep, Pep.id == PepDeadline.pep_id)
            .options(
                joinedload(Pep.authority),
                joinedload(Pep.child).joinedload(Child.social_worker),
            )
            .where(
                Pep.config_version_id == version.id,
                Pep.finalised_at.is_(None),
                # A child who has left care: nobody is chased about their open PEP any more.
                ~Pep.child.has(Child.left_care_on <= today),
                PepDeadline.met_on.is_(None),
                PepDeadline.due_on.between(*window),
                PepDeadline.id > after_id,
            )
            .order_by(PepDeadline.id)
            .limit(batch_size)
        ).all()
        if not rows:
            return
        after_id = rows[-1][0].id
        dues: dict[int, list[_Due]] = defaultdict(list)
        peps: dict[int, Pep] = {}
        for deadline, pep in rows:
            due = _due_today(deadline, rules.get(deadline.rule_key), config.work_calendar, today)
            if due is not None:
                dues[pep.id].append(due)
                peps[pep.id] = pep
        if dues:
            _notify_batch(peps, dues, today, result)
        db.session.commit()
        if len(rows) < batch_size:
            return


def _due_today(
    deadline: PepDeadline, rule: DeadlineRule | None, calendar: WorkCalendar, today: dt.date
) -> _Due | None:
    """The notice this deadline needs today (today being a working day), if any."""
    if rule is None or deadline.due_on is None:
        return None
    if deadline.due_on >= today:
        if rule.remind is None:
            return None
        try:
            reminder_date = calendar.shift(deadline.due_on, rule.remind)
        except CalendarOutOfRangeError:
            current_app.logger.warning(
                "reminder for PEP %s %s not sent: no term dates around %s",
                deadline.pep_id,
                rule.key,
                deadline.due_on,
            )
            return None
        if reminder_date > today:
            return None
        return _Due(deadline, rule, NoticeKind.REMINDER, (rule.responsible,))
    if not rule.overdue_notice:
        return None
    roles = (rule.responsible, *(r for r in rule.overdue_copy_to if r != rule.responsible))
    return _Due(deadline, rule, NoticeKind.OVERDUE, roles)


def _notify_batch(
    peps: dict[int, Pep], dues: dict[int, list[_Due]], today: dt.date, result: RemindResult
) -> None:
    existing: set[NoticeKey] = set(
        db.session.execute(
            select(
                DeadlineNotice.pep_id,
                DeadlineNotice.rule_key,
                DeadlineNotice.due_on,
                DeadlineNotice.kind,
                DeadlineNotice.recipient_id,
            ).where(DeadlineNotice.pep_id.in_(list(dues)))
        )
    )
    for pep_id, items in dues.items():
        pep = peps[pep_id]
        # Holders of each set of roles (usually one set per PEP: one query).
        holders: dict[tuple, list[User]] = {}
        for item in items:
            if item.roles not in holders:
                holders[item.roles] = recipients(pep, list(item.roles))
        counts = RemindResult()
        try:
            with db.session.begin_nested():
                for item in items:
                    for person in holders[item.roles]:
                        key = (pep.id, item.rule.key, item.deadline.due_on, item.kind.value, person.id)
                        if key not in existing:
                            _record(pep, item, person, today, counts)
        except IntegrityError:
            # Another run notified this PEP meanwhile: what it queued stands, ours is rolled back.
            result.conflicts += 1
            continue
        result.reminders += counts.reminders
        result.overdue += counts.overdue
        result.held += counts.held


def _record(pep: Pep, item: _Due, person: User, today: dt.date, counts: RemindResult) -> None:
    """The notice, and its e-mail unless the person takes a weekly digest, in the open savepoint."""
    deadline = item.deadline
    notice = DeadlineNotice(
        pep_id=pep.id,
        rule_key=item.rule.key,
        due_on=deadline.due_on,
        kind=item.kind,
        recipient_id=person.id,
        label=deadline.label,
        queued_on=today,
    )
    if person.notice_frequency is NoticeFrequency.WEEKLY_DIGEST:
        counts.held += 1
    else:
        detail = deadline_phrase(deadline.label, item.kind is NoticeKind.OVERDUE, deadline.due_on)
        outbox = pep_email(pep, person, item.kind.value, detail)
        db.session.add(outbox)
        db.session.flush()
        notice.outbox_message_id = outbox.id
        if item.kind is NoticeKind.REMINDER:
            counts.reminders += 1
        else:
            counts.overdue += 1
    db.session.add(notice)
    db.session.flush()  # the unique constraint is checked here, inside the savepoint
