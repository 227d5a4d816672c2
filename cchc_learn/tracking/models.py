"""Access events: who viewed or downloaded which version of what, and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..coltypes import UTCDateTime
from ..extensions import db

OBJECT_TYPES = ("document", "attachment", "lesson")
ACTIONS = ("view", "download", "complete")


class AccessEvent(db.Model):
    """One view, download or completion by a signed-in account."""

    __tablename__ = "access_event"
    __table_args__ = (
        Index("ix_access_event_user_object", "user_id", "object_type", "object_id"),
        Index("ix_access_event_object", "object_type", "object_id"),
        Index("ix_access_event_at", "at"),
        # Reports count who reached which objects in a period (see events.reached_since).
        Index("ix_access_event_object_at_user", "object_type", "object_id", "at", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int] = mapped_column()
    action: Mapped[str] = mapped_column(String(20), default="view")
    version: Mapped[int | None] = mapped_column()
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AccessSummary(db.Model):
    """Per official, thing and Vietnamese calendar year: first and last access and completion.

    Kept by `events.record` only, in the transaction that writes the event (see events.py for
    why a row covers one year and how a report's window is answered exactly from it).
    """

    __tablename__ = "access_summary"
    __table_args__ = (
        # Reports read the rows of a plan's materials for every official.
        Index("ix_access_summary_object_user", "object_type", "object_id", "user_id"),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    object_type: Mapped[str] = mapped_column(String(20), primary_key=True)
    object_id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    first_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # first view or download
    last_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # first completion
    last_completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
