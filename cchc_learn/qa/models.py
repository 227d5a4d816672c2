"""Questions with a working-day clock, their posts, every state change, the FAQ and routing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..clock import utcnow
from ..coltypes import UTCDateTime
from ..extensions import db


class Question(db.Model):
    """A question: a case with a clock, not a forum thread (see states.py for its life)."""

    __tablename__ = "qa_question"
    __table_args__ = (
        Index("ix_qa_question_state_due", "state", "due_at"),
        Index("ix_qa_question_asker", "asker_id", "asked_at"),
        Index("ix_qa_question_assignee", "assignee_id", "state"),
        Index("ix_qa_question_asked", "asked_at"),
        CheckConstraint("visibility IN ('public', 'private')", name="visibility"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    body_md: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    asker_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    """The asker's unit when the question was asked (reports roll it up the unit tree)."""
    visibility: Mapped[str] = mapped_column(String(10), default="public")
    show_name: Mapped[bool] = mapped_column(default=False)
    channel: Mapped[str] = mapped_column(String(10), default="web")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(20), default="new")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    clock_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When the running clock period began (None while it is stopped)."""
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_answer_on_time: Mapped[bool | None] = mapped_column()
    """Whether the first answer came before the due time of the clock period it ended."""
    first_answer_workdays: Mapped[float | None] = mapped_column(Float)
    """Working days the clock ran until the first answer (waits for the asker left out)."""
    last_answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("qa_question.id", ondelete="SET NULL")
    )
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    asker: Mapped[User] = relationship(foreign_keys=[asker_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    topic_links: Mapped[list[QuestionTopic]] = relationship(
        back_populates="question",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="QuestionTopic.topic",
    )
    posts: Mapped[list[Post]] = relationship(
        back_populates="question",
        cascade="all, delete-orphan",
        order_by="Post.id",
    )
    faq: Mapped[Faq | None] = relationship(
        back_populates="question", cascade="all, delete-orphan", uselist=False
    )

    @property
    def topics(self) -> list[str]:
        """Topic names."""
        return [link.topic for link in self.topic_links]

    @property
    def answers(self) -> list[Post]:
        """The answers among the posts, oldest first."""
        return [p for p in self.posts if p.kind == "answer"]

    @property
    def is_private(self) -> bool:
        """Whether only the asker and moderators may read it (unless it is in the FAQ)."""
        return self.visibility == "private"


class QuestionTopic(db.Model):
    """A topic a question belongs to (it routes the question to moderators)."""

    __tablename__ = "qa_question_topic"
    __table_args__ = (Index("ix_qa_question_topic_topic", "topic"),)

    question_id: Mapped[int] = mapped_column(
        ForeignKey("qa_question.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(60), primary_key=True)

    question: Mapped[Question] = relationship(back_populates="topic_links")


POST_KINDS = ("answer", "followup", "info_request", "info_reply")


class Post(db.Model):
    """One message of a thread: an answer, a follow-up, a request for or reply with information."""

    __tablename__ = "qa_post"
    __table_args__ = (Index("ix_qa_post_question", "question_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("qa_question.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    template_slug: Mapped[str | None] = mapped_column(String(80))
    accepted: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    question: Mapped[Question] = relationship(back_populates="posts")
    author: Mapped[User | None] = relationship()


class Event(db.Model):
    """One state change or edit of a question: who, when, why, from which state to which."""

    __tablename__ = "qa_event"
    __table_args__ = (
        Index("ix_qa_event_question", "question_id", "id"),
        Index("ix_qa_event_action_at", "action", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("qa_question.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("qa_post.id", ondelete="SET NULL"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(30))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()


class Faq(db.Model):
    """A question promoted to the FAQ, valid as of a date, with the documents it rests on."""

    __tablename__ = "qa_faq"
    __table_args__ = (Index("ix_qa_faq_review", "review_needed_at"),)

    question_id: Mapped[int] = mapped_column(
        ForeignKey("qa_question.id", ondelete="CASCADE"), primary_key=True
    )
    valid_as_of: Mapped[date] = mapped_column(Date)
    promoted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    promoted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    review_needed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_reason: Mapped[str | None] = mapped_column(Text)

    question: Mapped[Question] = relationship(back_populates="faq")
    documents: Mapped[list[FaqDocument]] = relationship(
        back_populates="faq",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="FaqDocument.number",
    )


class FaqDocument(db.Model):
    """A document an FAQ entry cites, by number; successor_seen is the successor reviewed."""

    __tablename__ = "qa_faq_document"
    __table_args__ = (Index("ix_qa_faq_document_key", "number_key"),)

    question_id: Mapped[int] = mapped_column(
        ForeignKey("qa_faq.question_id", ondelete="CASCADE"), primary_key=True
    )
    number_key: Mapped[str] = mapped_column(String(80), primary_key=True)
    number: Mapped[str] = mapped_column(String(80))
    successor_seen: Mapped[str | None] = mapped_column(String(80))

    faq: Mapped[Faq] = relationship(back_populates="documents")


class RoutingRule(db.Model):
    """New questions on this topic arrive assigned to one of these moderators."""

    __tablename__ = "qa_routing_rule"
    __table_args__ = (Index("ix_qa_routing_rule_moderator", "moderator_id"),)

    topic: Mapped[str] = mapped_column(String(60), primary_key=True)
    moderator_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )

    moderator: Mapped[User] = relationship()


class Reminder(db.Model):
    """A reminder sent about a question's deadline: one per threshold and clock period."""

    __tablename__ = "qa_reminder"
    __table_args__ = (
        UniqueConstraint("question_id", "threshold", "due_at", name="uq_qa_reminder_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("qa_question.id", ondelete="CASCADE"))
    threshold: Mapped[str] = mapped_column(String(10))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AnswerTemplate(db.Model):
    """A Markdown answer a moderator may start from: a file of content/qa-templates/ or web."""

    __tablename__ = "qa_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    body_md: Mapped[str] = mapped_column(Text, default="")
    source_path: Mapped[str | None] = mapped_column(String(300))
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    archived: Mapped[bool] = mapped_column(default=False)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def from_file(self) -> bool:
        """Whether it is maintained as a file under content/qa-templates/."""
        return self.source_path is not None
