"""Training plans (kế hoạch bồi dưỡng), their revisions, and units' CCHC focal points."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..clock import utcnow
from ..coltypes import UTCDateTime
from ..content.sourced import FileSourced
from ..extensions import db
from ..org.models import Unit
from ..revision_fields import RevisionFields


class Plan(FileSourced, db.Model):
    """A training plan: an audience, required materials, a period and two targets."""

    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    starts: Mapped[date] = mapped_column(Date)
    ends: Mapped[date] = mapped_column(Date)
    audience_units: Mapped[list[str]] = mapped_column(JSON, default=list)
    audience_levels: Mapped[list[str]] = mapped_column(JSON, default=list)
    required_modules: Mapped[list[str]] = mapped_column(JSON, default=list)
    required_lessons: Mapped[list[str]] = mapped_column(JSON, default=list)  # "module/lesson"
    required_documents: Mapped[list[str]] = mapped_column(JSON, default=list)  # numbers
    quiz_slug: Mapped[str | None] = mapped_column(String(100))
    target_accessed: Mapped[float] = mapped_column(Float, default=100.0)
    target_trained: Mapped[float] = mapped_column(Float, default=85.0)
    body_md: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    source_text: Mapped[str] = mapped_column(Text, default="")
    """The whole plan as written (front matter and body): what the browser editor shows."""


class PlanRevision(RevisionFields, db.Model):
    """A saved version of a plan: who, when, why and what it said."""

    __tablename__ = "plan_revision"
    owner_key = "plan_id"
    __table_args__ = (Index("ix_plan_revision_plan_version", "plan_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))


class FocalPoint(db.Model):
    """An account that is a unit's CCHC focal point (cán bộ đầu mối): it sees that subtree."""

    __tablename__ = "focal_point"
    __table_args__ = (Index("ix_focal_point_unit", "unit_id"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
    unit: Mapped[Unit] = relationship()


class PlanProgress(db.Model):
    """When an official had first reached every material a plan requires (`reached`).

    accessed_at: the moment the last of the required lessons and documents was first opened
    from the plan's first day on; lessons_at: the same for completing the required lessons.
    A report as of a date counts the official when the moment lies before that date's end.
    No row (or NULL): not reached yet. Kept for the plan's current requirements only
    (`PlanProgressRule`), refreshed for the officials in `ProgressStale`.
    """

    __tablename__ = "plan_progress"

    plan_id: Mapped[int] = mapped_column(
        ForeignKey("plan.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    accessed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lessons_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PlanProgressRule(db.Model):
    """Which requirements a plan's PlanProgress rows were computed for (a digest of them)."""

    __tablename__ = "plan_progress_rule"

    plan_id: Mapped[int] = mapped_column(
        ForeignKey("plan.id", ondelete="CASCADE"), primary_key=True
    )
    rule_key: Mapped[str] = mapped_column(String(64))
    built_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProgressStale(db.Model):
    """An official whose access summary changed since their progress was last computed.

    Written by the database itself: a trigger on access_event (migration 0018) adds the
    event's official, whoever wrote the event; `reached.refresh` takes the rows away.
    """

    __tablename__ = "progress_stale"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    events: Mapped[int] = mapped_column(default=1)
