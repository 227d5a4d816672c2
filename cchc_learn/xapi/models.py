"""The xAPI outbox: one row per statement to send, and a read position per source table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..coltypes import UTCDateTime
from ..extensions import db


class XapiStatement(db.Model):
    """A statement waiting for (or sent to, or rejected by) the learning record store."""

    __tablename__ = "xapi_statement"
    __table_args__ = (
        UniqueConstraint("kind", "source_id", name="uq_xapi_statement_kind_source"),
        UniqueConstraint("statement_id", name="uq_xapi_statement_statement_id"),
        Index("ix_xapi_statement_due", "sent_at", "rejected_at", "next_try_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    source_id: Mapped[int] = mapped_column()
    statement_id: Mapped[str] = mapped_column(String(36))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    """When the event happened."""
    body: Mapped[str] = mapped_column(Text)
    """The statement as JSON, built when the row was collected."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_try_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rejected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """Set when the store refused the statement itself (4xx): it is not sent again."""


class XapiCursor(db.Model):
    """How far the outbox has read one source table (see outbox.py for the two positions)."""

    __tablename__ = "xapi_cursor"

    source: Mapped[str] = mapped_column(String(30), primary_key=True)
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    """Every committed source row with an id up to this one has its statements collected."""
    pending: Mapped[int | None] = mapped_column()
    """The next position, taken once SETTLE has passed since pending_since."""
    pending_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
