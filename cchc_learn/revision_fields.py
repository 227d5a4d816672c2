"""The columns every revision table shares: what a saved version said, who saved it, when."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import JSON, ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from .clock import utcnow
from .coltypes import UTCDateTime
from .extensions import db

if TYPE_CHECKING:  # accounts sit above this module; only their type is named here
    from .auth.models import User


class RevisionFields:
    """Mixin for a revision model; the model adds its id and the key of what it revises."""

    version: Mapped[int] = mapped_column()
    meta: Mapped[dict[str, Any]] = mapped_column(JSON)
    body_md: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @declared_attr
    def author_id(cls) -> Mapped[int | None]:  # noqa: N805 - declared_attr takes the class
        return mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    # The column naming what the revision belongs to ("module_id", "lesson_id", …).
    owner_key: ClassVar[str]

    @classmethod
    def newest_first(cls, owner_id: int) -> list[Any]:
        """The revisions of one module, lesson or document, newest first."""
        owner = getattr(cls, cls.owner_key)
        query = select(cls).where(owner == owner_id).order_by(cls.version.desc(), cls.id.desc())
        return list(db.session.scalars(query))

    @declared_attr
    def author(cls) -> Mapped[User | None]:  # noqa: N805
        return relationship("User")
