"""The search change log: written in the same transaction as the data it describes."""

from __future__ import annotations

from datetime import datetime

from flask import g, has_request_context
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..coltypes import UTCDateTime
from ..extensions import db


class SearchChange(db.Model):
    """ "Object kind:id changed": every index applies these in id order and remembers how far."""

    __tablename__ = "search_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int] = mapped_column()
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def log_change(kind: str, object_id: int) -> None:
    """Note that an indexed object changed (or was removed) in the current transaction."""
    db.session.add(SearchChange(kind=kind, object_id=object_id))
    if has_request_context():
        g.cchc_search_changed = True  # the request applies its changes once it has answered


def request_logged_changes() -> bool:
    """Whether the current request wrote to the change log."""
    return bool(g.get("cchc_search_changed"))
