"""Account operations: sign-in, passwords, roles, activation, two-factor codes."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyotp
from flask import current_app
from sqlalchemy import select

from ..access import ROLES
from ..audit.service import changes, record
from ..clock import utcnow
from ..extensions import db
from ..textnorm import fold
from . import throttle
from .models import User
from .passwords import (
    generate_password,
    hash_generated_password,
    hash_password,
    needs_rehash,
    password_problems,
    verify_password,
)

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,60}$")


class AuthError(ValueError):
    """An account operation that cannot be done; the message is for users."""


class InvalidCredentials(AuthError):
    """Wrong username or password (never says which)."""


class LoginThrottled(AuthError):
    """Too many failed attempts for this account or address."""


@dataclass
class SignIn:
    """The outcome of a correct password: the account, and whether a TOTP code must follow."""

    user: User
    needs_totp: bool


def normalise_username(username: str) -> str:
    """Lowercase and trim a username as typed."""
    return (username or "").strip().lower()


def validate_username(username: str) -> str:
    """Return the normalised username or raise AuthError."""
    name = normalise_username(username)
    if not USERNAME_RE.match(name):
        raise AuthError(
            "Tên đăng nhập gồm 2–64 ký tự: chữ thường không dấu, chữ số, dấu chấm, gạch ngang, "
            "gạch dưới; bắt đầu bằng chữ hoặc số."
        )
    return name


def validate_email(email: str | None) -> str | None:
    """Return the trimmed email (or None) or raise AuthError."""
    email = (email or "").strip()
    if not email:
        return None
    if not EMAIL_RE.match(email):
        raise AuthError(f"Địa chỉ email không hợp lệ: {email}")
    return email


def validate_roles(roles: set[str] | list[str]) -> set[str]:
    """Check role names; an account always has at least one role."""
    chosen = {r.strip().lower() for r in roles if r and r.strip()}
    unknown = chosen - set(ROLES)
    if unknown:
        raise AuthError(f"Vai trò không hợp lệ: {', '.join(sorted(unknown))}.")
    return chosen or {"official"}


def get_by_username(username: str) -> User | None:
    """Find an account by username."""
    return db.session.scalar(select(User).where(User.username == normalise_username(username)))


@dataclass(frozen=True)
class Checked:
    """A password checked against the hash an account had (None: no such account)."""

    password_hash: str | None
    ok: bool


def check_first(username: str, password: str, ip: str) -> Checked | None:
    """Check the password with reads only (the slow part); None when sign-in is paused.

    `authenticate(..., checked=…)` then decides and writes in a short transaction, so no
    write lock is held while argon2 runs (on SQLite, the whole database's).
    """
    name = normalise_username(username)[:64]
    if throttle.is_blocked(name, ip):
        return None
    user = get_by_username(name)
    stored = user.password_hash if user else None
    return Checked(stored, verify_password(stored, password))


def authenticate(username: str, password: str, ip: str, *,
                 checked: Checked | None = None) -> SignIn:
    """Check a username and password, applying throttling; the caller commits.

    checked: what `check_first` found; used when the account's hash is still the one it
    checked (the password is checked again otherwise).
    """
    name = normalise_username(username)[:64]
    throttle.hold_account(name)
    if throttle.is_blocked(name, ip):
        raise LoginThrottled(
            "Đăng nhập tạm thời bị khóa do nhập sai nhiều lần. Vui lòng thử lại sau ít phút."
        )
    user = get_by_username(name)
    stored = user.password_hash if user else None
    if checked is not None and checked.password_hash == stored:
        ok = checked.ok
    else:
        ok = verify_password(stored, password)
    if not ok or user is None or not user.active:
        throttle.note_failure(name, ip)
        raise InvalidCredentials("Tên đăng nhập hoặc mật khẩu không đúng.")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    throttle.clear(name)
    return SignIn(user=user, needs_totp=user.totp_enabled)


def mark_signed_in(user: User) -> None:
    """Remember when the account signed in, first and last."""
    user.last_login_at = utcnow()
    if user.first_login_at is None:
        user.first_login_at = user.last_login_at


@dataclass
class NewAccount:
    """An account checked and with its password hashed, not yet in the database."""

    user: User
    password: str | None  # the generated password to hand over, when none was given


def create_user(
    username: str,
    full_name: str,
    *,
    roles: set[str] | list[str] = ("official",),
    email: str | None = None,
    position: str | None = None,
    password: str | None = None,
    actor: User | None = None,
) -> tuple[User, str | None]:
    """Create an account; returns it and the generated password when none was given."""
    account = prepare_account(
        username, full_name, roles=roles, email=email, position=position, password=password
    )
    add_accounts([account], actor=actor)
    return account.user, account.password


def prepare_account(
    username: str,
    full_name: str,
    *,
    roles: set[str] | list[str] = ("official",),
    email: str | None = None,
    position: str | None = None,
    password: str | None = None,
) -> NewAccount:
    """Check an account and hash its password, writing nothing (the slow part of creating it).

    Only reads: a bulk import prepares every account before it takes a write lock.
    """
    name = validate_username(username)
    full_name = (full_name or "").strip()
    if not full_name:
        raise AuthError("Họ và tên không được để trống.")
    if get_by_username(name) is not None:
        raise AuthError(f"Tên đăng nhập {name} đã tồn tại.")
    generated = None
    if password is None:
        generated = password = generate_password()
    else:
        problems = password_problems(password, username=name)
        if problems:
            raise AuthError(" ".join(problems))
    user = User(
        username=name,
        full_name=full_name[:200],
        email=validate_email(email),
        position=(position or "").strip()[:200] or None,
        password_hash=(hash_generated_password if generated else hash_password)(password),
        must_change_password=generated is not None,
    )
    user.set_roles(validate_roles(roles))
    return NewAccount(user, generated)


def add_accounts(accounts: list[NewAccount], *, actor: User | None = None) -> None:
    """Add prepared accounts in one flush, each with its audit entry (the caller commits)."""
    db.session.add_all([account.user for account in accounts])
    db.session.flush()
    for account in accounts:
        user = account.user
        record(
            actor,
            "user.create",
            "user",
            user.id,
            f"Tạo tài khoản {user.username}",
            after=user_snapshot(user),
        )


def user_snapshot(user: User) -> dict:
    """The audited fields of an account."""
    return {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "position": user.position,
        "roles": sorted(user.role_names),
        "active": user.active,
    }


def update_user(
    user: User,
    *,
    full_name: str,
    email: str | None,
    position: str | None,
    roles: set[str] | list[str],
    actor: User | None = None,
) -> User:
    """Edit an account's details and roles."""
    full_name = (full_name or "").strip()
    if not full_name:
        raise AuthError("Họ và tên không được để trống.")
    new_roles = validate_roles(roles)
    if actor is not None and actor.id == user.id and "admin" not in new_roles:
        raise AuthError("Không thể tự bỏ vai trò quản trị của chính mình.")
    before = user_snapshot(user)
    user.full_name = full_name[:200]
    user.email = validate_email(email)
    user.position = (position or "").strip()[:200] or None
    user.set_roles(new_roles)
    old, new = changes(before, user_snapshot(user))
    if new:
        if old.get("roles") != new.get("roles") and "roles" in new:
            user.session_version += 1  # role changes take effect at once everywhere
        record(
            actor,
            "user.update",
            "user",
            user.id,
            f"Sửa tài khoản {user.username}",
            before=old,
            after=new,
        )
    return user


def set_active(user: User, active: bool, *, actor: User | None = None) -> User:
    """Deactivate (ending every session) or reactivate an account."""
    if actor is not None and actor.id == user.id and not active:
        raise AuthError("Không thể tự khóa tài khoản của chính mình.")
    if user.active == active:
        return user
    user.active = active
    user.deactivated_at = None if active else utcnow()
    user.session_version += 1
    record(
        actor,
        "user.activate" if active else "user.deactivate",
        "user",
        user.id,
        f"{'Mở khóa' if active else 'Khóa'} tài khoản {user.username}",
        before={"active": not active},
        after={"active": active},
    )
    return user


def change_password(user: User, current: str, new: str, confirm: str) -> None:
    """Change one's own password; every other session ends."""
    if not verify_password(user.password_hash, current):
        raise AuthError("Mật khẩu hiện tại không đúng.")
    if new != confirm:
        raise AuthError("Mật khẩu mới và mật khẩu nhập lại không khớp.")
    if verify_password(user.password_hash, new):
        raise AuthError("Mật khẩu mới phải khác mật khẩu hiện tại.")
    problems = password_problems(new, username=user.username)
    if problems:
        raise AuthError(" ".join(problems))
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.session_version += 1


def reset_password(user: User, *, actor: User | None = None) -> str:
    """Give an account a generated password that must be changed at next sign-in."""
    password = generate_password()
    user.password_hash = hash_generated_password(password)
    user.must_change_password = True
    user.session_version += 1
    throttle.clear(user.username)
    record(actor, "user.reset_password", "user", user.id, f"Đặt lại mật khẩu cho {user.username}")
    return password


def end_sessions(user: User) -> None:
    """Sign the account out everywhere."""
    user.session_version += 1


def search_users(
    text: str = "",
    *,
    role: str | None = None,
    active: bool | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[User], int]:
    """One page of accounts matching text in username, name or email, and the total."""
    query = select(User)
    text = (text or "").strip()[:100]
    if text:
        # Matched folded, so "đặng" and "dang" find "Đặng" on any database (SQLite's lower()
        # folds ASCII only); autoescape: "%" or "_" typed in the box match themselves.
        query = query.where(User.search_key.contains(fold(text), autoescape=True))
    if role:
        from .models import UserRole

        query = query.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    if active is not None:
        query = query.where(User.active == active)
    found = db.paginate(
        query.order_by(User.username), page=max(page, 1), per_page=per_page, error_out=False
    )
    return list(found.items), found.total or 0


# --- two-factor (TOTP) -------------------------------------------------------------------


def new_totp_secret() -> str:
    """Make a fresh base32 TOTP secret."""
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    """The otpauth:// URI an authenticator app can import."""
    return pyotp.TOTP(secret).provisioning_uri(
        name=user.username, issuer_name=current_app.config["TOTP_ISSUER"]
    )


def _matching_step(secret: str, code: str) -> int | None:
    code = re.sub(r"\s+", "", code or "")
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    now = utcnow()
    for drift in (0, -1, 1):
        step = totp.timecode(now) + drift
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None


def enable_totp(user: User, secret: str, code: str) -> None:
    """Turn on two-factor sign-in once the user proves the app shows the right code."""
    step = _matching_step(secret, code)
    if step is None:
        raise AuthError("Mã xác thực không đúng. Kiểm tra giờ trên điện thoại và thử lại.")
    user.totp_secret = secret
    user.totp_enabled = True
    user.totp_last_step = step
    user.session_version += 1
    record(user, "user.totp_enable", "user", user.id, f"Bật xác thực hai lớp cho {user.username}")


def verify_totp(user: User, code: str, ip: str) -> None:
    """Check a sign-in code; a code is accepted once (no replay)."""
    throttle.hold_account(user.username)
    if throttle.is_blocked(user.username, ip):
        raise LoginThrottled(
            "Đăng nhập tạm thời bị khóa do nhập sai nhiều lần. Vui lòng thử lại sau ít phút."
        )
    step = _matching_step(user.totp_secret or "", code)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        throttle.note_failure(user.username, ip)
        raise InvalidCredentials("Mã xác thực không đúng hoặc đã được dùng.")
    user.totp_last_step = step


def disable_totp(user: User, *, actor: User | None = None) -> None:
    """Turn off two-factor sign-in (an admin helping someone who lost their phone)."""
    user.totp_enabled = False
    user.totp_secret = None
    user.totp_last_step = None
    user.session_version += 1
    record(actor, "user.totp_disable", "user", user.id, f"Tắt xác thực hai lớp của {user.username}")


def totp_required(user: User) -> bool:
    """Tell whether the account must set up two-factor sign-in before going on."""
    return bool(
        current_app.config.get("REQUIRE_ADMIN_TOTP")
        and user.has_role("admin")
        and not user.totp_enabled
    )
