"""Weekly digests: one e-mail a week to each person who chose it, instead of one per notice.

The reminder run (services/reminders.py) holds the notices of weekly-digest people: recorded, with
no e-mail. On the first weekday of each ISO week on which the run happens (recorded in
``notice_digest_weeks``, so every run that week agrees), each such person gets one e-mail listing
what is still open; anything met, finalised or moved meanwhile is left out. ``notice_digests`` is
unique per person and week: never two digests in one week, even from concurrent runs.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import and_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import (
    DeadlineNotice,
    NoticeDigest,
    NoticeDigestWeek,
    NoticeKind,
    OutboxMessage,
    Pep,
    PepDeadline,
    User,
)
from portal.models.types import utcnow
from portal.services.notifications import PHRASES, child_initials, deadline_phrase, long_date, pep_link


def _digest_day(today: dt.date) -> bool:
    """True if today is the day this ISO week's digests go out: the first weekday with a run."""
    week = today - dt.timedelta(days=today.weekday())
    marker = db.session.get(NoticeDigestWeek, week)
    if marker is None:
        try:
            with db.session.begin_nested():
                marker = NoticeDigestWeek(week_starting=week, digest_day=today)
                db.session.add(marker)
        except IntegrityError:
            marker = db.session.get(NoticeDigestWeek, week)
        db.session.commit()
    return marker is not None and marker.digest_day == today


def send_digests(today: dt.date, batch_size: int) -> int:
    """On the week's digest day, one e-mail to each weekly-digest person with notices held; the
    number of digests queued. Commits per batch."""
    sent = 0
    if not _digest_day(today):
        return sent
    week = today - dt.timedelta(days=today.weekday())
    done_this_week = select(NoticeDigest.recipient_id).where(NoticeDigest.week_starting == week)
    after_id = 0
    while True:
        people = list(
            db.session.scalars(
                select(User)
                .where(
                    User.id > after_id,
                    User.id.in_(
                        select(DeadlineNotice.recipient_id).where(
                            DeadlineNotice.digest_sent_at.is_(None),
                            DeadlineNotice.outbox_message_id.is_(None),
                        )
                    ),
                    User.id.not_in(done_this_week),
                    User.is_enabled.is_(True),
                )
                .order_by(User.id)
                .limit(batch_size)
            )
        )
        if not people:
            return sent
        after_id = people[-1].id
        held = _held_notices([p.id for p in people])
        for person in people:
            try:
                with db.session.begin_nested():
                    sent += _digest(person, week, held.get(person.id, []))
            except IntegrityError:
                pass  # another run sent this person's digest meanwhile: theirs stands
        db.session.commit()
        if len(people) < batch_size:
            return sent


HeldRow = tuple[DeadlineNotice, Pep, PepDeadline | None]


def _held_notices(recipient_ids: list[int]) -> dict[int, list[HeldRow]]:
    rows = db.session.execute(
        select(DeadlineNotice, Pep, PepDeadline)
        .join(Pep, Pep.id == DeadlineNotice.pep_id)
        .outerjoin(
            PepDeadline,
            and_(
                PepDeadline.pep_id == DeadlineNotice.pep_id, PepDeadline.rule_key == DeadlineNotice.rule_key
            ),
        )
        .options(joinedload(Pep.authority), joinedload(Pep.child))
        .where(
            DeadlineNotice.recipient_id.in_(recipient_ids),
            DeadlineNotice.digest_sent_at.is_(None),
            DeadlineNotice.outbox_message_id.is_(None),
        )
        .order_by(DeadlineNotice.due_on, DeadlineNotice.id)
    ).all()
    held: dict[int, list[HeldRow]] = defaultdict(list)
    for notice, pep, deadline in rows:
        held[notice.recipient_id].append((notice, pep, deadline))
    return held


def _still_open(notice: DeadlineNotice, pep: Pep, deadline: PepDeadline | None) -> bool:
    return (
        pep.finalised_at is None
        and deadline is not None
        and deadline.met_on is None
        and deadline.due_on == notice.due_on
    )


def _digest(person: User, week: dt.date, held: list[HeldRow]) -> bool:
    """One digest for the week listing what is still open; True if an e-mail was queued."""
    now = utcnow()
    lines = []
    for notice, pep, deadline in held:
        notice.digest_sent_at = now  # settled meanwhile: left out, and not held any longer
        if not _still_open(notice, pep, deadline):
            continue
        heading = "Overdue" if notice.kind == NoticeKind.OVERDUE else "Reminder"
        lines.append(
            f"- {heading}: for {child_initials(pep.child)} ({pep.authority.name}), "
            f"{deadline_phrase(notice.label, notice.kind == NoticeKind.OVERDUE, notice.due_on)}.\n"
            f"  {pep_link(pep)}"
        )
    digest = NoticeDigest(recipient_id=person.id, week_starting=week)
    if lines:
        outbox = OutboxMessage(
            recipient_id=person.id,
            recipient_email=person.email,
            message="weekly_digest",
            pep_id=None,
            subject=f"PEP Portal: {PHRASES['weekly_digest']}, week of {long_date(week)}",
            body=(
                f"Dear {person.full_name},\n\n"
                "Your reminders and overdue deadlines since your last digest:\n\n"
                + "\n\n".join(lines)
                + "\n\nSign in to PEP Portal to see each PEP at its link. "
                "This e-mail contains no details of the plans. Do not forward it.\n\n"
                "You chose one weekly digest. To get each reminder as it happens instead, change "
                "your e-mail reminders in PEP Portal."
            ),
        )
        db.session.add(outbox)
        db.session.flush()
        digest.outbox_message_id = outbox.id
    db.session.add(digest)
    db.session.flush()  # unique (recipient, week): never two digests in one week
    return bool(lines)
