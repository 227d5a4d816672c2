"""Notify a user: a line in the app and, when mail is configured, an e-mail in the outbox.

`notify` writes in the caller's unit of work and never commits: a feature calls it inside its
own transactional service, so the event, the notice and the e-mail are saved together or not at
all. The e-mail leaves later, with `cchc-learn tick` (see `sending.send_due`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Literal, Protocol

from flask import current_app, has_request_context, request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import bindparam, func, select, update

from ..clock import utcnow
from ..database import transactional
from ..extensions import db
from .models import Notification, OutboxMail

PER_PAGE = 30
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


class Recipient(Protocol):
    """Whom a notice is for: an account (named by this protocol, as the audit log does)."""

    id: int
    email: str | None


def _clip(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _check_url(url: str) -> str:
    # A link inside the site only: the notices page renders it as an href.
    if (
        not url.startswith("/")
        or url.startswith("//")
        or "\\" in url
        or _CONTROL.search(url)
        or len(url) > 500
    ):
        raise ValueError(f"notification url must be a path inside the site: {url!r}")
    return url


def mail_configured() -> bool:
    """Whether e-mail is set up (`MAIL_SERVER`)."""
    return bool(current_app.config.get("MAIL_SERVER"))


def notify(user: Recipient, kind: str, message: str, url: str, *, email: bool = True) -> None:
    """Add a notice for user and, when mail is configured and they have an address, an e-mail.

    Written in the caller's transaction (nothing is committed here). kind is a short code the
    feature chooses (at most 40 characters); message is one line (clipped to 300); url is a
    path inside the site.
    """
    if not kind or len(kind) > 40:
        raise ValueError("notification kind must have 1 to 40 characters")
    line = _clip(_CONTROL.sub(" ", message), 300)
    if not line:
        raise ValueError("notification message is empty")
    path = _check_url(url)
    db.session.add(Notification(user_id=user.id, kind=kind, message=line, url=path))
    address = (user.email or "").strip()
    if email and address and mail_configured():
        db.session.add(_mail(address, line, path))


def _mail(address: str, line: str, path: str) -> OutboxMail:
    site = current_app.config.get("SITE_NAME") or "CCHC Learn"
    link = _absolute(path)
    body = (
        f"{line}\n\n"
        f"Xem chi tiết: {link}\n\n"
        f"Thư gửi tự động từ {site}; vui lòng không trả lời thư này.\n"
    )
    return OutboxMail(
        to_address=address[:254],
        subject=_clip(f"[{site}] {line}", 300),
        body=body,
        next_try_at=utcnow(),
    )


def _absolute(path: str) -> str:
    base = current_app.config.get("SITE_URL") or (
        request.host_url if has_request_context() else ""
    )
    return base.rstrip("/") + path if base else path


# Built once and run as a plain statement: the header runs it on every signed-in page.
_UNREAD = (
    select(func.count())
    .select_from(Notification)
    .where(Notification.user_id == bindparam("user_id"), Notification.read_at.is_(None))
)


def unread_count(user_id: int) -> int:
    """How many of a user's notices are unread (one indexed COUNT)."""
    return db.session.connection().execute(_UNREAD, {"user_id": user_id}).scalar() or 0


def list_for(user_id: int, page: int = 1) -> Pagination:
    """One page of a user's notices, newest first."""
    query = (
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    return db.paginate(query, page=max(page, 1), per_page=PER_PAGE, error_out=False)


@transactional
def mark_read(user_id: int, ids: Iterable[int] | Literal["all"]) -> int:
    """Mark the user's own notices read (those ids, or all); return how many changed."""
    at: datetime = utcnow()
    query = update(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
    if ids != "all":
        wanted = sorted({int(i) for i in ids})
        if not wanted:
            return 0
        query = query.where(Notification.id.in_(wanted))
    result = db.session.execute(
        query.values(read_at=at).execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
