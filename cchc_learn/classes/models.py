"""Training classes (lớp bồi dưỡng): sessions, a roster, attendance and each official's outcome."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..clock import utcnow
from ..coltypes import UTCDateTime
from ..extensions import db

IN_PERSON, ONLINE, BLENDED = "in_person", "online", "blended"
FORMATS = {IN_PERSON: "Trực tiếp", ONLINE: "Trực tuyến", BLENDED: "Kết hợp"}

PRESENT, LATE, ABSENT, EXCUSED = "present", "late", "absent", "excused"
STATUSES = {PRESENT: "Có mặt", LATE: "Đến muộn", ABSENT: "Vắng", EXCUSED: "Vắng có phép"}
ATTENDED = (PRESENT, LATE)
"""The statuses that count as having attended a session."""

GRID, SHEET, CHECKIN, PAST = "grid", "sheet", "checkin", "past"
SOURCES = {GRID: "Điểm danh", SHEET: "Danh sách ký", CHECKIN: "Tự điểm danh", PAST: "Hồ sơ cũ"}


class TrainingClass(db.Model):
    """A class held in a room, online or both, serving modules and/or plans."""

    __tablename__ = "training_class"
    __table_args__ = (
        CheckConstraint("min_percent BETWEEN 1 AND 100", name="min_percent_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    format: Mapped[str] = mapped_column(String(20), default=IN_PERSON)
    place: Mapped[str] = mapped_column(String(300), default="")
    meeting_url: Mapped[str] = mapped_column(String(500), default="")
    trainers: Mapped[str] = mapped_column(String(300), default="")
    """Who teaches, as written (lecturers are often from outside the service)."""
    description: Mapped[str] = mapped_column(Text, default="")
    module_slugs: Mapped[list[str]] = mapped_column(JSON, default=list)
    plan_slugs: Mapped[list[str]] = mapped_column(JSON, default=list)
    min_percent: Mapped[int] = mapped_column(Integer, default=100)
    """Attended = present or late at no fewer than this share of the sessions (100: all)."""
    source_document: Mapped[str] = mapped_column(String(100), default="")
    """For a class held before the service existed: the document its record comes from."""
    past: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    sessions: Mapped[list[ClassSession]] = relationship(
        back_populates="training_class",
        order_by="ClassSession.starts_at",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    created_by: Mapped[User | None] = relationship()


class ClassSession(db.Model):
    """One meeting of a class: a day with a start and an end time (stored in UTC)."""

    __tablename__ = "class_session"
    __table_args__ = (
        UniqueConstraint("checkin_code", name="uq_class_session_checkin_code"),
        Index("ix_class_session_class_starts", "class_id", "starts_at"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_class.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    topic: Mapped[str] = mapped_column(String(200), default="")
    checkin_code: Mapped[str | None] = mapped_column(String(12))
    """The short code shown in the room; valid only while the session is in progress."""
    code_issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    training_class: Mapped[TrainingClass] = relationship(back_populates="sessions")


class ClassParticipant(db.Model):
    """An official on a class's roster, with the day they reached the class's outcome."""

    __tablename__ = "class_participant"
    __table_args__ = (
        UniqueConstraint("class_id", "user_id", name="uq_class_participant_class_user"),
        Index("ix_class_participant_user", "user_id"),
        Index("ix_class_participant_attended", "class_id", "attended_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_class.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    attended_on: Mapped[date | None] = mapped_column(Date)
    """The local date of the session at which the official reached the class's share of
    sessions attended (None: not reached). Kept by the classes service whenever attendance,
    sessions or the share change, in the same transaction; reports count from it."""

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    training_class: Mapped[TrainingClass] = relationship()


class Attendance(db.Model):
    """One official's status at one session, with who recorded it, how and when."""

    __tablename__ = "class_attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "user_id", name="uq_class_attendance_session_user"),
        Index("ix_class_attendance_user", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_session.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[str] = mapped_column(String(10), default=GRID)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    session: Mapped[ClassSession] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
