"""What a restore means for sign-ins: every session and remember-me cookie ends.

A cookie issued after the backup was taken carries a session version the restored accounts may
hold again (an account deactivated since the backup is active again, a changed password is the
old one again), so every account's version moves on and everyone signs in anew.
"""

from __future__ import annotations

from sqlalchemy import update

from ..database import transactional
from ..extensions import db
from .models import User


@transactional
def after_restore(_before: object = None) -> str:
    """End every session of every account."""
    ended = db.session.execute(
        update(User).values(session_version=User.session_version + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    return f"đã kết thúc mọi phiên đăng nhập ({ended} tài khoản phải đăng nhập lại)."
