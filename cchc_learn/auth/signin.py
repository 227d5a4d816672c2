"""What a person does with their own account — sign in, confirm a code, sign out, change the
password, turn on a second factor — each a unit of work the pages call (they never commit).

A failed check is counted for throttling even though it raises: the failure is committed
before the AuthError reaches the page.
"""

from __future__ import annotations

from ..database import begin_writing, declare_write, reading, transactional, writes_declared
from ..extensions import db
from . import service
from .models import User


def check_password(username: str, password: str, ip: str) -> service.SignIn:
    """Check a username and password; commit the outcome (a failure is counted, then raised).

    The password is checked first in a transaction that only reads, then the outcome is
    decided and written in a short one: argon2 takes a tenth of a second or more, and on
    SQLite a writing transaction holds the whole database's write lock, so a campaign's
    officials signing in at once would otherwise wait in line for it (past its timeout).
    """
    declared = writes_declared()
    try:
        with reading():
            try:
                checked = service.check_first(username, password, ip)
            finally:
                db.session.rollback()  # end the reading transaction before the writing one
        begin_writing()
        try:
            result = service.authenticate(username, password, ip, checked=checked)
        except service.AuthError:
            db.session.commit()
            raise
        db.session.commit()  # a re-hashed password and the cleared failures
        return result
    finally:
        declare_write(declared)


def check_code(user: User, code: str, ip: str) -> None:
    """Check a sign-in code; commit the outcome (a failure is counted, then raised)."""
    declared = writes_declared()
    begin_writing()
    try:
        service.verify_totp(user, code, ip)
    except service.AuthError:
        db.session.commit()
        raise
    finally:
        declare_write(declared)
    db.session.commit()  # the code's step, so it cannot be used again


@transactional
def record_sign_in(user: User) -> None:
    """Remember when the account signed in."""
    service.mark_signed_in(user)


@transactional
def sign_out_everywhere(user: User) -> None:
    """End every session of the account."""
    service.end_sessions(user)


@transactional
def change_password(user: User, current: str, new: str, confirm: str) -> None:
    """Change one's own password; every other session ends."""
    service.change_password(user, current, new, confirm)


@transactional
def enable_totp(user: User, secret: str, code: str) -> None:
    """Turn on the second factor once the app shows the right code."""
    service.enable_totp(user, secret, code)
