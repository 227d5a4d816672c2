"""Accounts, their roles and failed sign-in records."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..coltypes import UTCDateTime
from ..extensions import db
from ..textnorm import fold


class User(UserMixin, db.Model):
    """An account; roles are cumulative."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    position: Mapped[str | None] = mapped_column(String(200))
    search_key: Mapped[str] = mapped_column(String(600), default="", server_default="")
    """Username, name and e-mail folded (no diacritics, lower case), for account search."""
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    session_version: Mapped[int] = mapped_column(default=1)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled: Mapped[bool] = mapped_column(default=False)
    totp_last_step: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When the account first signed in (reports count who never has, as of a date)."""
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When the account was last deactivated (None while active): rosters as of a date."""

    role_links: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def role_names(self) -> set[str]:
        """The roles this account holds."""
        return {link.role for link in self.role_links}

    def has_role(self, *roles: str) -> bool:
        """Tell whether the account holds any of roles."""
        return bool(self.role_names & set(roles))

    def set_roles(self, roles: set[str]) -> None:
        """Replace the account's roles."""
        keep = [link for link in self.role_links if link.role in roles]
        have = {link.role for link in keep}
        self.role_links = keep + [UserRole(role=r) for r in sorted(roles - have)]

    def get_id(self) -> str:
        # The session version travels in the id, so bumping it ends every session.
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.username}>"


def user_search_key(username: str, full_name: str, email: str | None) -> str:
    """What account search matches a folded query against: `Đặng Thị` → `dang thi`."""
    return fold(" ".join(part for part in (username, full_name, email) if part))[:600]


@event.listens_for(User, "before_insert")
@event.listens_for(User, "before_update")
def _refresh_search_key(_mapper, _connection, user: User) -> None:
    user.search_key = user_search_key(user.username, user.full_name, user.email)


class UserRole(db.Model):
    """One role held by one account."""

    __tablename__ = "user_role"
    # Accounts by role (moderators, the admin's filter): the key starts with the account.
    __table_args__ = (Index("ix_user_role_role", "role", "user_id"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_links")


class LoginFailure(db.Model):
    """A failed sign-in; counted per account and per address over a sliding window."""

    __tablename__ = "login_failure"
    __table_args__ = (
        Index("ix_login_failure_username_at", "username", "at"),
        Index("ix_login_failure_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
