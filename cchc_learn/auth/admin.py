"""What an administrator does to an account, each one unit of work (commits, or rolls back
and raises AuthError): for the admin pages and the `users` commands."""

from __future__ import annotations

from ..database import transactional
from . import service
from .models import User


@transactional
def set_active(user: User, active: bool, *, actor: User | None = None) -> None:
    """Unlock or lock an account (locking ends its sessions)."""
    service.set_active(user, active, actor=actor)


@transactional
def reset_password(user: User, *, actor: User | None = None) -> str:
    """Give an account a one-time password it must change; return it to hand over."""
    return service.reset_password(user, actor=actor)


@transactional
def disable_totp(user: User, *, actor: User | None = None) -> None:
    """Turn off a lost second factor."""
    service.disable_totp(user, actor=actor)
