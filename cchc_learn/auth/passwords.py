"""Password hashing (argon2id), generation and the strength policy."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2id with the library's recommended parameters
# A hash that costs as much to check as a real one, so unknown usernames take as long. Made on
# first use, so a process that never checks a password (`cchc-learn tick`) does not pay for it.
_DUMMY_HASH: str | None = None


def configure(*, time_cost: int | None = None, memory_cost_kib: int | None = None) -> None:
    """Use other argon2id costs (a stronger server, or a fast test suite)."""
    global _hasher, _generated_hasher, _DUMMY_HASH
    defaults = PasswordHasher()
    _hasher = PasswordHasher(
        time_cost=time_cost or defaults.time_cost,
        memory_cost=memory_cost_kib or defaults.memory_cost,
    )
    _generated_hasher = _cheap(_hasher)
    _DUMMY_HASH = None


MIN_LENGTH = 10
MAX_LENGTH = 256
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _cheap(full: PasswordHasher) -> PasswordHasher:
    return PasswordHasher(time_cost=1, memory_cost=min(4096, full.memory_cost), parallelism=1)


_generated_hasher = _cheap(_hasher)
"""argon2id at its lowest sensible cost, for passwords `generate_password` made.

The cost of a password hash only slows down guessing; a generated password has 80 random bits
(14 characters of 54), which no amount of guessing finds, whatever the hash costs. A bulk import
hashes thousands of them in one transaction: at the full cost (about 0.2 s each here) 1,000
accounts took minutes, at this cost a few seconds. The account must change the password at
first sign-in, and the password it chooses is hashed at the full cost (sign-in also re-hashes
any hash made with weaker parameters).
"""


def hash_password(password: str) -> str:
    """Hash a password someone chose with argon2id at the configured (full) cost."""
    return _hasher.hash(password)


def hash_generated_password(password: str) -> str:
    """Hash a password `generate_password` made, at the low cost its randomness allows."""
    return _generated_hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password against a stored hash (constant work when there is no hash)."""
    global _DUMMY_HASH
    if not password_hash and _DUMMY_HASH is None:
        _DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Tell whether the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


def generate_password(length: int = 14) -> str:
    """Make a random password without look-alike characters."""
    while True:
        pw = "".join(secrets.choice(_ALPHABET) for _ in range(length))
        if any(c.isdigit() for c in pw) and any(c.isupper() for c in pw):
            return pw


def password_problems(password: str, *, username: str = "") -> list[str]:
    """List what is wrong with a new password, in Vietnamese (empty when acceptable)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Mật khẩu phải có ít nhất {MIN_LENGTH} ký tự.")
    if len(password) > MAX_LENGTH:
        problems.append(f"Mật khẩu không được dài quá {MAX_LENGTH} ký tự.")
    if password and len(set(password)) < 4:
        problems.append("Mật khẩu quá đơn giản (quá ít ký tự khác nhau).")
    if password.isdigit():
        problems.append("Mật khẩu không được chỉ gồm chữ số.")
    if len(username) >= 4 and username.lower() in password.lower():
        problems.append("Mật khẩu không được chứa tên đăng nhập.")
    return problems
