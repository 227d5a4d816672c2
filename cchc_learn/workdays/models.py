"""Days that the announced calendar changes: a day off made working, a working day made off."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..coltypes import UTCDateTime
from ..extensions import db


class WorkdayOverride(db.Model):
    """One day whose status an announcing document sets; it wins over the holiday calendar."""

    __tablename__ = "workday_override"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    working: Mapped[bool] = mapped_column()
    """True: a make-up working day; False: a day off."""
    reason: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(200))
    """The announcing document, e.g. "Thông báo 6150/TB-BNV"."""
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
