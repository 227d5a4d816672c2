"""Question banks, quizzes, attempts and the answers given in them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..clock import utcnow
from ..coltypes import UTCDateTime
from ..content.sourced import FileSourced
from ..extensions import db
from .questions import AUTO_GRADED_TYPES

OPEN, SUBMITTED, EXPIRED = "open", "submitted", "expired"
CLOSED_STATUSES = (SUBMITTED, EXPIRED)
REVIEW_POLICIES = {
    "immediately": "Xem đáp án ngay sau khi nộp bài",
    "after_close": "Xem đáp án sau khi bài kiểm tra đóng",
    "never": "Không xem đáp án, chỉ xem điểm",
}


class Bank(db.Model):
    """A bank of question items, kept as a file under content/questions/ or in the database."""

    __tablename__ = "quiz_bank"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    source_path: Mapped[str | None] = mapped_column(String(300))  # set when file-sourced
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    items: Mapped[list[BankItem]] = relationship(
        back_populates="bank", order_by="BankItem.position", cascade="all, delete-orphan"
    )

    @property
    def from_file(self) -> bool:
        """Whether the bank is maintained as a file under content/."""
        return self.source_path is not None


class BankItem(db.Model):
    """One question of a bank: the spec's question JSON plus its rendered, sanitized HTML."""

    __tablename__ = "quiz_bank_item"
    __table_args__ = (
        UniqueConstraint("bank_id", "key", name="uq_quiz_bank_item_bank_key"),
        Index("ix_quiz_bank_item_bank_position", "bank_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("quiz_bank.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)
    type: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200), default="")
    topic: Mapped[str] = mapped_column(String(100), default="")
    difficulty: Mapped[int | None] = mapped_column()
    ref: Mapped[str] = mapped_column(String(200), default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    rendered: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    version: Mapped[int] = mapped_column(default=1)
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    bank: Mapped[Bank] = relationship(back_populates="items")

    @property
    def auto_graded(self) -> bool:
        """Whether the server grades this item (descriptions are never drawn)."""
        return self.type in AUTO_GRADED_TYPES


class Quiz(FileSourced, db.Model):
    """A quiz: which items to draw from which banks, and the rules of an attempt."""

    __tablename__ = "quiz"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description_md: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    module_slug: Mapped[str | None] = mapped_column(String(80))
    draws: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    time_limit: Mapped[int | None] = mapped_column()  # minutes; None: no limit
    attempts_allowed: Mapped[int | None] = mapped_column()  # None: unlimited
    pass_mark: Mapped[float] = mapped_column(Float, default=50.0)  # percent
    review: Mapped[str] = mapped_column(String(20), default="immediately")
    shuffle_questions: Mapped[bool] = mapped_column(default=True)
    shuffle_options: Mapped[bool] = mapped_column(default=True)
    essays: Mapped[bool] = mapped_column(default=False, server_default=false())
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def item_count(self) -> int:
        """How many items an attempt draws."""
        return sum(int(draw.get("count", 0)) for draw in self.draws or [])

    @property
    def review_label(self) -> str:
        """The review policy in Vietnamese."""
        return REVIEW_POLICIES.get(self.review, self.review)


class Attempt(db.Model):
    """One attempt of an official at a quiz; its items are fixed when it starts."""

    __tablename__ = "quiz_attempt"
    __table_args__ = (
        UniqueConstraint("quiz_id", "user_id", "number", name="uq_quiz_attempt_quiz_user_number"),
        # At most one open attempt per official and quiz, whatever the number of workers.
        Index(
            "uq_quiz_attempt_open",
            "quiz_id",
            "user_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        Index("ix_quiz_attempt_status_deadline", "status", "deadline_at"),
        Index("ix_quiz_attempt_user_quiz", "user_id", "quiz_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    quiz_version: Mapped[int] = mapped_column(default=1)
    seed: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(12), default=OPEN)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float] = mapped_column(Float, default=0.0)
    pass_mark: Mapped[float] = mapped_column(Float, default=50.0)
    passed: Mapped[bool | None] = mapped_column()

    quiz: Mapped[Quiz] = relationship()
    user: Mapped[User] = relationship()
    items: Mapped[list[AttemptItem]] = relationship(
        back_populates="attempt", order_by="AttemptItem.position", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        """Whether answers may still be given (the deadline is checked separately)."""
        return self.status == OPEN

    @property
    def percent(self) -> float | None:
        """The score as a percentage of the maximum."""
        if self.score is None or not self.max_score:
            return None
        return 100.0 * self.score / self.max_score


class AttemptItem(db.Model):
    """An item drawn for an attempt: a snapshot of the question, its order and the response."""

    __tablename__ = "quiz_attempt_item"
    __table_args__ = (
        UniqueConstraint("attempt_id", "position", name="uq_quiz_attempt_item_attempt_position"),
        Index("ix_quiz_attempt_item_bank_item", "bank_item_id", "item_version"),
        # The grading queue: answers a person grades that have no points yet.
        Index("ix_quiz_attempt_item_manual_points", "manual", "points"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempt.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    bank_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("quiz_bank_item.id", ondelete="SET NULL")
    )
    item_version: Mapped[int] = mapped_column()
    item: Mapped[dict[str, Any]] = mapped_column(JSON)  # question JSON as drawn
    rendered: Mapped[dict[str, Any]] = mapped_column(JSON)  # its HTML as drawn
    # Opaque ids the page shows, mapped to option or pair keys; never sent to the browser.
    layout: Mapped[dict[str, Any]] = mapped_column(JSON)
    response: Mapped[Any | None] = mapped_column(JSON)
    answer_text: Mapped[str | None] = mapped_column(String(200))  # typed answer, folded
    points: Mapped[float | None] = mapped_column(Float)
    max_points: Mapped[float] = mapped_column(Float, default=1.0)
    autosaved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Essays: graded by a person. Points stay None until then (a blank essay earns 0 at once).
    manual: Mapped[bool] = mapped_column(default=False, server_default=false())
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    grader_comment: Mapped[str | None] = mapped_column(Text)

    attempt: Mapped[Attempt] = relationship(back_populates="items")
    graded_by: Mapped[User | None] = relationship()


class AttemptChoice(db.Model):
    """An option chosen in a graded attempt item, kept for the option distribution."""

    __tablename__ = "quiz_attempt_choice"

    attempt_item_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_attempt_item.id", ondelete="CASCADE"), primary_key=True
    )
    option_key: Mapped[int] = mapped_column(primary_key=True)


class BankImport(db.Model):
    """An uploaded bank file kept between its preview and its confirmation."""

    __tablename__ = "quiz_bank_import"
    __table_args__ = (Index("ix_quiz_bank_import_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    uploader_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255))
    fmt: Mapped[str] = mapped_column(String(8))
    bank_slug: Mapped[str] = mapped_column(String(100))
    bank_title: Mapped[str] = mapped_column(String(200), default="")
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    committed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
