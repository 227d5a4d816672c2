"""Send the e-mail outbox through SMTP (Flask-Mailman): the `notify` job of `cchc-learn tick`.

Delivery guarantee: **at least once, never twice from concurrent ticks.** A sender claims its
rows in one short atomic write (`UPDATE … WHERE claimed … RETURNING`, with `FOR UPDATE SKIP
LOCKED` on PostgreSQL; on SQLite the write lock serialises claims), so two hosts ticking at
once never take the same row. Each message is marked sent in its own write right after the
SMTP server accepts it. A process killed between the server's acceptance and that write leaves
a claimed, unsent row: its claim lapses after `LEASE` and the next tick sends it again — the
one case of a duplicate. A claim left by a killed process is never lost either way. Every
sending of a row carries the same Message-ID (`message_id`), so the copy sent again is the same
message to whoever receives it, and mail systems that drop a Message-ID seen before keep one.

A failed send (server down, refused) releases the row with `attempts + 1`, the error, and a
retry time that backs off; after `MAX_ATTEMPTS` the row stays unsent with its last error.
"""

from __future__ import annotations

import os
import smtplib
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import Flask, current_app
from flask_mailman import EmailMessage, Mail
from sqlalchemy import or_, select, update

from ..clock import utcnow
from ..database import declare_write, transactional, writes_declared
from ..extensions import db
from .models import OutboxMail

mail = Mail()

LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 10
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)


@dataclass(frozen=True)
class SendSummary:
    """What one `send_due` did."""

    sent: int = 0
    failed: int = 0
    skipped: str | None = None

    def __str__(self) -> str:
        if self.skipped:
            return self.skipped
        return f"đã gửi {self.sent} thư, {self.failed} thư lỗi sẽ gửi lại sau"


@dataclass(frozen=True)
class _Claimed:
    id: int
    to_address: str
    subject: str
    body: str
    created_at: datetime


def message_id(mail_id: int, created_at: datetime, domain: str) -> str:
    """The Message-ID of an outbox row: the same on every sending of that row."""
    return f"<outbox.{mail_id}.{created_at:%Y%m%d%H%M%S%f}@{domain}>"


def _domain() -> str:
    """The site's host name (SITE_URL), or this host's, for Message-IDs."""
    host = urlsplit(current_app.config.get("SITE_URL") or "").hostname
    return host or socket.getfqdn() or "localhost"


def retry_delay(attempts: int) -> timedelta:
    """How long a row waits after its attempts-th failure: 1, 2, 4 … minutes, at most 6 hours."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_RETRY)


def _due(now: datetime):
    return (
        OutboxMail.sent_at.is_(None),
        OutboxMail.next_try_at <= now,
        OutboxMail.attempts < MAX_ATTEMPTS,
        or_(OutboxMail.claimed_at.is_(None), OutboxMail.claimed_at < now - LEASE),
    )


@transactional
def _claim(limit: int, token: str, now: datetime) -> list[_Claimed]:
    due_ids = (
        select(OutboxMail.id)
        .where(*_due(now))
        .order_by(OutboxMail.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite's write lock does the same
        .scalar_subquery()
    )
    rows = db.session.execute(
        update(OutboxMail)
        # The due conditions again: a row another sender took meanwhile is not taken twice.
        .where(OutboxMail.id.in_(due_ids), *_due(now))
        .values(claimed_at=now, claimed_by=token)
        .returning(OutboxMail.id, OutboxMail.to_address, OutboxMail.subject, OutboxMail.body,
                   OutboxMail.created_at)
        .execution_options(synchronize_session=False)
    ).all()
    return sorted((_Claimed(*row) for row in rows), key=lambda mail_row: mail_row.id)


@transactional
def _mark_sent(mail_id: int, token: str) -> None:
    db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == mail_id, OutboxMail.claimed_by == token)
        .values(sent_at=utcnow(), last_error=None)
        .execution_options(synchronize_session=False)
    )


@transactional
def _release(mail_ids: list[int], token: str, error: str) -> None:
    now = utcnow()
    rows = db.session.execute(
        select(OutboxMail.id, OutboxMail.attempts).where(
            OutboxMail.id.in_(mail_ids), OutboxMail.claimed_by == token
        )
    ).all()
    for mail_id, attempts in rows:
        db.session.execute(
            update(OutboxMail)
            .where(OutboxMail.id == mail_id, OutboxMail.claimed_by == token)
            .values(
                claimed_at=None,
                claimed_by=None,
                attempts=attempts + 1,
                last_error=error[:2000],
                next_try_at=now + retry_delay(attempts + 1),
            )
            .execution_options(synchronize_session=False)
        )


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def send_due(limit: int = 100) -> SendSummary:
    """Send up to limit due e-mails; safe to run on several hosts at the same moment.

    Call it outside any unit of work: it writes in short transactions of its own and holds none
    while talking to the SMTP server.
    """
    if not current_app.config.get("MAIL_SERVER"):
        return SendSummary(skipped="chưa cấu hình máy chủ thư (MAIL_SERVER)")
    token = f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
    declared = writes_declared()
    declare_write()
    try:
        started = utcnow()
        claimed = _claim(limit, token, started)
        if not claimed:
            return SendSummary()
        return _send(claimed, token, started)
    finally:
        declare_write(declared)


def _send(claimed: list[_Claimed], token: str, started: datetime) -> SendSummary:
    sender = current_app.config.get("MAIL_DEFAULT_SENDER")
    domain = _domain()
    connection = mail.get_connection(fail_silently=False)
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as exc:
        _release([row.id for row in claimed], token, _describe(exc))
        return SendSummary(failed=len(claimed))
    sent = failed = 0
    try:
        for index, row in enumerate(claimed):
            if utcnow() - started > LEASE / 2:
                # Past half the lease another host may take these: leave them to the next tick.
                _release([r.id for r in claimed[index:]], token, "hết thời gian của lượt gửi")
                failed += len(claimed) - index
                break
            message = EmailMessage(
                row.subject, row.body, sender, [row.to_address], connection=connection,
                headers={"Message-ID": message_id(row.id, row.created_at, domain)},
            )
            try:
                message.send()
            except (smtplib.SMTPServerDisconnected, OSError) as exc:
                # The connection is gone: this row and the rest wait for the next tick.
                _release([r.id for r in claimed[index:]], token, _describe(exc))
                failed += len(claimed) - index
                break
            except (smtplib.SMTPException, ValueError) as exc:
                _release([row.id], token, _describe(exc))
                failed += 1
                continue
            _mark_sent(row.id, token)
            sent += 1
    finally:
        try:
            connection.close()
        except (OSError, smtplib.SMTPException):
            pass
    return SendSummary(sent=sent, failed=failed)


def init_app(app: Flask) -> None:
    """Bind Flask-Mailman, over SMTP even when testing (tests send to a real SMTP sink)."""
    app.config.setdefault("MAIL_BACKEND", "smtp")
    mail.init_app(app)
