"""E-mail through the transactional outbox, delivered to a real SMTP server running in-process."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from sqlalchemy import func, select

from portal.authorities.vocabulary import PepKind, Role, Term
from portal.extensions import db
from portal.models import OutboxMessage
from portal.models.types import utcnow
from portal.services import mailer, workflow
from tests.factories import make_child, make_setting, make_user
from tests.integration.conftest import load_sample_council


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.received: list = []

    def handle_message(self, message) -> None:
        self.received.append(message)


@pytest.fixture
def port() -> int:
    return free_port()


def start_server(port: int) -> tuple[Controller, Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, inbox


@pytest.fixture
def queued(app) -> Iterator[int]:
    """A delegation that e-mails the designated teacher and a social worker's completion."""
    council = load_sample_council()
    school = make_setting("Mail School")
    sw = make_user("Sam Social", roles=[(Role.SOCIAL_WORKER, council)])
    make_user("Dee Teacher", email="dee@mail-school.example", roles=[(Role.DESIGNATED_TEACHER, school)])
    make_user("Dan Teacher", email="dan@mail-school.example", roles=[(Role.DESIGNATED_TEACHER, school)])
    child = make_child(council, "Kayla", "Morrison", social_worker=sw, setting=school)
    pep = workflow.start_pep(
        child,
        kind=PepKind.TERMLY_REVIEW,
        academic_year=2026,
        term=Term.AUTUMN,
        actor=sw,
        meeting_date=dt.date(2026, 11, 25),
    )
    workflow.perform(sw, pep, "delegate")
    yield db.session.scalar(select(func.count()).select_from(OutboxMessage))


def transport(port: int) -> mailer.SmtpTransport:
    return mailer.SmtpTransport("127.0.0.1", port)


def test_the_message_is_written_with_the_change_and_names_the_child_by_first_name_only(queued: int) -> None:
    assert queued == 2  # both designated teachers of the setting
    for message in db.session.scalars(select(OutboxMessage)):
        assert (
            "Kayla M." in message.body
            and "Morrison" not in message.body
            and "Morrison" not in message.subject
        )
        assert "http://" in message.body
        assert message.sent_at is None


def test_each_message_is_delivered_once(queued: int, port: int) -> None:
    controller, inbox = start_server(port)
    try:
        first = mailer.deliver_due(transport(port))
        again = mailer.deliver_due(transport(port))
    finally:
        controller.stop()
    assert (first.sent, first.failed, again.sent) == (2, 0, 0)
    assert sorted(m["To"] for m in inbox.received) == ["dan@mail-school.example", "dee@mail-school.example"]
    assert all(m["Message-ID"].startswith("<outbox-") for m in inbox.received)


def test_with_the_mail_server_down_nothing_is_lost_and_later_everything_arrives_once(
    queued: int, port: int
) -> None:
    down = mailer.deliver_due(transport(port))  # nothing listens on the port
    assert (down.sent, down.failed) == (0, 2)
    waiting = db.session.scalars(select(OutboxMessage)).all()
    assert all(m.sent_at is None and m.attempts == 1 and m.last_error for m in waiting)
    # Still down a little later: the backoff means it is not even tried yet.
    assert mailer.deliver_due(transport(port), now=utcnow() + dt.timedelta(seconds=30)).failed == 0
    controller, inbox = start_server(port)
    try:
        later = utcnow() + dt.timedelta(minutes=2)
        back = mailer.deliver_due(transport(port), now=later)
        repeat = mailer.deliver_due(transport(port), now=later + dt.timedelta(hours=2))
    finally:
        controller.stop()
    assert (back.sent, repeat.sent) == (2, 0)
    assert len(inbox.received) == 2
    db.session.expire_all()
    assert all(m.sent_at is not None for m in db.session.scalars(select(OutboxMessage)))


def test_a_message_claimed_by_another_worker_is_not_sent_twice(queued: int, port: int) -> None:
    now = utcnow()
    first_id = db.session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id))
    assert mailer._claim(first_id, now)  # another worker holds it
    controller, inbox = start_server(port)
    try:
        report = mailer.deliver_due(transport(port), now=now)
    finally:
        controller.stop()
    assert report.sent == 1 and len(inbox.received) == 1


def test_backoff_grows_and_is_capped() -> None:
    assert [mailer.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert mailer.backoff(20) == dt.timedelta(hours=1)
