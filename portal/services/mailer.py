"""Delivering the e-mail outbox: each message sent once, nothing lost while the server is down.

A message is claimed with an atomic compare-and-set on ``next_attempt_at`` (a lease), so two
workers never send it at the same time; it is marked sent straight after the SMTP server accepts
it. A failure records the error and backs off exponentially. Each message carries a stable
Message-ID, so in the rare case of a crash between sending and marking, the receiving side can tell
the retry for the duplicate it is.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Protocol

from flask import current_app
from sqlalchemy import or_, select, update

from portal.extensions import db
from portal.models import OutboxMessage
from portal.models.types import utcnow

LEASE = dt.timedelta(minutes=5)
FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_WAIT = dt.timedelta(hours=1)


class Transport(Protocol):
    def send(self, email: EmailMessage) -> None: ...


class SmtpTransport:
    def __init__(
        self, host: str, port: int, username: str = "", password: str = "", starttls: bool = False
    ) -> None:
        self.host, self.port, self.username, self.password, self.starttls = (
            host,
            port,
            username,
            password,
            starttls,
        )

    def send(self, email: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=10) as server:
            if self.starttls:
                server.starttls()
            if self.username:
                server.login(self.username, self.password)
            server.send_message(email)


class ConsoleTransport:
    """Development without a mail server: print instead of sending."""

    def send(self, email: EmailMessage) -> None:
        print(f"--- e-mail to {email['To']}: {email['Subject']}\n{email.get_content()}---")


def configured_transport() -> Transport:
    config = current_app.config
    if not config.get("SMTP_HOST"):
        return ConsoleTransport()
    return SmtpTransport(
        config["SMTP_HOST"],
        config["SMTP_PORT"],
        config["SMTP_USERNAME"],
        config["SMTP_PASSWORD"],
        config["SMTP_STARTTLS"],
    )


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8... minutes after each failure, never more than an hour."""
    return min(FIRST_RETRY * 2 ** max(0, attempts - 1), LONGEST_WAIT)


def as_email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = message.recipient_email
    email["Subject"] = message.subject
    email["Message-ID"] = f"<outbox-{message.id}@pep-portal>"
    email.set_content(message.body)
    return email


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _claim(message_id: int, now: dt.datetime) -> bool:
    """Take the message for sending if nobody else has it; True if this worker got it."""
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.sent_at.is_(None),
            or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
        )
        .values(next_attempt_at=now + LEASE)
    )
    db.session.commit()
    return claimed.rowcount == 1


def deliver_due(transport: Transport, *, now: dt.datetime | None = None, batch: int = 100) -> DeliveryReport:
    """Send every message that is due, once each; failures wait their backoff and are kept."""
    now = now or utcnow()
    report = DeliveryReport()
    due = db.session.scalars(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.sent_at.is_(None),
            or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
        )
        .order_by(OutboxMessage.id)
        .limit(batch)
    ).all()
    for message_id in due:
        if not _claim(message_id, now):
            continue
        message = db.session.get(OutboxMessage, message_id)
        assert message is not None
        message.attempts += 1
        try:
            transport.send(as_email(message))
        except (OSError, smtplib.SMTPException) as error:
            message.next_attempt_at = now + backoff(message.attempts)
            message.last_error = f"{type(error).__name__}: {error}"[:500]
            report.failed += 1
            report.errors.append(message.last_error)
        else:
            message.sent_at = utcnow()
            message.last_error = None
            report.sent += 1
        db.session.commit()
    return report
