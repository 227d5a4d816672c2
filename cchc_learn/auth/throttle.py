"""Sign-in throttling kept in the database, so every worker process and host sees one state.

Failures are counted per account and per address over a sliding window. The per-address limit
is high because a whole department may sit behind one NAT address: only an account's own
failures lock that account, and successful sign-ins never count.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import delete, func, select, text

from ..clock import utcnow
from ..extensions import db
from .models import LoginFailure


def read_window(app: Flask) -> None:
    """Take LOGIN_FAILURE_WINDOW as a timedelta, or as minutes (CCHC_LOGIN_FAILURE_WINDOW=30).

    Anything else — text, zero, a negative number, a boolean — stops the start with the
    setting named, rather than throttling with a window nobody meant.
    """
    value = app.config.get("LOGIN_FAILURE_WINDOW")
    if isinstance(value, timedelta) and value > timedelta(0):
        return
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= 10_080:
        app.config["LOGIN_FAILURE_WINDOW"] = timedelta(minutes=value)
        return
    raise ValueError(
        f"CCHC_LOGIN_FAILURE_WINDOW must be a number of minutes from 1 to 10080 (one week) "
        f"or a timedelta in instance/config.py; got {value!r}."
    )


def _window_start() -> datetime:
    return utcnow() - current_app.config["LOGIN_FAILURE_WINDOW"]


def hold_account(username: str) -> None:
    """Make this transaction the only sign-in check of the account until it ends.

    Counting failures and then adding one is a read followed by a write: without this,
    twenty simultaneous wrong passwords on PostgreSQL all counted the same few failures and
    got more checks than the limit. A transaction-scoped advisory lock on the account name
    puts them in line (different accounts never wait for each other). SQLite needs nothing:
    every writing transaction there takes the database's write lock first.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:name, 7041))"),
            {"name": username},
        )


def is_blocked(username: str, ip: str) -> bool:
    """Tell whether sign-in for this account or from this address is paused.

    Call :func:`hold_account` first in the same transaction, so the answer stays true until
    this attempt's failure, if any, is recorded and committed.
    """
    since = _window_start()
    per_account = db.session.scalar(
        select(func.count()).where(LoginFailure.username == username, LoginFailure.at >= since)
    )
    if per_account >= current_app.config["LOGIN_ACCOUNT_MAX_FAILURES"]:
        return True
    per_ip = db.session.scalar(
        select(func.count()).where(LoginFailure.ip == ip, LoginFailure.at >= since)
    )
    return per_ip >= current_app.config["LOGIN_IP_MAX_FAILURES"]


def note_failure(username: str, ip: str) -> None:
    """Record one failed attempt (and drop records far older than the window)."""
    db.session.add(LoginFailure(username=username[:64], ip=ip[:64], at=utcnow()))
    cutoff = utcnow() - 4 * current_app.config["LOGIN_FAILURE_WINDOW"]
    db.session.execute(delete(LoginFailure).where(LoginFailure.at < cutoff))


def clear(username: str) -> None:
    """Forget an account's failures after it signed in or an admin reset its password."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.username == username))
