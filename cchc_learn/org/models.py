"""Units (a tree of any depth, with history) and officials' memberships."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..clock import utcnow
from ..coltypes import UTCDateTime
from ..extensions import db

LEVELS = {
    "province": "Tỉnh, thành phố",
    "department": "Sở, ban, ngành",
    "district": "Huyện, thị xã, thành phố thuộc tỉnh",
    "commune": "Xã, phường, đặc khu",
    "office": "Phòng, đơn vị trực thuộc",
}


class Unit(db.Model):
    """An organisational unit; parent is the current one, the link table keeps history."""

    __tablename__ = "unit"
    __table_args__ = (
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    parent: Mapped[Unit | None] = relationship(remote_side=[id])

    @property
    def level_label(self) -> str:
        """The level in Vietnamese."""
        return LEVELS.get(self.level, self.level)

    def is_valid_on(self, day: date) -> bool:
        """Tell whether the unit existed on day."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class UnitLink(db.Model):
    """The parent a unit had over a period (reports as of a date use these)."""

    __tablename__ = "unit_link"
    __table_args__ = (Index("ix_unit_link_unit_period", "unit_id", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)


class Membership(db.Model):
    """An official belonging to a unit over a period; a move closes one and opens another."""

    __tablename__ = "membership"
    __table_args__ = (
        Index("ix_membership_user_period", "user_id", "valid_from"),
        Index("ix_membership_unit_period", "unit_id", "valid_from"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)

    user: Mapped[User] = relationship()
    unit: Mapped[Unit] = relationship()
