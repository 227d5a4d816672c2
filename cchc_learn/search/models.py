"""The search change log: written in the same transaction as the data it describes."""

from __future__ import annotations

from datetime import datetime

from flask import g, has_request_context
from sqlalchemy import String, event, text
from sqlalchemy.orm import Mapped, Session, SessionTransaction, mapped_column

from ..clock import utcnow
from ..coltypes import UTCDateTime
from ..extensions import db


class SearchChange(db.Model):
    """ "Object kind:id changed": every index applies these in id order and remembers how far."""

    __tablename__ = "search_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int] = mapped_column()
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


_PENDING = "cchc_search_changes"


def log_change(kind: str, object_id: int) -> None:
    """Note that an indexed object changed (or was removed) in the current transaction.

    The row is written just before the transaction commits (see ``_write_pending``).
    """
    db.session.info.setdefault(_PENDING, []).append((kind, object_id))
    if has_request_context():
        g.cchc_search_changed = True  # the request applies its changes once it has answered


def request_logged_changes() -> bool:
    """Whether the current request wrote to the change log."""
    return bool(g.get("cchc_search_changed"))


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    """Write the noted changes so that their ids follow the order in which they commit.

    Indexes apply the log by id and remember the last id applied. On PostgreSQL ids come
    from a sequence when a row is inserted, so a transaction that took id 10 and committed
    after one that took id 11 would be skipped by an index that had read 11 already. A
    transaction-scoped lock taken at the very end of the transaction (nothing else is waited
    for while it is held, so it cannot deadlock) makes every writer take its ids and commit
    in turn. SQLite holds its single write lock until commit, so it needs nothing more.
    """
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended('search_change', 0))"))
    session.add_all(SearchChange(kind=kind, object_id=object_id) for kind, object_id in pending)


@event.listens_for(Session, "after_transaction_end")
def _forget_pending(session: Session, transaction: SessionTransaction) -> None:
    """Changes noted in a transaction that rolled back are dropped with it."""
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
