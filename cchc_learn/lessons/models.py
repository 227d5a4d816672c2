"""Modules (chuyên đề), their ordered lessons, images, revisions and completions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..coltypes import UTCDateTime
from ..content.sourced import FileSourced
from ..extensions import db
from ..revision_fields import RevisionFields


class Authored(FileSourced):
    """What modules and lessons share: Markdown and its HTML, publication, where it comes from
    (a file under content/, or the browser), its version and its times."""

    body_md: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[bool] = mapped_column(default=False)


class Module(Authored, db.Model):
    """A module of ordered lessons, written as files under content/ or in the browser."""

    __tablename__ = "module"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    order: Mapped[int] = mapped_column("sort_order", default=0)
    audience: Mapped[list[str]] = mapped_column(JSON, default=list)

    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="module", order_by="Lesson.position", cascade="all, delete-orphan"
    )
    assets: Mapped[list[ModuleAsset]] = relationship(
        back_populates="module", order_by="ModuleAsset.name", cascade="all, delete-orphan"
    )

    @property
    def folder(self) -> str | None:
        """The module's folder under content/, when file-sourced."""
        return self.source_path.rsplit("/", 1)[0] if self.source_path else None


class Lesson(Authored, db.Model):
    """One lesson of a module; the body is kept as Markdown and as rendered, sanitized HTML."""

    __tablename__ = "lesson"
    __table_args__ = (
        UniqueConstraint("module_id", "slug", name="uq_lesson_module_slug"),
        Index("ix_lesson_module_position", "module_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int] = mapped_column(default=10)
    summary: Mapped[str] = mapped_column(Text, default="")
    toc_html: Mapped[str] = mapped_column(Text, default="")
    plain_text: Mapped[str] = mapped_column(Text, default="")

    module: Mapped[Module] = relationship(back_populates="lessons")

    @property
    def visible(self) -> bool:
        """Whether officials can see the lesson (it and its module are published and live)."""
        return (
            self.published
            and not self.archived
            and self.module.published
            and not self.module.archived
        )


class ModuleAsset(db.Model):
    """An image of a file-sourced module, copied from its assets/ folder at sync."""

    __tablename__ = "module_asset"
    __table_args__ = (UniqueConstraint("module_id", "name", name="uq_module_asset_module_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))  # path below assets/, e.g. "so-do.svg"
    content_type: Mapped[str] = mapped_column(String(40))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))

    module: Mapped[Module] = relationship(back_populates="assets")


class ModuleRevision(RevisionFields, db.Model):
    """A saved version of a module's own fields: who, when, why and what it said."""

    __tablename__ = "module_revision"
    owner_key = "module_id"
    __table_args__ = (Index("ix_module_revision_module_version", "module_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id", ondelete="CASCADE"))


class LessonRevision(RevisionFields, db.Model):
    """A saved version of a lesson: who, when, why and what it said."""

    __tablename__ = "lesson_revision"
    owner_key = "lesson_id"
    __table_args__ = (Index("ix_lesson_revision_lesson_version", "lesson_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id", ondelete="CASCADE"))


class LessonCompletion(db.Model):
    """An official confirmed having finished a lesson (one row per official and lesson)."""

    __tablename__ = "lesson_completion"
    __table_args__ = (
        UniqueConstraint("user_id", "lesson_id", name="uq_lesson_completion_user_lesson"),
        Index("ix_lesson_completion_lesson", "lesson_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id", ondelete="CASCADE"))
    lesson_version: Mapped[int] = mapped_column()
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
